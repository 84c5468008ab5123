//! Reading the audit trail for the audit view and its exports: filters, sort orders and pages.
//! Every value reaches SQL as a bound parameter; only fixed column names are spliced in.

use rusqlite::types::Value;
use rusqlite::{Connection, Row, params_from_iter};
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::audit::{AuditAction, Outcome};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};

/// Which entries to show. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AuditFilter {
    /// From this instant (inclusive), RFC 3339.
    pub from: Option<String>,
    /// Until this instant (exclusive), RFC 3339.
    pub to: Option<String>,
    pub user_id: Option<String>,
    pub patient_id: Option<crate::patients::PatientId>,
    pub action: Option<AuditAction>,
    pub outcome: Option<Outcome>,
    pub emergency_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AuditSortColumn {
    Entry,
    Time,
    User,
    Action,
    Patient,
    Category,
    Outcome,
    Emergency,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuditSort {
    pub column: AuditSortColumn,
    pub descending: bool,
}

impl Default for AuditSort {
    fn default() -> Self {
        AuditSort { column: AuditSortColumn::Entry, descending: true }
    }
}

/// One entry as the audit view shows it. Details hold field names, counts and identifiers only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditRow {
    pub seq: i64,
    pub occurred_at: String,
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub roles: String,
    pub workstation_id: String,
    pub action: String,
    pub patient_id: Option<String>,
    /// The patient as people know them: "Müller, Anna (MRN 1000009)".
    pub patient_label: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub data_category: Option<String>,
    pub outcome: String,
    pub reason: Option<String>,
    pub emergency_access: bool,
    pub details: String,
}

const ROW_COLUMNS: &str = "a.seq, a.occurred_at, a.user_id, a.username, a.roles, a.workstation_id, a.action, \
     a.patient_id, a.object_type, a.object_id, a.data_category, a.outcome, a.reason, a.emergency_access, a.details, \
     CASE WHEN p.mrn IS NULL THEN NULL ELSE p.family_name || ', ' || p.given_names || ' (MRN ' || p.mrn || ')' END";

/// The trail with each entry's patient, when it has one.
const FROM: &str = "audit_log a LEFT JOIN patients p ON p.id = a.patient_id";

fn read_row(row: &Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        seq: row.get(0)?,
        occurred_at: row.get(1)?,
        user_id: row.get(2)?,
        username: row.get(3)?,
        roles: row.get(4)?,
        workstation_id: row.get(5)?,
        action: row.get(6)?,
        patient_id: row.get(7)?,
        patient_label: row.get(15)?,
        object_type: row.get(8)?,
        object_id: row.get(9)?,
        data_category: row.get(10)?,
        outcome: row.get(11)?,
        reason: row.get(12)?,
        emergency_access: row.get(13)?,
        details: row.get(14)?,
    })
}

/// An instant from the UI, as stored in the database (fixed-width UTC text).
fn stored_instant(field: &'static str, text: &str) -> ClinicResult<String> {
    OffsetDateTime::parse(text.trim(), &Rfc3339)
        .map(timestamp)
        .map_err(|_| ClinicError::invalid(field, "Enter a date and time such as 2026-11-25T09:00:00Z."))
}

/// The WHERE clause and its parameters.
fn conditions(filter: &AuditFilter) -> ClinicResult<(String, Vec<Value>)> {
    let mut clauses: Vec<&str> = Vec::new();
    let mut values: Vec<Value> = Vec::new();
    let from = filter.from.as_deref().map(|text| stored_instant("from", text)).transpose()?;
    let to = filter.to.as_deref().map(|text| stored_instant("to", text)).transpose()?;
    if let (Some(from), Some(to)) = (&from, &to)
        && from > to
    {
        return Err(ClinicError::invalid("to", "The end of the period comes before its start."));
    }
    if let Some(from) = from {
        clauses.push("a.occurred_at >= ?");
        values.push(Value::Text(from));
    }
    if let Some(to) = to {
        clauses.push("a.occurred_at < ?");
        values.push(Value::Text(to));
    }
    if let Some(user_id) = &filter.user_id {
        clauses.push("a.user_id = ?");
        values.push(Value::Text(user_id.clone()));
    }
    if let Some(patient_id) = &filter.patient_id {
        // The patient and every record merged into it: a merge reads as one person.
        clauses.push(
            "a.patient_id IN (WITH RECURSIVE aliases(id) AS (SELECT ? UNION \
             SELECT p.id FROM patients p JOIN aliases a ON p.merged_into = a.id) SELECT id FROM aliases)",
        );
        values.push(Value::Text(patient_id.to_string()));
    }
    if let Some(action) = filter.action {
        clauses.push("a.action = ?");
        values.push(Value::Text(action.as_str().to_owned()));
    }
    if let Some(outcome) = filter.outcome {
        clauses.push("a.outcome = ?");
        values.push(Value::Text(outcome.as_str().to_owned()));
    }
    if filter.emergency_only {
        clauses.push("a.emergency_access = 1");
    }
    let clause = if clauses.is_empty() { String::new() } else { format!("WHERE {}", clauses.join(" AND ")) };
    Ok((clause, values))
}

fn order_by(sort: AuditSort) -> String {
    let column = match sort.column {
        AuditSortColumn::Entry => "a.seq",
        AuditSortColumn::Time => "a.occurred_at",
        AuditSortColumn::User => "a.username",
        AuditSortColumn::Action => "a.action",
        AuditSortColumn::Patient => "a.patient_id",
        AuditSortColumn::Category => "a.data_category",
        AuditSortColumn::Outcome => "a.outcome",
        AuditSortColumn::Emergency => "a.emergency_access",
    };
    let direction = if sort.descending { "DESC" } else { "ASC" };
    if sort.column == AuditSortColumn::Entry {
        format!("ORDER BY a.seq {direction}")
    } else {
        format!("ORDER BY {column} {direction}, a.seq {direction}")
    }
}

/// One page of matching entries.
pub(crate) fn page(
    connection: &Connection,
    filter: &AuditFilter,
    sort: AuditSort,
    offset: u64,
    limit: u32,
) -> ClinicResult<Vec<AuditRow>> {
    let (clause, mut values) = conditions(filter)?;
    // The page's entries are chosen on indexed columns alone, then only they are read whole:
    // reading every matching row whole to sort it would cost a decrypted page per row.
    let order = order_by(sort);
    let sql = format!(
        "SELECT {ROW_COLUMNS} FROM {FROM} WHERE a.seq IN \
         (SELECT a.seq FROM audit_log a {clause} {order} LIMIT ? OFFSET ?) {order}"
    );
    values.push(Value::Integer(i64::from(limit)));
    values.push(Value::Integer(i64::try_from(offset).unwrap_or(i64::MAX)));
    let mut statement = connection.prepare_cached(&sql)?;
    let rows = statement.query_map(params_from_iter(values), read_row)?.collect::<Result<Vec<_>, _>>()?;
    Ok(rows)
}

/// How many entries match, counting no further than `cap` (a count of a million rows would
/// make the view wait for a number nobody reads exactly).
pub(crate) fn count(connection: &Connection, filter: &AuditFilter, cap: u64) -> ClinicResult<u64> {
    let (clause, mut values) = conditions(filter)?;
    let sql = format!("SELECT count(*) FROM (SELECT 1 FROM audit_log a {clause} LIMIT ?)");
    values.push(Value::Integer(i64::try_from(cap).unwrap_or(i64::MAX)));
    let count: i64 = connection.prepare_cached(&sql)?.query_row(params_from_iter(values), |row| row.get(0))?;
    Ok(count.unsigned_abs())
}

/// Calls `each` for every matching entry in order, without holding them all in memory; stops
/// after `limit` entries.
pub(crate) fn for_each(
    connection: &Connection,
    filter: &AuditFilter,
    sort: AuditSort,
    limit: u64,
    mut each: impl FnMut(AuditRow) -> ClinicResult<()>,
) -> ClinicResult<u64> {
    let (clause, mut values) = conditions(filter)?;
    let sql = format!("SELECT {ROW_COLUMNS} FROM {FROM} {clause} {} LIMIT ?", order_by(sort));
    values.push(Value::Integer(i64::try_from(limit).unwrap_or(i64::MAX)));
    let mut statement = connection.prepare(&sql)?;
    let mut rows = statement.query(params_from_iter(values))?;
    let mut seen = 0;
    while let Some(row) = rows.next()? {
        each(read_row(row)?)?;
        seen += 1;
    }
    Ok(seen)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_become_bound_parameters_and_instants_are_normalised() {
        let filter = AuditFilter {
            from: Some("2026-11-25T10:00:00+01:00".into()),
            to: Some("2026-11-26T00:00:00Z".into()),
            action: Some(AuditAction::View),
            emergency_only: true,
            ..AuditFilter::default()
        };
        let (clause, values) = conditions(&filter).unwrap();
        assert_eq!(
            clause,
            "WHERE a.occurred_at >= ? AND a.occurred_at < ? AND a.action = ? AND a.emergency_access = 1"
        );
        assert_eq!(values[0], Value::Text("2026-11-25T09:00:00.000Z".into()));
        assert_eq!(values[2], Value::Text("view".into()));
    }

    #[test]
    fn a_bad_or_backwards_period_is_refused_per_field() {
        let bad = AuditFilter { from: Some("yesterday".into()), ..AuditFilter::default() };
        assert_eq!(conditions(&bad).unwrap_err().field(), Some("from"));
        let backwards = AuditFilter {
            from: Some("2026-11-26T00:00:00Z".into()),
            to: Some("2026-11-25T00:00:00Z".into()),
            ..AuditFilter::default()
        };
        assert_eq!(conditions(&backwards).unwrap_err().field(), Some("to"));
    }

    #[test]
    fn every_sort_keeps_entry_order_as_the_tie_breaker() {
        let sort = AuditSort { column: AuditSortColumn::User, descending: false };
        assert_eq!(order_by(sort), "ORDER BY a.username ASC, a.seq ASC");
        assert_eq!(order_by(AuditSort::default()), "ORDER BY a.seq DESC");
    }
}
