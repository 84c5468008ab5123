//! `bench crash`: the torture run. A writer process (this program, `bench crash-writer`) signs
//! in and works (registers patients, saves and signs notes, makes backups), saying on standard
//! output each thing it has done once the call returned ("acknowledged"); it is killed with
//! SIGKILL at a random named failpoint (`CHARTKEEP_FAILPOINT`, when this build has them) or at a
//! random instant. After each kill the practice is opened and checked: every acknowledged commit
//! is there, SQLCipher's page check and SQLite's integrity check pass, the audit chain verifies
//! and no integrity alert was raised. It prints the runs, the failures and the lost commits.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chartkeep_clinic::backups::{BackupRequest, BackupTrigger};
use chartkeep_clinic::chart::{EncounterKind, SoapNote};
use chartkeep_clinic::patients::{PatientDraft, PatientId};
use chartkeep_clinic::{NewUser, PracticeSetup, Role, SystemClock, Workstation};
use chartkeep_vault::{DataDir, KdfChoice, KdfParams, OsKeyring, Password};
use serde_json::json;

use crate::commands::{Failure, Report};
use crate::progress::Progress;

const OWNER_PASSWORD: &str = "crash bench owner password";
/// Patients (each with a signed note, every fifth followed by a backup) per writer run.
const WRITER_ITERATIONS: u32 = 12;

fn workstation(data_dir: &DataDir) -> Result<Workstation, Failure> {
    Ok(Workstation::open(data_dir, Box::new(OsKeyring), Arc::new(SystemClock))?)
}

/// A small random number generator (xorshift), seeded: the runs can be repeated.
struct Dice(u64);

impl Dice {
    fn below(&mut self, bound: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % bound.max(1)
    }
}

/// Sets up the practice the writer works in: an owner who is a clinician too.
fn set_up(data_dir: &DataDir) -> Result<String, Failure> {
    let workstation = workstation(data_dir)?;
    let setup = PracticeSetup {
        practice_name: "Crash Bench Practice".into(),
        owner_full_name: "Crash Owner".into(),
        owner_username: "owner".into(),
        owner_password: Password::new(OWNER_PASSWORD),
    };
    let mut created = workstation.set_up_practice(&setup, KdfChoice::Explicit(KdfParams::INSECURE_FOR_TESTS))?;
    let mut settings = created.session.access_settings()?;
    settings.role_policies.iter_mut().for_each(|policy| policy.mfa_required = false);
    created.session.update_access_settings(&settings)?;
    let owner_id = created.session.user().id.clone();
    let writer = NewUser {
        full_name: "Crash Writer".into(),
        username: "writer".into(),
        roles: vec![Role::Owner, Role::Clinician],
    };
    let issued = created.session.create_user(&writer, KdfChoice::Explicit(KdfParams::INSECURE_FOR_TESTS))?;
    created.session.log_out()?;
    let mut writer = workstation.log_in("writer", &issued.temporary_password)?;
    writer.change_own_password(
        &issued.temporary_password,
        &Password::new(OWNER_PASSWORD),
        KdfChoice::Explicit(KdfParams::INSECURE_FOR_TESTS),
    )?;
    writer.log_out()?;
    Ok(owner_id)
}

/// The writer: signs in and works, acknowledging each commit on standard output.
/// A date of birth of its own for the writer's `n`-th patient (up to 17,472 of them), with a day
/// after the 12th so no two are the same day and month swapped: none is a probable duplicate.
fn date_of_birth(n: u32) -> String {
    format!("{}-{:02}-{:02}", 1930 + n / (12 * 16) % 91, 1 + n / 16 % 12, 13 + n % 16)
}

pub fn crash_writer(data_dir: &DataDir, first: u32, iterations: u32, backups: &Path) -> Result<Report, Failure> {
    let workstation = workstation(data_dir)?;
    let mut session = workstation.log_in("writer", &Password::new(OWNER_PASSWORD))?;
    let mut out = std::io::stdout().lock();
    let mut acknowledge = |line: String| -> Result<(), Failure> {
        writeln!(out, "{line}").and_then(|()| out.flush()).map_err(|error| Failure::from(error.to_string()))
    };
    for index in first..first + iterations {
        let draft = PatientDraft {
            family_name: format!("Crash{index}"),
            given_names: "Writer".into(),
            date_of_birth: date_of_birth(index),
            ..PatientDraft::default()
        };
        let patient = session.register_patient(&draft, &[])?.id;
        acknowledge(format!("patient {patient}"))?;
        let encounter = session.start_encounter(&patient, EncounterKind::Visit, "")?.id;
        let text = format!("note {index} for {patient}");
        session.save_draft_note(
            &encounter,
            EncounterKind::Visit,
            &SoapNote { subjective: text.clone(), ..SoapNote::default() },
        )?;
        acknowledge(format!("note {encounter} {text}"))?;
        session.sign_note(&encounter)?;
        acknowledge(format!("signed {encounter}"))?;
        if index % 5 == 4 {
            let request = BackupRequest { trigger: BackupTrigger::Manual, folder: Some(backups.to_path_buf()) };
            let record = session.back_up(&request, &mut |_| true)?;
            acknowledge(format!("backup {}", record.file_name))?;
        }
    }
    session.log_out()?;
    Ok(Report { human: "The writer finished.".into(), json: json!({ "ok": true }) })
}

/// What the writer said it had done before it died.
#[derive(Debug, Default)]
struct Acknowledged {
    patients: Vec<PatientId>,
    notes: Vec<(String, String)>,
    signed: Vec<String>,
    backups: Vec<String>,
}

impl Acknowledged {
    fn take(&mut self, line: &str) {
        match line.split_once(' ') {
            Some(("patient", id)) => self.patients.push(PatientId::new(id)),
            Some(("note", rest)) => {
                if let Some((encounter, text)) = rest.split_once(' ') {
                    self.notes.push((encounter.to_owned(), text.to_owned()));
                }
            }
            Some(("signed", id)) => self.signed.push(id.to_owned()),
            Some(("backup", file)) => self.backups.push(file.to_owned()),
            _ => {}
        }
    }

    fn count(&self) -> usize {
        self.patients.len() + self.notes.len() + self.signed.len() + self.backups.len()
    }
}

/// Checks the practice after a kill; returns the problems and how many acknowledged commits are
/// missing.
fn check(data_dir: &DataDir, acknowledged: &Acknowledged, backups: &Path) -> Result<(Vec<String>, usize), Failure> {
    let mut problems = Vec::new();
    let mut lost = 0;
    {
        let workstation = workstation(data_dir)?;
        let mut session = workstation.log_in("writer", &Password::new(OWNER_PASSWORD))?;
        for patient in &acknowledged.patients {
            if session.open_patient(patient, "check").is_err() {
                lost += 1;
            }
        }
        for (encounter, text) in &acknowledged.notes {
            match session.encounter(encounter) {
                Ok(found) if found.note.subjective == *text => {}
                _ => lost += 1,
            }
        }
        for encounter in &acknowledged.signed {
            if !session.encounter(encounter).is_ok_and(|found| found.signed) {
                lost += 1;
            }
        }
        // A backup is there, or the retention policy removed it (and the list says so).
        let records = session.backups()?;
        for file in &acknowledged.backups {
            let record = records.iter().find(|record| record.file_name == *file);
            let kept = record.is_some_and(|record| record.removed_at.is_none());
            let removed = record.is_some_and(|record| record.removed_at.is_some());
            if (kept && !backups.join(file).exists()) || (!kept && !removed) {
                lost += 1;
            }
        }
        if !session.verify_audit_chain()?.is_intact() {
            problems.push("the audit chain does not verify".to_owned());
        }
        let alerts = session.audit_integrity_status()?.open_alerts;
        problems.extend(alerts.into_iter().map(|alert| format!("integrity alert: {}", <&str>::from(alert.kind))));
        session.log_out()?;
    }
    let vault_error = |error: chartkeep_vault::VaultError| Failure::from(error.to_string());
    let claim = data_dir.claim().map_err(vault_error)?;
    let vault = chartkeep_vault::unlock_with_password(&claim, &OsKeyring, "writer", &Password::new(OWNER_PASSWORD))
        .map_err(vault_error)?;
    problems.extend(vault.integrity_problems());
    vault.lock().map_err(vault_error)?;
    Ok((problems, lost))
}

/// Runs the writer once, killed at `failpoint` or after `delay`; returns what it acknowledged and
/// whether it was killed (rather than finishing).
fn run_writer(
    data_dir: &DataDir,
    first: u32,
    backups: &Path,
    failpoint: Option<&str>,
    delay: Duration,
    log: Option<&Path>,
) -> Result<(Acknowledged, bool), Failure> {
    let program = std::env::current_exe().map_err(|error| Failure::from(error.to_string()))?;
    let mut command = Command::new(program);
    command
        .arg("--data-dir")
        .arg(data_dir.root())
        .args([
            "bench",
            "crash-writer",
            "--iterations",
            &WRITER_ITERATIONS.to_string(),
            "--first",
            &first.to_string(),
            "--backups",
        ])
        .arg(backups);
    if let Some(point) = failpoint {
        command.env("CHARTKEEP_FAILPOINT", point);
    }
    if let Some(log) = log {
        command.env("CHARTKEEP_FAILPOINT_LOG", log);
    }
    let errors =
        std::fs::File::create(backups.with_file_name("writer-errors.txt")).map_err(|error| error.to_string())?;
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(errors)
        .spawn()
        .map_err(|error| Failure::from(error.to_string()))?;
    let stdout = child.stdout.take().ok_or_else(|| Failure::from("no output from the writer".to_owned()))?;
    let reader = std::thread::spawn(move || {
        let mut acknowledged = Acknowledged::default();
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            acknowledged.take(&line);
        }
        acknowledged
    });
    if failpoint.is_none() && log.is_none() {
        std::thread::sleep(delay);
        let _ = child.kill();
    }
    let status = child.wait().map_err(|error| Failure::from(error.to_string()))?;
    let acknowledged = reader.join().map_err(|_| Failure::from("the writer's reader stopped".to_owned()))?;
    let errors = std::fs::read_to_string(backups.with_file_name("writer-errors.txt")).unwrap_or_default();
    if was_killed(&status, &errors) {
        Ok((acknowledged, true))
    } else if status.success() {
        Ok((acknowledged, false))
    } else {
        Err(Failure::from(format!("The writer stopped with an error rather than being killed: {errors}")))
    }
}

/// Whether the writer was killed (by this run, or by itself at a failpoint) rather than ending.
#[cfg(unix)]
fn was_killed(status: &std::process::ExitStatus, _errors: &str) -> bool {
    use std::os::unix::process::ExitStatusExt;
    status.signal().is_some()
}

/// Windows has no signals: `Child::kill` ends the writer with exit code 1 and a failpoint's abort
/// with 0xC0000409, so a writer that failed by itself is told apart by what it wrote to its error
/// file.
#[cfg(not(unix))]
fn was_killed(status: &std::process::ExitStatus, errors: &str) -> bool {
    !status.success() && errors.trim().is_empty()
}

/// The torture run.
pub fn crash(runs: u32, seed: u64, progress: Progress) -> Result<Report, Failure> {
    let folder = tempfile::tempdir().map_err(|error| format!("No temporary folder: {error}"))?;
    let data_dir = DataDir::at(folder.path().join("practice"));
    let backups = folder.path().join("backups");
    std::fs::create_dir_all(&backups).map_err(|error| error.to_string())?;
    set_up(&data_dir)?;
    let vault_id = chartkeep_vault::read_key_slots(&data_dir)
        .map_err(|error| Failure::from(error.to_string()))?
        .vault_id()
        .to_owned();
    // A clean run lists the points the writer passes (none when this build has no failpoints).
    let log = folder.path().join("points.log");
    let spinner = progress.spinner("A clean run of the writer");
    let clean_run = Instant::now();
    run_writer(&data_dir, 0, &backups, None, Duration::ZERO, Some(&log))?;
    let clean_run = clean_run.elapsed();
    drop(spinner);
    // Each point by name, with how many times the clean run passed it: a kill picks a name
    // first, so the rare points (a rename in the backup) are hit as often as the common ones.
    let mut points: std::collections::BTreeMap<String, u64> = std::collections::BTreeMap::new();
    for name in std::fs::read_to_string(&log).unwrap_or_default().lines() {
        *points.entry(name.to_owned()).or_default() += 1;
    }
    let points: Vec<(String, u64)> = points.into_iter().collect();
    let mut dice = Dice(seed.max(1));
    let started = Instant::now();
    let (mut failures, mut lost_commits, mut at_points, mut at_instants, mut acknowledged_total) = (0, 0, 0, 0, 0);
    let mut failure_lines = Vec::new();
    let bar = progress.counter("Killing the writer and checking", u64::from(runs));
    for run in 0..runs {
        bar.advance();
        let at_point = !points.is_empty() && dice.below(10) < 7;
        let point = at_point.then(|| {
            let (name, passes) = &points[dice.below(points.len() as u64) as usize];
            format!("{name}#{}", 1 + dice.below(*passes))
        });
        let delay = Duration::from_millis(dice.below(clean_run.as_millis() as u64));
        let (acknowledged, killed) =
            run_writer(&data_dir, (run + 1) * WRITER_ITERATIONS, &backups, point.as_deref(), delay, None)?;
        if killed {
            if at_point { at_points += 1 } else { at_instants += 1 }
        }
        acknowledged_total += acknowledged.count();
        let (problems, lost) = check(&data_dir, &acknowledged, &backups)?;
        lost_commits += lost;
        if !problems.is_empty() || lost > 0 {
            failures += 1;
            failure_lines.push(format!(
                "run {run} ({}): {} lost; {}",
                point.as_deref().unwrap_or("a random instant"),
                lost,
                problems.join("; ")
            ));
        }
    }
    drop(bar);
    let _ = chartkeep_vault::DeviceSecretStore::delete(&OsKeyring, &vault_id);
    let seconds = started.elapsed().as_secs_f64();
    Ok(Report {
        human: format!(
            "{runs} runs in {seconds:.0} s: {at_points} killed at a failpoint (of {} kinds in the writer's path), {at_instants} at a random instant; {acknowledged_total} commits acknowledged; {failures} failures; {lost_commits} lost commits.{}",
            points.len(),
            failure_lines.iter().map(|line| format!("\n  {line}")).collect::<String>()
        ),
        json: json!({
            "ok": failures == 0,
            "runs": runs,
            "killed_at_failpoints": at_points,
            "killed_at_instants": at_instants,
            "failpoint_kinds_in_path": points.len(),
            "acknowledged": acknowledged_total,
            "failures": failures,
            "lost_commits": lost_commits,
            "seconds": seconds,
            "failure_details": failure_lines,
        }),
    })
}
