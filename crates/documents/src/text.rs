//! Text for the built-in PDF fonts, which cover Latin-1 only. Other characters are
//! transliterated (Ł to L, 王 to Wang) rather than dropped, and text is shortened to fit a width.

/// The text the built-in fonts can show: Latin-1 kept as it is, other scripts transliterated,
/// control characters (line breaks, tabs) turned into spaces.
pub fn printable(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for character in text.chars() {
        if character.is_control() {
            shown.push(' ');
        } else if (character as u32) < 256 {
            shown.push(character);
        } else {
            match deunicode::deunicode_char(character) {
                Some(ascii) if !ascii.contains('[') => shown.push_str(ascii),
                _ => shown.push('?'),
            }
        }
    }
    shown
}

/// About how wide a character of Helvetica is, in millimetres, at `size` points. Generous, so
/// text that fits by this measure fits on the page.
fn character_width_mm(size: f32) -> f32 {
    size * 0.56 * 0.3528
}

/// Shortens `text` with "..." so that it fits `width_mm` at `size` points.
pub fn fit_to_width(text: &str, width_mm: f32, size: f32) -> String {
    let fits = (width_mm / character_width_mm(size)).floor().max(1.0) as usize;
    if text.chars().count() <= fits {
        return text.to_owned();
    }
    let kept: String = text.chars().take(fits.saturating_sub(3)).collect();
    format!("{}...", kept.trim_end())
}

/// Breaks `text` into lines that fit `width_mm` at `size` points, at spaces where it can; line
/// breaks in the text are kept.
pub fn wrap(text: &str, width_mm: f32, size: f32) -> Vec<String> {
    let fits = (width_mm / character_width_mm(size)).floor().max(10.0) as usize;
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let mut line = String::new();
        for word in paragraph.split_whitespace() {
            let mut word = word.to_owned();
            while word.chars().count() > fits {
                let head: String = word.chars().take(fits).collect();
                word = word.chars().skip(fits).collect();
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                lines.push(head);
            }
            if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > fits {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&word);
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latin_1_is_kept_and_other_scripts_are_transliterated() {
        assert_eq!(printable("Praxis Müller"), "Praxis Müller");
        assert_eq!(printable("Łukasz Nguyễn"), "Lukasz Nguyen");
        assert_eq!(printable("王"), "Wang ");
        assert_eq!(printable("line\nbreak"), "line break");
    }

    #[test]
    fn text_wraps_at_spaces_and_keeps_its_line_breaks() {
        let lines = wrap("one two three four five six seven eight nine ten eleven twelve\nnext", 20.0, 8.0);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(lines.iter().all(|line| line.chars().count() <= 25), "{lines:?}");
        assert_eq!(lines.last().map(String::as_str), Some("next"));
        assert_eq!(
            lines.join(" ").replace("  ", " "),
            "one two three four five six seven eight nine ten eleven twelve next"
        );
    }

    #[test]
    fn long_text_is_shortened_to_fit() {
        assert_eq!(fit_to_width("short", 50.0, 8.0), "short");
        let fitted = fit_to_width(&"x".repeat(200), 20.0, 8.0);
        assert!(fitted.ends_with("...") && fitted.chars().count() < 20, "{fitted}");
    }
}
