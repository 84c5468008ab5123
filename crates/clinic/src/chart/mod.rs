//! The clinical chart: a header that is always there (name, age, date of birth, MRN, and the
//! allergy banner), allergies, medications and problems that keep every version, and encounters
//! with signed notes and addenda. Clinicians read and write; other roles only under an
//! emergency access to the one patient. Every read and change is audited in its transaction.

mod amend;
pub mod fhir;
pub mod items;
mod lists;
pub mod notes;
pub(crate) mod store;
pub mod summary;

use crate::patients::PatientId;
use rusqlite::Connection;
use serde::Serialize;

pub use items::{AllergySeverity, ChartItemKind, ItemChange, ItemData, ItemDraft, ItemStatus};
pub use lists::{ChartItem, ChartItemVersion};
pub use notes::{Addendum, Encounter, EncounterKind, SoapNote, signed_content_is_intact};

use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::emergency_access::EmergencyAccess;
use crate::error::{ClinicError, ClinicResult};
use crate::patients::{PatientSummary, store as patient_store, summary_of};
use crate::permissions::Permission;
use crate::session::Session;

/// How many encounters a chart shows at first.
pub const RECENT_ENCOUNTERS: usize = 20;

/// What the allergy banner says.
#[derive(Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum AllergyBanner {
    /// Nothing recorded yet, not even "no known allergies".
    NotRecorded,
    NoKnownAllergies,
    /// The active allergies: substance and, when known, severity.
    Allergies {
        allergies: Vec<(String, Option<AllergySeverity>)>,
    },
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Chart {
    pub patient: PatientSummary,
    /// Set when the chart was opened under an emergency access: the banner shows it.
    pub emergency_access: Option<EmergencyAccess>,
    pub allergy_banner: AllergyBanner,
    pub allergies: Vec<ChartItem>,
    pub medications: Vec<ChartItem>,
    pub problems: Vec<ChartItem>,
    /// The latest encounters, newest first (drafts of the signed-in user only).
    pub encounters: Vec<Encounter>,
}

impl std::fmt::Debug for Chart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Chart([redacted])")
    }
}

impl std::fmt::Debug for AllergyBanner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AllergyBanner([redacted])")
    }
}

/// The banner from a patient's allergy items.
pub fn allergy_banner(allergies: &[ChartItem]) -> AllergyBanner {
    let active: Vec<(String, Option<AllergySeverity>)> = allergies
        .iter()
        .filter_map(|item| match &item.data {
            ItemData::Allergy { substance, severity, status: ItemStatus::Active, .. } => {
                Some((substance.clone(), *severity))
            }
            _ => None,
        })
        .collect();
    if !active.is_empty() {
        return AllergyBanner::Allergies { allergies: active };
    }
    let no_known =
        allergies.iter().any(|item| matches!(&item.data, ItemData::NoKnownAllergies { status: ItemStatus::Active }));
    if no_known { AllergyBanner::NoKnownAllergies } else { AllergyBanner::NotRecorded }
}

/// The patient must have a record of their own to chart on.
pub(crate) fn chartable_patient(connection: &Connection, patient_id: &PatientId) -> ClinicResult<()> {
    match patient_store::by_id(connection, patient_id)? {
        Some(row) if !row.entered_in_error && row.merged_into.is_none() => Ok(()),
        Some(row) if row.merged_into.is_some() => {
            Err(ClinicError::invalid("patient", "This record was merged into another; chart on that one."))
        }
        _ => Err(ClinicError::NotFound("That patient")),
    }
}

/// Reads a whole chart: the patient with the records merged into theirs.
pub(crate) fn read_chart(
    connection: &Connection,
    patient_id: &PatientId,
    viewer: &str,
    now: time::OffsetDateTime,
) -> ClinicResult<(Chart, u64)> {
    let row = patient_store::by_id(connection, patient_id)?.ok_or(ClinicError::NotFound("That patient"))?;
    if row.entered_in_error {
        return Err(ClinicError::NotFound("That patient"));
    }
    let ids = patient_store::ids_with_aliases(connection, patient_id)?;
    let mut allergies = Vec::new();
    let mut medications = Vec::new();
    let mut problems = Vec::new();
    for item in store::items_of(connection, &ids)? {
        let item = ChartItem::from(item);
        match item.kind {
            ChartItemKind::Allergy => allergies.push(item),
            ChartItemKind::Medication => medications.push(item),
            ChartItemKind::Problem => problems.push(item),
        }
    }
    let encounters = store::recent_encounters(connection, &ids, viewer, RECENT_ENCOUNTERS)?;
    let shown = (allergies.len() + medications.len() + problems.len() + encounters.len()) as u64;
    let chart = Chart {
        patient: summary_of(connection, &row, now, None)?,
        emergency_access: None,
        allergy_banner: allergy_banner(&allergies),
        allergies,
        medications,
        problems,
        encounters,
    };
    Ok((chart, shown))
}

impl Session {
    /// Opens a patient's chart (audited as a view); under an emergency access when the user's
    /// roles alone do not allow it, and the chart then says so.
    pub fn open_chart(&mut self, patient_id: &PatientId) -> ClinicResult<Chart> {
        let mut authorized = self.authorize_for_patient(Permission::ReadChart, patient_id, AuditAction::View)?;
        let viewer = authorized.user().id.clone();
        let (mut chart, shown) = read_chart(authorized.connection(), patient_id, &viewer, authorized.now())?;
        if let Some(id) = authorized.emergency_access_id() {
            chart.emergency_access = crate::emergency_access::store::by_id(authorized.connection(), id)?;
        }
        authorized.record(
            &AuditEvent::success(AuditAction::View)
                .patient(patient_id)
                .category("chart")
                .detail("items_shown", Detail::Count(shown)),
        )?;
        Ok(chart)
    }
}
