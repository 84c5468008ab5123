//! First run: set up a new practice and its owner.

use chartkeep_vault::{KdfChoice, Password, RecoveryKey, SlotHolder, create_vault};

use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::clock::timestamp;
use crate::error::ClinicResult;
use crate::roles::Role;
use crate::session::{Session, SignedInUser};
use crate::store::{self, UserRecord};
use crate::validation::{check_new_password, normalise_username, required_text};
use crate::workstation::Workstation;

/// The first-run form.
#[derive(Debug, Clone)]
pub struct PracticeSetup {
    pub practice_name: String,
    pub owner_full_name: String,
    pub owner_username: String,
    pub owner_password: Password,
}

/// A practice that has just been set up: the owner's session and the recovery key to show once.
#[derive(Debug)]
pub struct NewPractice {
    pub session: Session,
    pub recovery_key: RecoveryKey,
}

impl Workstation {
    /// Validates the form, creates the vault, records the practice and its owner (with their
    /// audit entries, in one transaction), and signs the owner in. Invalid input creates nothing.
    pub fn set_up_practice(&self, setup: &PracticeSetup, kdf: KdfChoice) -> ClinicResult<NewPractice> {
        let practice_name = required_text("practice_name", "practice name", &setup.practice_name, 200)?;
        let full_name = required_text("owner_full_name", "full name", &setup.owner_full_name, 200)?;
        let username = normalise_username(&setup.owner_username)?;
        check_new_password(&setup.owner_password, Some(&username))?;
        let params = kdf.resolve()?;

        let user_id = uuid::Uuid::new_v4().to_string();
        let holder = SlotHolder { user_id: &user_id, username: &username, password: &setup.owner_password };
        let created = create_vault(&self.claim, self.keyring.as_ref(), holder, params)?;
        let vault_id = created.vault.vault_id().to_owned();
        let user = SignedInUser { id: user_id, username, full_name, roles: vec![Role::Owner] };
        let mut session = match Session::start(created.vault, user, self) {
            Ok(session) => session,
            Err(error) => {
                self.discard_files_of_unfinished_practice(&vault_id);
                return Err(error);
            }
        };
        if let Err(error) = record_new_practice(&mut session, &vault_id, &practice_name) {
            self.discard_unfinished_practice(session, &vault_id);
            return Err(error);
        }
        session.anchor_chain();
        tracing::info!("a new practice was set up");
        Ok(NewPractice { session, recovery_key: created.recovery_key })
    }

    /// Removes what a failed setup left behind, so setup can simply be tried again.
    fn discard_unfinished_practice(&self, session: Session, vault_id: &str) {
        drop(session);
        self.discard_files_of_unfinished_practice(vault_id);
    }

    fn discard_files_of_unfinished_practice(&self, vault_id: &str) {
        let data_dir = self.data_dir();
        for path in [data_dir.database(), data_dir.key_slots()] {
            let _ = std::fs::remove_file(path);
        }
        let _ = self.keyring.delete(vault_id);
    }
}

fn record_new_practice(session: &mut Session, vault_id: &str, practice_name: &str) -> ClinicResult<()> {
    let now = timestamp(session.clock().now());
    let user = session.user().clone();
    let record = UserRecord {
        id: user.id.clone(),
        username: user.username.clone(),
        full_name: user.full_name.clone(),
        active: true,
        must_change_password: false,
        roles: user.roles.clone(),
    };
    let mut change = session.begin_opening_change()?;
    store::insert_practice(change.connection(), vault_id, practice_name, &now)?;
    store::insert_user(change.connection(), &record, &now)?;
    change.also_record(&AuditEvent::success(AuditAction::PracticeCreated).object("practice", vault_id))?;
    change.also_record(
        &AuditEvent::success(AuditAction::UserCreated)
            .object("user", &user.id)
            .detail("roles", Detail::Fields(user.roles.iter().map(|role| role.as_str()).collect())),
    )?;
    change.commit(&AuditEvent::success(AuditAction::Login).object("user", &user.id))?;
    Ok(())
}
