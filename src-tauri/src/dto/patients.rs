//! Patients at the boundary: the form the UI sends, and the records, summaries, duplicate
//! warnings, search results and History it receives. Patient data crosses only here and only
//! to the window; none of these types print their values in `Debug`.

use chartkeep_clinic::patients::PatientId;
use chartkeep_clinic::patients::{
    Address, DuplicateSign, EmergencyContact, Insurance, PatientDetails, PatientDraft, PatientStatus, PhoneDraft,
    PhoneKind, Sex,
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
    pub kind: PhoneKind,
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
    pub sex: Sex,
    pub gender_identity: String,
    pub phones: Vec<PhoneView>,
    pub email: String,
    pub address: AddressView,
    pub emergency_contact: EmergencyContactView,
    pub insurance: InsuranceView,
    pub front_desk_note: String,
    pub status: PatientStatus,
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
            sex: form.sex.as_str().to_owned(),
            gender_identity: form.gender_identity,
            phones: form
                .phones
                .into_iter()
                .map(|phone| PhoneDraft { kind: <&str>::from(phone.kind).to_owned(), number: phone.number })
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
            status: form.status.as_str().to_owned(),
            deceased_on: form.deceased_on,
        }
    }
}

impl From<PatientDetails> for PatientFormView {
    fn from(details: PatientDetails) -> Self {
        PatientFormView {
            sex: details.sex,
            status: details.status,
            phones: details
                .phones
                .into_iter()
                .map(|phone| PhoneView { kind: phone.kind, number: phone.number })
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

/// A row of an imported file as it will be registered. The mapping turns the file's words into
/// the form's choices; a sex it could not read stays as written, and the check refuses that row.
#[derive(Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ImportedPatientView {
    pub form: PatientFormView,
    /// The file's word for the patient's sex, when it is none the form offers.
    pub sex_as_written: Option<String>,
}

redacted!(ImportedPatientView);

impl From<PatientDraft> for ImportedPatientView {
    fn from(draft: PatientDraft) -> Self {
        let sex = Sex::from_draft(&draft.sex);
        let sex_as_written = sex.is_none().then(|| draft.sex.trim().to_owned());
        let form = PatientFormView {
            family_name: draft.family_name,
            given_names: draft.given_names,
            preferred_name: draft.preferred_name,
            date_of_birth: draft.date_of_birth,
            sex: sex.unwrap_or_default(),
            gender_identity: draft.gender_identity,
            // The mapping writes only the kinds it knows, and the status "deceased" or nothing.
            phones: draft
                .phones
                .into_iter()
                .map(|phone| PhoneView { kind: phone.kind.parse().unwrap_or_default(), number: phone.number })
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
            status: PatientStatus::from_draft(&draft.status).unwrap_or_default(),
            deceased_on: draft.deceased_on,
        };
        ImportedPatientView { form, sex_as_written }
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

#[cfg(test)]
mod tests {
    use super::*;
    use chartkeep_clinic::patients::DateOrder;

    /// Sex, status and a phone's kind cross as the core's enums, so a word the core does not
    /// know is refused when the form is read, and what the form sends is what the core reads.
    #[test]
    fn a_patient_form_takes_only_the_choices_the_core_knows() {
        let form = serde_json::to_value(PatientFormView::default()).unwrap();
        assert_eq!((&form["sex"], &form["status"]), (&"unknown".into(), &"active".into()));
        for (field, word) in [("sex", "f"), ("sex", ""), ("status", "archived")] {
            let mut wrong = form.clone();
            wrong[field] = word.into();
            assert!(serde_json::from_value::<PatientFormView>(wrong).is_err(), "{field} {word:?}");
        }
        let mut typed = form;
        typed["familyName"] = "Nowak".into();
        typed["dateOfBirth"] = "1984-03-07".into();
        typed["sex"] = "intersex".into();
        typed["status"] = "inactive".into();
        typed["phones"] = serde_json::json!([{ "kind": "work", "number": "+43 1 234 5678" }]);
        let draft = PatientDraft::from(serde_json::from_value::<PatientFormView>(typed).unwrap());
        let details = draft.validate(DateOrder::DayFirst, time::macros::date!(2026 - 12 - 05)).unwrap();
        assert_eq!(
            (details.sex, details.status, details.phones[0].kind),
            (Sex::Intersex, PatientStatus::Inactive, PhoneKind::Work)
        );
    }

    /// An imported row's sex the mapping could not read shows as written, for the preview to
    /// mark; one it read is the form's choice.
    #[test]
    fn an_imported_row_keeps_a_sex_it_could_not_read_as_written() {
        let row =
            |sex: &str| ImportedPatientView::from(PatientDraft { sex: sex.to_owned(), ..PatientDraft::default() });
        let unread = row(" k ");
        assert_eq!((unread.form.sex, unread.sex_as_written.as_deref()), (Sex::Unknown, Some("k")));
        let read = row("female");
        assert_eq!((read.form.sex, read.sex_as_written), (Sex::Female, None));
        assert_eq!(row("").sex_as_written, None);
    }
}
