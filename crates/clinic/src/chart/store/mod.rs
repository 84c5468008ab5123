//! The SQL of the chart: items with their versions, encounters with their addenda.

use crate::patients::PatientId;
use rusqlite::{Connection, OptionalExtension, params};

use super::items::{ChartItemKind, ItemChange, ItemData};
use super::notes::{Addendum, Encounter, SoapNote};
use crate::error::{ClinicError, ClinicResult};

pub mod encounters;

#[derive(Clone)]
pub struct ItemRow {
    pub id: String,
    pub patient_id: PatientId,
    pub kind: ChartItemKind,
    pub version: u32,
    pub data: ItemData,
    pub entered_in_error: bool,
    pub recorded_at: String,
    pub updated_at: String,
}

impl std::fmt::Debug for ItemRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ItemRow").field("id", &self.id).field("version", &self.version).finish_non_exhaustive()
    }
}

/// Why an item's version was written, by whom and when.
pub struct ItemStamp<'a> {
    pub change: ItemChange,
    pub reason: Option<&'a str>,
    pub amendment_request_id: Option<&'a str>,
    pub user_id: &'a str,
    pub at: &'a str,
}

fn encode(data: &ItemData) -> ClinicResult<String> {
    serde_json::to_string(data).map_err(|_| ClinicError::Internal("A chart item could not be encoded."))
}

fn decode(json: &str) -> ClinicResult<ItemData> {
    serde_json::from_str(json).map_err(|_| ClinicError::Internal("A stored chart item could not be read."))
}

pub fn insert_item(
    connection: &Connection,
    id: &str,
    patient_id: &PatientId,
    data: &ItemData,
    stamp: &ItemStamp<'_>,
) -> ClinicResult<()> {
    let json = encode(data)?;
    connection.execute(
        "INSERT INTO chart_items (id, patient_id, kind, version, status, data, recorded_at, updated_at)
         VALUES (?1, ?2, ?3, 1, ?4, ?5, ?6, ?6)",
        params![id, patient_id, data.kind().as_str(), data.status().as_str(), json, stamp.at],
    )?;
    insert_item_version(connection, id, 1, data, &json, stamp)
}

/// Saves a new version of an item (the caller checked the version it replaces).
pub fn update_item(
    connection: &Connection,
    row: &ItemRow,
    data: &ItemData,
    stamp: &ItemStamp<'_>,
) -> ClinicResult<u32> {
    let json = encode(data)?;
    let version = row.version + 1;
    let updated = connection.execute(
        "UPDATE chart_items SET version = ?2, status = ?3, data = ?4, updated_at = ?5,
             entered_in_error = entered_in_error OR ?6
         WHERE id = ?1 AND version = ?7",
        params![
            row.id,
            version,
            data.status().as_str(),
            json,
            stamp.at,
            stamp.change == ItemChange::EnteredInError,
            row.version
        ],
    )?;
    if updated != 1 {
        return Err(ClinicError::StaleRecord);
    }
    insert_item_version(connection, &row.id, version, data, &json, stamp)?;
    Ok(version)
}

fn insert_item_version(
    connection: &Connection,
    id: &str,
    version: u32,
    data: &ItemData,
    json: &str,
    stamp: &ItemStamp<'_>,
) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO chart_item_versions (item_id, version, status, data, change, reason, amendment_request_id,
             changed_by, changed_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            id,
            version,
            data.status().as_str(),
            json,
            <&'static str>::from(stamp.change),
            stamp.reason,
            stamp.amendment_request_id,
            stamp.user_id,
            stamp.at
        ],
    )?;
    Ok(())
}

const ITEM_COLUMNS: &str = "id, patient_id, kind, version, data, entered_in_error, recorded_at, updated_at";

/// An item's row as read, before its data is decoded.
struct StoredItem {
    id: String,
    patient_id: PatientId,
    version: u32,
    data: String,
    entered_in_error: bool,
    recorded_at: String,
    updated_at: String,
}

fn read_item(row: &rusqlite::Row<'_>) -> rusqlite::Result<StoredItem> {
    Ok(StoredItem {
        id: row.get(0)?,
        patient_id: row.get(1)?,
        version: row.get(3)?,
        data: row.get(4)?,
        entered_in_error: row.get(5)?,
        recorded_at: row.get(6)?,
        updated_at: row.get(7)?,
    })
}

fn item_of(stored: StoredItem) -> ClinicResult<ItemRow> {
    let data = decode(&stored.data)?;
    Ok(ItemRow {
        kind: data.kind(),
        id: stored.id,
        patient_id: stored.patient_id,
        version: stored.version,
        data,
        entered_in_error: stored.entered_in_error,
        recorded_at: stored.recorded_at,
        updated_at: stored.updated_at,
    })
}

pub fn item_by_id(connection: &Connection, id: &str) -> ClinicResult<Option<ItemRow>> {
    let raw = connection
        .query_row(&format!("SELECT {ITEM_COLUMNS} FROM chart_items WHERE id = ?1"), [id], read_item)
        .optional()?;
    raw.map(item_of).transpose()
}

/// The items of a patient (and of records merged into theirs), leaving out those entered in
/// error; oldest first.
pub fn items_of(connection: &Connection, patient_ids: &[PatientId]) -> ClinicResult<Vec<ItemRow>> {
    let mut statement = connection.prepare_cached(&format!(
        "SELECT {ITEM_COLUMNS} FROM chart_items WHERE patient_id = ?1 AND entered_in_error = 0 ORDER BY recorded_at"
    ))?;
    let mut items = Vec::new();
    for id in patient_ids {
        for raw in statement.query_map([id], read_item)? {
            items.push(item_of(raw?)?);
        }
    }
    items.sort_by(|a, b| a.recorded_at.cmp(&b.recorded_at));
    Ok(items)
}

/// One version of an item, with who wrote it.
#[derive(Clone)]
pub struct ItemVersionRow {
    pub version: u32,
    pub data: ItemData,
    pub change: ItemChange,
    pub reason: Option<String>,
    pub amendment_request_id: Option<String>,
    pub changed_by: String,
    pub changed_at: String,
}

pub fn item_versions(connection: &Connection, id: &str) -> ClinicResult<Vec<ItemVersionRow>> {
    let mut statement = connection.prepare(
        "SELECT v.version, v.data, v.change, v.reason, v.amendment_request_id, u.full_name || ' (' || u.username || ')',
             v.changed_at
         FROM chart_item_versions v JOIN users u ON u.id = v.changed_by WHERE v.item_id = ?1 ORDER BY v.version",
    )?;
    let raw = statement
        .query_map([id], |row| {
            Ok((
                row.get::<_, u32>(0)?,
                row.get::<_, String>(1)?,
                crate::codes::code_in_row::<ItemChange>(row, 2)?,
                row.get(3)?,
                row.get(4)?,
                row.get(5)?,
                row.get(6)?,
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    raw.into_iter()
        .map(|(version, data, change, reason, amendment_request_id, changed_by, changed_at)| {
            Ok(ItemVersionRow {
                version,
                data: decode(&data)?,
                change,
                reason,
                amendment_request_id,
                changed_by,
                changed_at,
            })
        })
        .collect()
}

const ENCOUNTER_COLUMNS: &str = "e.id, e.patient_id, e.author_id, a.full_name, e.occurred_at, e.kind, e.status, \
     e.subjective, e.objective, e.assessment, e.plan, e.free_text, e.created_at, e.updated_at, e.signed_by, \
     s.full_name, e.signed_at";
const ENCOUNTER_FROM: &str = "encounters e JOIN users a ON a.id = e.author_id LEFT JOIN users s ON s.id = e.signed_by";

fn read_encounter(row: &rusqlite::Row<'_>) -> rusqlite::Result<Encounter> {
    Ok(Encounter {
        id: row.get(0)?,
        patient_id: row.get(1)?,
        author_id: row.get(2)?,
        author_name: row.get(3)?,
        occurred_at: row.get(4)?,
        kind: crate::codes::code_in_row(row, 5)?,
        signed: row.get::<_, String>(6)? == "signed",
        note: SoapNote {
            subjective: row.get(7)?,
            objective: row.get(8)?,
            assessment: row.get(9)?,
            plan: row.get(10)?,
            free_text: row.get(11)?,
        },
        created_at: row.get(12)?,
        updated_at: row.get(13)?,
        signed_by: row.get(14)?,
        signed_by_name: row.get(15)?,
        signed_at: row.get(16)?,
        addenda: Vec::new(),
    })
}

fn with_addenda(connection: &Connection, mut encounter: Encounter) -> ClinicResult<Encounter> {
    let mut statement = connection.prepare_cached(
        "SELECT d.id, d.author_id, u.full_name, d.written_at, d.text, d.amendment_request_id
         FROM encounter_addenda d JOIN users u ON u.id = d.author_id WHERE d.encounter_id = ?1 ORDER BY d.written_at",
    )?;
    encounter.addenda = statement
        .query_map([&encounter.id], |row| {
            Ok(Addendum {
                id: row.get(0)?,
                author_id: row.get(1)?,
                author_name: row.get(2)?,
                written_at: row.get(3)?,
                text: row.get(4)?,
                amendment_request_id: row.get(5)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(encounter)
}

pub fn encounter_by_id(connection: &Connection, id: &str) -> ClinicResult<Option<Encounter>> {
    let sql = format!("SELECT {ENCOUNTER_COLUMNS} FROM {ENCOUNTER_FROM} WHERE e.id = ?1");
    let found = connection.prepare_cached(&sql)?.query_row([id], read_encounter).optional()?;
    found.map(|encounter| with_addenda(connection, encounter)).transpose()
}

/// A patient's latest encounters: every signed one, and the drafts of `viewer` only (a draft
/// is its author's alone), newest first.
pub fn recent_encounters(
    connection: &Connection,
    patient_ids: &[PatientId],
    viewer: &str,
    limit: usize,
) -> ClinicResult<Vec<Encounter>> {
    let sql = format!(
        "SELECT {ENCOUNTER_COLUMNS} FROM {ENCOUNTER_FROM}
         WHERE e.patient_id = ?1 AND (e.status = 'signed' OR e.author_id = ?2) ORDER BY e.occurred_at DESC LIMIT ?3"
    );
    let mut statement = connection.prepare_cached(&sql)?;
    let mut encounters = Vec::new();
    for id in patient_ids {
        encounters.extend(
            statement.query_map(params![id, viewer, limit as i64], read_encounter)?.collect::<Result<Vec<_>, _>>()?,
        );
    }
    encounters.sort_by(|a, b| b.occurred_at.cmp(&a.occurred_at));
    encounters.truncate(limit);
    encounters.into_iter().map(|encounter| with_addenda(connection, encounter)).collect()
}

/// Appends an addendum under a signed note (the caller checked it is signed).
pub fn insert_addendum(
    connection: &Connection,
    id: &str,
    encounter_id: &str,
    author_id: &str,
    written_at: &str,
    text: &str,
    amendment_request_id: Option<&str>,
) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO encounter_addenda (id, encounter_id, author_id, written_at, text, amendment_request_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, encounter_id, author_id, written_at, text, amendment_request_id],
    )?;
    Ok(())
}
