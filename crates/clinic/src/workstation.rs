//! This PC's view of a practice: the claimed data folder, the OS keyring and the clock. Use cases
//! that run before anyone is signed in (setup, sign-in, recovery) start here; everything after
//! takes a [`crate::Session`].
//!
//! This PC's workstation id (recorded in every audit entry) lives in the keyring entry beside the
//! device secret, where someone who can only write the data folder cannot change it. A
//! `workstation.json` left by an older Chartkeep is adopted once, then removed.

use std::sync::Arc;

use chartkeep_vault::{ClaimedDataDir, DataDir, DeviceSecretStore, VaultError, read_key_slots};
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::error::ClinicResult;
use crate::sign_in_guard::SignInGuard;

#[derive(Debug)]
pub struct Workstation {
    pub(crate) claim: ClaimedDataDir,
    pub(crate) keyring: Arc<dyn DeviceSecretStore>,
    pub(crate) clock: Arc<dyn Clock>,
}

/// What the first screen should offer, decided without any password.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum PracticeState {
    /// No practice in this data folder: offer setup.
    NoPractice,
    /// Ready to sign in.
    Ready { vault_id: String },
    /// This PC's keyring secret is missing or does not match: offer the recovery key.
    RecoveryNeeded { vault_id: String, message: String },
    /// The keyring cannot be reached at all: explain, and offer the recovery key too.
    KeyringUnavailable { vault_id: String, message: String },
    /// The key-slot file is damaged: only the Recovery Kit or a backup can help.
    Damaged { message: String },
}

/// The file older Chartkeeps kept the workstation id in.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct OldWorkstationFile {
    id: uuid::Uuid,
}

/// Folders of work that was cut off (a backup, a restore, a rotation of the database key): what
/// they hold is encrypted, and of no use once the program that made it is gone.
const WORK_FOLDERS: [&str; 3] =
    [crate::backups::BACKUP_WORK_FOLDER, crate::backups::RESTORE_WORK_FOLDER, chartkeep_vault::ROTATION_WORK_FOLDER];

impl Workstation {
    /// Claims the data folder (refusing a second program on it), narrows its permissions to its
    /// owner, and clears what work cut off by a crash left behind.
    pub fn open(data_dir: &DataDir, keyring: Box<dyn DeviceSecretStore>, clock: Arc<dyn Clock>) -> ClinicResult<Self> {
        let claim = data_dir.claim()?;
        for folder in WORK_FOLDERS {
            let _ = std::fs::remove_dir_all(data_dir.root().join(folder));
        }
        Ok(Workstation { claim, keyring: Arc::from(keyring), clock })
    }

    pub fn data_dir(&self) -> &DataDir {
        self.claim.data_dir()
    }

    pub(crate) fn claim(&self) -> &chartkeep_vault::ClaimedDataDir {
        &self.claim
    }

    /// This PC's id for `vault_id`, from the keyring entry; given (or adopted from an older
    /// Chartkeep's file) the first time it is asked for.
    pub(crate) fn workstation_id(&self, vault_id: &str) -> ClinicResult<String> {
        let entry = self.keyring.read(vault_id)?.ok_or(VaultError::DeviceSecretMissing)?;
        if let Some(id) = entry.workstation_id {
            return Ok(id);
        }
        let old_file = self.data_dir().workstation();
        let adopted = std::fs::read(&old_file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<OldWorkstationFile>(&bytes).ok())
            .map(|file| file.id.to_string());
        let id = adopted.unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
        self.keyring.update(vault_id, &mut |entry| entry.workstation_id = Some(id.clone()))?;
        let _ = std::fs::remove_file(&old_file);
        Ok(id)
    }

    /// The sign-in files of the practice on this PC, when its keyring entry is there.
    pub(crate) fn sign_in_guard(&self) -> Option<SignInGuard<'_>> {
        let slots = read_key_slots(self.data_dir()).ok()?;
        let entry = chartkeep_vault::load_keyring_entry(&slots, self.keyring.as_ref()).ok()?;
        Some(SignInGuard::new(self.data_dir(), self.keyring.as_ref(), slots.vault_id(), entry.device_secret))
    }

    pub fn practice_state(&self) -> PracticeState {
        let slots = match read_key_slots(self.data_dir()) {
            Ok(slots) => slots,
            Err(VaultError::NoVault(_)) => return PracticeState::NoPractice,
            Err(error) => return PracticeState::Damaged { message: error.to_string() },
        };
        let vault_id = slots.vault_id().to_owned();
        match chartkeep_vault::load_device_secret(&slots, self.keyring.as_ref()) {
            Ok(_) => PracticeState::Ready { vault_id },
            Err(error @ VaultError::KeyringUnavailable(_)) => {
                PracticeState::KeyringUnavailable { vault_id, message: error.to_string() }
            }
            Err(error) => PracticeState::RecoveryNeeded { vault_id, message: error.to_string() },
        }
    }
}
