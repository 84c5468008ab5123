//! The app state at the command boundary: what "no session", "a locked session" and "the
//! recovery key not yet confirmed" mean for every session command, and how that key survives a
//! lock. (The core's role × use-case table covers the roles; here no session exists for a use
//! case to take.) These tests use the OS keyring: run them under `scripts/with-private-keyring`.

use std::sync::{Arc, Mutex};

use chartkeep_clinic::{Clock, Workstation};
use chartkeep_vault::{DataDir, OsKeyring, Password};
use time::OffsetDateTime;

use crate::dto::{AppStatus, ErrorCodeView, SetupForm};
use crate::state::AppState;

const OWNER_PASSWORD: &str = "boundary owner password";

/// A clock the tests move by hand, so a session can run out without waiting.
#[derive(Debug)]
struct TestClock(Mutex<OffsetDateTime>);

impl TestClock {
    fn advance(&self, by: time::Duration) {
        let mut now = self.0.lock().unwrap();
        *now += by;
    }
}

impl Clock for TestClock {
    fn now(&self) -> OffsetDateTime {
        *self.0.lock().unwrap()
    }
}

fn app_state(folder: &tempfile::TempDir) -> (AppState, Arc<TestClock>) {
    let clock = Arc::new(TestClock(Mutex::new(OffsetDateTime::now_utc())));
    let data_dir = DataDir::at(folder.path().join("practice"));
    let workstation = Workstation::open(&data_dir, Box::new(OsKeyring), clock.clone());
    (AppState::new(workstation), clock)
}

fn set_up(state: &AppState) -> AppStatus {
    let form = SetupForm {
        practice_name: "Boundary Practice".into(),
        owner_full_name: "Bo Owner".into(),
        owner_username: "owner".into(),
        owner_password: OWNER_PASSWORD.into(),
    };
    state.set_up_practice(form).unwrap()
}

fn refused_code(state: &AppState) -> ErrorCodeView {
    state.with_session(|session| session.list_users()).unwrap_err().code
}

fn last_six(key: &str) -> String {
    key[key.len() - 6..].to_owned()
}

/// Whether the status is the signed-in one, and the recovery key step comes first.
fn signed_in_with_key_pending(status: &AppStatus) -> Option<bool> {
    match status {
        AppStatus::SignedIn { recovery_key_pending, .. } => Some(*recovery_key_pending),
        _ => None,
    }
}

/// Whether the status is the lock screen, with a recovery key waiting behind it.
fn locked_with_key_pending(status: &AppStatus) -> Option<bool> {
    match status {
        AppStatus::Locked { recovery_key_pending, .. } => Some(*recovery_key_pending),
        _ => None,
    }
}

#[test]
fn session_commands_need_a_signed_in_and_confirmed_session() {
    let folder = tempfile::tempdir().unwrap();
    let (state, _clock) = app_state(&folder);
    assert_eq!(refused_code(&state), ErrorCodeView::NotSignedIn, "no practice, no session");

    assert_eq!(signed_in_with_key_pending(&set_up(&state)), Some(true));
    assert_eq!(refused_code(&state), ErrorCodeView::InvalidInput, "the recovery key must be confirmed first");
    let key = state.pending_recovery_key().unwrap().recovery_key;
    let confirmed = state.confirm_recovery_key(&last_six(&key)).unwrap();
    assert_eq!(signed_in_with_key_pending(&confirmed), Some(false));
    assert!(state.with_session(|session| session.list_users()).is_ok());
    assert_eq!(state.pending_recovery_key().unwrap_err().code, ErrorCodeView::NotFound, "the key is gone");

    assert_eq!(locked_with_key_pending(&state.lock().unwrap()), Some(false));
    assert_eq!(refused_code(&state), ErrorCodeView::NotSignedIn, "a locked session reaches nothing");
    assert!(matches!(state.log_out(&mut |_| {}).unwrap(), AppStatus::SignedOut));
    assert_eq!(refused_code(&state), ErrorCodeView::NotSignedIn);
}

#[test]
fn a_lock_on_the_recovery_key_step_keeps_the_key_for_after_the_unlock() {
    let folder = tempfile::tempdir().unwrap();
    let (state, _clock) = app_state(&folder);
    set_up(&state);
    let key = state.pending_recovery_key().unwrap().recovery_key;

    assert_eq!(locked_with_key_pending(&state.lock().unwrap()), Some(true), "the lock screen knows, shows nothing");
    assert_eq!(state.pending_recovery_key().unwrap_err().code, ErrorCodeView::NotSignedIn, "not while locked");
    let kit = folder.path().join("Recovery Kit.pdf");
    let chosen = chartkeep_clinic::ExportDestination::chosen_in_save_dialog(&kit);
    assert_eq!(state.save_recovery_kit(&chosen).unwrap_err().code, ErrorCodeView::NotSignedIn);
    assert_eq!(state.confirm_recovery_key(&last_six(&key)).unwrap_err().code, ErrorCodeView::NotSignedIn);

    let wrong = state.unlock(&Password::new("not the owner password")).unwrap_err();
    assert_eq!(wrong.code, ErrorCodeView::WrongCredentials);
    assert_eq!(locked_with_key_pending(&state.status().unwrap()), Some(true), "a wrong password keeps it too");

    let unlocked = state.unlock(&Password::new(OWNER_PASSWORD)).unwrap();
    assert_eq!(signed_in_with_key_pending(&unlocked), Some(true), "back to the recovery key step");
    assert_eq!(state.pending_recovery_key().unwrap().recovery_key, key, "the same key, shown again");
    assert_eq!(refused_code(&state), ErrorCodeView::InvalidInput, "still to be confirmed before anything else");

    state.save_recovery_kit(&chosen).unwrap();
    assert!(std::fs::read(&kit).unwrap().starts_with(b"%PDF"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(std::fs::metadata(&kit).unwrap().permissions().mode() & 0o777, 0o600, "the owner's alone");
    }
    let into_the_data_folder =
        chartkeep_clinic::ExportDestination::chosen_in_save_dialog(folder.path().join("practice/keyslots.json"));
    assert_eq!(state.save_recovery_kit(&into_the_data_folder).unwrap_err().code, ErrorCodeView::InvalidInput);
    assert_eq!(signed_in_with_key_pending(&state.confirm_recovery_key(&last_six(&key)).unwrap()), Some(false));
}

#[test]
fn the_idle_lock_keeps_the_key_and_signing_out_drops_it() {
    let folder = tempfile::tempdir().unwrap();
    let (state, clock) = app_state(&folder);
    set_up(&state);
    let key = state.pending_recovery_key().unwrap().recovery_key;

    clock.advance(time::Duration::hours(13));
    let expired = state.pending_recovery_key().unwrap_err();
    assert_eq!(expired.code, ErrorCodeView::SessionExpired, "refused once the session ran out");
    assert_eq!(locked_with_key_pending(&state.status().unwrap()), Some(true), "logged off, the key kept");
    assert_eq!(locked_with_key_pending(&state.touch().unwrap()), Some(true));

    state.unlock(&Password::new(OWNER_PASSWORD)).unwrap();
    assert_eq!(state.pending_recovery_key().unwrap().recovery_key, key);

    // Signing out (here from the lock screen) drops the key: a new sign-in does not bring it back.
    state.lock().unwrap();
    assert!(matches!(state.log_out(&mut |_| {}).unwrap(), AppStatus::SignedOut));
    let signed_in = state.log_in("owner", &Password::new(OWNER_PASSWORD)).unwrap();
    assert_eq!(signed_in_with_key_pending(&signed_in), Some(false));
    assert_eq!(state.pending_recovery_key().unwrap_err().code, ErrorCodeView::NotFound);
}

#[test]
fn a_backup_that_ends_while_locked_is_recorded_at_the_unlock_and_a_restore_signs_everyone_out() {
    let folder = tempfile::tempdir().unwrap();
    let (state, _clock) = app_state(&folder);
    set_up(&state);
    let key = state.pending_recovery_key().unwrap().recovery_key;
    state.confirm_recovery_key(&last_six(&key)).unwrap();
    let destination = folder.path().join("usb");
    std::fs::create_dir_all(&destination).unwrap();
    let mut settings = state.with_session(|session| session.backup_settings()).unwrap();
    settings.destination = Some(destination.to_string_lossy().into_owned());
    state.with_session(|session| session.update_backup_settings(&settings)).unwrap();

    // The screen locks while the file is being written: the backup goes on, and waits.
    let mut locked = false;
    let finished = state.run_backup(chartkeep_clinic::backups::BackupTrigger::Manual, &mut |progress| {
        if !locked && progress.step == chartkeep_vault::backup::BackupStep::Writing {
            locked = true;
            state.lock().unwrap();
        }
    });
    assert!(locked);
    assert_eq!(finished.unwrap_err().code, ErrorCodeView::NotSignedIn);
    state.unlock(&Password::new(OWNER_PASSWORD)).unwrap();
    let records = state.with_session(|session| session.backups()).unwrap();
    assert_eq!(records.len(), 1, "recorded at the unlock");
    assert_eq!(records[0].verification_passed, Some(true));

    let backup = destination.join(&records[0].file_name);
    let restored = state.restore_backup(&backup, &chartkeep_vault::RecoveryKey::parse(&key), &mut |_| {}).unwrap();
    assert_eq!(restored.summary.file_name, records[0].file_name);
    assert!(matches!(state.status().unwrap(), AppStatus::SignedOut), "everyone signs in again");
    assert_eq!(refused_code(&state), ErrorCodeView::NotSignedIn);
    assert!(matches!(state.log_in("owner", &Password::new(OWNER_PASSWORD)).unwrap(), AppStatus::SignedIn { .. }));
}

/// Whether this process holds the practice's database file open.
fn database_is_open(folder: &tempfile::TempDir) -> bool {
    let database = folder.path().join("practice").join("chartkeep.db");
    std::fs::read_dir("/proc/self/fd")
        .unwrap()
        .flatten()
        .any(|fd| std::fs::read_link(fd.path()).is_ok_and(|target| target == database))
}

#[test]
fn rust_ends_an_idle_session_by_itself_when_the_page_has_gone_silent() {
    let folder = tempfile::tempdir().unwrap();
    let (state, clock) = app_state(&folder);
    set_up(&state);
    let key = state.pending_recovery_key().unwrap().recovery_key;
    state.confirm_recovery_key(&last_six(&key)).unwrap();
    assert!(state.is_signed_in());
    assert!(database_is_open(&folder));
    // The page calls nothing more: no command, no activity. Only the timer's ticks come.
    assert!(!state.tick(), "a live session is left alone");
    clock.advance(time::Duration::minutes(16));
    assert!(state.tick(), "the timer logged the idle session off");
    assert!(!state.is_signed_in());
    assert!(!database_is_open(&folder), "the database is closed and its key dropped");
    assert!(matches!(state.status().unwrap(), AppStatus::Locked { .. }));
    assert!(!state.tick(), "nothing more to end");
}
