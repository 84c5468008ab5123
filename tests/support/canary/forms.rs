//! The byte forms a canary can take on disk: each spelling of its letters' case, written as
//! itself, URL-escaped, JSON-escaped or HTML-escaped, each of those in UTF-8, UTF-16LE and
//! UTF-16BE. The matcher compares ASCII letters without regard to case, so these forms only
//! need to spell out the case of the other letters (and so cover `\u00E1` and `%C3%A1` too).

/// One needle: the bytes to look for and a name for the form, as a finding reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// At most this many spellings of case are made of one canary; its letters beyond ASCII are
/// few, so this is never reached by the canaries the tests make.
const MAX_CASE_SPELLINGS: usize = 16;

/// Every form of `text`, without repeats (the first name given to a byte string is kept).
pub fn forms_of(text: &str) -> Vec<Form> {
    let mut forms: Vec<Form> = Vec::new();
    for (case_index, spelling) in case_spellings(text).iter().enumerate() {
        let case = if case_index == 0 { "" } else { ", other case" };
        for (escape, escaped) in escapes_of(spelling) {
            for (encoding, bytes) in [
                ("UTF-8", escaped.as_bytes().to_vec()),
                ("UTF-16LE", escaped.encode_utf16().flat_map(u16::to_le_bytes).collect()),
                ("UTF-16BE", escaped.encode_utf16().flat_map(u16::to_be_bytes).collect()),
            ] {
                if !bytes.is_empty() && !forms.iter().any(|form| form.bytes == bytes) {
                    forms.push(Form { name: format!("{escape}{encoding}{case}"), bytes });
                }
            }
        }
    }
    forms
}

/// The text as typed, then with its letters beyond ASCII in each of their cases (lower and
/// upper, where each is one character): "Dálaigh", "DÁlaigh" and so on.
fn case_spellings(text: &str) -> Vec<String> {
    let mut spellings = vec![String::new()];
    for character in text.chars() {
        let mut choices = vec![character];
        if !character.is_ascii() {
            for other in [single(character.to_lowercase()), single(character.to_uppercase())].into_iter().flatten() {
                if !choices.contains(&other) {
                    choices.push(other);
                }
            }
        }
        if spellings.len() * choices.len() > MAX_CASE_SPELLINGS {
            choices.truncate(1);
        }
        spellings = spellings
            .iter()
            .flat_map(|spelling| {
                choices.iter().map(move |choice| {
                    let mut longer = spelling.clone();
                    longer.push(*choice);
                    longer
                })
            })
            .collect();
    }
    spellings
}

fn single(mut characters: impl Iterator<Item = char>) -> Option<char> {
    let first = characters.next()?;
    characters.next().is_none().then_some(first)
}

/// The text as it is and in each escaped form, named by how it was escaped.
fn escapes_of(text: &str) -> Vec<(&'static str, String)> {
    let json = json_string_body(text, false);
    vec![
        ("", text.to_owned()),
        // Every byte but letters and digits escaped, as `percent-encoding`'s NON_ALPHANUMERIC.
        ("URL-escaped (%20), ", url_escaped(text, "", false)),
        ("URL-escaped (+), ", url_escaped(text, "", true)),
        // RFC 3986's unreserved characters kept, as Rust's `urlencoding` and `url` crates do.
        ("URL-escaped (unreserved kept), ", url_escaped(text, "-._~", false)),
        // JavaScript's encodeURIComponent, and the form encoding of URLSearchParams.
        ("URL-escaped (encodeURIComponent), ", url_escaped(text, "-_.!~*'()", false)),
        ("URL-escaped (form), ", url_escaped(text, "*-._", true)),
        // What serde_json and JSON.stringify write, then with "/" escaped as some writers do.
        ("JSON-escaped, ", json.clone()),
        ("JSON-escaped (\\/), ", json.replace('/', "\\/")),
        // A JSON string written inside another JSON string.
        ("JSON-escaped twice, ", json_string_body(&json, false)),
        // \uXXXX for every character beyond ASCII, for every one but letters and digits, and for
        // every character.
        ("JSON \\u-escaped (beyond ASCII), ", json_string_body(text, true)),
        ("JSON \\u-escaped (all but letters and digits), ", json_u_escaped(text, |c| !c.is_ascii_alphanumeric())),
        ("JSON \\u-escaped (every character), ", json_u_escaped(text, |_| true)),
        ("HTML-escaped, ", html_escaped(text, "&#39;")),
        ("HTML-escaped (&#x27;), ", html_escaped(text, "&#x27;")),
    ]
}

/// Percent-encoding of every byte of the UTF-8 text except ASCII letters, digits and `kept`;
/// a space as `+` when `plus_for_space`.
pub fn url_escaped(text: &str, kept: &str, plus_for_space: bool) -> String {
    let mut escaped = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || kept.as_bytes().contains(&byte) {
            escaped.push(char::from(byte));
        } else if byte == b' ' && plus_for_space {
            escaped.push('+');
        } else {
            escaped.push_str(&format!("%{byte:02X}"));
        }
    }
    escaped
}

/// The inside of a JSON string holding `text`, escaped as serde_json and JSON.stringify do;
/// with `ascii_only`, characters beyond ASCII as `\uXXXX` too (as Python's json does).
pub fn json_string_body(text: &str, ascii_only: bool) -> String {
    let mut escaped = String::new();
    for character in text.chars() {
        match character {
            '"' => escaped.push_str("\\\""),
            '\\' => escaped.push_str("\\\\"),
            '\n' => escaped.push_str("\\n"),
            '\r' => escaped.push_str("\\r"),
            '\t' => escaped.push_str("\\t"),
            '\u{8}' => escaped.push_str("\\b"),
            '\u{c}' => escaped.push_str("\\f"),
            c if c.is_control() || (ascii_only && !c.is_ascii()) => push_u_escape(&mut escaped, c),
            c => escaped.push(c),
        }
    }
    escaped
}

fn json_u_escaped(text: &str, escape: impl Fn(char) -> bool) -> String {
    let mut escaped = String::new();
    for character in text.chars() {
        if escape(character) { push_u_escape(&mut escaped, character) } else { escaped.push(character) }
    }
    escaped
}

/// `\uXXXX`, as a surrogate pair beyond the Basic Multilingual Plane.
fn push_u_escape(escaped: &mut String, character: char) {
    let mut units = [0u16; 2];
    for unit in character.encode_utf16(&mut units) {
        escaped.push_str(&format!("\\u{unit:04x}"));
    }
}

fn html_escaped(text: &str, apostrophe: &str) -> String {
    let mut escaped = String::new();
    for character in text.chars() {
        match character {
            '&' => escaped.push_str("&amp;"),
            '<' => escaped.push_str("&lt;"),
            '>' => escaped.push_str("&gt;"),
            '"' => escaped.push_str("&quot;"),
            '\'' => escaped.push_str(apostrophe),
            c => escaped.push(c),
        }
    }
    escaped
}
