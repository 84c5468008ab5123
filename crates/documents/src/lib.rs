//! Printable documents made with printpdf, using only the built-in PDF fonts so no font files
//! are needed: the Recovery Kit, and paged table reports (audit exports, access reports).

mod recovery_kit;
mod table_report;
mod text;

pub use recovery_kit::{RecoveryKit, render_recovery_kit_pdf};
pub use table_report::{Column, Orientation, ReportSection, TableReport, TextBlock, render_table_report_pdf};
pub use text::printable;

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("The PDF could not be made: {0}")]
    Pdf(String),
}
