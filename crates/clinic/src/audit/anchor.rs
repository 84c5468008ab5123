//! The chain's anchor outside the database. Whenever the vault locks or the app closes, the
//! chain's head (sequence number and hash) is written into the OS keyring entry beside the device
//! secret; at every unlock the chain is compared with it and only the entries written since are
//! verified. A chain shorter than its anchor, or whose entry at the anchor has another hash, was
//! rolled back to an older copy, cut short or edited: that is an integrity alert.

use chartkeep_vault::ChainAnchor;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use super::chain::{AuditKey, ChainHead, chain_head};
use super::verify::{ChainFault, ChainVerification, verify_after, verify_chain};
use crate::error::ClinicResult;

/// What an unlock found when it compared the chain with its anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlockCheck {
    pub scope: CheckScope,
    /// The last entry known good after the check (none for an empty chain or an alert).
    pub verified_through: Option<i64>,
    pub alert: Option<IntegrityAlertKind>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckScope {
    /// The entries written since the anchor were verified, and the anchor's own entry compared.
    SinceAnchor,
    /// There was no anchor (a vault from before anchors, or a keyring entry made anew by
    /// recovery): the whole chain was verified instead.
    WholeChain,
    /// The Owner or Auditor asked for a full verification.
    Full,
}

impl CheckScope {
    pub fn as_str(self) -> &'static str {
        match self {
            CheckScope::SinceAnchor => "since_anchor",
            CheckScope::WholeChain => "whole_chain",
            CheckScope::Full => "full",
        }
    }

    pub fn parse(text: &str) -> Option<CheckScope> {
        [CheckScope::SinceAnchor, CheckScope::WholeChain, CheckScope::Full].into_iter().find(|s| s.as_str() == text)
    }
}

/// Why the chain cannot be trusted as it stands.
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
}

impl IntegrityAlertKind {
    pub fn code(self) -> &'static str {
        match self {
            IntegrityAlertKind::ChainShorterThanAnchor { .. } => "chain_shorter_than_anchor",
            IntegrityAlertKind::AnchorEntryDiffers { .. } => "anchor_entry_differs",
            IntegrityAlertKind::ChainBroken { .. } => "chain_broken",
        }
    }

    /// The entry the alert points at.
    pub fn seq(self) -> Option<i64> {
        match self {
            IntegrityAlertKind::ChainShorterThanAnchor { anchor_seq, .. } => Some(anchor_seq),
            IntegrityAlertKind::AnchorEntryDiffers { anchor_seq } => Some(anchor_seq),
            IntegrityAlertKind::ChainBroken { seq, .. } => Some(seq),
        }
    }

    /// One plain sentence for people.
    pub fn describe(self) -> String {
        match self {
            IntegrityAlertKind::ChainShorterThanAnchor { anchor_seq, head_seq } => format!(
                "The audit trail ends at entry {}, but it had reached entry {anchor_seq} when Chartkeep was last \
                 locked on this PC: the database was replaced by an older copy, or entries were removed.",
                head_seq.unwrap_or(0)
            ),
            IntegrityAlertKind::AnchorEntryDiffers { anchor_seq } => format!(
                "Audit entry {anchor_seq} is not the entry this PC recorded when Chartkeep was last locked: the \
                 database was replaced by another copy, or the entry was edited."
            ),
            IntegrityAlertKind::ChainBroken { seq, fault } => ChainVerification::Broken { seq, fault }.describe(),
        }
    }
}

impl From<&ChainHead> for ChainAnchor {
    fn from(head: &ChainHead) -> Self {
        ChainAnchor { seq: head.seq, hash: head.hash.clone() }
    }
}

/// Compares the chain with its anchor and verifies what was written since.
pub(crate) fn check_against_anchor(
    connection: &Connection,
    key: &AuditKey,
    anchor: Option<&ChainAnchor>,
) -> ClinicResult<UnlockCheck> {
    let Some(anchor) = anchor else {
        return Ok(from_verification(CheckScope::WholeChain, verify_chain(connection, key)?));
    };
    let head = chain_head(connection)?;
    if head.as_ref().is_none_or(|head| head.seq < anchor.seq) {
        let alert =
            IntegrityAlertKind::ChainShorterThanAnchor { anchor_seq: anchor.seq, head_seq: head.map(|head| head.seq) };
        return Ok(UnlockCheck { scope: CheckScope::SinceAnchor, verified_through: None, alert: Some(alert) });
    }
    let hash_at_anchor: Option<Vec<u8>> =
        connection.query_row("SELECT hash FROM audit_log WHERE seq = ?1", [anchor.seq], |row| row.get(0)).optional()?;
    if hash_at_anchor.as_deref() != Some(anchor.hash.as_slice()) {
        let alert = IntegrityAlertKind::AnchorEntryDiffers { anchor_seq: anchor.seq };
        return Ok(UnlockCheck { scope: CheckScope::SinceAnchor, verified_through: None, alert: Some(alert) });
    }
    let start = ChainHead { seq: anchor.seq, hash: anchor.hash.clone() };
    Ok(from_verification(CheckScope::SinceAnchor, verify_after(connection, key, Some(&start))?))
}

pub(crate) fn from_verification(scope: CheckScope, verification: ChainVerification) -> UnlockCheck {
    match verification {
        ChainVerification::Intact { head, .. } => {
            UnlockCheck { scope, verified_through: head.map(|head| head.seq), alert: None }
        }
        ChainVerification::Broken { seq, fault } => {
            UnlockCheck { scope, verified_through: None, alert: Some(IntegrityAlertKind::ChainBroken { seq, fault }) }
        }
    }
}
