//! The clinic use cases against real parts: SQLCipher files and the OS keyring (run through
//! `scripts/with-private-keyring`, as `make test` does).
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod audit_chain;
mod sign_in;

use std::sync::Arc;

use chartkeep_clinic::{NewPractice, PracticeSetup, Session, SystemClock, Workstation};
use chartkeep_vault::{DataDir, KdfChoice, KdfParams, OsKeyring, Password};

pub const OWNER_PASSWORD: &str = "harbour lantern quietly";

#[derive(Debug)]
pub struct Practice {
    pub folder: tempfile::TempDir,
    pub data_dir: DataDir,
}

pub fn cheap_kdf() -> KdfChoice {
    KdfChoice::Explicit(KdfParams::INSECURE_FOR_TESTS)
}

pub fn setup_form() -> PracticeSetup {
    PracticeSetup {
        practice_name: "Riverside Family Practice".into(),
        owner_full_name: "Amara Okafor".into(),
        owner_username: "aokafor".into(),
        owner_password: Password::new(OWNER_PASSWORD),
    }
}

pub fn open_workstation(practice: &Practice) -> Workstation {
    Workstation::open(&practice.data_dir, Box::new(OsKeyring), Arc::new(SystemClock)).unwrap()
}

/// A practice set up in a fresh folder; returns the owner's session and its workstation.
pub fn new_practice() -> (Practice, Workstation, NewPractice) {
    let folder = tempfile::tempdir().unwrap();
    let practice = Practice { data_dir: DataDir::at(folder.path().join("practice")), folder };
    let workstation = open_workstation(&practice);
    let created = workstation.set_up_practice(&setup_form(), cheap_kdf()).expect("setup (is a keyring running?)");
    (practice, workstation, created)
}

pub fn log_in(workstation: &Workstation) -> Session {
    workstation.log_in("aokafor", &Password::new(OWNER_PASSWORD)).unwrap()
}
