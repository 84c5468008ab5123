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
mod kdf;
mod key_slots;
pub mod migrations;
mod recovery;
mod secrets;
mod vault;

pub use data_dir::{ClaimedDataDir, DATA_DIR_VARIABLE, DataDir, create_private_dir};
pub use device_keyring::{ChainAnchor, DeviceSecretStore, OsKeyring};
pub use error::{VaultError, VaultResult};
pub use kdf::{KdfChoice, KdfParams};
pub use key_slots::{KeySlots, RecoverySlot, UserSlot, write_atomically};
pub use secrets::{DatabaseKey, DeviceSecret, Password, RecoveryKey};
pub use vault::{
    CreatedVault, RecoveredVault, SlotHolder, UnlockedVault, create_vault, load_device_secret, open_with_recovery_key,
    read_key_slots, unlock_with_password,
};
