//! Entry points for the fuzz targets (`fuzz/`, run by `make fuzz`) and for their quick runs under
//! `cargo test`: thin wrappers that hand bytes to the parsers of what the clinic reads from
//! outside (the failed-sign-in buffer, the throttle file, CSV imports with their mappings, typed
//! dates) and to the FHIR export of charts made from random input, and check what must hold.
//! Only built for tests and with the `fuzzing` feature; the app never contains it.
//!
//! The sign-in files are MAC'd: a target's mode byte can have the harness vouch for the input
//! (MAC it with the fixed device secret and record its digest as the app would), so the fuzzer
//! works on what the parsers do after the MAC, too.

mod dates;
mod fhir;
pub mod fhir_check;
mod import;
mod seeds;
mod sign_in;
#[cfg(test)]
mod tests;

pub use dates::typed_date;
pub use fhir::fhir_bundle;
pub use import::csv_import;
pub use seeds::write_seeds;
pub use sign_in::{sign_in_events, throttle_file, workstation_file};

use chartkeep_vault::fuzzing::{MemoryKeyring, device_secret, scratch_folder};
use chartkeep_vault::{DataDir, DeviceSecretStore, KeyringEntry};

/// The vault id of the targets' keyring entries.
const VAULT_ID: &str = chartkeep_vault::fuzzing::VAULT_ID;

/// 2026-01-01T00:00:00Z: the sign-in targets' clock starts here (the seeds' times are near it).
const EPOCH: i64 = 1_767_225_600;

/// A guard over a fresh data folder, with a keyring entry holding the given counters.
struct SignInFiles {
    folder: tempfile::TempDir,
    keyring: MemoryKeyring,
}

impl SignInFiles {
    fn new(change: impl FnOnce(&mut KeyringEntry)) -> SignInFiles {
        let files = SignInFiles { folder: scratch_folder(), keyring: MemoryKeyring::default() };
        let mut entry = KeyringEntry::new(device_secret());
        change(&mut entry);
        assert!(files.keyring.write(VAULT_ID, &entry).is_ok(), "an entry in memory");
        files
    }

    fn data_dir(&self) -> DataDir {
        DataDir::at(self.folder.path())
    }
}
