//! The Recovery Kit: one A4 page the practice owner prints and locks away. It holds the recovery
//! key, which (with a copy of the data) opens every record, so it is made in memory and written
//! only where the owner chooses.

use printpdf::path::PaintMode;
use printpdf::{BuiltinFont, Color, IndirectFontRef, Mm, PdfDocument, PdfLayerReference, Rect, Rgb};

use crate::DocumentError;

pub struct RecoveryKit<'a> {
    pub practice_name: &'a str,
    pub vault_id: &'a str,
    pub recovery_key: &'a str,
    pub created_at: time::OffsetDateTime,
}

impl std::fmt::Debug for RecoveryKit<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RecoveryKit")
            .field("practice_name", &"[redacted]")
            .field("vault_id", &self.vault_id)
            .field("recovery_key", &"[redacted]")
            .finish()
    }
}

const KEY_PREFIX: &str = "AGE-SECRET-KEY-1";
const TEAL: (f32, f32, f32) = (0.059, 0.322, 0.341);

const INSTRUCTIONS: [&str; 8] = [
    "This key opens the practice's encrypted records when this PC's keyring is lost,",
    "when the owner's password is forgotten, and when backups are restored onto a new PC.",
    "",
    "Keep this page locked away, for example in the practice safe. Never store the key",
    "on the clinic PC, in email or in a photo. Anyone who holds this key together with a",
    "copy of the practice's data can read every record.",
    "",
    "If this page is lost or may have been seen, ask for a new recovery key to be issued.",
];

fn pdf_error(error: impl std::fmt::Display) -> DocumentError {
    DocumentError::Pdf(error.to_string())
}

/// The practice name as the built-in fonts can show it, at most `max_chars` long.
fn printable(text: &str, max_chars: usize) -> String {
    let shown = crate::text::printable(text);
    if shown.chars().count() <= max_chars {
        return shown;
    }
    format!("{}...", shown.chars().take(max_chars).collect::<String>())
}

/// The key as lines for copying by hand: the prefix, then groups of four, five groups a line.
fn key_lines(key: &str) -> Vec<String> {
    let rest = key.strip_prefix(KEY_PREFIX).unwrap_or(key);
    let groups: Vec<String> =
        rest.chars().collect::<Vec<_>>().chunks(4).map(|group| group.iter().collect::<String>()).collect();
    let mut lines = vec![KEY_PREFIX.to_owned()];
    lines.extend(groups.chunks(5).map(|line| line.join(" ")));
    lines
}

fn set_color(layer: &PdfLayerReference, (r, g, b): (f32, f32, f32)) {
    layer.set_fill_color(Color::Rgb(Rgb::new(r, g, b, None)));
    layer.set_outline_color(Color::Rgb(Rgb::new(r, g, b, None)));
}

pub fn render_recovery_kit_pdf(kit: &RecoveryKit<'_>) -> Result<Vec<u8>, DocumentError> {
    let (document, page, layer) = PdfDocument::new("Chartkeep Recovery Kit", Mm(210.0), Mm(297.0), "Kit");
    let layer = document.get_page(page).get_layer(layer);
    let regular: IndirectFontRef = document.add_builtin_font(BuiltinFont::Helvetica).map_err(pdf_error)?;
    let bold = document.add_builtin_font(BuiltinFont::HelveticaBold).map_err(pdf_error)?;
    let mono = document.add_builtin_font(BuiltinFont::Courier).map_err(pdf_error)?;
    let mono_bold = document.add_builtin_font(BuiltinFont::CourierBold).map_err(pdf_error)?;

    set_color(&layer, TEAL);
    layer.add_rect(Rect::new(Mm(0.0), Mm(262.0), Mm(210.0), Mm(297.0)).with_mode(PaintMode::Fill));
    set_color(&layer, (1.0, 1.0, 1.0));
    layer.use_text("Chartkeep Recovery Kit", 24.0, Mm(20.0), Mm(278.0), &bold);
    layer.use_text(
        "Print this page and keep it somewhere safe, away from the clinic PC.",
        11.0,
        Mm(20.0),
        Mm(268.0),
        &regular,
    );

    set_color(&layer, (0.0, 0.0, 0.0));
    let created = format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        kit.created_at.year(),
        u8::from(kit.created_at.month()),
        kit.created_at.day(),
        kit.created_at.hour(),
        kit.created_at.minute()
    );
    let facts =
        [("Practice", printable(kit.practice_name, 70)), ("Vault", kit.vault_id.to_owned()), ("Created", created)];
    for (index, (label, value)) in facts.iter().enumerate() {
        let y = 246.0 - 10.0 * index as f32;
        layer.use_text(*label, 10.0, Mm(20.0), Mm(y), &bold);
        layer.use_text(value.as_str(), 12.0, Mm(45.0), Mm(y), &regular);
    }

    set_color(&layer, TEAL);
    layer.set_outline_thickness(1.2);
    layer.add_rect(Rect::new(Mm(15.0), Mm(150.0), Mm(195.0), Mm(208.0)).with_mode(PaintMode::Stroke));
    layer.use_text("Recovery key", 11.0, Mm(20.0), Mm(200.0), &bold);
    set_color(&layer, (0.0, 0.0, 0.0));
    for (index, line) in key_lines(kit.recovery_key).iter().enumerate() {
        layer.use_text(line.as_str(), 16.0, Mm(20.0), Mm(190.0 - 8.5 * index as f32), &mono_bold);
    }
    layer.use_text("As one line:", 8.0, Mm(20.0), Mm(154.0), &regular);
    layer.use_text(kit.recovery_key, 8.0, Mm(40.0), Mm(154.0), &mono);

    for (index, line) in INSTRUCTIONS.iter().enumerate() {
        layer.use_text(*line, 11.0, Mm(20.0), Mm(136.0 - 6.5 * index as f32), &regular);
    }

    layer.use_text(
        "Where this kit is kept: ______________________________________________",
        11.0,
        Mm(20.0),
        Mm(62.0),
        &regular,
    );
    layer.use_text(
        "Checked by: ____________________________   Date: ________________",
        11.0,
        Mm(20.0),
        Mm(48.0),
        &regular,
    );
    set_color(&layer, (0.35, 0.35, 0.35));
    layer.use_text(
        "Chartkeep keeps no copy of this key. Without it, a lost keyring cannot be recovered.",
        9.0,
        Mm(20.0),
        Mm(20.0),
        &regular,
    );

    document.save_to_bytes().map_err(pdf_error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_split_into_groups_of_four_after_its_prefix() {
        let key = format!("{KEY_PREFIX}{}", "ABCD".repeat(14) + "EF");
        let lines = key_lines(&key);
        assert_eq!(lines[0], KEY_PREFIX);
        assert_eq!(lines[1], "ABCD ABCD ABCD ABCD ABCD");
        assert_eq!(lines.last().map(String::as_str), Some("ABCD ABCD ABCD ABCD EF"));
        assert_eq!(lines[1..].join("").replace(' ', ""), key[KEY_PREFIX.len()..]);
    }

    #[test]
    fn text_outside_the_built_in_fonts_is_transliterated_not_dropped() {
        assert_eq!(printable("Praxis Müller 医院", 70), "Praxis Müller Yi Yuan ");
        assert_eq!(printable("abcdef", 3), "abc...");
    }

    #[test]
    fn debug_output_hides_the_key() {
        let kit = RecoveryKit {
            practice_name: "P",
            vault_id: "v",
            recovery_key: "AGE-SECRET-KEY-1SECRET",
            created_at: time::OffsetDateTime::UNIX_EPOCH,
        };
        assert!(!format!("{kit:?}").contains("SECRET-KEY-1SECRET"));
    }
}
