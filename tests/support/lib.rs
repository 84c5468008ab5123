//! Shared support for the cross-crate journeys: the workspace's binaries, a canary scanner with
//! canary patients and the scan at a test's end, a small W3C WebDriver client for end-to-end
//! tests of the real app, and layout checks of its pages.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::print_stderr)]

pub mod canary;
pub mod canary_patient;
pub mod layout;
pub mod leak_check;
pub mod native_dialog;
pub mod webdriver;

use std::path::PathBuf;

/// The path of a release binary, built as shipped (`cargo build --release -p chartkeep`, no
/// test features; `make test` builds it): from `CHARTKEEP_RELEASE_BIN_DIR`, or the target
/// folder's `release`.
pub fn release_binary(name: &str) -> PathBuf {
    let folder = std::env::var_os("CHARTKEEP_RELEASE_BIN_DIR").map(PathBuf::from).unwrap_or_else(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
        target.join("release")
    });
    let path = folder.join(name);
    assert!(path.exists(), "{} is missing: build it first (`cargo build --release -p chartkeep`)", path.display());
    path
}

/// The path of a binary built from this workspace (`make test` builds them before the tests).
pub fn workspace_binary(name: &str) -> PathBuf {
    let folder = std::env::var_os("CHARTKEEP_BIN_DIR").map(PathBuf::from).unwrap_or_else(|| {
        let target = std::env::var_os("CARGO_TARGET_DIR")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"));
        target.join("debug")
    });
    let path = folder.join(name);
    assert!(
        path.exists(),
        "{} is missing: build it first (`cargo build -p chartkeep -p chartkeep-admin`; `make test` does)",
        path.display()
    );
    path
}
