//! The audit chain's anchor follows the work: a session writes the chain's head into the keyring
//! entry at sign-in, every few entries or seconds while it works, and when it locks or ends, so a
//! copy of the database taken before (or early in) a session cannot be put back unseen, even if
//! the session then ends in a crash.

use std::cell::{Cell, RefCell};
use std::sync::Arc;
use std::time::Instant;

use chartkeep_vault::{ChainAnchor, DeviceSecretStore};

use crate::audit::ChainHead;

/// How often a working session writes the chain's anchor: after this many entries, or once
/// this long has passed since the last anchor and an entry is committed (and by the app's timer,
/// see [`Session::anchor_if_due`]). The window in which a copy of the database taken mid-session
/// could be put back unseen is at most this wide. Measured in `bench chart`.
pub const ANCHOR_EVERY_ENTRIES: u32 = 16;
pub const ANCHOR_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Writes the chain's anchor as the session works.
#[derive(Debug)]
pub(crate) struct AnchorKeeper {
    keyring: Arc<dyn DeviceSecretStore>,
    vault_id: String,
    pub(super) entries_since: Cell<u32>,
    written_at: Cell<Instant>,
    /// The head not yet anchored, if any.
    pending: RefCell<Option<ChainHead>>,
}

impl AnchorKeeper {
    pub(super) fn new(keyring: Arc<dyn DeviceSecretStore>, vault_id: &str) -> Self {
        AnchorKeeper {
            keyring,
            vault_id: vault_id.to_owned(),
            entries_since: Cell::new(0),
            written_at: Cell::new(Instant::now()),
            pending: RefCell::new(None),
        }
    }

    /// Notes a committed head, and anchors it when enough entries or time went by.
    pub(super) fn committed(&self, head: &ChainHead, entries: u32) {
        self.entries_since.set(self.entries_since.get().saturating_add(entries));
        *self.pending.borrow_mut() = Some(head.clone());
        if self.entries_since.get() >= ANCHOR_EVERY_ENTRIES || self.written_at.get().elapsed() >= ANCHOR_EVERY {
            self.write_pending();
        }
    }

    /// Anchors the last committed head now, if it is not yet.
    pub(super) fn write_pending(&self) {
        let Some(head) = self.pending.borrow_mut().take() else { return };
        self.write(&head);
    }

    pub(super) fn write(&self, head: &ChainHead) {
        if chartkeep_vault::failpoints::hit("anchor.writing").is_err() {
            *self.pending.borrow_mut() = Some(head.clone());
            return;
        }
        if let Err(error) = self.keyring.store_anchor(&self.vault_id, &ChainAnchor::from(head)) {
            tracing::error!(%error, "the audit chain's anchor could not be written to the keyring");
            *self.pending.borrow_mut() = Some(head.clone());
            return;
        }
        self.entries_since.set(0);
        self.written_at.set(Instant::now());
    }
}
