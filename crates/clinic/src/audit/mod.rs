//! The audit core: an append-only, hash-chained trail of who did what, written in the same
//! transaction as the change it records.

mod chain;
mod event;
mod verify;

pub(crate) use chain::append;
pub use chain::{Actor, AuditEntry, AuditKey, ChainHead, GENESIS_HASH, chain_head};
pub use event::{AuditAction, AuditEvent, Detail, Outcome};
pub use verify::{ChainFault, ChainVerification, verify_chain};
