//! This PC's view of a practice: the claimed data folder, the OS keyring, this workstation's id
//! and the clock. Use cases that run before anyone is signed in (setup, sign-in, recovery) start
//! here; everything after takes a [`crate::Session`].

use std::sync::Arc;

use chartkeep_vault::{ClaimedDataDir, DataDir, DeviceSecretStore, VaultError, read_key_slots, write_atomically};
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::error::ClinicResult;

#[derive(Debug)]
pub struct Workstation {
    pub(crate) claim: ClaimedDataDir,
    pub(crate) keyring: Arc<dyn DeviceSecretStore>,
    pub(crate) id: String,
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

#[derive(Serialize, Deserialize)]
struct WorkstationFile {
    id: String,
}

impl Workstation {
    /// Claims the data folder (refusing a second program on it) and loads or creates this
    /// workstation's id.
    pub fn open(data_dir: &DataDir, keyring: Box<dyn DeviceSecretStore>, clock: Arc<dyn Clock>) -> ClinicResult<Self> {
        let claim = data_dir.claim()?;
        let path = data_dir.workstation();
        let existing =
            std::fs::read(&path).ok().and_then(|bytes| serde_json::from_slice::<WorkstationFile>(&bytes).ok());
        let id = match existing {
            Some(file) => file.id,
            None => {
                let file = WorkstationFile { id: uuid::Uuid::new_v4().to_string() };
                let bytes = serde_json::to_vec(&file).map_err(|_| crate::ClinicError::Internal("encoding failed"))?;
                write_atomically(&path, &bytes)?;
                file.id
            }
        };
        // Snapshots left by a backup or restore that was cut off: encrypted, but of no use now.
        for folder in [crate::backups::BACKUP_WORK_FOLDER, crate::backups::RESTORE_WORK_FOLDER] {
            let _ = std::fs::remove_dir_all(data_dir.root().join(folder));
        }
        Ok(Workstation { claim, keyring: Arc::from(keyring), id, clock })
    }

    pub fn data_dir(&self) -> &DataDir {
        self.claim.data_dir()
    }

    pub(crate) fn claim(&self) -> &chartkeep_vault::ClaimedDataDir {
        &self.claim
    }

    pub fn id(&self) -> &str {
        &self.id
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
