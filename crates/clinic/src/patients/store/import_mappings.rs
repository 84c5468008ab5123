//! The SQL of saved import mappings (each a JSON document under a name).

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::ClinicResult;

pub fn names(connection: &Connection) -> ClinicResult<Vec<String>> {
    Ok(connection
        .prepare("SELECT name FROM import_mappings ORDER BY name")?
        .query_map([], |row| row.get(0))?
        .collect::<Result<_, _>>()?)
}

pub fn by_name(connection: &Connection, name: &str) -> ClinicResult<Option<String>> {
    Ok(connection
        .query_row("SELECT mapping FROM import_mappings WHERE name = ?1", [name], |row| row.get(0))
        .optional()?)
}

/// Saves (or replaces) the mapping under `name`.
pub fn save(connection: &Connection, name: &str, json: &str, saved_by: &str, saved_at: &str) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO import_mappings (name, mapping, saved_by, saved_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (name) DO UPDATE SET mapping = ?2, saved_by = ?3, saved_at = ?4",
        params![name, json, saved_by, saved_at],
    )?;
    Ok(())
}
