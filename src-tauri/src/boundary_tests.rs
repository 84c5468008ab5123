//! Every command the app registers, listed from the code (`generate_handler!` in `main.rs`), goes
//! through the session gate: its body calls `state.with_session`, or an `AppState` method whose
//! own body does (or the recovery-key step's `with_pending_key`), or it is one of the few commands
//! that run before anyone signs in, named below with the reason. The gate itself is tried with
//! no session, a locked one and one still on the recovery key step in `state_tests.rs`; here each
//! gated `AppState` method is called signed out and locked and must refuse.

use std::collections::BTreeMap;
use std::path::Path;

use crate::dto::{ErrorCodeView, SetupForm};
use crate::state::AppState;

/// Commands that run with no session, and why that is right.
const BEFORE_SIGN_IN: &[(&str, &str)] = &[
    ("app_status", "answers which screen to show; reads no practice data"),
    ("set_up_practice", "creates the practice and signs its owner in"),
    ("log_in", "signs in"),
    ("unlock", "unlocks the locked screen with the password"),
    ("lock", "locks the session (closes the database)"),
    ("log_out", "ends the session (closes the database)"),
    ("recover", "regains access with the recovery key"),
    ("touch", "activity from the person at the screen; answers the status"),
    ("import_fields", "the fields a CSV column can map to: a fixed list, no data"),
    ("audit_action_choices", "the audit actions' names for the filter: a fixed list, no data"),
    ("cancel_import", "sets a flag the running import reads"),
    ("cancel_backup", "sets a flag the running backup, verification or restore reads"),
    ("inspect_backup_for_new_pc", "reads a backup with the recovery key typed in, before any practice exists here"),
    ("restore_onto_this_pc", "restores with the recovery key onto a PC without a working practice"),
];

/// The source of the app's own files.
fn source(relative: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join(relative)).unwrap()
}

/// The body of `fn name(` in `text` (from its name to its closing brace).
fn body_of<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let start = text.find(&format!("fn {name}("))?;
    let open = start + text[start..].find('{')?;
    let mut depth = 0_i32;
    for (offset, character) in text[open..].char_indices() {
        match character {
            '{' => depth += 1,
            '}' => depth -= 1,
            _ => {}
        }
        if depth == 0 {
            return Some(&text[start..open + offset]);
        }
    }
    None
}

/// Every registered command as (module, name).
fn registered_commands() -> Vec<(String, String)> {
    let main = source("main.rs");
    let start = main.find("generate_handler![").unwrap();
    let end = start + main[start..].find("])").unwrap();
    main[start + "generate_handler![".len()..end]
        .split(',')
        .map(str::trim)
        .filter(|path| !path.is_empty())
        .map(|path| {
            let parts: Vec<&str> = path.split("::").collect();
            match parts.as_slice() {
                ["commands", name] => ("mod".to_owned(), (*name).to_owned()),
                ["commands", module, name] => ((*module).to_owned(), (*name).to_owned()),
                _ => panic!("an unexpected command path: {path}"),
            }
        })
        .collect()
}

/// `AppState` methods whose bodies go through the session gate.
fn gated_state_methods() -> BTreeMap<String, bool> {
    let files = ["state.rs", "state/backups.rs", "state/key_rotation.rs", "state/recovery_key.rs"];
    let text: String = files.iter().map(|file| source(file)).collect();
    let mut methods = BTreeMap::new();
    for (index, _) in text.match_indices("    pub fn ") {
        let name: String = text[index + 11..].chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if let Some(body) = body_of(&text[index..], &name) {
            let gated = body.contains("self.with_session(")
                || body.contains("self.with_pending_key(")
                || body.contains("check_live(screen)?");
            methods.insert(name, gated);
        }
    }
    methods
}

#[test]
fn every_registered_command_goes_through_the_session_gate_or_runs_before_sign_in() {
    let commands = registered_commands();
    assert!(commands.len() > 100, "the scan found the commands: {}", commands.len());
    let state_methods = gated_state_methods();
    let mut ungated = Vec::new();
    for (module, name) in &commands {
        let file = if module == "mod" { "commands/mod.rs".to_owned() } else { format!("commands/{module}.rs") };
        let text = source(&file);
        let body: String =
            body_of(&text, name).unwrap_or_else(|| panic!("no fn {name} in {file}")).split_whitespace().collect();
        let through_gate = body.contains("state.with_session(")
            || state_methods.iter().any(|(method, gated)| *gated && body.contains(&format!("state.{method}(")));
        let exempt = BEFORE_SIGN_IN.iter().any(|(exempt, _)| exempt == name);
        assert!(!(through_gate && exempt), "{name} is gated and exempted: take it off the list");
        if !through_gate && !exempt {
            ungated.push(name.clone());
        }
    }
    assert!(ungated.is_empty(), "commands that bypass the session gate: {ungated:?}");
    for (exempt, _) in BEFORE_SIGN_IN {
        assert!(commands.iter().any(|(_, name)| name == exempt), "{exempt} is no longer a command");
    }
}

fn app_state(folder: &tempfile::TempDir) -> AppState {
    let data_dir = chartkeep_vault::DataDir::at(folder.path().join("practice"));
    let clock: std::sync::Arc<dyn chartkeep_clinic::Clock> = std::sync::Arc::new(chartkeep_clinic::SystemClock);
    AppState::new(chartkeep_clinic::Workstation::open(&data_dir, Box::new(chartkeep_vault::OsKeyring), clock))
}

/// Each gated `AppState` method (other than `with_session`, tried in `state_tests.rs`), called.
fn call_every_gated_method(state: &AppState, folder: &Path) -> Vec<(&'static str, ErrorCodeView)> {
    use chartkeep_clinic::backups::BackupTrigger;
    let destination = chartkeep_clinic::ExportDestination::new_file(folder.join("kit.pdf"));
    let backup = folder.join("none.ckbackup");
    let key = chartkeep_vault::RecoveryKey::parse(
        "AGE-SECRET-KEY-1GQ9778VQXMMJVE8SK7J6VT8UJ4HDQAJUVSFCWCM02D8GEWQ72PVQ2Y5J33",
    );
    let code = |result: Result<(), crate::dto::CommandError>| {
        result.map_or_else(|error| error.code, |()| ErrorCodeView::Internal)
    };
    vec![
        ("run_backup", code(state.run_backup(BackupTrigger::Manual, &mut |_| {}).map(drop))),
        ("verify_backup", code(state.verify_backup(&backup, &mut |_| {}).map(drop))),
        ("daily_backup_due", code(state.daily_backup_due(0).map(drop))),
        ("restore_backup", code(state.restore_backup(&backup, &key, &mut |_| {}).map(drop))),
        ("deactivate_user", code(state.deactivate_user("anyone", &mut |_| {}).map(drop))),
        ("rotate_database_key", code(state.rotate_database_key(&mut |_| {}).map(drop))),
        ("pending_recovery_key", code(state.pending_recovery_key().map(drop))),
        ("save_recovery_kit", code(state.save_recovery_kit(&destination))),
        ("confirm_recovery_key", code(state.confirm_recovery_key("ABCDEF").map(drop))),
    ]
}

#[test]
fn every_gated_state_method_refuses_without_a_signed_in_session() {
    let folder = tempfile::tempdir().unwrap();
    let state = app_state(&folder);
    for (method, code) in call_every_gated_method(&state, folder.path()) {
        assert_eq!(code, ErrorCodeView::NotSignedIn, "{method} with no practice, no session");
    }
    let form = SetupForm {
        practice_name: "Gate Practice".into(),
        owner_full_name: "Gil Owner".into(),
        owner_username: "owner".into(),
        owner_password: "gate owner long password".into(),
    };
    state.set_up_practice(form).unwrap();
    let key = state.pending_recovery_key().unwrap().recovery_key;
    state.confirm_recovery_key(&key[key.len() - 6..]).unwrap();
    state.lock().unwrap();
    for (method, code) in call_every_gated_method(&state, folder.path()) {
        assert_eq!(code, ErrorCodeView::NotSignedIn, "{method} with the screen locked");
    }
    let listed: Vec<&str> = call_every_gated_method(&state, folder.path()).iter().map(|(name, _)| *name).collect();
    for (method, gated) in gated_state_methods() {
        if gated && method != "with_session" && method != "shut_down" && method != "status" && method != "tick" {
            assert!(listed.contains(&method.as_str()), "{method} is gated but not tried here");
        }
    }
}
