//! The encrypted vault of a practice: its keys and key slots, this PC's secret in the OS keyring,
//! the SQLCipher database, schema migrations, and the claim on the data folder.
//!
//! Nothing outside this crate opens a database connection. The other crates receive an
//! [`UnlockedVault`] and use its connection; locking drops it, which closes the connection and
//! wipes the keys.

pub mod backup;
mod data_dir;
mod database;
pub use database::open_plain_benchmark_copy;
mod device_keyring;
mod error;
pub mod failpoints;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
mod kdf;
mod key_slots;
pub mod migrations;
mod practice_keys;
mod recovered;
mod recovery;
mod rotation;
mod secrets;
mod trust;
#[cfg(test)]
mod upgrade_tests;
mod vault;

pub use data_dir::{
    ClaimedDataDir, DATA_DIR_VARIABLE, DataDir, create_private_dir, narrow_new_file_to_owner,
    restrict_new_files_to_owner, restrict_to_owner,
};
pub use device_keyring::{AnchorState, ChainAnchor, DeviceSecretStore, KeyringEntry, OsKeyring};
pub use error::{VaultError, VaultResult};
pub use kdf::{KdfChoice, KdfParams};
pub use key_slots::{KeySlots, RecoverySlot, UserSlot, write_atomically};
pub use recovered::{RecoveredVault, open_with_recovery_key};
pub use rotation::{ROTATION_WORK_FOLDER, RotationOutcome};
pub use secrets::{DatabaseKey, DeviceSecret, Password, RecoveryKey};
pub use trust::TrustFinding;
pub use vault::{
    CreatedVault, SlotHolder, UnlockedVault, create_vault, load_device_secret, load_keyring_entry, read_key_slots,
    unlock_with_password,
};
