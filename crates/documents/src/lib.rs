//! Printable documents made with printpdf: the Recovery Kit, and paged table reports (audit
//! exports, access reports, patient summaries). Text is printed exactly as typed, in DejaVu Sans
//! (bundled, see `fonts/LICENSE`), embedded as a subset holding only the glyphs a document uses.
//! Characters the font lacks (Chinese, Japanese, Korean, among others) are printed as □, and the
//! document then says so near its top.

mod canvas;
mod embed;
mod fonts;
mod metrics;
mod pdf_file;
mod recovery_kit;
mod table_layout;
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
