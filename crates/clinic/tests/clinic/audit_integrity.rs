//! Tamper evidence anchored outside the database: the chain's head is kept in the OS keyring at
//! every lock and log-out, and each unlock compares the chain with it. A truncated tail or an
//! older copy of the database file verifies on its own, so only the anchor can catch them; edits
//! made after the anchor are caught at unlock too. Every alert is recorded, shown to the Owner
//! and the Auditor, and acknowledged with a comment.

use chartkeep_clinic::{ErrorCode, Role};

use super::audit_chain::{practice_with_history, raw_vault, tamper};
use super::{Practice, count_audit_entries, create_user, first_sign_in, log_in, open_workstation};

/// Signs in as the owner and returns the kinds of the open alerts and the chain's status.
fn alerts_after_sign_in(practice: &Practice) -> Vec<String> {
    let workstation = open_workstation(practice);
    let mut owner = log_in(&workstation);
    let status = owner.audit_integrity_status().unwrap();
    owner.log_out().unwrap();
    status.open_alerts.into_iter().map(|alert| <&str>::from(alert.kind).to_owned()).collect()
}

#[test]
fn an_untouched_chain_is_verified_since_its_anchor_at_every_unlock() {
    let practice = practice_with_history();
    let workstation = open_workstation(&practice);
    let mut owner = log_in(&workstation);
    let status = owner.audit_integrity_status().unwrap();
    assert!(status.open_alerts.is_empty());
    let check = status.last_check.unwrap();
    assert!(check.intact);
    assert_eq!(check.scope, chartkeep_clinic::audit::CheckScope::SinceAnchor);
    assert_eq!(check.verified_through, Some(9), "the chain as found at sign-in, up to the last log-out");
    owner.log_out().unwrap();
}

#[test]
fn a_truncated_tail_verifies_on_its_own_but_the_anchor_catches_it() {
    let practice = practice_with_history();
    tamper(&practice, "DELETE FROM audit_log WHERE seq >= 8;");
    assert_eq!(alerts_after_sign_in(&practice), ["chain_shorter_than_anchor"]);
    assert_eq!(
        count_audit_entries(&practice, "action = 'audit_integrity_alert' AND reason = 'chain_shorter_than_anchor'"),
        1
    );
}

#[test]
fn an_older_copy_of_the_database_file_is_detected() {
    let practice = practice_with_history();
    let database = practice.data_dir.database();
    let older = practice.folder.path().join("older-copy.db");
    std::fs::copy(&database, &older).unwrap();
    // More work happens, the anchor moves on; then the older file is put back.
    let workstation = open_workstation(&practice);
    log_in(&workstation).lock().unwrap();
    drop(workstation);
    std::fs::copy(&older, &database).unwrap();
    assert_eq!(alerts_after_sign_in(&practice), ["chain_shorter_than_anchor"]);
}

#[test]
fn an_older_copy_grown_past_the_anchor_is_detected_by_the_hash_at_the_anchor() {
    let practice = practice_with_history();
    let database = practice.data_dir.database();
    let older = practice.folder.path().join("older-copy.db");
    std::fs::copy(&database, &older).unwrap();
    let workstation = open_workstation(&practice);
    log_in(&workstation).log_out().unwrap();
    drop(workstation);
    // The older copy, grown elsewhere to more entries than the anchor counts, comes back.
    let current = std::fs::read(&database).unwrap();
    std::fs::copy(&older, &database).unwrap();
    tamper(
        &practice,
        "INSERT INTO audit_log (seq, occurred_at, roles, workstation_id, action, outcome, details, prev_hash, hash)
         SELECT seq + 9, occurred_at, roles, workstation_id, action, outcome, details, prev_hash, hash
         FROM audit_log WHERE seq <= 5;",
    );
    assert_ne!(std::fs::read(&database).unwrap(), current);
    let workstation = open_workstation(&practice);
    for _ in 0..3 {
        // The first sign-in raises the alert; later ones find it still open.
        log_in(&workstation).log_out().unwrap();
    }
    let mut owner = log_in(&workstation);
    let kinds: Vec<String> = owner
        .audit_integrity_status()
        .unwrap()
        .open_alerts
        .into_iter()
        .map(|a| <&str>::from(a.kind).to_owned())
        .collect();
    assert_eq!(kinds, ["anchor_entry_differs"], "raised once, when the grown copy first came back");
    owner.log_out().unwrap();
}

#[test]
fn an_edit_after_the_anchor_is_caught_at_unlock() {
    let practice = practice_with_history();
    // Entries written after the last anchor (the sign-in's), then edited before the next unlock.
    let workstation = open_workstation(&practice);
    let mut session = log_in(&workstation);
    session.list_users().unwrap();
    drop(session); // a crash: no log-out, so no new anchor
    drop(workstation);
    tamper(&practice, "UPDATE audit_log SET outcome = 'failed' WHERE seq = 11;");
    assert_eq!(alerts_after_sign_in(&practice), ["chain_broken"]);
}

#[test]
fn an_edit_of_the_anchored_entry_is_caught_at_unlock() {
    let practice = practice_with_history();
    tamper(&practice, "UPDATE audit_log SET hash = randomblob(32) WHERE seq = 9;");
    assert_eq!(alerts_after_sign_in(&practice), ["anchor_entry_differs"]);
}

#[test]
fn a_forged_entry_appended_after_the_anchor_is_caught_at_unlock() {
    let practice = practice_with_history();
    let vault = raw_vault(&practice);
    let hash: Vec<u8> =
        vault.connection().query_row("SELECT hash FROM audit_log WHERE seq = 9", [], |row| row.get(0)).unwrap();
    vault.lock().unwrap();
    let hex: String = hash.iter().map(|byte| format!("{byte:02x}")).collect();
    tamper(
        &practice,
        &format!(
            "INSERT INTO audit_log (seq, occurred_at, roles, workstation_id, action, outcome, details, prev_hash, hash)
             VALUES (10, '2026-01-01T00:00:00.000Z', 'owner', 'x', 'view', 'success', '{{}}', x'{hex}', randomblob(32));"
        ),
    );
    assert_eq!(alerts_after_sign_in(&practice), ["chain_broken"]);
}

#[test]
fn the_owner_acknowledges_an_alert_with_a_comment_and_it_is_audited() {
    let practice = practice_with_history();
    tamper(&practice, "DELETE FROM audit_log WHERE seq >= 8;");
    let workstation = open_workstation(&practice);
    let mut owner = log_in(&workstation);
    assert_eq!(owner.integrity_alerts_to_show().unwrap(), 1);
    let alert = owner.audit_integrity_status().unwrap().open_alerts.remove(0);
    assert!(alert.description.contains("older copy"), "{}", alert.description);
    let empty = owner.acknowledge_integrity_alert(&alert.id, "  ").unwrap_err();
    assert_eq!(empty.code(), ErrorCode::InvalidInput);
    owner.acknowledge_integrity_alert(&alert.id, "The PC was restored from an old image; checked with IT.").unwrap();
    assert_eq!(owner.integrity_alerts_to_show().unwrap(), 0);
    let again = owner.acknowledge_integrity_alert(&alert.id, "Twice.").unwrap_err();
    assert_eq!(again.code(), ErrorCode::NotFound);
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(count_audit_entries(&practice, "action = 'audit_integrity_alert_acknowledged'"), 1);
    assert!(alerts_after_sign_in(&practice).is_empty(), "no new alert once the anchor moved on");
}

#[test]
fn alerts_reach_the_owner_and_the_auditor_but_no_one_else() {
    let practice = practice_with_history();
    let workstation = open_workstation(&practice);
    let mut owner = log_in(&workstation);
    let auditor = create_user(&mut owner, "privacy", &[Role::Auditor]);
    let desk = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    owner.log_out().unwrap();
    drop(workstation);
    tamper(&practice, "DELETE FROM audit_log WHERE seq >= 12;");
    let workstation = open_workstation(&practice);
    let mut desk_session = first_sign_in(&workstation, "desk", &desk);
    assert_eq!(desk_session.integrity_alerts_to_show().unwrap(), 0);
    let refused = desk_session.audit_integrity_status().unwrap_err();
    assert_eq!(refused.code(), ErrorCode::Forbidden);
    desk_session.log_out().unwrap();
    let mut auditor_session = first_sign_in(&workstation, "privacy", &auditor);
    assert_eq!(auditor_session.integrity_alerts_to_show().unwrap(), 1);
    auditor_session.log_out().unwrap();
}
