//! Base64 text inside a file: a FHIR attachment, a `data:` URL, a MIME part, a token. Every run
//! of base64 characters (the standard alphabet and the URL-safe one; line breaks inside a run
//! are passed over, as MIME wraps its lines) at least [`MIN_RUN`] long is decoded at each of the
//! four places its first whole group may start, as a run found in a larger text need not start
//! where its encoder started. What the runs decode to is scanned like any other bytes.

use base64::Engine;

/// The base64 form of the shortest canary the matcher allows (six bytes) is eight characters.
pub const MIN_RUN: usize = 8;

/// At most this much is decoded from one file's runs, at each alignment.
pub const MAX_DECODED_PER_FILE: usize = 64 << 20;

/// What the base64 runs in `bytes` decode to, for each alignment: the runs' bytes, one after
/// another with a zero byte between them, so no canary is made of the end of one and the
/// start of the next. Empty when `bytes` holds no run.
pub fn decode_all(bytes: &[u8]) -> [Vec<u8>; 4] {
    let mut decoded: [Vec<u8>; 4] = Default::default();
    let mut run = Vec::new();
    let mut at = 0;
    while at < bytes.len() {
        run.clear();
        while let Some(&byte) = bytes.get(at) {
            match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' => run.push(byte),
                b'-' => run.push(b'+'),
                b'_' => run.push(b'/'),
                b'\r' | b'\n' if !run.is_empty() => {}
                _ => break,
            }
            at += 1;
        }
        at += 1;
        if run.len() < MIN_RUN {
            continue;
        }
        for (skip, into) in decoded.iter_mut().enumerate() {
            let whole_groups = (run.len() - skip) / 4 * 4;
            if into.len() >= MAX_DECODED_PER_FILE || whole_groups == 0 {
                continue;
            }
            let start = into.len();
            let decoded_into =
                base64::engine::general_purpose::STANDARD.decode_vec(&run[skip..skip + whole_groups], into).is_ok();
            if decoded_into {
                into.push(0);
            } else {
                into.truncate(start);
            }
        }
    }
    decoded
}
