//! The practice `bench startup` signs in to: made as `scripts/run-demo` makes the demo (Argon2id
//! calibrated on this PC, no second factor, the owner also a clinician, synthetic patients,
//! today's appointments and 40 charts), in a temporary folder with a throwaway keyring entry. It
//! is closed again before the app starts, since the app takes the data folder's claim.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chartkeep_clinic::{Role, SystemClock, Workstation};
use chartkeep_vault::{DataDir, DeviceSecretStore, KdfChoice, OsKeyring};

use crate::bench::set_up_without_second_factor;
use crate::commands::Failure;
use crate::progress::Progress;
use crate::seed::{SeedRequest, fill};

/// The practice's folder; its keyring entry is removed when it is dropped.
pub(super) struct SeededPractice {
    folder: tempfile::TempDir,
    vault_id: String,
}

impl Drop for SeededPractice {
    fn drop(&mut self) {
        let _ = OsKeyring.delete(&self.vault_id);
    }
}

impl SeededPractice {
    pub(super) fn new(patients: u64, progress: Progress) -> Result<SeededPractice, Failure> {
        let folder = tempfile::tempdir().map_err(|error| format!("No temporary folder: {error}"))?;
        let data_dir = DataDir::at(folder.path().join("practice"));
        let workstation = Workstation::open(&data_dir, Box::new(OsKeyring), Arc::new(SystemClock))?;
        let mut created = set_up_without_second_factor(&workstation, KdfChoice::Calibrated)?;
        let practice = SeededPractice { folder, vault_id: created.session.vault_id().to_owned() };
        let session = &mut created.session;
        let owner_id = session.user().id.clone();
        session.change_roles(&owner_id, &[Role::Owner, Role::Clinician])?;
        let request = SeedRequest { patients, appointments_today: true, charts: 40, username: None };
        fill(session, &request, progress)?;
        created.session.log_out()?;
        drop(workstation);
        Ok(practice)
    }

    pub(super) fn data_dir(&self) -> PathBuf {
        self.folder.path().join("practice")
    }

    /// A folder for what else the runs need (the apps' temporary files).
    pub(super) fn scratch(&self) -> &Path {
        self.folder.path()
    }
}
