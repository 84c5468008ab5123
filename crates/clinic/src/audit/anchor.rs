//! The chain's anchor outside the database. At sign-in (after the check), every few entries or
//! seconds while a session works, and when it locks or ends, the chain's head (sequence number
//! and hash) is written into the OS keyring entry beside the device secret; at every unlock the
//! chain is compared with it and only the entries written since are verified. A chain shorter
//! than its anchor, or whose entry at the anchor has another hash, was rolled back to an older
//! copy, cut short or edited; a chain with entries but no anchor lost it: each is an integrity
//! alert.

use chartkeep_vault::{AnchorState, ChainAnchor};
use rusqlite::Connection;
use serde::Serialize;

use super::alerts::IntegrityAlertKind;
use super::chain::{AuditKey, ChainHead};
use super::store::chain_head;
use super::verify::{ChainVerification, verify_after, verify_chain};
use crate::error::ClinicResult;

/// What an unlock found when it compared the chain with its anchor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlockCheck {
    pub scope: CheckScope,
    /// The last entry known good after the check (none for an empty chain or a broken one).
    pub verified_through: Option<i64>,
    pub alerts: Vec<IntegrityAlertKind>,
}

impl UnlockCheck {
    pub fn intact(&self) -> bool {
        self.alerts.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum CheckScope {
    /// The entries written since the anchor were verified, and the anchor's own entry compared.
    SinceAnchor,
    /// There was no anchor to compare with (an empty chain, a keyring entry made anew by
    /// recovery, or an anchor that was removed): the whole chain was verified instead.
    WholeChain,
    /// The Owner or Auditor asked for a full verification.
    Full,
}

impl CheckScope {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> crate::ClinicResult<CheckScope> {
        crate::codes::parse_code("scope", text)
    }
}

impl From<&ChainHead> for ChainAnchor {
    fn from(head: &ChainHead) -> Self {
        ChainAnchor { seq: head.seq, hash: head.hash.clone() }
    }
}

/// Compares the chain with its anchor and verifies what was written since. With no anchor the
/// whole chain is verified; a chain that has entries and no anchor (or one that does not read)
/// raises its own alert too, unless `anchor_may_be_absent` (the keyring entry was just made anew
/// by a recovery, so there is nothing it could have held).
pub(crate) fn check_against_anchor(
    connection: &Connection,
    key: &AuditKey,
    anchor: &AnchorState,
    restored: Option<&ChainAnchor>,
    anchor_may_be_absent: bool,
) -> ClinicResult<UnlockCheck> {
    // A restore in place left the restored chain's head as a second anchor: the database a
    // crash left in place is either the old one (the anchor) or the restored one (this).
    if let Some(restored) = restored {
        let hash_there = super::store::hash_at(connection, restored.seq)?;
        if hash_there.as_deref() == Some(restored.hash.as_slice()) {
            let start = ChainHead { seq: restored.seq, hash: restored.hash.clone() };
            return Ok(from_verification(CheckScope::SinceAnchor, verify_after(connection, key, Some(&start))?));
        }
    }
    let anchor = match anchor {
        AnchorState::Present(anchor) => anchor,
        AnchorState::Absent | AnchorState::Unreadable => {
            let mut check = from_verification(CheckScope::WholeChain, verify_chain(connection, key)?);
            let head = chain_head(connection)?;
            let missing = match (anchor, head) {
                (AnchorState::Unreadable, _) => Some(IntegrityAlertKind::AnchorUnreadable),
                (_, Some(head)) if !anchor_may_be_absent => {
                    Some(IntegrityAlertKind::AnchorMissing { head_seq: head.seq })
                }
                _ => None,
            };
            check.alerts.splice(0..0, missing);
            return Ok(check);
        }
    };
    let head = chain_head(connection)?;
    if head.as_ref().is_none_or(|head| head.seq < anchor.seq) {
        let alert =
            IntegrityAlertKind::ChainShorterThanAnchor { anchor_seq: anchor.seq, head_seq: head.map(|head| head.seq) };
        return Ok(UnlockCheck { scope: CheckScope::SinceAnchor, verified_through: None, alerts: vec![alert] });
    }
    let hash_at_anchor = super::store::hash_at(connection, anchor.seq)?;
    if hash_at_anchor.as_deref() != Some(anchor.hash.as_slice()) {
        let alert = IntegrityAlertKind::AnchorEntryDiffers { anchor_seq: anchor.seq };
        return Ok(UnlockCheck { scope: CheckScope::SinceAnchor, verified_through: None, alerts: vec![alert] });
    }
    let start = ChainHead { seq: anchor.seq, hash: anchor.hash.clone() };
    Ok(from_verification(CheckScope::SinceAnchor, verify_after(connection, key, Some(&start))?))
}

pub(crate) fn from_verification(scope: CheckScope, verification: ChainVerification) -> UnlockCheck {
    match verification {
        ChainVerification::Intact { head, .. } => {
            UnlockCheck { scope, verified_through: head.map(|head| head.seq), alerts: Vec::new() }
        }
        ChainVerification::Broken { seq, fault } => {
            UnlockCheck { scope, verified_through: None, alerts: vec![IntegrityAlertKind::ChainBroken { seq, fault }] }
        }
    }
}
