//! Printable documents made with printpdf, using only the built-in PDF fonts so no font files
//! are needed. Today: the Recovery Kit. Later capabilities add their reports here.

mod recovery_kit;

pub use recovery_kit::{RecoveryKit, render_recovery_kit_pdf};

#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    #[error("The PDF could not be made: {0}")]
    Pdf(String),
}
