//! The audit chain: each entry's hash is HMAC-SHA256 (keyed from the database key) over a
//! canonical encoding of the entry, which includes the previous entry's hash. Nobody without the
//! key can forge an entry, and no entry can be edited, removed or moved unseen.

use hmac::{Hmac, Mac};
use rusqlite::Connection;
use sha2::Sha256;
use zeroize::Zeroizing;

use super::event::AuditEvent;
use crate::error::ClinicResult;

/// The HMAC key of the audit chain, a practice key kept in the database (see
/// `chartkeep_vault::UnlockedVault::practice_key`), so a rotation of the database key leaves the
/// chain as it is. Wiped on drop.
pub struct AuditKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for AuditKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AuditKey([redacted])")
    }
}

impl AuditKey {
    pub const PURPOSE: &'static str = "chartkeep/audit-chain/v1";

    pub fn from_vault(vault: &chartkeep_vault::UnlockedVault) -> ClinicResult<Self> {
        Ok(AuditKey(vault.practice_key(Self::PURPOSE)?))
    }

    /// The key of the chain inside a backup's snapshot (the same as the practice's).
    pub fn from_snapshot(snapshot: &chartkeep_vault::backup::Snapshot) -> ClinicResult<Self> {
        Ok(AuditKey(snapshot.practice_key(Self::PURPOSE)?))
    }

    #[cfg(test)]
    pub(crate) fn for_tests(bytes: [u8; 32]) -> Self {
        AuditKey(Zeroizing::new(bytes))
    }
}

/// Who did it and where, as recorded in each entry.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub roles: String,
    pub workstation_id: String,
}

/// A stored entry, every column of `audit_log`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub seq: i64,
    pub occurred_at: String,
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub roles: String,
    pub workstation_id: String,
    pub action: String,
    pub patient_id: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub data_category: Option<String>,
    pub outcome: String,
    pub reason: Option<String>,
    pub emergency_access: bool,
    pub details: String,
    pub prev_hash: Vec<u8>,
    pub hash: Vec<u8>,
}

/// The last entry of the chain: its sequence number and hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainHead {
    pub seq: i64,
    pub hash: Vec<u8>,
}

/// The previous hash of the first entry.
pub const GENESIS_HASH: [u8; 32] = [0u8; 32];

fn text(value: &Option<String>) -> Option<&[u8]> {
    value.as_deref().map(str::as_bytes)
}

/// The fields an entry's hash covers, in their canonical order, borrowed from wherever the
/// entry is (a new entry, or a row being verified): `occurred_at`, `user_id`, `username`, `roles`,
/// `workstation_id`, `action`, `patient_id`, `object_type`, `object_id`, `data_category`,
/// `outcome`, `reason`, `emergency_access` (one byte), `details`, `prev_hash`.
pub(crate) struct EntryFields<'a> {
    pub seq: i64,
    pub parts: [Option<&'a [u8]>; 15],
}

pub(crate) const FLAG_BYTES: [&[u8]; 2] = [&[0], &[1]];

impl AuditEntry {
    fn fields(&self) -> EntryFields<'_> {
        EntryFields {
            seq: self.seq,
            parts: [
                Some(self.occurred_at.as_bytes()),
                text(&self.user_id),
                text(&self.username),
                Some(self.roles.as_bytes()),
                Some(self.workstation_id.as_bytes()),
                Some(self.action.as_bytes()),
                text(&self.patient_id),
                text(&self.object_type),
                text(&self.object_id),
                text(&self.data_category),
                Some(self.outcome.as_bytes()),
                text(&self.reason),
                Some(FLAG_BYTES[usize::from(self.emergency_access)]),
                Some(self.details.as_bytes()),
                Some(&self.prev_hash),
            ],
        }
    }
}

fn put(buffer: &mut Vec<u8>, field: Option<&[u8]>) {
    match field {
        // The cast is safe: fields are far shorter than 4 GiB (SQLite's own limit is 1 GB).
        Some(bytes) => {
            buffer.extend_from_slice(&(bytes.len() as u32).to_be_bytes());
            buffer.extend_from_slice(bytes);
        }
        None => buffer.extend_from_slice(&u32::MAX.to_be_bytes()),
    }
}

/// The canonical encoding: a version tag, then every field but `hash`, each length-prefixed,
/// with "absent" distinct from "empty". Written into `buffer`, which is cleared first.
fn encode_into(buffer: &mut Vec<u8>, fields: &EntryFields<'_>) {
    buffer.clear();
    buffer.extend_from_slice(b"chartkeep-audit-entry-v1");
    put(buffer, Some(&fields.seq.to_be_bytes()));
    for part in fields.parts {
        put(buffer, part);
    }
}

/// Hashes entries with the chain's key, keyed once and reused: verifying a million entries
/// should cost the hashing, not a million key set-ups and allocations.
pub(crate) struct EntryHasher {
    keyed: Hmac<Sha256>,
    buffer: Vec<u8>,
}

impl EntryHasher {
    pub(crate) fn new(key: &AuditKey) -> Self {
        // HMAC accepts keys of any length, so this cannot fail for a 32-byte key.
        #[allow(clippy::expect_used)]
        let keyed = Hmac::<Sha256>::new_from_slice(key.0.as_ref()).expect("HMAC takes any key length");
        EntryHasher { keyed, buffer: Vec::with_capacity(512) }
    }

    pub(crate) fn hash(&mut self, fields: &EntryFields<'_>) -> [u8; 32] {
        encode_into(&mut self.buffer, fields);
        let mut mac = self.keyed.clone();
        mac.update(&self.buffer);
        mac.finalize().into_bytes().into()
    }
}

pub(crate) fn entry_hash(key: &AuditKey, entry: &AuditEntry) -> Vec<u8> {
    EntryHasher::new(key).hash(&entry.fields()).to_vec()
}

/// Appends one entry after the current head. Call inside the transaction of the change.
pub(crate) fn append(
    connection: &Connection,
    key: &AuditKey,
    actor: &Actor,
    event: &AuditEvent,
    occurred_at: String,
) -> ClinicResult<ChainHead> {
    let (seq, prev_hash) = match super::store::chain_head(connection)? {
        Some(head) => (head.seq + 1, head.hash),
        None => (1, GENESIS_HASH.to_vec()),
    };
    let mut entry = AuditEntry {
        seq,
        occurred_at,
        user_id: actor.user_id.clone(),
        username: actor.username.clone(),
        roles: actor.roles.clone(),
        workstation_id: actor.workstation_id.clone(),
        action: event.action.as_str().to_owned(),
        patient_id: event.patient_id.clone(),
        object_type: event.object_type.map(str::to_owned),
        object_id: event.object_id.clone(),
        data_category: event.data_category.map(str::to_owned),
        outcome: event.outcome.as_str().to_owned(),
        reason: match &event.stated_reason {
            Some(stated) => Some(stated.expose().clone()),
            None => event.reason.map(str::to_owned),
        },
        emergency_access: event.emergency_access,
        details: event.details_json(),
        prev_hash,
        hash: Vec::new(),
    };
    entry.hash = entry_hash(key, &entry);
    super::store::insert_entry(connection, &entry)?;
    Ok(ChainHead { seq: entry.seq, hash: entry.hash })
}
