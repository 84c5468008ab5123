//! Amendment requests: a patient asks for a correction of their record. The request is kept as
//! it was received and decided once, accepted or denied with a reason; both rows are
//! append-only. Deciding takes the permission to change the item the request is about (the
//! chart's items need the chart's write permission), and an accepted amendment names what it was
//! appended to.

use crate::patients::PatientId;
use rusqlite::Connection;
use serde::Serialize;

use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::Permission;
use crate::session::Session;
use crate::validation::past_date;

mod store;

pub(crate) use store::request_by_id;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum AmendmentItem {
    Demographics,
    Allergy,
    Medication,
    Problem,
    Note,
    Other,
}

impl AmendmentItem {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Reads what a request is about strictly: an unknown value is refused, because it decides
    /// who may decide the request.
    pub fn parse(text: &str) -> crate::ClinicResult<AmendmentItem> {
        crate::codes::parse_code("item", text)
    }

    /// What deciding a request about this item takes: the permission to change the item.
    fn decided_with(self) -> Permission {
        match self {
            AmendmentItem::Demographics | AmendmentItem::Other => Permission::WriteDemographics,
            AmendmentItem::Allergy | AmendmentItem::Medication | AmendmentItem::Problem | AmendmentItem::Note => {
                Permission::WriteChart
            }
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAmendmentRequest {
    /// The day the request came in, `YYYY-MM-DD`.
    pub received_on: String,
    pub item: AmendmentItem,
    /// Which item, when the request names one (an allergy's id, a note's id).
    pub item_id: Option<String>,
    pub requested_change: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum AmendmentOutcome {
    Accepted,
    Denied,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmendmentDecision {
    pub outcome: AmendmentOutcome,
    pub reason: String,
    pub applied_item_type: Option<String>,
    pub applied_item_id: Option<String>,
    pub decided_by: String,
    pub decided_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AmendmentRequest {
    pub id: String,
    pub patient_id: PatientId,
    pub received_on: String,
    pub item: AmendmentItem,
    pub item_id: Option<String>,
    pub requested_change: String,
    pub recorded_by: String,
    pub recorded_at: String,
    pub decision: Option<AmendmentDecision>,
}

impl Session {
    /// Records a patient's request to amend their record.
    pub fn record_amendment_request(
        &mut self,
        patient_id: &PatientId,
        new: &NewAmendmentRequest,
    ) -> ClinicResult<AmendmentRequest> {
        let mut authorized =
            self.authorize_for_patient(Permission::RecordAmendmentRequest, patient_id, AuditAction::Create)?;
        if !crate::store::patient_exists(authorized.connection(), patient_id)? {
            return Err(ClinicError::NotFound("That patient"));
        }
        let now = authorized.now();
        let received_on = past_date("received_on", "date the request came in", &new.received_on, now.date())?;
        let change_text = multiline_text("requested_change", &new.requested_change, 4000)?;
        let id = uuid::Uuid::new_v4().to_string();
        let user_id = authorized.user().id.clone();
        let change = authorized.begin_change()?;
        let row = store::NewRequestRow {
            id: &id,
            patient_id,
            received_on: &received_on,
            item: new.item,
            item_id: new.item_id.as_deref(),
            requested_change: &change_text,
            recorded_by: &user_id,
            recorded_at: &timestamp(now),
        };
        store::insert_request(change.connection(), &row)?;
        let request =
            request_by_id(change.connection(), &id)?.ok_or(ClinicError::Internal("The request was not saved."))?;
        change.commit(
            &AuditEvent::success(AuditAction::Create)
                .patient(patient_id)
                .object("amendment_request", &id)
                .category("amendments")
                .detail("item", Detail::Code(new.item.as_str())),
        )?;
        Ok(request)
    }

    /// Decides a request once. An accepted amendment names the item version or addendum it was
    /// appended to, when there is one.
    pub fn decide_amendment_request(
        &mut self,
        request_id: &str,
        outcome: AmendmentOutcome,
        reason: &str,
        applied_to: Option<(&'static str, &str)>,
    ) -> ClinicResult<AmendmentRequest> {
        let request = {
            let authorized = self.authorize(Permission::RecordAmendmentRequest, AuditAction::Update)?;
            request_by_id(authorized.connection(), request_id)?
                .ok_or(ClinicError::NotFound("That amendment request"))?
        };
        let mut authorized =
            self.authorize_for_patient(request.item.decided_with(), &request.patient_id, AuditAction::Update)?;
        if request.decision.is_some() {
            return Err(ClinicError::invalid("decision", "This request was decided already."));
        }
        let reason = multiline_text("reason", reason, 4000)?;
        let user_id = authorized.user().id.clone();
        let now = timestamp(authorized.now());
        let change = authorized.begin_change()?;
        let decided = write_decision(change.connection(), &request, outcome, &reason, applied_to, &user_id, &now)?;
        change.commit(&decision_event(&request, outcome))?;
        Ok(decided)
    }

    /// A patient's amendment requests and their decisions, newest first.
    pub fn patient_amendment_requests(&mut self, patient_id: &PatientId) -> ClinicResult<Vec<AmendmentRequest>> {
        let mut authorized =
            self.authorize_for_patient(Permission::RecordAmendmentRequest, patient_id, AuditAction::View)?;
        let requests = store::requests_of_patient(authorized.connection(), patient_id)?;
        authorized.record(
            &AuditEvent::success(AuditAction::View)
                .patient(patient_id)
                .category("amendments")
                .detail("count", Detail::Count(requests.len() as u64)),
        )?;
        Ok(requests)
    }
}

/// The decision's row, inside the caller's transaction (which may also hold the change an
/// accepted amendment made).
pub(crate) fn write_decision(
    connection: &Connection,
    request: &AmendmentRequest,
    outcome: AmendmentOutcome,
    reason: &str,
    applied_to: Option<(&'static str, &str)>,
    user_id: &str,
    now: &str,
) -> ClinicResult<AmendmentRequest> {
    store::insert_decision(connection, &request.id, outcome_code(outcome), reason, applied_to, user_id, now)?;
    request_by_id(connection, &request.id)?.ok_or(ClinicError::Internal("The decision was not saved."))
}

fn outcome_code(outcome: AmendmentOutcome) -> &'static str {
    match outcome {
        AmendmentOutcome::Accepted => "accepted",
        AmendmentOutcome::Denied => "denied",
    }
}

pub(crate) fn decision_event(request: &AmendmentRequest, outcome: AmendmentOutcome) -> AuditEvent {
    AuditEvent::success(AuditAction::Update)
        .patient(&request.patient_id)
        .object("amendment_request", &request.id)
        .category("amendments")
        .reason(outcome_code(outcome))
}

/// A request that can still be decided, and the checked reason for deciding it.
pub(crate) fn open_request(
    connection: &Connection,
    request_id: &str,
    reason: &str,
) -> ClinicResult<(AmendmentRequest, String)> {
    let request = request_by_id(connection, request_id)?.ok_or(ClinicError::NotFound("That amendment request"))?;
    if request.decision.is_some() {
        return Err(ClinicError::invalid("decision", "This request was decided already."));
    }
    Ok((request, multiline_text("reason", reason, 4000)?))
}

/// Free text of several lines (a request, a reason): trimmed, 1 to `max` characters.
fn multiline_text(field: &'static str, text: &str, max: usize) -> ClinicResult<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() || trimmed.chars().count() > max {
        return Err(ClinicError::invalid(field, format!("Write 1 to {max} characters.")));
    }
    Ok(trimmed.to_owned())
}
