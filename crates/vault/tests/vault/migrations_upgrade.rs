//! The migration-upgrade test: every released schema (a snapshot in `released-schemas/`) is
//! migrated to the latest version and must then equal a freshly created database's schema.

use std::path::PathBuf;

use chartkeep_vault::migrations;
use rusqlite::Connection;

use super::{PASSWORD, create, fixture, unlock};

fn snapshots_folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/released-schemas")
}

/// The schema as comparable rows: kind, name, and SQL with white space folded.
fn schema_of(connection: &Connection) -> Vec<(String, String, String)> {
    let mut statement = connection
        .prepare("SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name")
        .unwrap();
    statement
        .query_map([], |row| {
            let sql: String = row.get(2)?;
            Ok((row.get(0)?, row.get(1)?, sql.split_whitespace().collect::<Vec<_>>().join(" ")))
        })
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

/// The schema as SQL that can be run again: each statement as SQLite stores it, so a comment
/// inside a statement still ends at its line break.
fn snapshot_text(connection: &Connection) -> String {
    let mut statement = connection
        .prepare("SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY CASE type WHEN 'table' THEN 0 WHEN 'index' THEN 1 ELSE 2 END, name")
        .unwrap();
    statement.query_map([], |row| row.get::<_, String>(0)).unwrap().map(|sql| format!("{};\n", sql.unwrap())).collect()
}

fn replace_schema(connection: &Connection, snapshot_sql: &str, version: u32) {
    let objects = schema_of(connection);
    connection.execute_batch("PRAGMA foreign_keys = OFF;").unwrap();
    for kind in ["trigger", "index", "table"] {
        for (object_kind, name, _) in objects.iter().filter(|(object_kind, _, _)| object_kind == kind) {
            connection.execute_batch(&format!("DROP {object_kind} IF EXISTS \"{name}\";")).unwrap();
        }
    }
    connection.execute_batch(snapshot_sql).unwrap();
    connection.pragma_update(None, "user_version", version).unwrap();
}

#[test]
fn every_released_schema_migrates_to_the_same_schema_as_a_fresh_database() {
    let fresh_fixture = fixture();
    let fresh = create(&fresh_fixture).vault;
    let fresh_schema = schema_of(fresh.connection());
    for migration in migrations::all() {
        let path = snapshots_folder().join(format!("schema-{}.sql", migration.version));
        let Ok(snapshot) = std::fs::read_to_string(&path) else { continue };
        let upgraded_fixture = fixture();
        let vault = create(&upgraded_fixture).vault;
        replace_schema(vault.connection(), &snapshot, migration.version);
        vault.lock().unwrap();
        let upgraded = unlock(&upgraded_fixture, PASSWORD).unwrap();
        let version: u32 = upgraded.connection().query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
        assert_eq!(version, migrations::latest_version(), "schema {} was not migrated", migration.version);
        assert_eq!(schema_of(upgraded.connection()), fresh_schema, "schema {} migrates differently", migration.version);
    }
}

/// Each released version must leave a snapshot behind, so the test above covers it forever.
/// `UPDATE_SCHEMA_SNAPSHOT=1` writes the snapshot of the current version.
#[test]
fn the_current_schema_has_a_released_snapshot() {
    let fixture = fixture();
    let vault = create(&fixture).vault;
    let current = snapshot_text(vault.connection());
    let path = snapshots_folder().join(format!("schema-{}.sql", migrations::latest_version()));
    if std::env::var_os("UPDATE_SCHEMA_SNAPSHOT").is_some() {
        std::fs::write(&path, &current).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert_eq!(committed, current, "{} is missing or stale: run with UPDATE_SCHEMA_SNAPSHOT=1", path.display());
}

#[test]
fn a_failing_migration_keeps_an_encrypted_copy_and_changes_nothing() {
    let fixture = fixture();
    let vault = create(&fixture).vault;
    vault.connection().execute_batch("CREATE TABLE kept (x); INSERT INTO kept VALUES (42);").unwrap();
    // Pretend the database is at schema 0 although it holds data: migration 1 then fails
    // (its tables exist) and must roll back completely.
    vault.connection().pragma_update(None, "user_version", 0).unwrap();
    vault.lock().unwrap();
    assert!(unlock(&fixture, PASSWORD).is_err());
    let copies: Vec<_> = std::fs::read_dir(fixture.data_dir.pre_migration_copies()).unwrap().flatten().collect();
    assert_eq!(copies.len(), 1, "one encrypted copy is kept before migrating");
    let copy = std::fs::read(copies[0].path()).unwrap();
    assert!(!copy.starts_with(b"SQLite format 3"), "the copy is encrypted");
}
