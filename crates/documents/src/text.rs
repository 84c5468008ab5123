//! Text as it is printed: exactly as typed, except that control characters (line breaks, tabs)
//! become spaces. Characters the font lacks are not replaced here; they are printed as □ (see
//! `fonts::MARKER`) and the document says so.

/// `text` with each control character (line break, tab) turned into a space; every other
/// character is kept as it is.
pub fn printable(text: &str) -> String {
    text.chars().map(|character| if character.is_control() { ' ' } else { character }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_character_is_kept_and_control_characters_become_spaces() {
        assert_eq!(printable("Praxis Müller"), "Praxis Müller");
        assert_eq!(printable("Łukasz Nguyễn 山田"), "Łukasz Nguyễn 山田");
        assert_eq!(printable("line\nbreak\tand\u{7}bell"), "line break and bell");
    }
}
