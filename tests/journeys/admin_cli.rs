//! `chartkeep-admin` as a real process: init, status, audit verify, recover, and clean refusals;
//! an import of a canary patient leaves none of their canaries on disk outside the file imported.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use chartkeep_tests::canary_patient::CanaryPatient;
use chartkeep_tests::leak_check::assert_nothing_leaked;
use chartkeep_tests::workspace_binary;
use chartkeep_vault::{DataDir, DeviceSecretStore, OsKeyring};
use serde_json::Value;

const PASSWORD: &str = "cli owner password here";

fn admin(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(workspace_binary("chartkeep-admin"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "chartkeep-admin panicked: {stderr}");
    output
}

fn unix_now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// Enrols a second factor for `username` through the core, as the app's enrolment screen does,
/// and returns an authenticator for it and the recovery codes.
fn enrol_second_factor(data_dir: &Path, username: &str, password: &str) -> (totp_rs::Totp, Vec<String>) {
    let workstation = chartkeep_clinic::Workstation::open(
        &DataDir::at(data_dir),
        Box::new(OsKeyring),
        std::sync::Arc::new(chartkeep_clinic::SystemClock),
    )
    .unwrap();
    let mut session = workstation.log_in(username, &chartkeep_vault::Password::new(password)).unwrap();
    let enrolment = session.begin_second_factor_enrolment().unwrap();
    let secret = totp_rs::Secret::try_from_base32(&enrolment.secret_base32).unwrap();
    let authenticator = totp_rs::Builder::new().with_secret(secret).build().unwrap();
    let codes = session.confirm_second_factor_enrolment(&authenticator.generate(unix_now()).to_string()).unwrap();
    session.log_out().unwrap();
    (authenticator, codes)
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("not JSON: {}", String::from_utf8_lossy(&output.stdout)))
}

fn init(data_dir: &Path, kit: &Path) -> Value {
    let output = admin(
        data_dir,
        &[
            "--json",
            "init",
            "--practice",
            "Hillside Clinic",
            "--owner-username",
            "owner",
            "--owner-name",
            "Lea Fischer",
            "--password-stdin",
            "--recovery-kit",
            kit.to_str().unwrap(),
        ],
        &format!("{PASSWORD}\n"),
    );
    assert!(output.status.success(), "init failed: {}", String::from_utf8_lossy(&output.stderr));
    json(&output)
}

#[test]
fn a_practice_is_set_up_inspected_verified_and_recovered_from_the_command_line() {
    let folder = tempfile::tempdir().unwrap();
    let data_dir = folder.path().join("practice");
    let kit = folder.path().join("kit.pdf");
    let created = init(&data_dir, &kit);
    let recovery_key = created["recovery_key"].as_str().unwrap().to_owned();
    assert!(recovery_key.starts_with("AGE-SECRET-KEY-1"));
    let text = Command::new("pdftotext").arg(&kit).arg("-").output().expect("pdftotext (poppler-utils)");
    assert!(String::from_utf8_lossy(&text.stdout).contains(&recovery_key), "the Recovery Kit holds the key");

    let status = json(&admin(&data_dir, &["--json", "status", "--password-stdin"], &format!("{PASSWORD}\n")));
    assert_eq!((status["ready"].clone(), status["opens"].clone()), (Value::Bool(true), Value::Bool(true)));
    assert_eq!(status["schema_version"], status["schema_supported"]);

    // The owner's role requires two-step sign-in by default: the CLI refuses until it is set up.
    let not_enrolled = admin(&data_dir, &["audit", "verify", "--password-stdin"], &format!("{PASSWORD}\n"));
    assert!(!not_enrolled.status.success());
    assert!(String::from_utf8_lossy(&not_enrolled.stderr).contains("two-step sign-in"));
    let (authenticator, recovery_codes) = enrol_second_factor(&data_dir, "owner", PASSWORD);
    let code = authenticator.generate(unix_now() + 30).to_string();
    let verified = admin(&data_dir, &["audit", "verify", "--password-stdin"], &format!("{PASSWORD}\n{code}\n"));
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));
    let replayed = admin(&data_dir, &["audit", "verify", "--password-stdin"], &format!("{PASSWORD}\n{code}\n"));
    assert!(!replayed.status.success(), "a code is accepted once");
    let wrong = admin(&data_dir, &["audit", "verify", "--password-stdin"], "not the password\n");
    assert!(!wrong.status.success());
    assert_eq!(String::from_utf8_lossy(&wrong.stderr).trim().lines().count(), 1, "one plain line");

    // The keyring entry disappears (a new OS account, a wiped keyring): recover with the key.
    OsKeyring.delete(created["vault_id"].as_str().unwrap()).unwrap();
    let status = json(&admin(&data_dir, &["--json", "status"], ""));
    assert_eq!(status["ready"], Value::Bool(false));
    let refused = admin(&data_dir, &["audit", "verify", "--password-stdin"], &format!("{PASSWORD}\n"));
    assert!(!refused.status.success());
    let recovered =
        admin(&data_dir, &["recover", "--recovery-key-stdin"], &format!("{recovery_key}\nthe new owner password\n"));
    assert!(recovered.status.success(), "{}", String::from_utf8_lossy(&recovered.stderr));
    let stdin = format!("the new owner password\n{}\n", recovery_codes[0]);
    let verified = admin(&data_dir, &["audit", "verify", "--password-stdin"], &stdin);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));

    // A canary patient imported the same way: afterwards nothing of them is anywhere on disk
    // but in the file imported (the test's own input).
    let patient = CanaryPatient::new();
    let canary_file = folder.path().join("canary-patients.csv");
    std::fs::write(&canary_file, patient.synthea_csv()).unwrap();
    // A recovery code works once: the sign-in for the import takes the next one.
    let stdin = format!("the new owner password\n{}\n", recovery_codes[1]);
    let imported = admin(
        &data_dir,
        &["--json", "import", "patients", canary_file.to_str().unwrap(), "--mapping", "synthea", "--password-stdin"],
        &stdin,
    );
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    assert_eq!(json(&imported)["summary"]["imported"], 1);
    let canaries = patient.canaries();
    let scanned = assert_nothing_leaked(&canaries, patient.made_at, &[folder.path()], &[&canary_file]);
    assert_eq!(scanned.excluded.len(), 1, "the imported file is the one file left out");
    super::in_app::report("import", &format!("canary scan: {}", scanned.figures()));
}

#[test]
fn bad_input_and_a_busy_data_folder_are_refused_with_one_plain_line() {
    let folder = tempfile::tempdir().unwrap();
    let data_dir = folder.path().join("practice");
    let short = admin(
        &data_dir,
        &["init", "--practice", "P", "--owner-username", "owner", "--owner-name", "N", "--password-stdin"],
        "short\n",
    );
    assert!(!short.status.success());
    assert!(String::from_utf8_lossy(&short.stderr).contains("at least 12 characters"));
    let no_stdin = admin(&data_dir, &["audit", "verify", "--password-stdin"], "");
    assert!(!no_stdin.status.success());

    let claim = DataDir::at(&data_dir).claim().unwrap();
    let busy = admin(&data_dir, &["status"], "");
    assert!(!busy.status.success());
    assert!(String::from_utf8_lossy(&busy.stderr).contains("already running"));
    drop(claim);
}

#[test]
fn patients_are_checked_and_imported_from_a_csv_file_with_a_saved_preset() {
    let folder = tempfile::tempdir().unwrap();
    let data_dir = folder.path().join("practice");
    let args = [
        "init",
        "--practice",
        "Import Clinic",
        "--owner-username",
        "owner",
        "--owner-name",
        "Ida Importer",
        "--password-stdin",
        "--without-second-factor-policy",
    ];
    assert!(admin(&data_dir, &args, &format!("{PASSWORD}\n")).status.success());
    // Synthea's layout: a quoted address with a comma and a line break, a bad date on line 4,
    // and the same person twice (lines 2 and 5, names swapped).
    let file = folder.path().join("patients.csv");
    let csv = "\u{feff}Id,BIRTHDATE,DEATHDATE,SSN,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP\n\
        a1,1984-03-07,,,,Anna,Müller,,,,,,F,,\"Hauptstraße 1,\nFlat 2\",Graz,,,8010\n\
        a2,2001-05-20,,,,Siobhán,O'Neil,,,,,,F,,,,,,\n\
        a3,1970-13-40,,,,Ada,Okafor,,,,,,F,,,,,,\n\
        a4,1984-03-07,,,,Müller,Anna,,,,,,F,,,,,,\n";
    std::fs::write(&file, csv).unwrap();
    let file = file.to_str().unwrap();
    let stdin = format!("{PASSWORD}\n");

    let check = admin(
        &data_dir,
        &["--json", "import", "patients", file, "--mapping", "synthea", "--dry-run", "--password-stdin"],
        &stdin,
    );
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stderr));
    let report = json(&check);
    assert_eq!((report["rows"].as_u64(), report["valid"].as_u64()), (Some(4), Some(3)), "{report}");
    assert_eq!(
        report["problems"][0]["line"], 5,
        "the bad date's line, counting the header and the address's line break"
    );
    assert_eq!(report["duplicates"][0]["line"], 6);
    assert_eq!(report["duplicates"][0]["other_line"], 2);
    let readable = admin(
        &data_dir,
        &["import", "patients", file, "--mapping", "synthea", "--dry-run", "--password-stdin"],
        &stdin,
    );
    let text = String::from_utf8_lossy(&readable.stdout);
    assert!(text.contains("Line 5: ") && text.contains("Line 6: probably the same person as line 2"), "{text}");

    let refused = admin(&data_dir, &["import", "patients", file, "--mapping", "synthea", "--password-stdin"], &stdin);
    assert!(!refused.status.success());
    let reason = String::from_utf8_lossy(&refused.stderr);
    assert!(reason.contains("1 rows are not valid (the first on line 5)"), "{reason}");
    let unknown = admin(&data_dir, &["import", "patients", file, "--mapping", "nope", "--password-stdin"], &stdin);
    assert!(!unknown.status.success());

    let imported = admin(
        &data_dir,
        &["--json", "import", "patients", file, "--mapping", "synthea", "--skip-invalid-rows", "--password-stdin"],
        &stdin,
    );
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    let summary = &json(&imported)["summary"];
    assert_eq!((summary["imported"].as_u64(), summary["flagged_for_review"].as_u64()), (Some(3), Some(1)), "{summary}");
    assert_eq!(summary["skipped_invalid"], 1);
    let verified = admin(&data_dir, &["audit", "verify", "--password-stdin"], &stdin);
    assert!(verified.status.success(), "{}", String::from_utf8_lossy(&verified.stderr));

    // A canary patient imported the same way: afterwards nothing of them is anywhere on disk
    // but in the file imported (the test's own input).
    let patient = CanaryPatient::new();
    let canary_file = folder.path().join("canary-patients.csv");
    std::fs::write(&canary_file, patient.synthea_csv()).unwrap();
    let imported = admin(
        &data_dir,
        &["--json", "import", "patients", canary_file.to_str().unwrap(), "--mapping", "synthea", "--password-stdin"],
        &stdin,
    );
    assert!(imported.status.success(), "{}", String::from_utf8_lossy(&imported.stderr));
    assert_eq!(json(&imported)["summary"]["imported"], 1);
    let canaries = patient.canaries();
    let scanned = assert_nothing_leaked(&canaries, patient.made_at, &[folder.path()], &[&canary_file]);
    assert_eq!(scanned.excluded.len(), 1, "the imported file is the one file left out");
    super::in_app::report("import", &format!("canary scan: {}", scanned.figures()));
}
