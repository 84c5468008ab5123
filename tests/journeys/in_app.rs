//! Shared steps of the end-to-end tests of the real app: launching it on a private data folder
//! with a private HOME and TMPDIR, screenshots and reports.

use std::path::{Path, PathBuf};

use chartkeep_tests::leak_check::PrivateHome;
use chartkeep_tests::webdriver::Browser;
use chartkeep_tests::workspace_binary;

pub fn screenshots() -> PathBuf {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots");
    std::fs::create_dir_all(&folder).unwrap();
    folder
}

#[allow(clippy::print_stderr)]
pub fn report(test: &str, line: &str) {
    eprintln!("{test}: {line}");
}

/// Launches the app on `data_dir` with `temp` (the test's `root/tmp`) as its TMPDIR and a
/// private HOME beside it (`root/home`, see [`private_home`]).
pub fn launch_app(data_dir: &Path, temp: &Path) -> Browser {
    launch_app_with(data_dir, temp, &[])
}

/// The private HOME and TMPDIR of the app launched with `temp`: the webview's data and caches,
/// the file chooser's recent files and anything else the app keeps below HOME land there.
pub fn private_home(temp: &Path) -> PrivateHome {
    let private = PrivateHome::below(temp.parent().expect("the test's temporary folder"));
    assert_eq!(private.tmp, temp, "the app's TMPDIR is the test's root/tmp");
    private
}

/// Launches the app with further environment variables.
pub fn launch_app_with(data_dir: &Path, temp: &Path, more: &[(&str, &Path)]) -> Browser {
    let private = private_home(temp).env();
    let mut env = vec![("CHARTKEEP_DATA_DIR", data_dir), ("CHARTKEEP_LOG", Path::new("debug"))];
    env.extend(private.iter().map(|(key, value)| (*key, value.as_path())));
    env.extend_from_slice(more);
    Browser::launch(&workspace_binary("chartkeep"), &env)
}

/// A code from an authenticator app holding `secret_base32`, `offset_seconds` from now.
pub fn authenticator_code(secret_base32: &str, offset_seconds: i64) -> String {
    let secret = totp_rs::Secret::try_from_base32(secret_base32.trim()).unwrap();
    let totp = totp_rs::Builder::new().with_secret(secret).build().unwrap();
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    totp.generate(now.saturating_add_signed(offset_seconds)).to_string()
}
