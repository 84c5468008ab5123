//! The clinical chart at the boundary: the chart as opened (header, allergy banner, lists, the
//! latest encounters), encounters with their notes and addenda, and items in one flat form
//! shape that every kind uses (fields a kind does not have stay empty).

use chartkeep_clinic::chart::{
    Addendum, AllergyBanner, AllergySeverity, Chart, ChartItem, ChartItemVersion, Encounter, EncounterKind, ItemChange,
    ItemData, ItemDraft, ItemStatus, SoapNote,
};
use chartkeep_clinic::patients::PatientId;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::front_desk::EmergencyAccessView;
use super::patients::PatientSummaryView;

/// What an item form holds. An unknown kind is refused when the form is read, never taken for
/// an allergy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ItemFormKind {
    #[default]
    Allergy,
    NoKnownAllergies,
    Medication,
    Problem,
}

/// An allergy, "no known allergies", a medication or a problem, as a form.
#[derive(Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ItemFormView {
    pub kind: ItemFormKind,
    pub substance: String,
    pub reaction: String,
    /// An allergy's; none when not known.
    pub severity: Option<AllergySeverity>,
    /// Allergies and problems are active, inactive or resolved; medications active, stopped,
    /// completed or on hold. The core refuses a status the kind does not take.
    pub status: ItemStatus,
    pub name: String,
    pub dose: String,
    pub route: String,
    pub frequency: String,
    pub start: String,
    pub stop: String,
    pub description: String,
    pub icd10: String,
    pub onset: String,
}

impl From<ItemFormView> for ItemDraft {
    fn from(form: ItemFormView) -> Self {
        match form.kind {
            ItemFormKind::NoKnownAllergies => ItemDraft::NoKnownAllergies,
            ItemFormKind::Medication => ItemDraft::Medication {
                name: form.name,
                dose: form.dose,
                route: form.route,
                frequency: form.frequency,
                start: form.start,
                stop: form.stop,
                status: form.status,
            },
            ItemFormKind::Problem => ItemDraft::Problem {
                description: form.description,
                icd10: form.icd10,
                onset: form.onset,
                status: form.status,
            },
            ItemFormKind::Allergy => ItemDraft::Allergy {
                substance: form.substance,
                reaction: form.reaction,
                severity: form.severity,
                status: form.status,
            },
        }
    }
}

impl From<ItemData> for ItemFormView {
    fn from(data: ItemData) -> Self {
        match data {
            ItemData::Allergy { substance, reaction, severity, status } => ItemFormView {
                kind: ItemFormKind::Allergy,
                substance,
                reaction,
                severity,
                status,
                ..ItemFormView::default()
            },
            ItemData::NoKnownAllergies { status } => {
                ItemFormView { kind: ItemFormKind::NoKnownAllergies, status, ..ItemFormView::default() }
            }
            ItemData::Medication { name, dose, route, frequency, start, stop, status } => ItemFormView {
                kind: ItemFormKind::Medication,
                name,
                dose,
                route,
                frequency,
                start,
                stop,
                status,
                ..ItemFormView::default()
            },
            ItemData::Problem { description, icd10, onset, status } => ItemFormView {
                kind: ItemFormKind::Problem,
                description,
                icd10,
                onset,
                status,
                ..ItemFormView::default()
            },
        }
    }
}

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChartItemView {
    pub id: String,
    /// Send it back with a change: a change to an older version is refused.
    pub version: u32,
    pub form: ItemFormView,
    pub recorded_at: String,
    pub updated_at: String,
}

impl From<ChartItem> for ChartItemView {
    fn from(item: ChartItem) -> Self {
        ChartItemView {
            id: item.id,
            version: item.version,
            form: item.data.into(),
            recorded_at: item.recorded_at,
            updated_at: item.updated_at,
        }
    }
}

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChartItemVersionView {
    pub version: u32,
    pub form: ItemFormView,
    pub change: ItemChange,
    pub reason: Option<String>,
    pub amendment_request_id: Option<String>,
    pub changed_by: String,
    pub changed_at: String,
    pub changed_fields: Vec<String>,
}

impl From<ChartItemVersion> for ChartItemVersionView {
    fn from(version: ChartItemVersion) -> Self {
        ChartItemVersionView {
            version: version.version,
            form: version.data.into(),
            change: version.change,
            reason: version.reason,
            amendment_request_id: version.amendment_request_id,
            changed_by: version.changed_by,
            changed_at: version.changed_at,
            changed_fields: version.changed_fields.into_iter().map(str::to_owned).collect(),
        }
    }
}

#[derive(Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct SoapNoteView {
    pub subjective: String,
    pub objective: String,
    pub assessment: String,
    pub plan: String,
    pub free_text: String,
}

impl From<SoapNoteView> for SoapNote {
    fn from(note: SoapNoteView) -> Self {
        SoapNote {
            subjective: note.subjective,
            objective: note.objective,
            assessment: note.assessment,
            plan: note.plan,
            free_text: note.free_text,
        }
    }
}

impl From<SoapNote> for SoapNoteView {
    fn from(note: SoapNote) -> Self {
        SoapNoteView {
            subjective: note.subjective,
            objective: note.objective,
            assessment: note.assessment,
            plan: note.plan,
            free_text: note.free_text,
        }
    }
}

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddendumView {
    pub id: String,
    pub author_name: String,
    pub written_at: String,
    pub text: String,
    pub amendment_request_id: Option<String>,
}

impl From<Addendum> for AddendumView {
    fn from(addendum: Addendum) -> Self {
        AddendumView {
            id: addendum.id,
            author_name: addendum.author_name,
            written_at: addendum.written_at,
            text: addendum.text,
            amendment_request_id: addendum.amendment_request_id,
        }
    }
}

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EncounterView {
    pub id: String,
    pub patient_id: PatientId,
    pub author_id: String,
    pub author_name: String,
    pub occurred_at: String,
    pub kind: EncounterKind,
    pub signed: bool,
    pub note: SoapNoteView,
    pub updated_at: String,
    pub signed_by_name: Option<String>,
    pub signed_at: Option<String>,
    pub addenda: Vec<AddendumView>,
}

impl From<Encounter> for EncounterView {
    fn from(encounter: Encounter) -> Self {
        EncounterView {
            id: encounter.id,
            patient_id: encounter.patient_id,
            author_id: encounter.author_id,
            author_name: encounter.author_name,
            occurred_at: encounter.occurred_at,
            kind: encounter.kind,
            signed: encounter.signed,
            note: encounter.note.into(),
            updated_at: encounter.updated_at,
            signed_by_name: encounter.signed_by_name,
            signed_at: encounter.signed_at,
            addenda: encounter.addenda.into_iter().map(Into::into).collect(),
        }
    }
}

/// Reads an encounter's kind strictly: an unknown one is refused.
pub fn encounter_kind(text: &str) -> chartkeep_clinic::ClinicResult<EncounterKind> {
    EncounterKind::parse(text)
}

/// What the allergy banner says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AllergyBannerState {
    NotRecorded,
    NoKnownAllergies,
    Allergies,
}

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AllergyBannerView {
    pub state: AllergyBannerState,
    pub allergies: Vec<AllergyLineView>,
}

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AllergyLineView {
    pub substance: String,
    pub severity: Option<AllergySeverity>,
}

impl From<AllergyBanner> for AllergyBannerView {
    fn from(banner: AllergyBanner) -> Self {
        match banner {
            AllergyBanner::NotRecorded => {
                AllergyBannerView { state: AllergyBannerState::NotRecorded, allergies: Vec::new() }
            }
            AllergyBanner::NoKnownAllergies => {
                AllergyBannerView { state: AllergyBannerState::NoKnownAllergies, allergies: Vec::new() }
            }
            AllergyBanner::Allergies { allergies } => AllergyBannerView {
                state: AllergyBannerState::Allergies,
                allergies: allergies
                    .into_iter()
                    .map(|(substance, severity)| AllergyLineView { substance, severity })
                    .collect(),
            },
        }
    }
}

/// A chart as opened: the patient, the allergy banner, the lists and the latest encounters;
/// `emergencyAccess` is set when it was opened under an emergency access (the chart then shows
/// a banner until it expires).
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct OpenedChartView {
    pub patient_id: PatientId,
    pub emergency_access: Option<EmergencyAccessView>,
    pub patient: PatientSummaryView,
    pub allergy_banner: AllergyBannerView,
    pub allergies: Vec<ChartItemView>,
    pub medications: Vec<ChartItemView>,
    pub problems: Vec<ChartItemView>,
    pub encounters: Vec<EncounterView>,
}

impl From<Chart> for OpenedChartView {
    fn from(chart: Chart) -> Self {
        OpenedChartView {
            patient_id: chart.patient.id.clone(),
            emergency_access: chart.emergency_access.map(Into::into),
            patient: chart.patient.into(),
            allergy_banner: chart.allergy_banner.into(),
            allergies: chart.allergies.into_iter().map(Into::into).collect(),
            medications: chart.medications.into_iter().map(Into::into).collect(),
            problems: chart.problems.into_iter().map(Into::into).collect(),
            encounters: chart.encounters.into_iter().map(Into::into).collect(),
        }
    }
}

redacted!(
    ItemFormView,
    ChartItemView,
    ChartItemVersionView,
    SoapNoteView,
    AddendumView,
    EncounterView,
    AllergyBannerView,
    AllergyLineView,
    OpenedChartView
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_item_form_of_an_unknown_kind_is_refused_never_taken_for_an_allergy() {
        let form = |kind: &str| {
            serde_json::json!({
                "kind": kind, "substance": "Penicillin", "reaction": "", "severity": null, "status": "active",
                "name": "", "dose": "", "route": "", "frequency": "", "start": "", "stop": "",
                "description": "", "icd10": "", "onset": "",
            })
        };
        let medication: ItemFormView = serde_json::from_value(form("medication")).unwrap();
        assert!(matches!(ItemDraft::from(medication), ItemDraft::Medication { .. }));
        for unknown in ["vaccine", "Allergy", ""] {
            assert!(serde_json::from_value::<ItemFormView>(form(unknown)).is_err(), "{unknown:?}");
        }
    }

    /// Severity and status cross as the core's enums: a value it does not know is refused when
    /// the form is read, and "not given" is null, never an empty word.
    #[test]
    fn an_item_form_takes_only_the_severities_and_statuses_the_core_knows() {
        let form = |severity: serde_json::Value, status: &str| {
            serde_json::json!({
                "kind": "allergy", "substance": "Penicillin", "reaction": "", "severity": severity, "status": status,
                "name": "", "dose": "", "route": "", "frequency": "", "start": "", "stop": "",
                "description": "", "icd10": "", "onset": "",
            })
        };
        let severe: ItemFormView = serde_json::from_value(form("severe".into(), "on_hold")).unwrap();
        assert_eq!((severe.severity, severe.status), (Some(AllergySeverity::Severe), ItemStatus::OnHold));
        for (severity, status) in
            [("".into(), "active"), ("fatal".into(), "active"), (serde_json::Value::Null, "paused")]
        {
            assert!(serde_json::from_value::<ItemFormView>(form(severity, status)).is_err());
        }
    }
}
