//! The audit chain: what setup and sign-in record, and that every kind of tampering with raw SQL
//! (by someone holding the database key) is detected and names the entry.

use chartkeep_clinic::audit::{ChainFault, ChainVerification};
use chartkeep_vault::{OsKeyring, Password, UnlockedVault, unlock_with_password};

use super::{OWNER_PASSWORD, Practice, log_in, new_practice, open_workstation};

fn actions(vault: &UnlockedVault) -> Vec<String> {
    let mut statement = vault.connection().prepare("SELECT action FROM audit_log ORDER BY seq").unwrap();
    statement.query_map([], |row| row.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
}

/// Opens the database directly with the owner's password, as an attacker with the key would.
pub fn raw_vault(practice: &Practice) -> UnlockedVault {
    let claim = practice.data_dir.claim().unwrap();
    unlock_with_password(&claim, &OsKeyring, "aokafor", &Password::new(OWNER_PASSWORD)).unwrap()
}

pub fn tamper(practice: &Practice, sql: &str) {
    let vault = raw_vault(practice);
    vault
        .connection()
        .execute_batch(&format!(
            "DROP TRIGGER audit_log_is_append_only_update; DROP TRIGGER audit_log_is_append_only_delete; {sql}"
        ))
        .unwrap();
    vault.lock().unwrap();
}

/// A practice with a few entries (setup, a settings change by the test fixture, log-out, log-in,
/// lock, unlock), everything closed.
pub fn practice_with_history() -> Practice {
    let (practice, workstation, created) = new_practice();
    created.session.log_out().unwrap();
    let locked = log_in(&workstation).lock().unwrap();
    workstation.unlock(&locked, &Password::new(OWNER_PASSWORD)).unwrap().log_out().unwrap();
    practice
}

fn verify(practice: &Practice) -> ChainVerification {
    let workstation = open_workstation(practice);
    let mut session = log_in(&workstation);
    let verification = session.verify_audit_chain().unwrap();
    session.log_out().unwrap();
    verification
}

#[test]
fn setup_sign_in_lock_and_unlock_are_recorded_and_the_chain_verifies() {
    let practice = practice_with_history();
    let vault = raw_vault(&practice);
    assert_eq!(
        actions(&vault),
        [
            "practice_created",
            "user_created",
            "login",
            "settings_changed",
            "logout",
            "login",
            "lock",
            "unlock",
            "logout"
        ]
    );
    vault.lock().unwrap();
    match verify(&practice) {
        ChainVerification::Intact { entries, head } => {
            assert_eq!(entries, 10, "nine entries, then the sign-in that verified");
            assert_eq!(head.unwrap().seq, 10);
        }
        broken => panic!("expected an intact chain: {broken:?}"),
    }
}

#[test]
fn the_audit_table_refuses_updates_and_deletes() {
    let practice = practice_with_history();
    let vault = raw_vault(&practice);
    assert!(vault.connection().execute("UPDATE audit_log SET action = 'x' WHERE seq = 1", []).is_err());
    assert!(vault.connection().execute("DELETE FROM audit_log WHERE seq = 1", []).is_err());
}

fn assert_broken(practice: &Practice, expected_seq: i64, expected_fault: ChainFault) {
    match verify(practice) {
        ChainVerification::Broken { seq, fault } => {
            assert_eq!((seq, fault), (expected_seq, expected_fault));
        }
        intact => panic!("tampering went unseen: {intact:?}"),
    }
}

#[test]
fn an_edited_field_is_detected_at_its_entry() {
    let practice = practice_with_history();
    tamper(&practice, "UPDATE audit_log SET outcome = 'failed' WHERE seq = 4;");
    assert_broken(&practice, 4, ChainFault::AlteredEntry);
}

#[test]
fn a_deleted_entry_is_detected() {
    let practice = practice_with_history();
    tamper(&practice, "DELETE FROM audit_log WHERE seq = 3;");
    assert_broken(&practice, 4, ChainFault::MissingEntries { expected: 3 });
}

#[test]
fn two_swapped_entries_are_detected() {
    let practice = practice_with_history();
    tamper(
        &practice,
        "UPDATE audit_log SET seq = -5 WHERE seq = 5;
         UPDATE audit_log SET seq = 5 WHERE seq = 6;
         UPDATE audit_log SET seq = 6 WHERE seq = -5;",
    );
    assert_broken(&practice, 5, ChainFault::AlteredEntry);
}

#[test]
fn a_forged_entry_is_detected() {
    let practice = practice_with_history();
    let vault = raw_vault(&practice);
    let (prev_hash, hash): (Vec<u8>, Vec<u8>) = vault
        .connection()
        .query_row("SELECT prev_hash, hash FROM audit_log WHERE seq = 9", [], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap();
    vault.lock().unwrap();
    // A plausible entry appended after the end, linked correctly, but hashed without the key.
    tamper(
        &practice,
        &format!(
            "INSERT INTO audit_log (seq, occurred_at, roles, workstation_id, action, outcome, details, prev_hash, hash)
             VALUES (10, '2026-01-01T00:00:00.000Z', 'owner', 'x', 'login', 'success', '{{}}', x'{}', x'{}');",
            hex(&hash),
            hex(&prev_hash)
        ),
    );
    assert_broken(&practice, 10, ChainFault::AlteredEntry);
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
