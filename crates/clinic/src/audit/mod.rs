//! The audit core: an append-only, hash-chained trail of who did what, written in the same
//! transaction as the change it records.

mod alerts;
mod anchor;
mod chain;
mod event;
mod store;
mod verify;

pub(crate) use store::alerts as alert_store;
pub use store::query;

pub use alerts::{IntegrityAlertCode, IntegrityAlertKind};
pub use anchor::{CheckScope, UnlockCheck};
pub(crate) use anchor::{check_against_anchor, from_verification};
pub(crate) use chain::append;
pub use chain::{Actor, AuditEntry, AuditKey, ChainHead, GENESIS_HASH};
pub use event::{AuditAction, AuditEvent, Detail, Outcome};
pub use store::chain_head;
pub(crate) use verify::verify_chain_in_parallel;
pub use verify::{ChainFault, ChainVerification, verify_chain};
