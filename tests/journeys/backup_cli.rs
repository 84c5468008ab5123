//! Backups from the command line, and what happens when things go wrong the hard way: the
//! process killed (SIGKILL) at many moments during a backup and during a restore, and a backup
//! folder that fills up. A backup killed midway never leaves a file that passes verification
//! under a backup's name; a restore killed midway leaves the old database or the new one, never
//! a mix; a full disk is a plain error, leaves nothing behind, and the database is untouched.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};

use chartkeep_tests::workspace_binary;
use chartkeep_vault::RecoveryKey;
use serde_json::Value;

const PASSWORD: &str = "backup journey owner password";

fn admin_command(data_dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(workspace_binary("chartkeep-admin"));
    command.arg("--data-dir").arg(data_dir).args(args);
    command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped());
    command
}

fn start(data_dir: &Path, args: &[&str], stdin: &str) -> Child {
    let mut child = admin_command(data_dir, args).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child
}

fn admin(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    let output = start(data_dir, args, stdin).wait_with_output().unwrap();
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|_| {
        panic!("not JSON: {} / {}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr))
    })
}

/// A practice with `patients` synthetic patients; returns its recovery key.
fn practice_with(data_dir: &Path, patients: u32) -> RecoveryKey {
    practice_and_vault_id(data_dir, patients).0
}

fn practice_and_vault_id(data_dir: &Path, patients: u32) -> (RecoveryKey, String) {
    let init = admin(
        data_dir,
        &[
            "--json",
            "init",
            "--practice",
            "Backup Journey Practice",
            "--owner-username",
            "owner",
            "--owner-name",
            "Bea Backup",
            "--password-stdin",
            "--without-second-factor-policy",
            "--owner-is-clinician",
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let created = json(&init);
    let key = created["recovery_key"].as_str().unwrap().to_owned();
    let vault_id = created["vault_id"].as_str().unwrap().to_owned();
    let seeded =
        admin(data_dir, &["seed", "--patients", &patients.to_string(), "--password-stdin"], &format!("{PASSWORD}\n"));
    assert!(seeded.status.success(), "{}", String::from_utf8_lossy(&seeded.stderr));
    (RecoveryKey::parse(&key), vault_id)
}

/// Patients in the practice, read through the vault with the owner's password.
fn patients_in(data_dir: &Path) -> i64 {
    let claim = chartkeep_vault::DataDir::at(data_dir).claim().unwrap();
    let vault = chartkeep_vault::unlock_with_password(
        &claim,
        &chartkeep_vault::OsKeyring,
        "owner",
        &chartkeep_vault::Password::new(PASSWORD),
    )
    .expect("the database opens");
    let count = vault.connection().query_row("SELECT count(*) FROM patients", [], |row| row.get(0)).unwrap();
    vault.lock().unwrap();
    count
}

fn backups_in(folder: &Path) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(folder).unwrap().flatten().map(|entry| entry.path()).collect();
    found.sort();
    found
}

/// A tmpfs of `megabytes` mounted at `path`, unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(path: &Path, megabytes: u32) -> SmallDisk {
        std::fs::create_dir_all(path).unwrap();
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={megabytes}m"), "chartkeep-test", path.to_str().unwrap()])
            .status()
            .expect("mount");
        assert!(mounted.success(), "mounting a small tmpfs needs root (CI runs as root)");
        SmallDisk(path.to_path_buf())
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_backup_disk_is_a_plain_error_that_leaves_nothing_and_changes_nothing() {
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("practice");
    let key = practice_with(&data_dir, 4_000);
    let database_size = std::fs::metadata(data_dir.join("chartkeep.db")).unwrap().len();
    let disk = SmallDisk::mount(&root.path().join("small-usb"), 1);
    assert!(database_size > 2 * 1024 * 1024, "the database ({database_size} bytes) must not fit");
    let before = patients_in(&data_dir);
    let full = admin(
        &data_dir,
        &["backup", "create", "--out", disk.0.to_str().unwrap(), "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert!(!full.status.success());
    let message = String::from_utf8_lossy(&full.stderr);
    assert!(message.contains("not enough free space"), "a plain reason: {message}");
    assert_eq!(message.lines().count(), 1, "one line: {message}");
    assert!(backups_in(&disk.0).is_empty(), "nothing left on the full disk");
    assert_eq!(patients_in(&data_dir), before, "the database is untouched");
    let verified = admin(&data_dir, &["audit", "verify", "--password-stdin"], &format!("{PASSWORD}\n"));
    assert!(verified.status.success());
    drop(key);
}

#[test]
fn a_backup_is_verified_with_the_password_or_the_key_and_restored_onto_a_new_pc() {
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("practice");
    let (key, vault_id) = practice_and_vault_id(&data_dir, 300);
    let folder = root.path().join("usb");
    std::fs::create_dir_all(&folder).unwrap();
    let made = admin(
        &data_dir,
        &["--json", "backup", "create", "--out", folder.to_str().unwrap(), "--password-stdin"],
        &format!("{PASSWORD}\n"),
    );
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let backup = json(&made)["path"].as_str().unwrap().to_owned();

    let with_password = admin(&data_dir, &["backup", "verify", &backup, "--password-stdin"], &format!("{PASSWORD}\n"));
    assert!(with_password.status.success(), "{}", String::from_utf8_lossy(&with_password.stderr));
    let elsewhere = root.path().join("elsewhere");
    let with_key = admin(
        &elsewhere,
        &["--json", "backup", "verify", &backup, "--recovery-key-stdin"],
        &format!("{}\n", key.expose()),
    );
    assert!(with_key.status.success(), "{}", String::from_utf8_lossy(&with_key.stderr));
    assert_eq!(json(&with_key)["checks"].as_array().unwrap().len(), 7);
    let mut bytes = std::fs::read(&backup).unwrap();
    let last = bytes.len() - 100;
    bytes[last] ^= 0x01;
    let damaged = root.path().join("damaged.ckbackup");
    std::fs::write(&damaged, bytes).unwrap();
    let refused = admin(
        &elsewhere,
        &["backup", "verify", damaged.to_str().unwrap(), "--recovery-key-stdin"],
        &format!("{}\n", key.expose()),
    );
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("failed its verification"));

    // The old PC is gone, keyring and all; a new PC has the backup and the recovery key.
    chartkeep_vault::DeviceSecretStore::delete(&chartkeep_vault::OsKeyring, &vault_id).unwrap();
    let new_pc = root.path().join("new-pc");
    let new_password = "the owner's password on the new PC";
    let restored = admin(
        &new_pc,
        &["--json", "backup", "restore", &backup, "--recovery-key-stdin"],
        &format!("{}\n{new_password}\n", key.expose()),
    );
    assert!(restored.status.success(), "{}", String::from_utf8_lossy(&restored.stderr));
    assert_eq!(json(&restored)["where"], "new_pc");
    let status = admin(&new_pc, &["--json", "status", "--password-stdin"], &format!("{new_password}\n"));
    assert!(status.status.success(), "{}", String::from_utf8_lossy(&status.stderr));
    let verified = admin(&new_pc, &["audit", "verify", "--password-stdin"], &format!("{new_password}\n"));
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
    let _ = chartkeep_vault::DeviceSecretStore::delete(&chartkeep_vault::OsKeyring, &vault_id);
}
