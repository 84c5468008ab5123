//! Where a test's programs may keep files, and the scan at a test's end of every place a
//! patient's data could be left: the test's own folder (the data folder with its logs, the
//! programs' TMPDIR, the private HOME with the webview's data and caches and the file chooser's
//! recent files), the system's /tmp, /var/tmp and /dev/shm, and the private keyring's folder.

use std::path::{Path, PathBuf};
use std::time::SystemTime;

use crate::canary::{Canary, ScanReport, Scanner};

/// A private HOME and TMPDIR below a test's temporary folder, for the programs it starts.
#[derive(Debug, Clone)]
pub struct PrivateHome {
    pub home: PathBuf,
    pub tmp: PathBuf,
}

impl PrivateHome {
    /// Makes `root/home` (with its XDG folders) and `root/tmp`.
    pub fn below(root: &Path) -> PrivateHome {
        let home = root.join("home");
        let tmp = root.join("tmp");
        for folder in [".cache", ".local/share", ".local/state", ".config", ".runtime"] {
            std::fs::create_dir_all(home.join(folder)).unwrap();
        }
        std::fs::create_dir_all(&tmp).unwrap();
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(home.join(".runtime"), std::fs::Permissions::from_mode(0o700)).unwrap();
        PrivateHome { home, tmp }
    }

    /// The environment that sends a program's own files there.
    pub fn env(&self) -> Vec<(&'static str, PathBuf)> {
        vec![
            ("HOME", self.home.clone()),
            ("XDG_CACHE_HOME", self.home.join(".cache")),
            ("XDG_DATA_HOME", self.home.join(".local/share")),
            ("XDG_STATE_HOME", self.home.join(".local/state")),
            ("XDG_CONFIG_HOME", self.home.join(".config")),
            ("XDG_RUNTIME_DIR", self.home.join(".runtime")),
            ("TMPDIR", self.tmp.clone()),
        ]
    }

    /// Applies [`PrivateHome::env`] to a command.
    pub fn apply(&self, command: &mut std::process::Command) {
        for (key, value) in self.env() {
            command.env(key, value);
        }
    }
}

/// The folders every test scans besides its own: the system's temporary folders, and the HOME
/// of `scripts/with-private-keyring` (the keyring daemon's files, dconf) when the tests run
/// inside it; a person's own HOME is never scanned.
pub fn shared_roots() -> Vec<PathBuf> {
    let mut roots = vec![PathBuf::from("/tmp"), PathBuf::from("/var/tmp"), PathBuf::from("/dev/shm")];
    if std::env::var("CHARTKEEP_PRIVATE_KEYRING").as_deref() == Ok("1") {
        roots.extend(std::env::var_os("HOME").map(PathBuf::from));
        roots.extend(std::env::var_os("XDG_DATA_HOME").map(|data| PathBuf::from(data).join("keyrings")));
    }
    roots
}

/// Scans the test's own folders and the shared ones for `canaries`; files whose status did not
/// change since `since`, before the canaries were made, are not read. `excluded` are the files
/// the user saved on purpose and the test's own input.
///
/// The test's own folders are scanned for every canary, and a file there that cannot be read
/// fails the scan. The shared folders (other tests and other people's programs write there at
/// the same time) are scanned for the canaries unique to this run only (not for
/// [`Canary::local`] ones, which another test could write too), and a file there that this user
/// neither owns nor may read is listed as not scanned: the programs a test starts run as this
/// user, so they cannot have made it.
pub fn scan_for_leaks(canaries: &[Canary], since: SystemTime, own: &[&Path], excluded: &[&Path]) -> ScanReport {
    let mut report = Scanner::new(canaries).excluding(excluded).changed_since(since).scan(own);
    let unique: Vec<Canary> = canaries.iter().filter(|canary| !canary.local).cloned().collect();
    let shared = shared_roots();
    let shared: Vec<&Path> = shared.iter().map(PathBuf::as_path).collect();
    let others = Scanner::new(&unique)
        .excluding(excluded)
        .skipping(own)
        .changed_since(since)
        .allowing_others_unreadable()
        .scan(&shared);
    report.merge(others);
    report
}

/// [`scan_for_leaks`], failing the test with every finding and every file it could not read.
pub fn assert_nothing_leaked(canaries: &[Canary], since: SystemTime, own: &[&Path], excluded: &[&Path]) -> ScanReport {
    let report = scan_for_leaks(canaries, since, own, excluded);
    assert!(report.is_clean(), "canaries found or files unreadable:\n{}\n({})", report.problems(), report.figures());
    report
}
