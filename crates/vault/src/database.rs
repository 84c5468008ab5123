//! Opening the SQLCipher database. This module is the only place in Chartkeep that opens a
//! database connection.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use crate::error::{VaultError, VaultResult};
use crate::migrations;
use crate::secrets::DatabaseKey;

/// Every connection that writes: a write-ahead log, each commit on disk before it returns,
/// deleted content overwritten, and a 64 MiB page cache.
const CONNECTION_SETTINGS: &str = "PRAGMA journal_mode = WAL;
     PRAGMA synchronous = FULL;
     PRAGMA temp_store = MEMORY;
     PRAGMA foreign_keys = ON;
     PRAGMA secure_delete = ON;
     PRAGMA cache_size = -65536;";

/// Opens (or creates) the encrypted database at `path` with `key`, refuses a database written by
/// a newer Chartkeep before changing anything, applies the connection settings, and brings the
/// schema up to date (keeping an encrypted copy first when the database already holds data).
pub(crate) fn open_encrypted(path: &Path, key: &DatabaseKey, pre_migration_copies: &Path) -> VaultResult<Connection> {
    let mut connection = open_keyed(path, key)?;
    let found = migrations::schema_version(&connection)?;
    let supported = migrations::latest_version();
    if found > supported {
        return Err(VaultError::DatabaseNewerThanApp { found, supported });
    }
    connection.execute_batch(CONNECTION_SETTINGS)?;
    migrations::migrate(&mut connection, path, pre_migration_copies)?;
    Ok(connection)
}

/// Opens the file and sets the key, then proves the key by reading the schema. Nothing is written.
pub(crate) fn open_keyed(path: &Path, key: &DatabaseKey) -> VaultResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let created = !path.exists();
    let connection = Connection::open_with_flags(path, flags)?;
    if created {
        // SQLite creates files 0644 less the umask; its log and shared-memory files take the
        // database file's mode, so narrowing it narrows them too.
        crate::data_dir::restrict_to_owner(path)?;
    }
    connection.execute_batch(&key.sqlcipher_pragma())?;
    connection.execute_batch("PRAGMA cipher_memory_security = ON;")?;
    connection
        .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0))
        .map_err(|_| VaultError::DatabaseUnreadable)?;
    Ok(connection)
}

/// Opens a second, read-only connection to an encrypted database already open: for work that
/// reads in parallel (verifying the audit chain on several cores).
pub(crate) fn open_reader(path: &Path, key: &DatabaseKey) -> VaultResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(path, flags)?;
    connection.execute_batch(&key.sqlcipher_pragma())?;
    connection
        .execute_batch("PRAGMA cipher_memory_security = ON; PRAGMA query_only = ON; PRAGMA temp_store = MEMORY;")?;
    connection
        .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0))
        .map_err(|_| VaultError::DatabaseUnreadable)?;
    Ok(connection)
}

/// Opens a snapshot (a backup's copy of a database, in a work folder) read-only, to check it or
/// read its counts. SQLCipher's own log stays quiet: a snapshot that does not open with a key is
/// an expected answer (a wrong backup), not an event.
pub(crate) fn open_snapshot(path: &Path, key: &DatabaseKey) -> VaultResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(path, flags)?;
    connection.execute_batch(&key.sqlcipher_pragma())?;
    connection.execute_batch("PRAGMA cipher_log_level = NONE; PRAGMA query_only = ON; PRAGMA temp_store = MEMORY;")?;
    connection
        .query_row("SELECT count(*) FROM sqlite_master", [], |row| row.get::<_, i64>(0))
        .map_err(|_| VaultError::DatabaseUnreadable)?;
    Ok(connection)
}

/// An empty in-memory database, held for a moment in place of a connection being closed.
pub(crate) fn placeholder() -> VaultResult<Connection> {
    Ok(Connection::open_in_memory()?)
}

/// What SQLCipher's page check (every page's HMAC) and then SQLite's structure check find wrong
/// in the database behind `connection`; empty when both pass. A page that fails its HMAC leaves
/// the connection unusable, so the structure check runs only when the pages pass.
pub(crate) fn integrity_problems(connection: &Connection) -> Vec<String> {
    let mut problems = Vec::new();
    let read = connection.pragma_query(None, "cipher_integrity_check", |row| {
        problems.push(format!("page check: {}", row.get::<_, String>(0)?));
        Ok(())
    });
    if let Err(error) = read {
        problems.push(format!("page check stopped: {error}"));
    }
    if !problems.is_empty() {
        return problems;
    }
    let mut structure = Vec::new();
    let read = connection.pragma_query(None, "integrity_check", |row| {
        structure.push(row.get::<_, String>(0)?);
        Ok(())
    });
    if let Err(error) = read {
        structure.push(error.to_string());
    }
    if structure != ["ok"] {
        problems.extend(structure.into_iter().map(|problem| format!("structure check: {problem}")));
    }
    problems
}

/// Opens an unencrypted SQLite file with the same settings as the practice's database: only
/// for benchmarks that compare SQLCipher with plain SQLite on a copy of synthetic data, so both
/// sides have the same cache and the same durability. No practice data is ever kept unencrypted.
pub fn open_plain_benchmark_copy(path: &Path) -> VaultResult<Connection> {
    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let connection = Connection::open_with_flags(path, flags)?;
    connection.execute_batch(CONNECTION_SETTINGS)?;
    Ok(connection)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_database_opens_only_with_its_own_key() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("test.db");
        let key = DatabaseKey::from_bytes([3; 32]);
        let connection = open_encrypted(&path, &key, folder.path()).unwrap();
        connection.execute_batch("CREATE TABLE probe (x); INSERT INTO probe VALUES (1);").unwrap();
        drop(connection);
        let wrong = DatabaseKey::from_bytes([4; 32]);
        assert!(matches!(open_keyed(&path, &wrong), Err(VaultError::DatabaseUnreadable)));
        assert!(open_keyed(&path, &key).is_ok());
    }

    #[test]
    fn connections_use_the_required_settings() {
        let folder = tempfile::tempdir().unwrap();
        let key = DatabaseKey::from_bytes([5; 32]);
        let connection = open_encrypted(&folder.path().join("test.db"), &key, folder.path()).unwrap();
        let text = |pragma: &str| connection.query_row(&format!("PRAGMA {pragma}"), [], |row| row.get::<_, String>(0));
        let number = |pragma: &str| connection.query_row(&format!("PRAGMA {pragma}"), [], |row| row.get::<_, i64>(0));
        assert_eq!(text("journal_mode").unwrap(), "wal");
        assert_eq!(number("synchronous").unwrap(), 2, "FULL");
        assert_eq!(number("temp_store").unwrap(), 2, "MEMORY");
        assert_eq!(number("foreign_keys").unwrap(), 1);
        assert_eq!(text("cipher_memory_security").unwrap(), "1");
        assert!(!text("cipher_version").unwrap().is_empty());
    }
}
