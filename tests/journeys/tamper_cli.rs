//! The attacks on a practice's files, tried with the real `chartkeep-admin` as someone who can
//! reach the data folder would: a database rolled back to an older copy (after closed sessions,
//! or after a session killed with SIGKILL before it could lock), and what `audit verify` says
//! about it, as text and as JSON, with its exit status.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chartkeep_tests::workspace_binary;
use serde_json::Value;

const PASSWORD: &str = "tamper cli owner password";

fn admin_with(data_dir: &Path, args: &[&str], stdin: &str, failpoint: Option<&str>) -> Output {
    let mut command = Command::new(workspace_binary("chartkeep-admin"));
    command.arg("--data-dir").arg(data_dir).args(args);
    if let Some(point) = failpoint {
        command.env("CHARTKEEP_FAILPOINT", point);
    }
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    output
}

fn admin(data_dir: &Path, args: &[&str]) -> Output {
    admin_with(data_dir, args, &format!("{PASSWORD}\n"), None)
}

fn set_up(folder: &Path) -> PathBuf {
    let data_dir = folder.join("practice");
    let args = [
        "init",
        "--practice",
        "Tamper Test Clinic",
        "--owner-username",
        "owner",
        "--owner-name",
        "Ola Owner",
        "--password-stdin",
        "--without-second-factor-policy",
    ];
    let output = admin(&data_dir, &args);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    data_dir
}

/// Copies the database aside (it is closed: the CLI's sessions end with a log-out).
fn copy_database(data_dir: &Path, to: &Path) {
    std::fs::copy(data_dir.join("chartkeep.db"), to).unwrap();
}

/// Puts an older copy back, as someone with the files would.
fn put_back(data_dir: &Path, copy: &Path) {
    for side in ["chartkeep.db-wal", "chartkeep.db-shm"] {
        let _ = std::fs::remove_file(data_dir.join(side));
    }
    std::fs::copy(copy, data_dir.join("chartkeep.db")).unwrap();
}

fn verify(data_dir: &Path) -> (Output, Output) {
    let text = admin(data_dir, &["audit", "verify", "--password-stdin"]);
    let json = admin(data_dir, &["--json", "audit", "verify", "--password-stdin"]);
    (text, json)
}

fn alert_kinds(json: &Output) -> Vec<String> {
    let value: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["ok"], false);
    assert_eq!(value["code"], "integrity_alerts");
    value["alerts"].as_array().unwrap().iter().map(|alert| alert["kind"].as_str().unwrap().to_owned()).collect()
}

#[test]
fn audit_verify_fails_while_an_integrity_alert_stands_after_a_rollback() {
    let folder = tempfile::tempdir().unwrap();
    let data_dir = set_up(folder.path());
    let older = folder.path().join("older.db");
    copy_database(&data_dir, &older);
    for _ in 0..3 {
        let status = admin(&data_dir, &["status", "--password-stdin"]);
        assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    }
    let (text, json) = verify(&data_dir);
    assert!(text.status.success() && json.status.success(), "nothing to report yet");
    put_back(&data_dir, &older);

    let (text, json) = verify(&data_dir);
    assert!(!text.status.success(), "a rolled-back database is not 'ok'");
    let said = String::from_utf8_lossy(&text.stderr);
    assert!(said.contains("chain_shorter_than_anchor"), "the alert is named: {said}");
    assert!(!json.status.success());
    assert_eq!(alert_kinds(&json), ["chain_shorter_than_anchor"]);
    // It keeps failing until someone acknowledges the alert in the audit view.
    let (again, _) = verify(&data_dir);
    assert!(!again.status.success());
}

#[test]
fn a_session_killed_after_sign_in_and_a_copy_from_before_it_raise_an_alert() {
    let folder = tempfile::tempdir().unwrap();
    let data_dir = set_up(folder.path());
    let before = folder.path().join("before-the-session.db");
    copy_database(&data_dir, &before);
    // The CLI signs in, anchors the chain, and is killed with SIGKILL right there: no lock, no
    // log-out, no anchor on the way out.
    let killed =
        admin_with(&data_dir, &["status", "--password-stdin"], &format!("{PASSWORD}\n"), Some("sign-in.anchored"));
    use std::os::unix::process::ExitStatusExt;
    assert_eq!(killed.status.signal(), Some(9), "the failpoint was reached and the process killed");
    put_back(&data_dir, &before);

    let (text, json) = verify(&data_dir);
    assert!(!text.status.success());
    assert_eq!(alert_kinds(&json), ["chain_shorter_than_anchor"]);
}
