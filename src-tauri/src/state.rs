//! The desktop app's state: the workstation and which session (if any) is on screen. This is
//! the app's screen flow only; every rule lives in the core crates.

mod backups;
mod key_rotation;
mod recovery_key;

use std::sync::Mutex;

use chartkeep_clinic::{ClinicError, ClinicResult, LockedSession, PracticeState, Session, Workstation};
use chartkeep_vault::{KdfChoice, Password, RecoveryKey};

use crate::dto::{AppStatus, CommandError, UserView};

/// Right after setup the recovery key is kept (in memory only) until the owner confirms it. A
/// lock, by hand or after the idle timeout, keeps it too: the lock screen never shows it, and
/// once the owner unlocks the recovery key step comes back, so the key is not lost unseen.
#[derive(Debug)]
enum Screen {
    SignedOut,
    Locked { locked: LockedSession, unconfirmed_recovery_key: Option<RecoveryKey> },
    SignedIn { session: Box<Session>, unconfirmed_recovery_key: Option<RecoveryKey> },
}

impl Screen {
    /// Takes the session (and any unconfirmed recovery key) off a signed-in screen, leaving it
    /// signed out. Any other screen stays as it is.
    fn take_session(&mut self) -> Option<(Box<Session>, Option<RecoveryKey>)> {
        match std::mem::replace(self, Screen::SignedOut) {
            Screen::SignedIn { session, unconfirmed_recovery_key } => Some((session, unconfirmed_recovery_key)),
            other => {
                *self = other;
                None
            }
        }
    }
}

#[derive(Debug)]
pub struct AppState {
    workstation: Result<Workstation, CommandError>,
    screen: Mutex<Screen>,
    /// Set by "Cancel" during an import, which holds the screen's lock while it runs.
    pub import_cancelled: std::sync::atomic::AtomicBool,
    /// Set by "Cancel" during a backup, a verification or a restore.
    backup_cancelled: std::sync::atomic::AtomicBool,
    /// One backup at a time.
    backup_running: std::sync::atomic::AtomicBool,
    /// A backup that finished while no one was signed in, recorded at the next sign-in.
    pending_backup: Mutex<Option<chartkeep_clinic::backups::BackupJobOutcome>>,
}

type CommandResult<T> = Result<T, CommandError>;

impl AppState {
    pub fn new(workstation: ClinicResult<Workstation>) -> AppState {
        AppState {
            workstation: workstation.map_err(CommandError::from),
            screen: Mutex::new(Screen::SignedOut),
            import_cancelled: std::sync::atomic::AtomicBool::new(false),
            backup_cancelled: std::sync::atomic::AtomicBool::new(false),
            backup_running: std::sync::atomic::AtomicBool::new(false),
            pending_backup: Mutex::new(None),
        }
    }

    fn workstation(&self) -> CommandResult<&Workstation> {
        self.workstation.as_ref().map_err(Clone::clone)
    }

    /// Runs `change` on the screen. A poisoned lock (a panic mid-command) is recovered: the
    /// screen value itself is always whole.
    fn with_screen<T>(&self, change: impl FnOnce(&mut Screen) -> CommandResult<T>) -> CommandResult<T> {
        let mut screen = self.screen.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        change(&mut screen)
    }

    /// Whether someone is signed in with the screen open (not locked, not signed out).
    pub fn is_signed_in(&self) -> bool {
        self.with_screen(|screen| Ok(matches!(screen, Screen::SignedIn { .. }))).unwrap_or(false)
    }

    pub fn status(&self) -> CommandResult<AppStatus> {
        let workstation = match &self.workstation {
            Ok(workstation) => workstation,
            Err(error) => return Ok(AppStatus::Damaged { message: error.message.clone() }),
        };
        self.with_screen(|screen| {
            if let Screen::SignedIn { session, .. } = screen
                && session.check_live().is_err()
            {
                log_off_automatically(screen);
            }
            status_of(workstation, screen)
        })
    }

    /// Runs a use case on the signed-in session. Refused when no one is signed in, and while
    /// the owner has not yet confirmed the recovery key after setup. A session that has run out
    /// (or whose user was deactivated) is logged off automatically and the lock screen follows.
    pub fn with_session<T>(&self, use_case: impl FnOnce(&mut Session) -> ClinicResult<T>) -> CommandResult<T> {
        self.with_screen(|screen| {
            let Screen::SignedIn { session, unconfirmed_recovery_key } = screen else {
                return Err(CommandError::not_signed_in());
            };
            if unconfirmed_recovery_key.is_some() {
                return Err(CommandError::invalid("lastCharacters", "Confirm the recovery key first."));
            }
            let result = use_case(session);
            // A use case may end its session as it refuses (wrong passwords that locked the
            // account): the database is closed at once, whatever the error says.
            let ended = matches!(result, Err(ClinicError::SessionExpired | ClinicError::SessionEnded))
                || (result.is_err() && session.check_live().is_err());
            if ended {
                log_off_automatically(screen);
            }
            result.map_err(CommandError::from)
        })
    }

    /// Activity from the person at the screen. A session that has run out is logged off
    /// automatically, and the answer is the lock screen.
    pub fn touch(&self) -> CommandResult<AppStatus> {
        let workstation = self.workstation()?;
        self.with_screen(|screen| {
            if let Screen::SignedIn { session, .. } = screen
                && session.touch().is_err()
            {
                log_off_automatically(screen);
            }
            status_of(workstation, screen)
        })
    }

    pub fn log_in(&self, username: &str, password: &Password) -> CommandResult<AppStatus> {
        let workstation = self.workstation()?;
        let session = workstation.log_in(username, password)?;
        self.replace_screen(
            workstation,
            Screen::SignedIn { session: Box::new(session), unconfirmed_recovery_key: None },
        )?;
        self.finish_pending_backup();
        self.status()
    }

    /// Unlocks for the same user. A recovery key still waiting for confirmation comes back with
    /// the session, and the status asks for the recovery key step again.
    pub fn unlock(&self, password: &Password) -> CommandResult<AppStatus> {
        let workstation = self.workstation()?;
        let unlocked = self.with_screen(|screen| {
            let Screen::Locked { locked, unconfirmed_recovery_key } = screen else {
                return Ok(false);
            };
            let session = workstation.unlock(locked, password)?;
            let unconfirmed_recovery_key = unconfirmed_recovery_key.take();
            *screen = Screen::SignedIn { session: Box::new(session), unconfirmed_recovery_key };
            Ok(true)
        })?;
        if unlocked {
            self.finish_pending_backup();
        }
        self.status()
    }

    /// Locks the screen, keeping a recovery key not yet confirmed for after the unlock. If the
    /// lock cannot be recorded the database is closed all the same and the key is wiped.
    pub fn lock(&self) -> CommandResult<AppStatus> {
        let workstation = self.workstation()?;
        self.with_screen(|screen| {
            if let Some((session, unconfirmed_recovery_key)) = screen.take_session() {
                *screen = Screen::Locked { locked: session.lock()?, unconfirmed_recovery_key };
            }
            status_of(workstation, screen)
        })
    }

    /// Signs out, first making a backup when the Owner's policy says one is due.
    pub fn log_out(
        &self,
        progress: &mut dyn FnMut(chartkeep_vault::backup::BackupProgress),
    ) -> CommandResult<AppStatus> {
        let workstation = self.workstation()?;
        self.back_up_before_leaving(progress);
        self.replace_screen(workstation, Screen::SignedOut)
    }

    pub fn recover(&self, recovery_key: &RecoveryKey, new_password: &Password) -> CommandResult<AppStatus> {
        let workstation = self.workstation()?;
        let session = workstation.recover(recovery_key, new_password, KdfChoice::Calibrated)?;
        self.replace_screen(
            workstation,
            Screen::SignedIn { session: Box::new(session), unconfirmed_recovery_key: None },
        )
    }

    /// Ends any open session (recording the log-off) and shows `next`. A locked session has
    /// no open database, so its end is buffered and written to the chain at the next sign-in.
    fn replace_screen(&self, workstation: &Workstation, next: Screen) -> CommandResult<AppStatus> {
        self.with_screen(|screen| {
            match std::mem::replace(screen, next) {
                Screen::SignedIn { session, .. } => session.log_out()?,
                Screen::Locked { locked, .. } => workstation.end_locked_session(&locked),
                Screen::SignedOut => {}
            }
            status_of(workstation, screen)
        })
    }

    /// What the session timer does on each tick, whatever the page does: a session that ran out
    /// (idle, absolute limit, deactivated user) is logged off, which closes the database and
    /// wipes its key; a working one has its last entries anchored. Returns whether it logged a
    /// session off. A tick that finds the screen busy (a long command holds it: the session is
    /// in use) does nothing.
    pub fn tick(&self) -> bool {
        let Ok(mut screen) = self.screen.try_lock() else { return false };
        let Screen::SignedIn { session, .. } = &mut *screen else { return false };
        if session.check_live().is_ok() {
            session.anchor_if_due();
            return false;
        }
        log_off_automatically(&mut screen);
        true
    }

    /// On exit: a backup when one is due, then record the log-off and close the database.
    pub fn shut_down(&self) {
        self.back_up_before_leaving(&mut |_| {});
        let result = self.with_screen(|screen| match std::mem::replace(screen, Screen::SignedOut) {
            Screen::SignedIn { session, .. } => session.log_out().map_err(CommandError::from),
            _ => Ok(()),
        });
        if let Err(error) = result {
            tracing::error!(code = ?error.code, "the session could not be closed cleanly on exit");
        }
    }
}

/// Replaces a signed-in screen whose session ran out with the lock screen, recording the
/// automatic log-off and closing the database. A recovery key not yet confirmed stays for after
/// the unlock, as with a lock by hand.
fn log_off_automatically(screen: &mut Screen) {
    if let Some((session, unconfirmed_recovery_key)) = screen.take_session() {
        match session.log_off_automatically() {
            Ok(locked) => *screen = Screen::Locked { locked, unconfirmed_recovery_key },
            // The database is closed either way; without the record, sign in afresh.
            Err(error) => tracing::error!(code = ?error.code(), "the automatic log-off could not be recorded"),
        }
    }
}

fn status_of(workstation: &Workstation, screen: &Screen) -> CommandResult<AppStatus> {
    Ok(match screen {
        Screen::SignedIn { session, unconfirmed_recovery_key } => AppStatus::SignedIn {
            user: UserView::of(session),
            practice_name: session.practice_name()?,
            recovery_key_pending: unconfirmed_recovery_key.is_some(),
        },
        Screen::Locked { locked, unconfirmed_recovery_key } => AppStatus::Locked {
            username: locked.username.clone(),
            full_name: locked.full_name.clone(),
            recovery_key_pending: unconfirmed_recovery_key.is_some(),
        },
        Screen::SignedOut => match workstation.practice_state() {
            PracticeState::NoPractice => AppStatus::NoPractice,
            PracticeState::Ready { .. } => AppStatus::SignedOut,
            PracticeState::RecoveryNeeded { message, .. } => AppStatus::RecoveryNeeded { message },
            PracticeState::KeyringUnavailable { message, .. } => AppStatus::KeyringUnavailable { message },
            PracticeState::Damaged { message } => AppStatus::Damaged { message },
        },
    })
}
