//! The subcommands. Each returns a report (a line for people and a JSON value) or a failure.

use std::path::Path;
use std::sync::Arc;

use chartkeep_clinic::audit::ChainVerification;
use chartkeep_clinic::{
    ClinicError, PracticeSetup, PracticeState, SecondFactorGate, Session, SystemClock, Workstation,
};
use chartkeep_vault::{DataDir, KdfChoice, OsKeyring, Password, RecoveryKey, read_key_slots};
use serde_json::{Value, json};

use crate::progress::Progress;
use crate::stdin_lines::{next_line, stdin_lines};

pub struct Report {
    pub(crate) human: String,
    pub(crate) json: Value,
}

pub struct Failure {
    pub(crate) code: String,
    pub(crate) message: String,
    /// More for `--json` (the open integrity alerts, say).
    pub(crate) details: Option<Value>,
}

impl From<ClinicError> for Failure {
    fn from(error: ClinicError) -> Self {
        let code = serde_json::to_value(error.code()).ok().and_then(|v| v.as_str().map(str::to_owned));
        Failure { code: code.unwrap_or_else(|| "internal".into()), message: error.to_string(), details: None }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Self {
        Failure { code: "invalid_input".into(), message, details: None }
    }
}

type Outcome = Result<Report, Failure>;

/// Writes `line` to standard output. A closed pipe (`chartkeep-admin … | head`) is no reason to
/// panic: what could not be written is dropped.
fn say(line: &dyn std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stdout().lock(), "{line}");
}

/// Writes `line` to standard error, as [`say`] does to standard output.
fn complain(line: &dyn std::fmt::Display) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "{line}");
}

pub fn succeed(report: &Report, as_json: bool) -> std::process::ExitCode {
    if as_json {
        say(&report.json);
    } else {
        say(&report.human);
    }
    std::process::ExitCode::SUCCESS
}

pub fn fail_with(failure: &Failure, as_json: bool) -> std::process::ExitCode {
    if as_json {
        let mut shown = json!({ "ok": false, "code": failure.code, "message": failure.message });
        if let (Some(Value::Object(details)), Value::Object(shown)) = (&failure.details, &mut shown) {
            shown.extend(details.clone());
        }
        say(&shown);
    }
    complain(&format!("chartkeep-admin: {}", failure.message.replace('\n', " ")));
    std::process::ExitCode::FAILURE
}

pub fn fail(message: &str, as_json: bool) -> std::process::ExitCode {
    fail_with(&Failure { code: "internal".into(), message: message.to_owned(), details: None }, as_json)
}

pub(crate) fn workstation(data_dir: &DataDir) -> Result<Workstation, Failure> {
    Ok(Workstation::open(data_dir, Box::new(OsKeyring), Arc::new(SystemClock))?)
}

/// What `init` is asked to create.
pub struct InitRequest<'a> {
    pub practice: &'a str,
    pub username: &'a str,
    pub owner_name: &'a str,
    pub kit: Option<&'a Path>,
    /// Demo practices only: no role starts out requiring two-step sign-in.
    pub without_second_factor_policy: bool,
    /// The owner also holds the Clinician role.
    pub owner_is_clinician: bool,
}

pub fn init(data_dir: &DataDir, request: &InitRequest<'_>) -> Outcome {
    let InitRequest { practice, username, owner_name, kit, without_second_factor_policy, owner_is_clinician } =
        *request;
    let mut lines = stdin_lines();
    let password = Password::new(next_line(&mut lines, "password")?.as_str());
    let workstation = workstation(data_dir)?;
    let setup = PracticeSetup {
        practice_name: practice.to_owned(),
        owner_full_name: owner_name.to_owned(),
        owner_username: username.to_owned(),
        owner_password: password,
    };
    let mut created = workstation.set_up_practice(&setup, KdfChoice::Calibrated)?;
    if without_second_factor_policy {
        let mut settings = created.session.access_settings()?;
        for policy in &mut settings.role_policies {
            policy.mfa_required = false;
        }
        created.session.update_access_settings(&settings)?;
    }
    if owner_is_clinician {
        let owner_id = created.session.user().id.clone();
        created.session.change_roles(&owner_id, &[chartkeep_clinic::Role::Owner, chartkeep_clinic::Role::Clinician])?;
    }
    let vault_id = created.session.vault_id().to_owned();
    let practice_name = created.session.practice_name()?;
    created.session.log_out()?;
    let key = created.recovery_key.expose();
    if let Some(path) = kit {
        let kit = chartkeep_documents::RecoveryKit {
            practice_name: &practice_name,
            vault_id: &vault_id,
            recovery_key: key,
            created_at: time::OffsetDateTime::now_utc(),
        };
        let pdf = chartkeep_documents::render_recovery_kit_pdf(&kit).map_err(|error| error.to_string())?;
        std::fs::write(path, pdf)
            .map_err(|error| format!("Could not write the Recovery Kit to {}: {error}", path.display()))?;
    }
    let kit_line = kit.map(|path| format!("\nRecovery Kit: {}", path.display())).unwrap_or_default();
    Ok(Report {
        human: format!(
            "Practice created (vault {vault_id}).\nRecovery key (shown once; print it, keep it off this PC):\n{key}{kit_line}"
        ),
        json: json!({ "ok": true, "vault_id": vault_id, "recovery_key": key, "recovery_kit": kit }),
    })
}

pub fn status(data_dir: &DataDir, with_password: bool, username: Option<&str>) -> Outcome {
    let workstation = workstation(data_dir)?;
    let state = workstation.practice_state();
    let supported = chartkeep_vault::migrations::latest_version();
    let usernames: Vec<String> = read_key_slots(data_dir)
        .map(|slots| slots.users().iter().map(|slot| slot.username.clone()).collect())
        .unwrap_or_default();
    let (keyring, vault_id) = match &state {
        PracticeState::NoPractice => ("no practice".to_owned(), None),
        PracticeState::Ready { vault_id } => ("ok".to_owned(), Some(vault_id.clone())),
        PracticeState::RecoveryNeeded { vault_id, message }
        | PracticeState::KeyringUnavailable { vault_id, message } => (message.clone(), Some(vault_id.clone())),
        PracticeState::Damaged { message } => (message.clone(), None),
    };
    let mut human = format!(
        "Data folder: {}\nVault: {}\nKey slots: {}\nKeyring: {keyring}\nSchema supported by this version: {supported}",
        data_dir.root().display(),
        vault_id.as_deref().unwrap_or("none"),
        if usernames.is_empty() { "none".to_owned() } else { usernames.join(", ") },
    );
    let mut report = json!({ "ok": true, "data_dir": data_dir.root(), "vault_id": vault_id, "key_slots": usernames,
        "keyring": keyring, "ready": matches!(state, PracticeState::Ready { .. }), "schema_supported": supported });
    if with_password {
        let mut lines = stdin_lines();
        let password = Password::new(next_line(&mut lines, "password")?.as_str());
        let username = username.map(str::to_owned).or_else(|| usernames.first().cloned()).unwrap_or_default();
        let session = workstation.log_in(&username, &password)?;
        let schema = session.schema_version()?;
        session.log_out()?;
        human.push_str(&format!("\nOpens: yes\nDatabase schema: {schema}"));
        report["opens"] = json!(true);
        report["schema_version"] = json!(schema);
    }
    Ok(Report { human, json: report })
}

/// Signs in with the password, then the second-factor code from the next line of standard
/// input when the account has a second factor.
fn sign_in(
    workstation: &Workstation,
    username: &str,
    password: &Password,
    lines: &mut impl Iterator<Item = std::io::Result<String>>,
) -> Result<Session, Failure> {
    let mut session = workstation.log_in(username, password)?;
    match session.second_factor_gate() {
        SecondFactorGate::Passed => {}
        SecondFactorGate::CodeRequired { .. } => {
            let code = next_line(lines, "two-step sign-in code")?;
            session.verify_second_factor(code.as_str())?;
        }
        SecondFactorGate::EnrolmentRequired => {
            session.log_out()?;
            return Err(Failure {
                code: "second_factor_enrolment_required".into(),
                message: "This account must set up two-step sign-in in the Chartkeep app first.".into(),
                details: None,
            });
        }
    }
    Ok(session)
}

/// Signs in as `username` (default: the practice's first user, its owner) with the password
/// and, when needed, the two-step code read from standard input.
pub(crate) fn signed_in_from_stdin(
    data_dir: &DataDir,
    username: Option<&str>,
) -> Result<(Workstation, Session), Failure> {
    let mut lines = stdin_lines();
    let password = Password::new(next_line(&mut lines, "password")?.as_str());
    let username = match username {
        Some(name) => name.to_owned(),
        None => read_key_slots(data_dir)
            .map_err(ClinicError::from)?
            .users()
            .first()
            .map(|slot| slot.username.clone())
            .unwrap_or_default(),
    };
    let workstation = workstation(data_dir)?;
    let session = sign_in(&workstation, &username, &password, &mut lines)?;
    Ok((workstation, session))
}

/// Verifies the whole chain and reports the open integrity alerts with it: the exit status is 0
/// only when the chain verifies and no alert stands (an alert is raised at sign-in, for example,
/// when the database was rolled back to an older copy, whose own chain verifies).
pub fn audit_verify(data_dir: &DataDir, username: Option<&str>) -> Outcome {
    let (_workstation, mut session) = signed_in_from_stdin(data_dir, username)?;
    let verification = session.verify_audit_chain()?;
    let status = session.audit_integrity_status()?;
    session.log_out()?;
    let alerts: Vec<Value> = status
        .open_alerts
        .iter()
        .map(|alert| {
            json!({ "kind": alert.kind, "detected_at": alert.detected_at, "seq": alert.seq, "description": alert.description })
        })
        .collect();
    let listed: Vec<String> = status
        .open_alerts
        .iter()
        .map(|alert| format!("{} ({})", <&str>::from(alert.kind), alert.description))
        .collect();
    let description = verification.describe();
    let (entries, head_seq) = match &verification {
        ChainVerification::Intact { entries, head } => (Some(*entries), head.as_ref().map(|head| head.seq)),
        ChainVerification::Broken { .. } => (None, None),
    };
    let details = json!({ "entries": entries, "head_seq": head_seq, "alerts": alerts });
    if let ChainVerification::Broken { seq, fault } = verification {
        return Err(Failure {
            code: "audit_chain_broken".into(),
            message: format!(
                "{description} (first bad entry: {seq}, {}). Open integrity alerts: {}.",
                serde_json::to_string(&fault).unwrap_or_default(),
                listed.join("; ")
            ),
            details: Some(details),
        });
    }
    if !listed.is_empty() {
        return Err(Failure {
            code: "integrity_alerts".into(),
            message: format!(
                "{description} But {} integrity alert(s) are open and not acknowledged: {}. Acknowledge each in \
                 the audit view once it is understood.",
                listed.len(),
                listed.join("; ")
            ),
            details: Some(details),
        });
    }
    let mut json = details;
    json["ok"] = json!(true);
    Ok(Report { human: format!("{description} No integrity alert is open."), json })
}

/// Rotates the database key.
pub fn rekey(data_dir: &DataDir, username: Option<&str>, progress: Progress) -> Outcome {
    let (_workstation, mut session) = signed_in_from_stdin(data_dir, username)?;
    let bar = progress.bytes("Rotating the database key");
    let rotated = session.rotate_database_key(&mut |step| bar.step(step));
    drop(bar);
    session.log_out()?;
    let rotated = rotated?;
    let needing = &rotated.users_needing_new_password;
    let human = if needing.is_empty() {
        format!(
            "The database key was rotated ({} bytes re-encrypted); every user signs in as before.",
            rotated.database_bytes
        )
    } else {
        format!(
            "The database key was rotated ({} bytes re-encrypted). These users need a new password from the Owner: {}.",
            rotated.database_bytes,
            needing.join(", ")
        )
    };
    Ok(Report {
        human,
        json: json!({
            "ok": true,
            "carried_users": rotated.carried_users,
            "users_needing_new_password": needing,
            "database_bytes": rotated.database_bytes,
        }),
    })
}

pub fn recover(data_dir: &DataDir) -> Outcome {
    let mut lines = stdin_lines();
    let recovery_key = RecoveryKey::parse(next_line(&mut lines, "recovery key")?.as_str());
    let new_password = Password::new(next_line(&mut lines, "owner's new password")?.as_str());
    let workstation = workstation(data_dir)?;
    let session = workstation.recover(&recovery_key, &new_password, KdfChoice::Calibrated)?;
    let username = session.user().username.clone();
    session.log_out()?;
    Ok(Report {
        human: format!(
            "Access recovered. The owner ({username}) has the new password; every other user needs a new password from the owner."
        ),
        json: json!({ "ok": true, "owner": username }),
    })
}
