//! Fitting text to a width with the font's real advance widths: shortening a single line with
//! "…", and wrapping a paragraph at spaces.

use crate::fonts::Font;
use crate::text::printable;

const ELLIPSIS: &str = "\u{2026}";

/// `text` on one line, shortened with "…" so that it fits `width_mm` at `size` points. Text
/// that fits is returned as it is; if not even "…" fits, nothing is shown.
pub(crate) fn fit_to_width(font: &Font, text: &str, width_mm: f32, size: f32) -> String {
    let text = printable(text);
    let limit = font.units_in(width_mm, size);
    if font.units(&text) as f32 <= limit {
        return text;
    }
    let budget = limit - font.units(ELLIPSIS) as f32;
    if budget < 0.0 {
        return String::new();
    }
    let mut kept = String::new();
    let mut used = 0;
    for character in text.chars() {
        used += font.char_units(character);
        if used as f32 > budget {
            break;
        }
        kept.push(character);
    }
    format!("{}{ELLIPSIS}", kept.trim_end())
}

/// Breaks `text` into lines that fit `width_mm` at `size` points. Lines break at spaces; a
/// word wider than a whole line is split where the line is full. Line breaks in the text are
/// kept; other control characters become spaces.
pub(crate) fn wrap(font: &Font, text: &str, width_mm: f32, size: f32) -> Vec<String> {
    let limit = font.units_in(width_mm, size);
    let space = font.char_units(' ');
    let mut lines = Vec::new();
    for paragraph in text.split('\n') {
        let paragraph = printable(paragraph);
        let mut line = String::new();
        let mut line_units = 0;
        for word in paragraph.split_whitespace() {
            let word_units = font.units(word);
            if !line.is_empty() && (line_units + space + word_units) as f32 <= limit {
                line.push(' ');
                line.push_str(word);
                line_units += space + word_units;
                continue;
            }
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
                line_units = 0;
            }
            // The word starts a line; if it is wider than the line, it fills as many lines as
            // it needs, each as full as it fits (always at least one character).
            for character in word.chars() {
                let units = font.char_units(character);
                if !line.is_empty() && (line_units + units) as f32 > limit {
                    lines.push(std::mem::take(&mut line));
                    line_units = 0;
                }
                line.push(character);
                line_units += units;
            }
        }
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fonts::{Face, Fonts};

    const SIZE: f32 = 8.0;

    /// Wraps `text` (one paragraph) and checks the lines: together they hold every word in
    /// order, none is wider than `width`, and none ends early (what comes next would not fit).
    fn check_wrap(font: &Font, text: &str, width: f32) -> Vec<String> {
        let lines = wrap(font, text, width, SIZE);
        let words: Vec<Vec<char>> = text.split_whitespace().map(|word| word.chars().collect()).collect();
        let (mut word, mut offset) = (0, 0);
        for line in &lines {
            assert!(font.width_mm(line, SIZE) <= width + 1e-3, "{line:?} overflows {width} mm");
            for piece in line.split(' ') {
                let expected: String = words[word][offset..offset + piece.chars().count()].iter().collect();
                assert_eq!(piece, expected, "{lines:?}");
                offset += piece.chars().count();
                if offset == words[word].len() {
                    (word, offset) = (word + 1, 0);
                }
            }
            let next = match (words.get(word), offset) {
                (None, _) => continue,
                (Some(rest), 0) => format!(" {}", rest.iter().collect::<String>()),
                (Some(rest), _) => rest[offset].to_string(),
            };
            assert!(font.width_mm(&format!("{line}{next}"), SIZE) > width, "{line:?} could hold {next:?}");
        }
        assert_eq!(word, words.len(), "every word is on some line");
        lines
    }

    #[test]
    fn text_wraps_at_spaces_and_keeps_its_line_breaks() {
        let fonts = Fonts::load().unwrap();
        let font = fonts.get(Face::Regular);
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let lines = check_wrap(font, text, 20.0);
        assert!(lines.len() >= 3, "{lines:?}");
        let with_break = wrap(font, &format!("{text}\nnext"), 20.0, SIZE);
        assert_eq!(with_break.last().map(String::as_str), Some("next"));
    }

    #[test]
    fn narrow_and_wide_words_are_split_only_where_the_line_is_full() {
        let fonts = Fonts::load().unwrap();
        for face in [Face::Regular, Face::Bold] {
            let font = fonts.get(face);
            for word in ["iiii", "WWWW", "ЖЖЖЖ"] {
                for width in [5.0, 12.0, 40.0] {
                    let lines = check_wrap(font, &format!("{word} ").repeat(30), width);
                    if font.width_mm(word, SIZE) <= width {
                        assert!(lines.iter().all(|line| line.split(' ').all(|piece| piece == word)), "{lines:?}");
                    }
                }
                check_wrap(font, &word.repeat(40), 12.0);
            }
            let narrow = wrap(font, &"iiii ".repeat(30), 30.0, SIZE);
            let wide = wrap(font, &"WWWW ".repeat(30), 30.0, SIZE);
            assert!(narrow[0].len() > 2 * wide[0].len(), "more narrow words fit on a line: {narrow:?} {wide:?}");
        }
    }

    #[test]
    fn fitted_text_never_overflows_and_keeps_what_fits() {
        let fonts = Fonts::load().unwrap();
        let font = fonts.get(Face::Regular);
        assert_eq!(fit_to_width(font, "short", 50.0, SIZE), "short");
        assert_eq!(fit_to_width(font, "Παπαδόπουλος", 50.0, SIZE), "Παπαδόπουλος");
        for text in ["i".repeat(300), "W".repeat(100), "Ж".repeat(100), "Wiśniewski, Paweł Mikołaj ".repeat(5)] {
            for width in [3.0, 10.0, 20.0, 33.3] {
                let fitted = fit_to_width(font, &text, width, SIZE);
                assert!(fitted.ends_with(ELLIPSIS), "{fitted}");
                assert!(font.width_mm(&fitted, SIZE) <= width, "{fitted} overflows {width} mm");
                let kept = fitted.trim_end_matches(ELLIPSIS);
                let spaces = text.chars().skip(kept.chars().count()).take_while(|c| *c == ' ').count();
                let more: String = text.chars().take(kept.chars().count() + spaces + 1).collect();
                let longer = format!("{more}{ELLIPSIS}");
                assert!(font.width_mm(&longer, SIZE) > width, "{fitted:?} could keep more in {width} mm");
                assert!(text.starts_with(kept), "{fitted:?} is the start of the text");
            }
        }
        assert_eq!(fit_to_width(font, "WWWW", 0.5, SIZE), "", "not even … fits");
    }

    #[test]
    fn text_wider_than_four_billion_font_units_is_measured_without_overflow() {
        let fonts = Fonts::load().unwrap();
        let font = fonts.get(Face::Regular);
        let text = "W".repeat(2_500_000);
        assert!(font.units(&text) > u64::from(u32::MAX));
        assert!(fit_to_width(font, &text, 20.0, SIZE).ends_with(ELLIPSIS));
    }
}
