//! A patient's identifier: the UUID a record was registered under. It is its own type, so a
//! patient's id is never passed where an encounter's, a user's or an appointment's is expected,
//! and a use case that needs a patient says so in its signature. It says nothing about the person,
//! so it may go where identifiers may (an audit entry's details, a `Debug` print).

use rusqlite::ToSql;
use rusqlite::types::{FromSql, FromSqlResult, ToSqlOutput, ValueRef};
use serde::{Deserialize, Serialize};

/// A bare string is refused where a patient is expected:
///
/// ```compile_fail
/// fn open(_patient: &chartkeep_clinic::patients::PatientId) {}
/// let encounter_id = "30000000-0000-4000-8000-000000000001";
/// open(encounter_id);
/// ```
///
/// ```
/// fn open(_patient: &chartkeep_clinic::patients::PatientId) {}
/// open(&chartkeep_clinic::patients::PatientId::new("10000000-0000-4000-8000-000000000001"));
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct PatientId(String);

impl PatientId {
    /// A new identifier for a record being registered.
    pub fn generate() -> PatientId {
        PatientId(uuid::Uuid::new_v4().to_string())
    }

    /// The id as the UI or a caller sent it. Whether a patient has it is for the use case to find
    /// out (a wrong one is "not found", never a panic).
    pub fn new(text: impl Into<String>) -> PatientId {
        PatientId(text.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for PatientId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PatientId({})", self.0)
    }
}

impl std::fmt::Display for PatientId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<String> for PatientId {
    fn from(text: String) -> PatientId {
        PatientId(text)
    }
}

impl From<PatientId> for String {
    fn from(id: PatientId) -> String {
        id.0
    }
}

impl From<&PatientId> for String {
    fn from(id: &PatientId) -> String {
        id.0.clone()
    }
}

impl ToSql for PatientId {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        self.0.to_sql()
    }
}

impl FromSql for PatientId {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<PatientId> {
        String::column_result(value).map(PatientId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_crosses_json_and_sql_as_plain_text() -> Result<(), Box<dyn std::error::Error>> {
        let id = PatientId::generate();
        assert_eq!(serde_json::to_string(&id)?, format!("\"{id}\""));
        assert_eq!(serde_json::from_str::<PatientId>(&format!("\"{id}\""))?, id);
        let connection = rusqlite::Connection::open_in_memory()?;
        let back: PatientId = connection.query_row("SELECT ?1", [&id], |row| row.get(0))?;
        let as_text: String = connection.query_row("SELECT typeof(?1)", [&id], |row| row.get(0))?;
        assert_eq!((back, as_text.as_str()), (id, "text"));
        Ok(())
    }

    #[test]
    fn generated_ids_are_uuids_and_differ() {
        let (first, second) = (PatientId::generate(), PatientId::generate());
        assert!(uuid::Uuid::parse_str(first.as_str()).is_ok());
        assert_ne!(first, second);
    }
}
