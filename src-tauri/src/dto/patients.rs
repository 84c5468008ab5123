//! Patients at the boundary: the form the UI sends, and the records, summaries, duplicate
//! warnings, search results and History it receives. Patient data crosses only here and only
//! to the window; none of these types print their values in `Debug`.

use chartkeep_clinic::patients::PatientId;
use chartkeep_clinic::patients::{
    Address, DuplicateSign, EmergencyContact, Insurance, PatientDetails, PatientDraft, PatientStatus, PhoneDraft, Sex,
};
use chartkeep_clinic::patients::{
    DuplicateCandidate, DuplicateReviewItem, PatientMerge, PatientRecord, PatientSearchResults, PatientSummary,
    PatientVersion, SearchKind, VersionChange,
};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

#[derive(Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PhoneView {
    /// Read strictly by the core, so a wrong one gets a plain error.
    #[ts(as = "chartkeep_clinic::patients::PhoneKind")]
    pub kind: String,
    pub number: String,
}

#[derive(Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AddressView {
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

#[derive(Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct EmergencyContactView {
    pub name: String,
    pub relationship: String,
    pub phone: String,
}

#[derive(Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct InsuranceView {
    pub payer: String,
    pub member_id: String,
}

/// A patient's record as a form: what the user types, and what a record shows (its fields
/// always in the form the form takes). Empty text means "not given".
#[derive(Clone, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientFormView {
    pub family_name: String,
    pub given_names: String,
    pub preferred_name: String,
    /// ISO (1984-03-07), the practice's order (07/03/1984), or dotted (7.3.1984).
    pub date_of_birth: String,
    /// "female", "male", "intersex", or empty for unknown.
    pub sex: String,
    pub gender_identity: String,
    pub phones: Vec<PhoneView>,
    pub email: String,
    pub address: AddressView,
    pub emergency_contact: EmergencyContactView,
    pub insurance: InsuranceView,
    pub front_desk_note: String,
    /// "active", "inactive" or "deceased".
    pub status: String,
    pub deceased_on: String,
}

redacted!(PhoneView, AddressView, EmergencyContactView, InsuranceView, PatientFormView);

impl From<PatientFormView> for PatientDraft {
    fn from(form: PatientFormView) -> Self {
        PatientDraft {
            family_name: form.family_name,
            given_names: form.given_names,
            preferred_name: form.preferred_name,
            date_of_birth: form.date_of_birth,
            sex: form.sex,
            gender_identity: form.gender_identity,
            phones: form
                .phones
                .into_iter()
                .map(|phone| PhoneDraft { kind: phone.kind, number: phone.number })
                .collect(),
            email: form.email,
            address: Address {
                line1: form.address.line1,
                line2: form.address.line2,
                city: form.address.city,
                region: form.address.region,
                postal_code: form.address.postal_code,
                country: form.address.country,
            },
            emergency_contact: EmergencyContact {
                name: form.emergency_contact.name,
                relationship: form.emergency_contact.relationship,
                phone: form.emergency_contact.phone,
            },
            insurance: Insurance { payer: form.insurance.payer, member_id: form.insurance.member_id },
            front_desk_note: form.front_desk_note,
            status: form.status,
            deceased_on: form.deceased_on,
        }
    }
}

fn sex_text(sex: Sex) -> String {
    match sex {
        Sex::Female => "female",
        Sex::Male => "male",
        Sex::Intersex => "intersex",
        Sex::Unknown => "",
    }
    .to_owned()
}

pub fn status_text(status: PatientStatus) -> String {
    status.as_str().to_owned()
}

impl From<PatientDetails> for PatientFormView {
    fn from(details: PatientDetails) -> Self {
        PatientFormView {
            sex: sex_text(details.sex),
            status: status_text(details.status),
            phones: details
                .phones
                .into_iter()
                .map(|phone| PhoneView {
                    kind: serde_json::to_value(phone.kind)
                        .ok()
                        .and_then(|v| v.as_str().map(str::to_owned))
                        .unwrap_or_default(),
                    number: phone.number,
                })
                .collect(),
            address: AddressView {
                line1: details.address.line1,
                line2: details.address.line2,
                city: details.address.city,
                region: details.address.region,
                postal_code: details.address.postal_code,
                country: details.address.country,
            },
            emergency_contact: EmergencyContactView {
                name: details.emergency_contact.name,
                relationship: details.emergency_contact.relationship,
                phone: details.emergency_contact.phone,
            },
            insurance: InsuranceView { payer: details.insurance.payer, member_id: details.insurance.member_id },
            family_name: details.family_name,
            given_names: details.given_names,
            preferred_name: details.preferred_name,
            date_of_birth: details.date_of_birth,
            gender_identity: details.gender_identity,
            email: details.email,
            front_desk_note: details.front_desk_note,
            deceased_on: details.deceased_on,
        }
    }
}

impl From<PatientDraft> for PatientFormView {
    fn from(draft: PatientDraft) -> Self {
        PatientFormView {
            family_name: draft.family_name,
            given_names: draft.given_names,
            preferred_name: draft.preferred_name,
            date_of_birth: draft.date_of_birth,
            sex: draft.sex,
            gender_identity: draft.gender_identity,
            phones: draft
                .phones
                .into_iter()
                .map(|phone| PhoneView { kind: phone.kind, number: phone.number })
                .collect(),
            email: draft.email,
            address: AddressView {
                line1: draft.address.line1,
                line2: draft.address.line2,
                city: draft.address.city,
                region: draft.address.region,
                postal_code: draft.address.postal_code,
                country: draft.address.country,
            },
            emergency_contact: EmergencyContactView {
                name: draft.emergency_contact.name,
                relationship: draft.emergency_contact.relationship,
                phone: draft.emergency_contact.phone,
            },
            insurance: InsuranceView { payer: draft.insurance.payer, member_id: draft.insurance.member_id },
            front_desk_note: draft.front_desk_note,
            status: draft.status,
            deceased_on: draft.deceased_on,
        }
    }
}

/// A patient in a list: enough to tell people apart.
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientSummaryView {
    pub id: PatientId,
    pub mrn: String,
    pub family_name: String,
    pub given_names: String,
    pub preferred_name: String,
    pub date_of_birth: String,
    pub age: Option<u32>,
    pub status: PatientStatus,
    pub last_visit: Option<String>,
    /// When found through a merged record: that record's MRN.
    pub found_through_alias: Option<String>,
}

impl From<PatientSummary> for PatientSummaryView {
    fn from(summary: PatientSummary) -> Self {
        PatientSummaryView {
            id: summary.id,
            mrn: summary.mrn,
            family_name: summary.family_name,
            given_names: summary.given_names,
            preferred_name: summary.preferred_name,
            date_of_birth: summary.date_of_birth,
            age: summary.age.and_then(|age| u32::try_from(age).ok()),
            status: summary.status,
            last_visit: summary.last_visit,
            found_through_alias: summary.found_through_alias,
        }
    }
}

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientSearchView {
    /// What the query was read as.
    pub kind: SearchKind,
    pub patients: Vec<PatientSummaryView>,
    /// More patients matched than shown: type more.
    pub more: bool,
}

impl From<PatientSearchResults> for PatientSearchView {
    fn from(results: PatientSearchResults) -> Self {
        PatientSearchView {
            kind: results.kind,
            patients: results.patients.into_iter().map(PatientSummaryView::from).collect(),
            more: results.more,
        }
    }
}

/// A whole record, as opened.
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientRecordView {
    pub id: PatientId,
    pub mrn: String,
    /// Send it back with a change: a change to an older version is refused.
    pub version: u32,
    pub form: PatientFormView,
    pub age: Option<u32>,
    pub last_visit: Option<String>,
    pub needs_duplicate_review: bool,
    pub registered_at: String,
    pub merged_mrns: Vec<String>,
    pub reached_through_alias: Option<String>,
}

impl From<PatientRecord> for PatientRecordView {
    fn from(record: PatientRecord) -> Self {
        PatientRecordView {
            id: record.id,
            mrn: record.mrn,
            version: record.version,
            form: record.details.into(),
            age: record.age.and_then(|age| u32::try_from(age).ok()),
            last_visit: record.last_visit,
            needs_duplicate_review: record.needs_duplicate_review,
            registered_at: record.registered_at,
            merged_mrns: record.merged_mrns,
            reached_through_alias: record.reached_through_alias,
        }
    }
}

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateCandidateView {
    pub patient: PatientSummaryView,
    pub signs: Vec<DuplicateSign>,
}

impl From<DuplicateCandidate> for DuplicateCandidateView {
    fn from(candidate: DuplicateCandidate) -> Self {
        DuplicateCandidateView { patient: candidate.patient.into(), signs: candidate.signs }
    }
}

#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientVersionView {
    pub version: u32,
    pub change: VersionChange,
    pub reason: Option<String>,
    pub changed_by: String,
    pub changed_at: String,
    pub changed_fields: Vec<String>,
    pub form: PatientFormView,
}

impl From<PatientVersion> for PatientVersionView {
    fn from(version: PatientVersion) -> Self {
        PatientVersionView {
            version: version.version,
            change: version.change,
            reason: version.reason,
            changed_by: version.changed_by,
            changed_at: version.changed_at,
            changed_fields: version.changed_fields.into_iter().map(str::to_owned).collect(),
            form: version.details.into(),
        }
    }
}

/// A merge, both records named; `mergedBy` and `unmergedBy` read "Full name (username)".
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct PatientMergeView {
    pub id: String,
    pub survivor_id: PatientId,
    pub survivor_mrn: String,
    pub survivor_name: String,
    pub merged_id: PatientId,
    pub merged_mrn: String,
    pub merged_name: String,
    pub merged_by: String,
    pub merged_at: String,
    pub unmerged_by: Option<String>,
    pub unmerged_at: Option<String>,
}

impl From<PatientMerge> for PatientMergeView {
    fn from(merge: PatientMerge) -> Self {
        PatientMergeView {
            id: merge.id,
            survivor_id: merge.survivor_id,
            survivor_mrn: merge.survivor_mrn,
            survivor_name: merge.survivor_name,
            merged_id: merge.merged_id,
            merged_mrn: merge.merged_mrn,
            merged_name: merge.merged_name,
            merged_by: merge.merged_by,
            merged_at: merge.merged_at,
            unmerged_by: merge.unmerged_by,
            unmerged_at: merge.unmerged_at,
        }
    }
}

/// A record on the duplicate review list, beside the record it resembles (if known).
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DuplicateReviewItemView {
    pub flagged: PatientSummaryView,
    pub resembles: Option<PatientSummaryView>,
}

impl From<DuplicateReviewItem> for DuplicateReviewItemView {
    fn from(item: DuplicateReviewItem) -> Self {
        DuplicateReviewItemView { flagged: item.flagged.into(), resembles: item.resembles.map(Into::into) }
    }
}

redacted!(
    PatientMergeView,
    DuplicateReviewItemView,
    PatientSummaryView,
    PatientSearchView,
    PatientRecordView,
    DuplicateCandidateView,
    PatientVersionView
);
