//! The Recovery Kit: one A4 page the practice owner prints and locks away. It holds the recovery
//! key, which (with a copy of the data) opens every record, so it is made in memory and written
//! only where the owner chooses.

use crate::DocumentError;
use crate::canvas::{BLACK, Canvas, GREY, TEAL, WARNING, WHITE};
use crate::fonts::{Face, Fonts};
use crate::metrics::{fit_to_width, wrap};

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
const LEFT: f32 = 20.0;
/// The width text takes on the page, from `LEFT` to 20 mm from the right edge.
const TEXT_WIDTH: f32 = 170.0;

const INSTRUCTIONS: [&str; 3] = [
    "This key opens the practice's encrypted records when this PC's keyring is lost, when the owner's \
     password is forgotten, and when backups are restored onto a new PC.",
    "Keep this page locked away, for example in the practice safe. Never store the key on the clinic PC, in \
     email or in a photo. Anyone who holds this key together with a copy of the practice's data can read \
     every record.",
    "If this page is lost or may have been seen, ask for a new recovery key to be issued.",
];

/// Printed under the facts when the practice name has characters the font cannot show.
const MARKED_NOTE: &str = "The practice name has characters this font cannot show; each is printed as \u{25A1}. \
                           The name is stored in full in Chartkeep.";

/// The key as lines for copying by hand: the prefix, then groups of four, five groups a line.
fn key_lines(key: &str) -> Vec<String> {
    let rest = key.strip_prefix(KEY_PREFIX).unwrap_or(key);
    let groups: Vec<String> =
        rest.chars().collect::<Vec<_>>().chunks(4).map(|group| group.iter().collect::<String>()).collect();
    let mut lines = vec![KEY_PREFIX.to_owned()];
    lines.extend(groups.chunks(5).map(|line| line.join(" ")));
    lines
}

/// The kit's page; with `note`, it says that characters are printed as □.
fn draw<'f>(kit: &RecoveryKit<'_>, fonts: &'f Fonts, note: bool) -> Canvas<'f> {
    let mut page = Canvas::new(fonts, 210.0, 297.0);
    let regular = fonts.get(Face::Regular);

    page.color(TEAL);
    page.fill_rect(0.0, 262.0, 210.0, 297.0);
    page.color(WHITE);
    page.text(Face::Bold, 24.0, LEFT, 278.0, "Chartkeep Recovery Kit");
    let subtitle = "Print this page and keep it somewhere safe, away from the clinic PC.";
    page.text(Face::Regular, 11.0, LEFT, 268.0, &fit_to_width(regular, subtitle, TEXT_WIDTH, 11.0));

    page.color(BLACK);
    let created = format!(
        "{:04}-{:02}-{:02} {:02}:{:02} UTC",
        kit.created_at.year(),
        u8::from(kit.created_at.month()),
        kit.created_at.day(),
        kit.created_at.hour(),
        kit.created_at.minute()
    );
    let facts = [("Practice", kit.practice_name), ("Vault", kit.vault_id), ("Created", created.as_str())];
    for (index, (label, value)) in facts.iter().enumerate() {
        let y = 246.0 - 10.0 * index as f32;
        page.text(Face::Bold, 10.0, LEFT, y, label);
        page.text(Face::Regular, 12.0, 45.0, y, &fit_to_width(regular, value, TEXT_WIDTH + LEFT - 45.0, 12.0));
    }
    if note {
        page.color(WARNING);
        for (index, line) in wrap(fonts.get(Face::Bold), MARKED_NOTE, TEXT_WIDTH, 9.0).iter().enumerate() {
            page.text(Face::Bold, 9.0, LEFT, 218.5 - 4.2 * index as f32, line);
        }
    }

    page.color(TEAL);
    page.stroke_rect(15.0, 150.0, 195.0, 208.0, 1.2);
    page.text(Face::Bold, 11.0, LEFT, 200.0, "Recovery key");
    page.color(BLACK);
    for (index, line) in key_lines(kit.recovery_key).iter().enumerate() {
        page.text(Face::Mono, 16.0, LEFT, 190.0 - 8.5 * index as f32, line);
    }
    page.text(Face::Regular, 8.0, LEFT, 154.0, "As one line:");
    page.text(Face::Mono, 8.0, 40.0, 154.0, kit.recovery_key);

    let mut y = 136.0;
    for paragraph in INSTRUCTIONS {
        for line in wrap(regular, paragraph, TEXT_WIDTH, 11.0) {
            page.text(Face::Regular, 11.0, LEFT, y, &line);
            y -= 6.0;
        }
        y -= 4.0;
    }

    let kept = "Where this kit is kept: ______________________________________________";
    page.text(Face::Regular, 11.0, LEFT, 62.0, &fit_to_width(regular, kept, TEXT_WIDTH, 11.0));
    let checked = "Checked by: ____________________________   Date: ________________";
    page.text(Face::Regular, 11.0, LEFT, 48.0, &fit_to_width(regular, checked, TEXT_WIDTH, 11.0));
    page.color(GREY);
    let warning = "Chartkeep keeps no copy of this key. Without it, a lost keyring cannot be recovered.";
    page.text(Face::Regular, 9.0, LEFT, 20.0, &fit_to_width(regular, warning, TEXT_WIDTH, 9.0));
    page
}

pub fn render_recovery_kit_pdf(kit: &RecoveryKit<'_>) -> Result<Vec<u8>, DocumentError> {
    let fonts = Fonts::load()?;
    let page = draw(kit, &fonts, false);
    let page = if page.marked() { draw(kit, &fonts, true) } else { page };
    page.finish("Chartkeep Recovery Kit")
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
