//! Accepting a patient's amendment request on the chart: the accepted change is appended to the
//! item it is about (a new version of an allergy, medication or problem, or an addendum under a
//! note), linked to the request, and the decision is recorded in the same transaction.

use super::items::{ItemChange, ItemData, ItemDraft};
use super::store::{self, ItemStamp};
use crate::amendments::{
    AmendmentItem, AmendmentOutcome, AmendmentRequest, decision_event, open_request, write_decision,
};
use crate::audit::{AuditAction, AuditEvent};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::Permission;
use crate::session::Session;

fn matches_kind(item: AmendmentItem, data: &ItemData) -> bool {
    matches!(
        (item, data),
        (AmendmentItem::Allergy, ItemData::Allergy { .. } | ItemData::NoKnownAllergies { .. })
            | (AmendmentItem::Medication, ItemData::Medication { .. })
            | (AmendmentItem::Problem, ItemData::Problem { .. })
    )
}

impl Session {
    /// Accepts an amendment to an allergy, medication or problem with the corrected item.
    pub fn accept_amendment_to_item(
        &mut self,
        request_id: &str,
        reason: &str,
        item_id: &str,
        expected_version: u32,
        corrected: &ItemDraft,
    ) -> ClinicResult<AmendmentRequest> {
        let row = self.item_row(item_id, Permission::WriteChart, AuditAction::Update)?;
        let mut authorized =
            self.authorize_for_patient(Permission::WriteChart, &row.patient_id, AuditAction::Update)?;
        let (request, reason) = open_request(authorized.connection(), request_id, reason)?;
        if request.patient_id != row.patient_id || !matches_kind(request.item, &row.data) {
            return Err(ClinicError::invalid("item", "Choose the item of this patient that the request is about."));
        }
        if row.entered_in_error {
            return Err(ClinicError::invalid("item", "This item was entered in error and can no longer change."));
        }
        if row.version != expected_version {
            return Err(ClinicError::StaleRecord);
        }
        let order = crate::patients::date_order_of(authorized.connection())?;
        let data = corrected.validate(order, authorized.now().date())?;
        if data.kind() != row.kind {
            return Err(ClinicError::invalid("item", "An item keeps its kind: record a new one instead."));
        }
        let user_id = authorized.user().id.clone();
        let at = timestamp(authorized.now());
        let mut change = authorized.begin_change()?;
        let stamp = ItemStamp {
            change: ItemChange::Amended,
            reason: Some(&reason),
            amendment_request_id: Some(request_id),
            user_id: &user_id,
            at: &at,
        };
        super::lists::write_version(change.connection(), &row, &data, &stamp)?;
        let decided = write_decision(
            change.connection(),
            &request,
            AmendmentOutcome::Accepted,
            &reason,
            Some((row.kind.as_str(), item_id)),
            &user_id,
            &at,
        )?;
        change.also_record(
            &AuditEvent::success(AuditAction::Update)
                .patient(&row.patient_id)
                .object(row.kind.as_str(), item_id)
                .category(row.kind.data_category())
                .reason("amended"),
        )?;
        change.commit(&decision_event(&request, AmendmentOutcome::Accepted))?;
        Ok(decided)
    }

    /// Accepts an amendment to a signed note with an addendum that says what is corrected.
    pub fn accept_amendment_to_note(
        &mut self,
        request_id: &str,
        reason: &str,
        encounter_id: &str,
        addendum: &str,
    ) -> ClinicResult<AmendmentRequest> {
        let encounter = {
            let authorized = self.authorize(Permission::WriteChart, AuditAction::Update)?;
            store::encounter_by_id(authorized.connection(), encounter_id)?
                .ok_or(ClinicError::NotFound("That encounter"))?
        };
        let mut authorized =
            self.authorize_for_patient(Permission::WriteChart, &encounter.patient_id, AuditAction::Update)?;
        let (request, reason) = open_request(authorized.connection(), request_id, reason)?;
        if request.patient_id != encounter.patient_id || request.item != AmendmentItem::Note {
            return Err(ClinicError::invalid("item", "Choose the note of this patient that the request is about."));
        }
        if !encounter.signed {
            return Err(ClinicError::invalid("item", "The note is still a draft: its author changes it directly."));
        }
        let text = super::notes::checked_addendum(addendum)?;
        let user_id = authorized.user().id.clone();
        let at = timestamp(authorized.now());
        let addendum_id = uuid::Uuid::new_v4().to_string();
        let mut change = authorized.begin_change()?;
        store::insert_addendum(
            change.connection(),
            &addendum_id,
            encounter_id,
            &user_id,
            &at,
            &text,
            Some(request_id),
        )?;
        let decided = write_decision(
            change.connection(),
            &request,
            AmendmentOutcome::Accepted,
            &reason,
            Some(("encounter_addendum", &addendum_id)),
            &user_id,
            &at,
        )?;
        change.also_record(
            &AuditEvent::success(AuditAction::Create)
                .patient(&encounter.patient_id)
                .object("encounter_addendum", &addendum_id)
                .category("encounter_note")
                .reason("amendment"),
        )?;
        change.commit(&decision_event(&request, AmendmentOutcome::Accepted))?;
        Ok(decided)
    }
}
