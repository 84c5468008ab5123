//! Keys the practice keeps across a rotation of the database key: the audit chain's HMAC key and
//! the second factor's recovery codes' key. Before schema 8 they were derived from the database
//! key; the first unlock records them with that same value, so a rotation changes neither.

use rusqlite::{Connection, OptionalExtension, params};
use zeroize::Zeroizing;

use crate::error::{VaultError, VaultResult};
use crate::kdf::subkey;
use crate::secrets::DatabaseKey;
use crate::vault::UnlockedVault;

fn recorded(connection: &Connection, purpose: &str) -> VaultResult<Option<Zeroizing<[u8; 32]>>> {
    let key: Option<Zeroizing<Vec<u8>>> = connection
        .query_row("SELECT key FROM practice_keys WHERE purpose = ?1", [purpose], |row| row.get(0))
        .optional()?
        .map(Zeroizing::new);
    key.map(|bytes| {
        let array: [u8; 32] = bytes.as_slice().try_into().map_err(|_| VaultError::DatabaseUnreadable)?;
        Ok(Zeroizing::new(array))
    })
    .transpose()
}

/// The practice key for `purpose` in a database that may not record it yet (a backup made
/// before schema 8): then it is the value derived from that database's key.
pub(crate) fn practice_key_in(
    connection: &Connection,
    database_key: &DatabaseKey,
    purpose: &str,
) -> VaultResult<Zeroizing<[u8; 32]>> {
    let has_table: bool = connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'practice_keys')",
        [],
        |row| row.get(0),
    )?;
    if has_table && let Some(key) = recorded(connection, purpose)? {
        return Ok(key);
    }
    Ok(subkey(database_key.as_bytes(), purpose))
}

impl UnlockedVault {
    /// The practice's key for one purpose (the audit chain's HMAC key, the recovery codes' key),
    /// recorded in the database the first time it is asked for.
    pub fn practice_key(&self, purpose: &str) -> VaultResult<Zeroizing<[u8; 32]>> {
        if let Some(key) = recorded(&self.connection, purpose)? {
            return Ok(key);
        }
        let key = subkey(self.database_key.as_bytes(), purpose);
        self.connection.execute(
            "INSERT OR IGNORE INTO practice_keys (purpose, key) VALUES (?1, ?2)",
            params![purpose, key.as_slice()],
        )?;
        Ok(key)
    }
}
