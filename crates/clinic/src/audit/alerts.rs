//! What an integrity alert can be about: the audit chain disagreeing with its anchor or failing
//! verification, and what lies outside the database disagreeing with what the database and the
//! keyring recorded (the anchor itself, the key-slot file, the sign-in files, a backup's
//! recipients). Each kind has a stable code (stored, and checked by the schema) and a sentence
//! for people.

use chartkeep_vault::TrustFinding;
use serde::Serialize;

use super::verify::{ChainFault, ChainVerification};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum IntegrityAlertKind {
    /// The chain ends before the anchor: the database was rolled back to an older copy or its
    /// last entries were removed.
    ChainShorterThanAnchor { anchor_seq: i64, head_seq: Option<i64> },
    /// The entry at the anchor's position has another hash: the database was replaced by
    /// another copy, or that entry was edited.
    AnchorEntryDiffers { anchor_seq: i64 },
    /// An entry fails verification: it was edited, forged, removed or moved.
    ChainBroken { seq: i64, fault: ChainFault },
    /// The chain has entries but the keyring holds no anchor: it was removed.
    AnchorMissing { head_seq: i64 },
    /// The keyring holds an anchor that does not read: it was damaged or tampered with.
    AnchorUnreadable,
    /// The key-slot file was not written by the vault.
    KeySlotFileAltered { repaired: bool },
    /// The key-slot file is an older copy than the one the database recorded.
    KeySlotFileRolledBack { found: u64, recorded: u64 },
    /// The database recorded older key slots than this PC's keyring remembers.
    KeySlotRecordBehindKeyring { recorded: u64, remembered: u64 },
    /// Buffered sign-in events whose MAC does not check (written or edited by someone else).
    SignInEventsForged { count: u64 },
    /// Buffered sign-in events that were given out but are neither buffered nor recorded.
    SignInEventsRemoved { count: u64 },
    /// The sign-in throttle's file was edited, forged, rolled back or deleted.
    ThrottleStateTampered,
    /// A backup's recipients differ from those the database recorded.
    BackupRecipientsDiffer,
}

/// An alert's kind without its details: the code stored (and checked by the schema), read back
/// strictly, and sent to the UI.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString, strum::VariantArray,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum IntegrityAlertCode {
    ChainShorterThanAnchor,
    AnchorEntryDiffers,
    ChainBroken,
    AnchorMissing,
    AnchorUnreadable,
    KeySlotFileAltered,
    KeySlotFileRolledBack,
    KeySlotRecordBehindKeyring,
    SignInEventsForged,
    SignInEventsRemoved,
    ThrottleStateTampered,
    BackupRecipientsDiffer,
}

impl IntegrityAlertKind {
    /// The stored code, as text (the audit entry's reason, the log line).
    pub fn code(self) -> &'static str {
        self.kind_code().into()
    }

    pub fn kind_code(self) -> IntegrityAlertCode {
        match self {
            IntegrityAlertKind::ChainShorterThanAnchor { .. } => IntegrityAlertCode::ChainShorterThanAnchor,
            IntegrityAlertKind::AnchorEntryDiffers { .. } => IntegrityAlertCode::AnchorEntryDiffers,
            IntegrityAlertKind::ChainBroken { .. } => IntegrityAlertCode::ChainBroken,
            IntegrityAlertKind::AnchorMissing { .. } => IntegrityAlertCode::AnchorMissing,
            IntegrityAlertKind::AnchorUnreadable => IntegrityAlertCode::AnchorUnreadable,
            IntegrityAlertKind::KeySlotFileAltered { .. } => IntegrityAlertCode::KeySlotFileAltered,
            IntegrityAlertKind::KeySlotFileRolledBack { .. } => IntegrityAlertCode::KeySlotFileRolledBack,
            IntegrityAlertKind::KeySlotRecordBehindKeyring { .. } => IntegrityAlertCode::KeySlotRecordBehindKeyring,
            IntegrityAlertKind::SignInEventsForged { .. } => IntegrityAlertCode::SignInEventsForged,
            IntegrityAlertKind::SignInEventsRemoved { .. } => IntegrityAlertCode::SignInEventsRemoved,
            IntegrityAlertKind::ThrottleStateTampered => IntegrityAlertCode::ThrottleStateTampered,
            IntegrityAlertKind::BackupRecipientsDiffer => IntegrityAlertCode::BackupRecipientsDiffer,
        }
    }

    /// The audit entry the alert points at, for alerts about the chain.
    pub fn seq(self) -> Option<i64> {
        match self {
            IntegrityAlertKind::ChainShorterThanAnchor { anchor_seq, .. } => Some(anchor_seq),
            IntegrityAlertKind::AnchorEntryDiffers { anchor_seq } => Some(anchor_seq),
            IntegrityAlertKind::ChainBroken { seq, .. } => Some(seq),
            IntegrityAlertKind::AnchorMissing { head_seq } => Some(head_seq),
            _ => None,
        }
    }

    /// Whether a second alert of this kind while one is open says nothing new.
    pub(crate) fn repeats_when_open(self) -> bool {
        !matches!(
            self,
            IntegrityAlertKind::SignInEventsForged { .. }
                | IntegrityAlertKind::SignInEventsRemoved { .. }
                | IntegrityAlertKind::BackupRecipientsDiffer
        )
    }

    /// The alert for what the vault found outside the database, if it is one (an upgrade that
    /// recorded the key slots, or a rotation's completion, are not).
    pub fn of_trust_finding(finding: TrustFinding) -> Option<IntegrityAlertKind> {
        match finding {
            TrustFinding::KeySlotFileAltered { repaired } => Some(IntegrityAlertKind::KeySlotFileAltered { repaired }),
            TrustFinding::KeySlotFileRolledBack { found, recorded } => {
                Some(IntegrityAlertKind::KeySlotFileRolledBack { found, recorded })
            }
            TrustFinding::KeySlotRecordBehindKeyring { recorded, remembered } => {
                Some(IntegrityAlertKind::KeySlotRecordBehindKeyring { recorded, remembered })
            }
            TrustFinding::KeySlotsRecordedOnUpgrade
            | TrustFinding::KeyRotationInterrupted
            | TrustFinding::KeyRotationCompleted => None,
        }
    }

    /// One plain sentence for people.
    pub fn describe(self) -> String {
        match self {
            IntegrityAlertKind::ChainShorterThanAnchor { anchor_seq, head_seq } => format!(
                "The audit trail ends at entry {}, but it had reached entry {anchor_seq} when this PC last recorded \
                 it: the database was replaced by an older copy, or entries were removed.",
                head_seq.unwrap_or(0)
            ),
            IntegrityAlertKind::AnchorEntryDiffers { anchor_seq } => format!(
                "Audit entry {anchor_seq} is not the entry this PC recorded: the database was replaced by another \
                 copy, or the entry was edited."
            ),
            IntegrityAlertKind::ChainBroken { seq, fault } => ChainVerification::Broken { seq, fault }.describe(),
            IntegrityAlertKind::AnchorMissing { head_seq } => format!(
                "The audit trail has {head_seq} entries, but this PC's keyring no longer holds the record of where it \
                 stood: it was removed, so an older copy of the database could not be told from the real one. The \
                 whole trail was verified."
            ),
            IntegrityAlertKind::AnchorUnreadable => "This PC's keyring holds a record of the audit trail that does \
                 not read: it was damaged or tampered with. The whole trail was verified."
                .to_owned(),
            IntegrityAlertKind::KeySlotFileAltered { repaired: true } => "The key-slot file beside the database was \
                 not written by Chartkeep: someone edited or replaced it. It was written again from the database's \
                 own record."
                .to_owned(),
            IntegrityAlertKind::KeySlotFileAltered { repaired: false } => "The key-slot file beside the database was \
                 not written by Chartkeep, and the database holds no record to put it right. Recover access with \
                 the Recovery Kit."
                .to_owned(),
            IntegrityAlertKind::KeySlotFileRolledBack { found, recorded } => format!(
                "The key-slot file beside the database is an older copy (version {found}; the database recorded \
                 {recorded}): someone put it back, or the PC stopped while it was written. It was written again \
                 from the database's own record."
            ),
            IntegrityAlertKind::KeySlotRecordBehindKeyring { recorded, remembered } => format!(
                "The database recorded key-slot file version {recorded}, but this PC had already seen version \
                 {remembered}: the database and its key slots were replaced by older copies."
            ),
            IntegrityAlertKind::SignInEventsForged { count } => format!(
                "{count} record(s) of failed sign-ins beside the database were not written by Chartkeep on this PC: \
                 they were forged or edited, and were not entered in the audit trail as they claimed."
            ),
            IntegrityAlertKind::SignInEventsRemoved { count } => format!(
                "{count} record(s) of failed sign-ins beside the database are missing: they were removed (or lost \
                 when the PC stopped)."
            ),
            IntegrityAlertKind::ThrottleStateTampered => "The counters of wrong passwords beside the database were \
                 edited, replaced or removed. Every account was locked for 15 minutes to be safe."
                .to_owned(),
            IntegrityAlertKind::BackupRecipientsDiffer => "A backup was sealed to other keys than the practice's \
                 database records: someone changed where backups go. The backup was marked as failed."
                .to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use strum::VariantArray;

    use super::*;

    #[test]
    fn every_alert_code_reads_back_and_is_one_the_schema_accepts() {
        let schema = include_str!("../../../../migrations/0008_vault_trust.sql");
        let table = &schema[schema.find("CREATE TABLE audit_integrity_alerts_8").unwrap_or(0)..];
        let check = &table[..table.find("seq ").unwrap_or(table.len())];
        for code in IntegrityAlertCode::VARIANTS {
            let text: &'static str = code.into();
            assert_eq!(text.parse::<IntegrityAlertCode>().ok(), Some(*code));
            assert!(check.contains(&format!("'{text}'")), "{text} is not in the schema's CHECK");
        }
        assert!("chain_Broken".parse::<IntegrityAlertCode>().is_err(), "codes are read strictly");
    }
}
