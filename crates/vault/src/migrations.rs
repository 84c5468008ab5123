//! The forward-only migration runner. Schema versions are tracked in `PRAGMA user_version`; all
//! pending migrations run in one transaction, so a failure leaves the database as it was.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::data_dir::create_private_dir;
use crate::error::{VaultError, VaultResult};

/// One numbered file of `migrations/`, embedded at build time.
#[derive(Debug)]
pub struct Migration {
    pub version: u32,
    pub name: &'static str,
    pub sql: &'static str,
}

include!(concat!(env!("OUT_DIR"), "/migrations.rs"));

/// Every migration this build knows, in order.
pub fn all() -> &'static [Migration] {
    MIGRATIONS
}

pub fn latest_version() -> u32 {
    MIGRATIONS.last().map_or(0, |migration| migration.version)
}

pub(crate) fn schema_version(connection: &Connection) -> VaultResult<u32> {
    let version: i64 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
    u32::try_from(version).map_err(|_| VaultError::DatabaseUnreadable)
}

/// Applies the migrations after the database's current version, up to `target`.
pub fn migrate_to(connection: &mut Connection, target: u32) -> VaultResult<()> {
    let found = schema_version(connection)?;
    if found >= target {
        return Ok(());
    }
    let transaction = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    for migration in MIGRATIONS.iter().filter(|m| m.version > found && m.version <= target) {
        transaction.execute_batch(migration.sql)?;
    }
    transaction.pragma_update(None, "user_version", target)?;
    crate::failpoints::hit("migration.before-commit")?;
    transaction.commit()?;
    Ok(())
}

/// Brings the schema to the latest version. When the database already holds data, an encrypted
/// copy of the file is kept in `copies` first.
pub(crate) fn migrate(connection: &mut Connection, path: &Path, copies: &Path) -> VaultResult<()> {
    let found = schema_version(connection)?;
    let latest = latest_version();
    if found >= latest {
        return Ok(());
    }
    let holds_anything: i64 = connection.query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get(0))?;
    if holds_anything > 0 {
        keep_encrypted_copy(connection, path, copies, found)?;
    }
    migrate_to(connection, latest)
}

/// Checkpoints the WAL into the main file and copies the (encrypted) file byte for byte.
fn keep_encrypted_copy(connection: &Connection, path: &Path, copies: &Path, version: u32) -> VaultResult<()> {
    connection.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
    create_private_dir(copies)?;
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let target = copies.join(format!("chartkeep-schema{version}-{stamp}.db"));
    std::fs::copy(path, &target).map_err(VaultError::io(&target))?;
    crate::data_dir::sync_written_file(&target)?;
    crate::failpoints::hit("migration.copy-kept")?;
    Ok(())
}
