//! The system's save dialog, opened by Rust. A file Chartkeep writes for a person goes where they
//! chose in that dialog (which asks before it lets them pick an existing file), never to a path
//! the page sent: a page that misbehaved could otherwise write over any file. The core confines
//! the choice further (never in the data folder, never over a link; see `export_file.rs`).

use chartkeep_clinic::ExportDestination;
use tauri_plugin_dialog::DialogExt;

/// What the dialog shows.
#[derive(Debug, Clone, Copy)]
pub struct SaveDialog<'a> {
    pub title: &'a str,
    /// The file name offered (the page's suggestion, reduced to a plain name).
    pub suggested_name: &'a str,
    pub kind: &'a str,
    pub extension: &'a str,
}

/// A file name alone: no folder, no path separators, no leading dots.
fn plain_name(suggested: &str, extension: &str) -> String {
    let name: String = suggested
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|character| !character.is_control())
        .collect();
    let name = name.trim().trim_start_matches('.');
    if name.is_empty() { format!("chartkeep.{extension}") } else { name.to_owned() }
}

/// Asks where to save; `None` when the person closed the dialog without choosing.
pub fn ask_where_to_save(app: &tauri::AppHandle, dialog: SaveDialog<'_>) -> Option<ExportDestination> {
    let chosen = app
        .dialog()
        .file()
        .set_title(dialog.title)
        .set_file_name(plain_name(dialog.suggested_name, dialog.extension))
        .add_filter(dialog.kind, &[dialog.extension])
        .blocking_save_file()?;
    chosen.into_path().ok().map(ExportDestination::chosen_in_save_dialog)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suggested_name_is_reduced_to_a_plain_file_name() {
        assert_eq!(plain_name("audit-2026-12-04.csv", "csv"), "audit-2026-12-04.csv");
        assert_eq!(plain_name("/home/someone/.local/share/Chartkeep/keyslots.json", "pdf"), "keyslots.json");
        assert_eq!(plain_name("..\\..\\evil.pdf", "pdf"), "evil.pdf");
        assert_eq!(plain_name("../", "pdf"), "chartkeep.pdf");
        assert_eq!(plain_name(".hidden", "pdf"), "hidden");
    }
}
