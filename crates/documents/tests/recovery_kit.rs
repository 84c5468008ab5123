//! The Recovery Kit PDF, read back with pdftotext (poppler-utils, installed by `make test`).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chartkeep_documents::{RecoveryKit, render_recovery_kit_pdf};

const KEY: &str = "AGE-SECRET-KEY-1QYZ7XW3V4K5N6M8P9R0S2T3U4V5W6X7Y8Z9A0C2D3E4F5G6H7J8K9L0M2N";

#[test]
fn the_kit_names_the_practice_and_vault_and_holds_the_whole_key() {
    let kit = RecoveryKit {
        practice_name: "Riverside Family Practice",
        vault_id: "3f2b9c1e-8d4a-4b6f-9e21-0c5d7a8b9f10",
        recovery_key: KEY,
        created_at: time::macros::datetime!(2026-11-25 09:30 UTC),
    };
    let pdf = render_recovery_kit_pdf(&kit).unwrap();
    assert!(pdf.starts_with(b"%PDF"));
    let folder = tempfile::tempdir().unwrap();
    let path = folder.path().join("kit.pdf");
    std::fs::write(&path, &pdf).unwrap();
    let output = std::process::Command::new("pdftotext").arg(&path).arg("-").output().expect("pdftotext is installed");
    let text = String::from_utf8_lossy(&output.stdout);
    for expected in ["Chartkeep Recovery Kit", "Riverside Family Practice", kit.vault_id, KEY, "2026-11-25 09:30 UTC"] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}
