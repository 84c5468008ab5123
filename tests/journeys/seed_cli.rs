//! `chartkeep-admin seed` gives a demo practice charts worth opening, and the long commands keep
//! their output clean: `--json` prints one JSON document and nothing else, and no progress bar
//! reaches standard error when it is not a terminal (a pipe, as here and in scripts).

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use chartkeep_clinic::chart::{AllergyBanner, AllergySeverity, ItemData};
use chartkeep_tests::workspace_binary;
use chartkeep_vault::{DataDir, OsKeyring, Password};
use serde_json::Value;

const PASSWORD: &str = "seeded demo owner password";

/// Runs the admin tool with standard error on a pipe and checks that nothing but the result
/// came out: stdout is one JSON document when asked for, stderr is empty.
fn quiet_admin(data_dir: &Path, args: &[&str], stdin: &str) -> Output {
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
    let (stdout, stderr) = (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success(), "{args:?} failed: {stderr}");
    assert!(stderr.is_empty(), "{args:?} wrote to standard error: {stderr:?}");
    if args.contains(&"--json") {
        assert_eq!(stdout.lines().count(), 1, "{args:?}: one line of JSON: {stdout:?}");
        let parsed: Value = serde_json::from_str(&stdout).unwrap_or_else(|_| panic!("not pure JSON: {stdout:?}"));
        assert_eq!(parsed["ok"], Value::Bool(true), "{parsed}");
    }
    output
}

fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap()
}

#[test]
fn a_seeded_demo_has_charts_and_long_commands_print_only_their_result() {
    let folder = tempfile::tempdir().unwrap();
    let data_dir = folder.path().join("practice");
    let stdin = format!("{PASSWORD}\n");
    let init = [
        "--json",
        "init",
        "--practice",
        "Seeded Clinic",
        "--owner-username",
        "owner",
        "--owner-name",
        "Dana Demo",
        "--password-stdin",
        "--without-second-factor-policy",
        "--owner-is-clinician",
    ];
    let vault_id = json(&quiet_admin(&data_dir, &init, &stdin))["vault_id"].as_str().unwrap().to_owned();
    let seed = ["--json", "seed", "--patients", "120", "--appointments-today", "--charts", "8", "--password-stdin"];
    let seeded = json(&quiet_admin(&data_dir, &seed, &stdin));
    assert_eq!((seeded["patients"].as_u64(), seeded["charts"].as_u64()), (Some(120), Some(8)), "{seeded}");
    assert!(seeded["signed_notes"].as_u64() >= Some(8) && seeded["draft_notes"].as_u64() >= Some(1), "{seeded}");

    // The long commands, with and without --json: the result alone.
    let backups = folder.path().join("backups");
    std::fs::create_dir_all(&backups).unwrap();
    let out = backups.to_str().unwrap();
    let made = quiet_admin(&data_dir, &["backup", "create", "--out", out, "--password-stdin"], &stdin);
    assert!(String::from_utf8_lossy(&made.stdout).starts_with("Backed up and verified"));
    let file = std::fs::read_dir(&backups).unwrap().flatten().next().unwrap().path();
    quiet_admin(&data_dir, &["--json", "backup", "verify", file.to_str().unwrap(), "--password-stdin"], &stdin);
    quiet_admin(&data_dir, &["--json", "rekey", "--password-stdin"], &stdin);
    quiet_admin(&data_dir, &["--json", "audit", "verify", "--password-stdin"], &stdin);

    // Today's patients have charts: notes signed and drafted, lists, one severe allergy.
    let workstation = chartkeep_clinic::Workstation::open(
        &DataDir::at(&data_dir),
        Box::new(OsKeyring),
        std::sync::Arc::new(chartkeep_clinic::SystemClock),
    )
    .unwrap();
    let mut owner = workstation.log_in("owner", &Password::new(PASSWORD)).unwrap();
    let midnight = time::OffsetDateTime::now_utc().replace_time(time::Time::MIDNIGHT);
    let (from, to) =
        (chartkeep_clinic::timestamp(midnight), chartkeep_clinic::timestamp(midnight + time::Duration::days(1)));
    let mut patients: Vec<chartkeep_clinic::patients::PatientId> = Vec::new();
    for appointment in owner.day_schedule(&from, &to).unwrap().into_iter().flat_map(|day| day.appointments) {
        if !patients.contains(&appointment.patient_id) {
            patients.push(appointment.patient_id);
        }
    }
    assert!(patients.len() >= 8, "enough appointments today to fill the charts");
    let (mut charted, mut signed, mut drafts, mut severe, mut with_lists) = (0, 0, 0, 0, 0);
    for id in &patients {
        let chart = owner.open_chart(id).unwrap();
        if chart.encounters.is_empty() && chart.allergies.is_empty() {
            continue;
        }
        charted += 1;
        signed += chart.encounters.iter().filter(|encounter| encounter.signed).count();
        drafts += chart.encounters.iter().filter(|encounter| !encounter.signed).count();
        with_lists += usize::from(!chart.medications.is_empty() && !chart.problems.is_empty());
        let severe_here = chart
            .allergies
            .iter()
            .any(|item| matches!(&item.data, ItemData::Allergy { severity, .. } if *severity == Some(AllergySeverity::Severe)));
        severe += usize::from(severe_here);
        if severe_here {
            assert!(matches!(chart.allergy_banner, AllergyBanner::Allergies { .. }), "the banner shows it");
        }
    }
    assert_eq!(charted, 8, "the charts go to today's patients first");
    assert!(signed >= 8 && drafts >= 1 && severe >= 1 && with_lists >= 1, "{signed} {drafts} {severe} {with_lists}");
    owner.log_out().unwrap();
    drop(workstation);
    let _ = chartkeep_vault::DeviceSecretStore::delete(&OsKeyring, &vault_id);
}
