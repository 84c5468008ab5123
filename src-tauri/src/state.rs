//! The desktop app's state: the workstation and which session (if any) is on screen. This is
//! the app's screen flow only; every rule lives in the core crates.

use std::sync::Mutex;

use chartkeep_clinic::{ClinicError, ClinicResult, LockedSession, PracticeSetup, PracticeState, Session, Workstation};
use chartkeep_vault::{KdfChoice, Password, RecoveryKey};

use crate::dto::{AppStatus, CommandError, SetupForm, SetupResult, UserView};

/// How many characters of the recovery key the owner types back after setup.
const CONFIRM_CHARACTERS: usize = 6;

#[derive(Debug)]
enum Screen {
    SignedOut,
    Locked(LockedSession),
    /// Signed in; right after setup the recovery key is kept until the owner confirms it.
    SignedIn {
        session: Box<Session>,
        unconfirmed_recovery_key: Option<RecoveryKey>,
    },
}

#[derive(Debug)]
pub struct AppState {
    workstation: Result<Workstation, CommandError>,
    screen: Mutex<Screen>,
}

type CommandResult<T> = Result<T, CommandError>;

impl AppState {
    pub fn new(workstation: ClinicResult<Workstation>) -> AppState {
        AppState { workstation: workstation.map_err(CommandError::from), screen: Mutex::new(Screen::SignedOut) }
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
            match use_case(session) {
                Err(error @ (ClinicError::SessionExpired | ClinicError::SessionEnded)) => {
                    log_off_automatically(screen);
                    Err(error.into())
                }
                result => result.map_err(CommandError::from),
            }
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

    pub fn set_up_practice(&self, form: SetupForm) -> CommandResult<SetupResult> {
        let workstation = self.workstation()?;
        let setup = PracticeSetup {
            practice_name: form.practice_name,
            owner_full_name: form.owner_full_name,
            owner_username: form.owner_username,
            owner_password: Password::new(form.owner_password),
        };
        let created = workstation.set_up_practice(&setup, KdfChoice::Calibrated)?;
        let recovery_key = created.recovery_key.expose().to_owned();
        self.with_screen(|screen| {
            *screen = Screen::SignedIn {
                session: Box::new(created.session),
                unconfirmed_recovery_key: Some(created.recovery_key),
            };
            Ok(SetupResult { recovery_key, status: status_of(workstation, screen)? })
        })
    }

    pub fn save_recovery_kit(&self, path: &std::path::Path) -> CommandResult<()> {
        self.with_screen(|screen| {
            let Screen::SignedIn { session, unconfirmed_recovery_key: Some(key) } = screen else {
                return Err(CommandError::invalid("path", "The recovery key is no longer available to save."));
            };
            let practice_name = session.practice_name()?;
            let kit = chartkeep_documents::RecoveryKit {
                practice_name: &practice_name,
                vault_id: session.vault_id(),
                recovery_key: key.expose(),
                created_at: time::OffsetDateTime::now_utc(),
            };
            let pdf = chartkeep_documents::render_recovery_kit_pdf(&kit)
                .map_err(|error| CommandError::invalid("path", &error.to_string()))?;
            std::fs::write(path, pdf).map_err(|error| {
                CommandError::invalid("path", &format!("The Recovery Kit could not be saved there: {error}"))
            })
        })
    }

    pub fn confirm_recovery_key(&self, typed: &str) -> CommandResult<AppStatus> {
        let workstation = self.workstation()?;
        self.with_screen(|screen| {
            if let Screen::SignedIn { unconfirmed_recovery_key: pending @ Some(_), .. } = screen {
                let expected = pending.as_ref().map(|key| key.last_chars(CONFIRM_CHARACTERS).to_owned());
                if expected.as_deref() != Some(typed.trim().to_uppercase().as_str()) {
                    return Err(CommandError::invalid(
                        "lastCharacters",
                        "Those are not the last 6 characters of the recovery key. Check the key and try again.",
                    ));
                }
                *pending = None;
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
        )
    }

    pub fn unlock(&self, password: &Password) -> CommandResult<AppStatus> {
        let workstation = self.workstation()?;
        self.with_screen(|screen| {
            let Screen::Locked(locked) = screen else { return status_of(workstation, screen) };
            let session = workstation.unlock(locked, password)?;
            *screen = Screen::SignedIn { session: Box::new(session), unconfirmed_recovery_key: None };
            status_of(workstation, screen)
        })
    }

    pub fn lock(&self) -> CommandResult<AppStatus> {
        let workstation = self.workstation()?;
        self.with_screen(|screen| {
            if let Screen::SignedIn { .. } = screen {
                let Screen::SignedIn { session, .. } = std::mem::replace(screen, Screen::SignedOut) else {
                    return status_of(workstation, screen);
                };
                *screen = Screen::Locked(session.lock()?);
            }
            status_of(workstation, screen)
        })
    }

    pub fn log_out(&self) -> CommandResult<AppStatus> {
        let workstation = self.workstation()?;
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

    /// Ends any open session (recording the log-off) and shows `next`.
    fn replace_screen(&self, workstation: &Workstation, next: Screen) -> CommandResult<AppStatus> {
        self.with_screen(|screen| {
            if let Screen::SignedIn { session, .. } = std::mem::replace(screen, next) {
                session.log_out()?;
            }
            status_of(workstation, screen)
        })
    }

    /// On exit: record the log-off and close the database.
    pub fn shut_down(&self) {
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
/// automatic log-off and closing the database.
fn log_off_automatically(screen: &mut Screen) {
    if let Screen::SignedIn { session, .. } = std::mem::replace(screen, Screen::SignedOut) {
        match session.log_off_automatically() {
            Ok(locked) => *screen = Screen::Locked(locked),
            // The database is closed either way; without the record, sign in afresh.
            Err(error) => tracing::error!(code = ?error.code(), "the automatic log-off could not be recorded"),
        }
    }
}

fn status_of(workstation: &Workstation, screen: &Screen) -> CommandResult<AppStatus> {
    Ok(match screen {
        Screen::SignedIn { session, .. } => {
            AppStatus::SignedIn { user: UserView::of(session), practice_name: session.practice_name()? }
        }
        Screen::Locked(locked) => {
            AppStatus::Locked { username: locked.username.clone(), full_name: locked.full_name.clone() }
        }
        Screen::SignedOut => match workstation.practice_state() {
            PracticeState::NoPractice => AppStatus::NoPractice,
            PracticeState::Ready { .. } => AppStatus::SignedOut,
            PracticeState::RecoveryNeeded { message, .. } => AppStatus::RecoveryNeeded { message },
            PracticeState::KeyringUnavailable { message, .. } => AppStatus::KeyringUnavailable { message },
            PracticeState::Damaged { message } => AppStatus::Damaged { message },
        },
    })
}
