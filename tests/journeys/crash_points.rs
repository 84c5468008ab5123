//! `chartkeep-admin` killed with SIGKILL at every named failpoint its work passes: a backup, a
//! restore in place, a restore onto a new PC, a rotation of the database key, and an import. A
//! clean run first records the points it passes (`CHARTKEEP_FAILPOINT_LOG`); then the same work
//! runs again on a fresh copy of the practice once per point, killed right there
//! (`CHARTKEEP_FAILPOINT=<name>#<n>`). After each kill: the process died of SIGKILL at the point
//! (so the point was reached), the database is the old one or the new one and never a mix, it
//! passes SQLCipher's page check and SQLite's integrity check, a backup file is there only when it
//! is whole, and `audit verify` passes: the anchor neither raises a false alert nor misses one.

use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use chartkeep_tests::workspace_binary;
use chartkeep_vault::{DeviceSecretStore, KeyringEntry, OsKeyring, Password, RecoveryKey};

const PASSWORD: &str = "crash points owner password";

fn admin(data_dir: &Path, args: &[&str], stdin: &str, failpoint: Option<&str>, log: Option<&Path>) -> Output {
    let mut command = Command::new(workspace_binary("chartkeep-admin"));
    command.arg("--data-dir").arg(data_dir).args(args);
    if let Some(point) = failpoint {
        command.env("CHARTKEEP_FAILPOINT", point);
    }
    if let Some(log) = log {
        command.env("CHARTKEEP_FAILPOINT_LOG", log);
    }
    let mut child = command.stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(
        !String::from_utf8_lossy(&output.stderr).contains("panicked"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

fn succeeded(output: &Output, what: &str) {
    assert!(output.status.success(), "{what}: {}", String::from_utf8_lossy(&output.stderr));
}

fn copy_folder(from: &Path, to: &Path) {
    let _ = std::fs::remove_dir_all(to);
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_folder(&entry.path(), &target);
        } else if entry.file_name() != "chartkeep.lock" {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A practice as it stood before the work: its files and its keyring entry (the keyring entry
/// is the practice's too: the anchor, the key slots' generation).
struct Practice {
    files: PathBuf,
    vault_id: String,
    entry: KeyringEntry,
    recovery_key: String,
}

impl Practice {
    fn set_up(folder: &Path, name: &str, patients: u32) -> Practice {
        let data_dir = folder.join(name);
        let args = [
            "--json",
            "init",
            "--practice",
            "Crash Points Clinic",
            "--owner-username",
            "owner",
            "--owner-name",
            "Oda Owner",
            "--password-stdin",
            "--without-second-factor-policy",
        ];
        let output = admin(&data_dir, &args, &format!("{PASSWORD}\n"), None, None);
        succeeded(&output, "init");
        let created: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        if patients > 0 {
            let seeded = admin(
                &data_dir,
                &["seed", "--patients", &patients.to_string(), "--password-stdin"],
                &format!("{PASSWORD}\n"),
                None,
                None,
            );
            succeeded(&seeded, "seed");
        }
        let vault_id = created["vault_id"].as_str().unwrap().to_owned();
        let entry = OsKeyring.read(&vault_id).unwrap().unwrap();
        Practice {
            files: data_dir,
            vault_id,
            entry,
            recovery_key: created["recovery_key"].as_str().unwrap().to_owned(),
        }
    }

    /// The practice as it stood, at `at` (its keyring entry put back too).
    fn fresh_copy(&self, at: &Path) {
        copy_folder(&self.files, at);
        OsKeyring.write(&self.vault_id, &self.entry).unwrap();
    }
}

fn patients_in(data_dir: &Path) -> i64 {
    let claim = chartkeep_vault::DataDir::at(data_dir).claim().unwrap();
    let vault = chartkeep_vault::unlock_with_password(&claim, &OsKeyring, "owner", &Password::new(PASSWORD)).unwrap();
    vault.connection().query_row("SELECT count(*) FROM patients", [], |row| row.get(0)).unwrap()
}

/// SQLCipher's page check and SQLite's own integrity check, on the database as it is.
fn database_is_sound(data_dir: &Path) {
    let claim = chartkeep_vault::DataDir::at(data_dir).claim().unwrap();
    let vault = chartkeep_vault::unlock_with_password(&claim, &OsKeyring, "owner", &Password::new(PASSWORD))
        .unwrap_or_else(|error| panic!("the database opens after the kill: {error}"));
    let problems = vault.integrity_problems();
    assert!(problems.is_empty(), "every page passes its HMAC and the structure is sound: {problems:?}");
}

fn audit_verifies(data_dir: &Path) {
    let output =
        admin(data_dir, &["--json", "audit", "verify", "--password-stdin"], &format!("{PASSWORD}\n"), None, None);
    assert!(output.status.success(), "no alert, the chain verifies: {}", String::from_utf8_lossy(&output.stdout));
}

/// The points a clean run of `args` passes, each as `name#n` (its n-th pass), in order.
fn points_passed(practice: &Practice, scratch: &Path, args: &[&str], stdin: &str) -> Vec<String> {
    let data_dir = scratch.join("clean-run");
    practice.fresh_copy(&data_dir);
    let log = scratch.join("points.log");
    let _ = std::fs::remove_file(&log);
    succeeded(&admin(&data_dir, args, stdin, None, Some(&log)), "the clean run");
    let mut seen: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
    std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(|name| {
            let count = seen.entry(name.to_owned()).or_default();
            *count += 1;
            format!("{name}#{count}")
        })
        .collect()
}

/// Runs `args` on a fresh copy once per point it passes, killed there, and checks the state.
fn kill_at_every_point(
    practice: &Practice,
    scratch: &Path,
    args: &[&str],
    stdin: &str,
    check: &dyn Fn(&Path, &str),
) -> usize {
    let points = points_passed(practice, scratch, args, stdin);
    assert!(points.len() >= 4, "the work passes its failpoints: {points:?}");
    for point in &points {
        let data_dir = scratch.join("killed");
        practice.fresh_copy(&data_dir);
        let output = admin(&data_dir, args, stdin, Some(point), None);
        assert_eq!(output.status.signal(), Some(9), "killed at {point}: {}", String::from_utf8_lossy(&output.stderr));
        check(&data_dir, point);
        database_is_sound(&data_dir);
        audit_verifies(&data_dir);
    }
    points.len()
}

#[test]
fn a_backup_killed_at_every_point_leaves_a_whole_backup_or_none() {
    let scratch = tempfile::tempdir().unwrap();
    let practice = Practice::set_up(scratch.path(), "backup-practice", 200);
    let out = scratch.path().join("backups");
    std::fs::create_dir_all(&out).unwrap();
    let out_text = out.display().to_string();
    let args = ["backup", "create", "--out", &out_text, "--password-stdin"];
    let key = RecoveryKey::parse(&practice.recovery_key);
    let killed = kill_at_every_point(&practice, scratch.path(), &args, &format!("{PASSWORD}\n"), &|_, point| {
        for entry in std::fs::read_dir(&out).unwrap().flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue; // A cut-off backup's temporary file: never taken for a backup.
            }
            let opened =
                chartkeep_vault::backup::open_backup(&entry.path(), chartkeep_vault::backup::BackupUnlock::Key(&key));
            assert!(opened.is_ok(), "a file under a backup's name is whole after a kill at {point}");
            std::fs::remove_file(entry.path()).unwrap();
        }
    });
    eprintln!("backup create: killed at {killed} points");
}

#[test]
fn a_restore_in_place_killed_at_every_point_leaves_the_old_database_or_the_new_one() {
    let scratch = tempfile::tempdir().unwrap();
    let mut practice = Practice::set_up(scratch.path(), "restore-practice", 100);
    let out = scratch.path().join("backups");
    std::fs::create_dir_all(&out).unwrap();
    let made = admin(
        &practice.files,
        &["--json", "backup", "create", "--out", &out.display().to_string(), "--password-stdin"],
        &format!("{PASSWORD}\n"),
        None,
        None,
    );
    succeeded(&made, "backup");
    let backup: serde_json::Value = serde_json::from_slice(&made.stdout).unwrap();
    let backup_file = backup["path"].as_str().unwrap().to_owned();
    succeeded(
        &admin(
            &practice.files,
            &["seed", "--patients", "50", "--password-stdin"],
            &format!("{PASSWORD}\n"),
            None,
            None,
        ),
        "more patients",
    );
    practice.entry = OsKeyring.read(&practice.vault_id).unwrap().unwrap();
    let (before, restored) = (150, 100);
    let args = ["backup", "restore", &backup_file, "--recovery-key-stdin"];
    let stdin = format!("{}\n{PASSWORD}\n", practice.recovery_key);
    let killed = kill_at_every_point(&practice, scratch.path(), &args, &stdin, &|data_dir, point| {
        let count = patients_in(data_dir);
        assert!(count == before || count == restored, "old or new after a kill at {point}: {count} patients");
    });
    eprintln!("backup restore in place: killed at {killed} points");
}

#[test]
fn a_restore_onto_a_new_pc_killed_at_every_point_can_simply_be_run_again() {
    let scratch = tempfile::tempdir().unwrap();
    let practice = Practice::set_up(scratch.path(), "origin-practice", 80);
    let out = scratch.path().join("backups");
    std::fs::create_dir_all(&out).unwrap();
    succeeded(
        &admin(
            &practice.files,
            &["backup", "create", "--out", &out.display().to_string(), "--password-stdin"],
            &format!("{PASSWORD}\n"),
            None,
            None,
        ),
        "backup",
    );
    let backup_file = std::fs::read_dir(&out).unwrap().flatten().next().unwrap().path().display().to_string();
    // The new PC: an empty data folder and no keyring entry for the practice.
    let empty = scratch.path().join("empty-pc");
    std::fs::create_dir_all(&empty).unwrap();
    let new_pc = Practice {
        files: empty,
        vault_id: practice.vault_id.clone(),
        entry: practice.entry.clone(),
        recovery_key: practice.recovery_key.clone(),
    };
    OsKeyring.delete(&practice.vault_id).unwrap();
    let args = ["backup", "restore", &backup_file, "--recovery-key-stdin"];
    let stdin = format!("{}\n{PASSWORD}\n", practice.recovery_key);
    let points = {
        let log = scratch.path().join("new-pc-points.log");
        let data_dir = scratch.path().join("new-pc-clean");
        std::fs::create_dir_all(&data_dir).unwrap();
        succeeded(&admin(&data_dir, &args, &stdin, None, Some(&log)), "a clean restore onto a new PC");
        let mut seen: std::collections::BTreeMap<String, u32> = std::collections::BTreeMap::new();
        std::fs::read_to_string(&log)
            .unwrap()
            .lines()
            .map(|name| {
                let count = seen.entry(name.to_owned()).or_default();
                *count += 1;
                format!("{name}#{count}")
            })
            .collect::<Vec<_>>()
    };
    for point in &points {
        let data_dir = scratch.path().join("new-pc-killed");
        let _ = std::fs::remove_dir_all(&data_dir);
        std::fs::create_dir_all(&data_dir).unwrap();
        OsKeyring.delete(&new_pc.vault_id).unwrap();
        let output = admin(&data_dir, &args, &stdin, Some(point), None);
        assert_eq!(output.status.signal(), Some(9), "killed at {point}");
        // Whatever a kill left, the restore runs again to the end.
        let again = admin(&data_dir, &args, &stdin, None, None);
        succeeded(&again, &format!("the restore again after a kill at {point}"));
        assert_eq!(patients_in(&data_dir), 80, "after a kill at {point}");
        database_is_sound(&data_dir);
        audit_verifies(&data_dir);
    }
    eprintln!("backup restore onto a new PC: killed at {} points", points.len());
}

#[test]
fn a_rotation_of_the_database_key_killed_at_every_point_leaves_a_database_one_key_opens() {
    let scratch = tempfile::tempdir().unwrap();
    let practice = Practice::set_up(scratch.path(), "rekey-practice", 60);
    let args = ["rekey", "--password-stdin"];
    let killed = kill_at_every_point(&practice, scratch.path(), &args, &format!("{PASSWORD}\n"), &|data_dir, point| {
        assert_eq!(patients_in(data_dir), 60, "nothing lost after a kill at {point}");
    });
    eprintln!("rekey: killed at {killed} points");
}

#[test]
fn an_import_killed_at_every_point_adds_all_its_rows_or_none() {
    let scratch = tempfile::tempdir().unwrap();
    let practice = Practice::set_up(scratch.path(), "import-practice", 0);
    let csv = scratch.path().join("patients.csv");
    let mut text = String::from(
        "Id,BIRTHDATE,DEATHDATE,SSN,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP\n",
    );
    for row in 0..30 {
        text.push_str(&format!(
            "id-{row},19{:02}-03-1{},,,,Crashy{row},Pointer{row},,,,,,F,,1 Road,Town,,,12345\n",
            40 + row,
            row % 9
        ));
    }
    std::fs::write(&csv, text).unwrap();
    let csv_text = csv.display().to_string();
    let args = ["import", "patients", &csv_text, "--mapping", "synthea", "--password-stdin"];
    let killed = kill_at_every_point(&practice, scratch.path(), &args, &format!("{PASSWORD}\n"), &|data_dir, point| {
        let count = patients_in(data_dir);
        assert!(count == 0 || count == 30, "all rows or none after a kill at {point}: {count}");
    });
    eprintln!("import: killed at {killed} points");
}

/// Takes the practice's database back to schema 7, as a practice set up before schema 8 left it
/// (the tables schemas 8 and 9 add dropped, the version number lowered), so the next unlock
/// migrates.
fn back_to_schema_7(data_dir: &Path) {
    let claim = chartkeep_vault::DataDir::at(data_dir).claim().unwrap();
    let vault = chartkeep_vault::unlock_with_password(&claim, &OsKeyring, "owner", &Password::new(PASSWORD)).unwrap();
    vault
        .connection()
        .execute_batch(
            "DROP TABLE vault_key_slots; DROP TABLE practice_keys; DROP TABLE retired_database_keys;
             DROP TABLE database_key_rotation; DROP TABLE patient_name_pairs; PRAGMA user_version = 7;",
        )
        .unwrap();
    vault.lock().unwrap();
}

fn schema_of(data_dir: &Path) -> i64 {
    let output = admin(data_dir, &["--json", "status", "--password-stdin"], &format!("{PASSWORD}\n"), None, None);
    succeeded(&output, "status");
    let status: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    status["schema_version"].as_i64().unwrap()
}

#[test]
fn a_migration_killed_at_every_point_leaves_the_old_schema_or_the_new_one() {
    let scratch = tempfile::tempdir().unwrap();
    let mut practice = Practice::set_up(scratch.path(), "migration-practice", 40);
    back_to_schema_7(&practice.files);
    practice.entry = OsKeyring.read(&practice.vault_id).unwrap().unwrap();
    let args = ["status", "--password-stdin"];
    let killed = kill_at_every_point(&practice, scratch.path(), &args, &format!("{PASSWORD}\n"), &|data_dir, point| {
        let copies = data_dir.join("pre-migration");
        let kept = std::fs::read_dir(&copies).map(|entries| entries.count()).unwrap_or(0);
        assert!(kept <= 1, "at most one encrypted copy after a kill at {point}");
        assert_eq!(patients_in(data_dir), 40, "nothing lost after a kill at {point}");
    });
    let migrated = scratch.path().join("migrated");
    practice.fresh_copy(&migrated);
    assert_eq!(schema_of(&migrated), i64::from(chartkeep_vault::migrations::latest_version()));
    eprintln!("migration: killed at {killed} points");
}
