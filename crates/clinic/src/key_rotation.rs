//! Rotating the database key, so that whatever someone kept (a copy of the key-slot file, the
//! database key itself) opens nothing of the practice from then on. Deactivating a user rotates
//! it, and the Owner can rotate it by hand. The rotation itself is the vault's
//! (`chartkeep_vault` `rotation.rs`); this module adds the permission, the audit entry (written
//! into the re-encrypted database, so the rotation and its record take effect together) and the
//! reminder the Owner sees while a rotation that was needed has not completed.
//!
//! What a rotation cannot do: a backup made before it still opens with the recovery key (and the
//! old database key), which is what backups are for; and encrypted copies kept in the data folder
//! before it (`pre-migration/`, `pre-restore/`) open with the old key too.

use chartkeep_vault::backup::BackupProgress;
use serde::Serialize;

use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::Permission;
use crate::session::{Authorized, Session};
use crate::store;

/// What a rotation did, for the Owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyRotation {
    /// Users who keep signing in as before.
    pub carried_users: usize,
    /// Users whose key slots were too old to carry over (they have not signed in since an
    /// upgrade): they need a new password from the Owner.
    pub users_needing_new_password: Vec<String>,
    pub database_bytes: u64,
}

/// Why a rotation runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RotationReason {
    UserDeactivated,
    AskedByOwner,
}

impl RotationReason {
    fn as_str(self) -> &'static str {
        match self {
            RotationReason::UserDeactivated => "user_deactivated",
            RotationReason::AskedByOwner => "asked_by_owner",
        }
    }
}

/// Rotates the key under `authorized`, recording why.
pub(crate) fn rotate(
    authorized: &mut Authorized<'_>,
    reason: RotationReason,
    progress: &mut dyn FnMut(BackupProgress) -> bool,
) -> ClinicResult<KeyRotation> {
    let active: Vec<String> =
        store::all_users(authorized.connection())?.into_iter().filter(|user| user.active).map(|user| user.id).collect();
    let event = AuditEvent::success(AuditAction::DatabaseKeyRotated)
        .category("whole_database")
        .reason(reason.as_str())
        .detail("users_carried_over", Detail::Count(active.len() as u64));
    let outcome = authorized.rotate_database_key(&active, &event, progress)?;
    let names = store::all_users(authorized.connection())?
        .into_iter()
        .filter(|user| outcome.dropped_user_ids.contains(&user.id))
        .map(|user| format!("{} ({})", user.full_name, user.username))
        .collect();
    Ok(KeyRotation {
        carried_users: outcome.carried_users,
        users_needing_new_password: names,
        database_bytes: outcome.database_bytes,
    })
}

impl Session {
    /// Rotates the database key by hand (the Owner's "Rotate the database key"): every page is
    /// re-encrypted under a new key, with progress, and every active user keeps their password.
    pub fn rotate_database_key(
        &mut self,
        progress: &mut dyn FnMut(BackupProgress) -> bool,
    ) -> ClinicResult<KeyRotation> {
        let mut authorized = self.authorize(Permission::ManageUsers, AuditAction::DatabaseKeyRotated)?;
        rotate(&mut authorized, RotationReason::AskedByOwner, progress)
    }

    /// Since when a rotation has been needed and not completed (a deactivation whose rotation
    /// failed or was cut off), for the Owner's reminder; `None` when none is.
    pub fn database_key_rotation_needed(&mut self) -> ClinicResult<Option<String>> {
        let authorized = self.authorize(Permission::ManageUsers, AuditAction::SettingsViewed)?;
        store::rotation_needed_since(authorized.connection())
    }
}

/// The plain words for a deactivation whose rotation did not complete.
pub(crate) fn deactivated_but_not_rotated(error: &ClinicError) -> ClinicError {
    let cause = match error {
        ClinicError::Vault(chartkeep_vault::VaultError::RotationRefused(why)) => (*why).to_owned(),
        ClinicError::Vault(chartkeep_vault::VaultError::Cancelled) => "it was cancelled".to_owned(),
        other => {
            tracing::error!(code = ?other.code(), "the rotation after a deactivation failed");
            "something stopped it".to_owned()
        }
    };
    ClinicError::KeyRotationPending { cause }
}
