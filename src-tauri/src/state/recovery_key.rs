//! Setup and the recovery key step that follows it: the key is shown, saved as the Recovery Kit
//! and confirmed while the owner's session is live. Until it is confirmed it waits in the screen
//! state, across a lock, and the UI asks for it again only on this step.

use chartkeep_clinic::{PracticeSetup, Session};
use chartkeep_vault::{KdfChoice, Password, RecoveryKey};

use super::{AppState, CommandResult, Screen, log_off_automatically, status_of};
use crate::dto::{AppStatus, CommandError, PendingRecoveryKeyView, SetupForm};

/// How many characters of the recovery key the owner types back after setup.
const CONFIRM_CHARACTERS: usize = 6;

impl AppState {
    /// Creates the practice and signs the owner in; the status then asks for the recovery key
    /// step, which fetches the key with [`AppState::pending_recovery_key`].
    pub fn set_up_practice(&self, form: SetupForm) -> CommandResult<AppStatus> {
        let workstation = self.workstation()?;
        let setup = PracticeSetup {
            practice_name: form.practice_name,
            owner_full_name: form.owner_full_name,
            owner_username: form.owner_username,
            owner_password: Password::new(form.owner_password),
        };
        let created = workstation.set_up_practice(&setup, KdfChoice::Calibrated)?;
        self.with_screen(|screen| {
            *screen = Screen::SignedIn {
                session: Box::new(created.session),
                unconfirmed_recovery_key: Some(created.recovery_key),
            };
            status_of(workstation, screen)
        })
    }

    /// The recovery key, only while it waits for the owner's confirmation in a live session.
    pub fn pending_recovery_key(&self) -> CommandResult<PendingRecoveryKeyView> {
        self.with_pending_key(|_, key| Ok(PendingRecoveryKeyView { recovery_key: key.expose().to_owned() }))
    }

    /// Writes the Recovery Kit PDF where the owner chose, readable only by them, confined as
    /// every file the app writes for a person is (see `export_file.rs` in the clinic crate).
    pub fn save_recovery_kit(&self, destination: &chartkeep_clinic::ExportDestination) -> CommandResult<()> {
        self.with_pending_key(|session, key| {
            let practice_name = session.practice_name()?;
            let kit = chartkeep_documents::RecoveryKit {
                practice_name: &practice_name,
                vault_id: session.vault_id(),
                recovery_key: key.expose(),
                created_at: time::OffsetDateTime::now_utc(),
            };
            let pdf = chartkeep_documents::render_recovery_kit_pdf(&kit)
                .map_err(|error| CommandError::invalid("path", &error.to_string()))?;
            let data_folder = session.data_folder().to_path_buf();
            chartkeep_clinic::write_confined_file(destination, &data_folder, &pdf).map_err(CommandError::from)
        })
    }

    /// Checks the last characters the owner typed; once they match the key is dropped and the
    /// session opens up. Confirming again afterwards just answers the status.
    pub fn confirm_recovery_key(&self, typed: &str) -> CommandResult<AppStatus> {
        let workstation = self.workstation()?;
        self.with_screen(|screen| {
            check_live(screen)?;
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

    /// Runs `step` with the live session and the recovery key waiting for confirmation.
    fn with_pending_key<T>(
        &self,
        step: impl FnOnce(&mut Session, &RecoveryKey) -> CommandResult<T>,
    ) -> CommandResult<T> {
        self.with_screen(|screen| {
            check_live(screen)?;
            let Screen::SignedIn { session, unconfirmed_recovery_key: Some(key) } = screen else {
                return Err(CommandError::no_pending_recovery_key());
            };
            step(session, key)
        })
    }
}

/// Refuses unless someone is signed in with a session that has not run out. A session that has
/// run out is logged off automatically, and a recovery key not yet confirmed waits on the lock
/// screen, as the other commands would leave it.
fn check_live(screen: &mut Screen) -> CommandResult<()> {
    let Screen::SignedIn { session, .. } = screen else {
        return Err(CommandError::not_signed_in());
    };
    if let Err(error) = session.check_live() {
        log_off_automatically(screen);
        return Err(error.into());
    }
    Ok(())
}
