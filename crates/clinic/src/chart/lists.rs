//! Allergies, medications and problems in use: recorded, changed (every change a new version,
//! never over someone else's change), and removed only by "entered in error" with a reason,
//! which stays in the item's History.

use crate::patients::PatientId;
use serde::Serialize;

use super::items::{ChartItemKind, ItemChange, ItemData, ItemDraft, ItemStatus, changed_fields};
use super::store::{self, ItemRow, ItemStamp};
use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::Permission;
use crate::session::{Authorized, Session};

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct ChartItem {
    pub id: String,
    pub kind: ChartItemKind,
    /// Send it back with a change: a change to an older version is refused.
    pub version: u32,
    pub data: ItemData,
    pub recorded_at: String,
    pub updated_at: String,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct ChartItemVersion {
    pub version: u32,
    pub data: ItemData,
    pub change: ItemChange,
    pub reason: Option<String>,
    pub amendment_request_id: Option<String>,
    pub changed_by: String,
    pub changed_at: String,
    pub changed_fields: Vec<&'static str>,
}

redacted!(ChartItem, ChartItemVersion);

impl From<ItemRow> for ChartItem {
    fn from(row: ItemRow) -> Self {
        ChartItem {
            id: row.id,
            kind: row.kind,
            version: row.version,
            data: row.data,
            recorded_at: row.recorded_at,
            updated_at: row.updated_at,
        }
    }
}

fn item_event(action: AuditAction, patient_id: &PatientId, item_id: &str, kind: ChartItemKind) -> AuditEvent {
    AuditEvent::success(action).patient(patient_id).object(kind.as_str(), item_id).category(kind.data_category())
}

/// Writes a version (update, entered in error, amendment, superseded) inside `change`.
pub(crate) fn write_version(
    connection: &rusqlite::Connection,
    row: &ItemRow,
    data: &ItemData,
    stamp: &ItemStamp<'_>,
) -> ClinicResult<ChartItem> {
    store::update_item(connection, row, data, stamp)?;
    Ok(store::item_by_id(connection, &row.id)?.ok_or(ClinicError::NotFound("That item"))?.into())
}

fn date_order_and_today(authorized: &Authorized<'_>) -> ClinicResult<(crate::patients::DateOrder, time::Date)> {
    Ok((crate::patients::date_order_of(authorized.connection())?, authorized.now().date()))
}

impl Session {
    /// The patient an item belongs to, before its patient's permission is checked; an unknown
    /// item is "not found" only to someone who holds `permission` at all.
    pub(crate) fn item_row(
        &mut self,
        item_id: &str,
        permission: Permission,
        attempted: AuditAction,
    ) -> ClinicResult<ItemRow> {
        let found = {
            let authorized = self.authorize(Permission::OwnAccount, AuditAction::View)?;
            store::item_by_id(authorized.connection(), item_id)?
        };
        match found {
            Some(row) => Ok(row),
            None => {
                self.authorize(permission, attempted)?;
                Err(ClinicError::NotFound("That item"))
            }
        }
    }

    /// Records an allergy (or "no known allergies"), a medication or a problem.
    pub fn record_chart_item(&mut self, patient_id: &PatientId, draft: &ItemDraft) -> ClinicResult<ChartItem> {
        let mut authorized = self.authorize_for_patient(Permission::WriteChart, patient_id, AuditAction::Create)?;
        super::chartable_patient(authorized.connection(), patient_id)?;
        let (order, today) = date_order_and_today(&authorized)?;
        let data = draft.validate(order, today)?;
        let existing = store::items_of(authorized.connection(), &[patient_id.to_owned()])?;
        let active_allergies = existing
            .iter()
            .filter(|item| matches!(&item.data, ItemData::Allergy { status: ItemStatus::Active, .. }))
            .count();
        if matches!(data, ItemData::NoKnownAllergies { .. }) && active_allergies > 0 {
            return Err(ClinicError::invalid(
                "allergies",
                "This patient has active allergies recorded. Mark those inactive or entered in error first.",
            ));
        }
        let user_id = authorized.user().id.clone();
        let at = timestamp(authorized.now());
        let id = uuid::Uuid::new_v4().to_string();
        let mut change = authorized.begin_change()?;
        let stamp = ItemStamp {
            change: ItemChange::Recorded,
            reason: None,
            amendment_request_id: None,
            user_id: &user_id,
            at: &at,
        };
        store::insert_item(change.connection(), &id, patient_id, &data, &stamp)?;
        // A real allergy ends "no known allergies".
        if matches!(data, ItemData::Allergy { .. }) {
            for statement in existing
                .iter()
                .filter(|item| matches!(&item.data, ItemData::NoKnownAllergies { status: ItemStatus::Active }))
            {
                let superseded = ItemStamp {
                    change: ItemChange::Superseded,
                    reason: None,
                    amendment_request_id: None,
                    user_id: &user_id,
                    at: &at,
                };
                write_version(
                    change.connection(),
                    statement,
                    &statement.data.with_status(ItemStatus::Inactive),
                    &superseded,
                )?;
                change.also_record(
                    &item_event(AuditAction::Update, patient_id, &statement.id, ChartItemKind::Allergy)
                        .reason("superseded"),
                )?;
            }
        }
        let item: ChartItem = store::item_by_id(change.connection(), &id)?
            .ok_or(ClinicError::Internal("The item was not saved."))?
            .into();
        let reason = if matches!(data, ItemData::NoKnownAllergies { .. }) { "no_known_allergies" } else { "recorded" };
        change.commit(&item_event(AuditAction::Create, patient_id, &id, data.kind()).reason(reason))?;
        Ok(item)
    }

    /// Saves a change to an item as a new version; `expected_version` is the version edited.
    pub fn update_chart_item(
        &mut self,
        item_id: &str,
        expected_version: u32,
        draft: &ItemDraft,
    ) -> ClinicResult<ChartItem> {
        let row = self.item_row(item_id, Permission::WriteChart, AuditAction::Update)?;
        let mut authorized =
            self.authorize_for_patient(Permission::WriteChart, &row.patient_id, AuditAction::Update)?;
        if row.entered_in_error {
            return Err(ClinicError::invalid("item", "This item was entered in error and can no longer change."));
        }
        if row.version != expected_version {
            return Err(ClinicError::StaleRecord);
        }
        let (order, today) = date_order_and_today(&authorized)?;
        let data = draft.validate(order, today)?;
        if data.kind() != row.kind {
            return Err(ClinicError::invalid("item", "An item keeps its kind: record a new one instead."));
        }
        let fields = changed_fields(&data, &row.data);
        if fields.is_empty() {
            return Ok(row.into());
        }
        let user_id = authorized.user().id.clone();
        let at = timestamp(authorized.now());
        let change = authorized.begin_change()?;
        let stamp = ItemStamp {
            change: ItemChange::Updated,
            reason: None,
            amendment_request_id: None,
            user_id: &user_id,
            at: &at,
        };
        let item = write_version(change.connection(), &row, &data, &stamp)?;
        change.commit(
            &item_event(AuditAction::Update, &row.patient_id, item_id, row.kind)
                .detail("fields", Detail::Fields(fields)),
        )?;
        Ok(item)
    }

    /// Removes an item from the lists as entered in error, with a reason (kept in its History).
    pub fn mark_chart_item_entered_in_error(
        &mut self,
        item_id: &str,
        expected_version: u32,
        reason: &str,
    ) -> ClinicResult<()> {
        let row = self.item_row(item_id, Permission::WriteChart, AuditAction::EnteredInError)?;
        let mut authorized =
            self.authorize_for_patient(Permission::WriteChart, &row.patient_id, AuditAction::EnteredInError)?;
        if row.entered_in_error {
            return Err(ClinicError::invalid("item", "This item was marked entered in error already."));
        }
        if row.version != expected_version {
            return Err(ClinicError::StaleRecord);
        }
        let reason = reason.trim();
        if reason.chars().count() < 5 || reason.chars().count() > 500 {
            return Err(ClinicError::invalid(
                "reason",
                "Say why this item was entered in error (5 to 500 characters).",
            ));
        }
        let user_id = authorized.user().id.clone();
        let at = timestamp(authorized.now());
        let change = authorized.begin_change()?;
        let stamp = ItemStamp {
            change: ItemChange::EnteredInError,
            reason: Some(reason),
            amendment_request_id: None,
            user_id: &user_id,
            at: &at,
        };
        write_version(change.connection(), &row, &row.data, &stamp)?;
        change.commit(&item_event(AuditAction::EnteredInError, &row.patient_id, item_id, row.kind))?;
        Ok(())
    }

    /// Every version of an item, with who changed what, when and why.
    pub fn chart_item_history(&mut self, item_id: &str) -> ClinicResult<Vec<ChartItemVersion>> {
        let row = self.item_row(item_id, Permission::ReadChart, AuditAction::View)?;
        let mut authorized = self.authorize_for_patient(Permission::ReadChart, &row.patient_id, AuditAction::View)?;
        let stored = store::item_versions(authorized.connection(), item_id)?;
        let versions: Vec<ChartItemVersion> = stored
            .iter()
            .enumerate()
            .map(|(index, version)| ChartItemVersion {
                version: version.version,
                data: version.data.clone(),
                change: version.change,
                reason: version.reason.clone(),
                amendment_request_id: version.amendment_request_id.clone(),
                changed_by: version.changed_by.clone(),
                changed_at: version.changed_at.clone(),
                changed_fields: if index == 0 {
                    Vec::new()
                } else {
                    changed_fields(&version.data, &stored[index - 1].data)
                },
            })
            .collect();
        authorized.record(
            &item_event(AuditAction::View, &row.patient_id, item_id, row.kind)
                .reason("history")
                .detail("versions", Detail::Count(versions.len() as u64)),
        )?;
        Ok(versions)
    }
}
