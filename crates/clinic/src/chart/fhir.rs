//! One patient's record as a FHIR R4 (4.0.1) Bundle of type "collection", for the patient's
//! right of access and for moving to another system: Patient, AllergyIntolerance,
//! MedicationStatement, Condition, Encounter, and a DocumentReference carrying each signed note
//! (R4's Encounter has no element for note text). Entries are `urn:uuid:` full URLs equal to
//! the resources' ids; references between entries use them. Items entered in error and draft
//! notes are not part of the record and are left out.

use crate::patients::PatientId;
use base64::Engine;
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::items::{AllergySeverity, ItemData};
use super::notes::{Encounter, EncounterKind};
use super::{Chart, read_chart};
use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::audit_view::export_with_record;
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::export_file::io_error;
use crate::patients::{PatientDetails, PhoneKind, Sex, store as patient_store};
use crate::permissions::Permission;
use crate::session::Session;

const ALLERGY_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
const ALLERGY_VERIFICATION: &str = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
const CONDITION_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";
const CONDITION_VERIFICATION: &str = "http://terminology.hl7.org/CodeSystem/condition-ver-status";
const CONDITION_CATEGORY: &str = "http://terminology.hl7.org/CodeSystem/condition-category";
const ACT_CODE: &str = "http://terminology.hl7.org/CodeSystem/v3-ActCode";

/// A JSON object without the empty parts FHIR forbids (ele-1: no "", no [], no {}, no null).
fn object(pairs: Vec<(&str, Value)>) -> Value {
    let mut map = Map::new();
    for (key, value) in pairs {
        let empty = match &value {
            Value::Null => true,
            Value::String(text) => text.trim().is_empty(),
            Value::Array(items) => items.is_empty(),
            Value::Object(fields) => fields.is_empty(),
            _ => false,
        };
        if !empty {
            map.insert(key.to_owned(), value);
        }
    }
    Value::Object(map)
}

fn text(value: &str) -> Value {
    Value::String(value.trim().to_owned())
}

fn coding(system: &str, code: &str) -> Value {
    json!({ "coding": [{ "system": system, "code": code }] })
}

fn reference(id: &str) -> Value {
    json!({ "reference": format!("urn:uuid:{id}") })
}

fn entry(id: &str, resource: Value) -> Value {
    json!({ "fullUrl": format!("urn:uuid:{id}"), "resource": resource })
}

/// A stable id for a resource made from another (a note from its encounter): the same export
/// gives the same ids.
fn derived_id(kind: &str, from: &str) -> String {
    let digest = Sha256::digest(format!("{kind}:{from}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}

fn patient_resource(id: &str, mrn: &str, vault_id: &str, details: &PatientDetails) -> Value {
    let gender = match details.sex {
        Sex::Female => "female",
        Sex::Male => "male",
        Sex::Intersex => "other",
        Sex::Unknown => "",
    };
    let mut telecom: Vec<Value> = details
        .phones
        .iter()
        .map(|phone| {
            let usage = match phone.kind {
                PhoneKind::Mobile => "mobile",
                PhoneKind::Home => "home",
                PhoneKind::Work => "work",
                PhoneKind::Other => "",
            };
            object(vec![("system", text("phone")), ("value", text(&phone.number)), ("use", text(usage))])
        })
        .collect();
    if !details.email.is_empty() {
        telecom.push(object(vec![("system", text("email")), ("value", text(&details.email))]));
    }
    let address = &details.address;
    let lines: Vec<Value> =
        [&address.line1, &address.line2].iter().filter(|line| !line.is_empty()).map(|line| text(line)).collect();
    let addresses = vec![object(vec![
        ("use", text("home")),
        ("line", Value::Array(lines)),
        ("city", text(&address.city)),
        ("state", text(&address.region)),
        ("postalCode", text(&address.postal_code)),
        ("country", text(&address.country)),
    ])]
    .into_iter()
    .filter(|address| address.as_object().is_some_and(|fields| fields.len() > 1))
    .collect::<Vec<_>>();
    let contact = &details.emergency_contact;
    let contacts = if contact.name.is_empty() {
        Vec::new()
    } else {
        vec![object(vec![
            (
                "relationship",
                Value::Array(
                    [
                        Some(json!({ "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": "C", "display": "Emergency Contact" }] })),
                        (!contact.relationship.is_empty()).then(|| json!({ "text": contact.relationship.trim() })),
                    ]
                    .into_iter()
                    .flatten()
                    .collect(),
                ),
            ),
            ("name", json!({ "text": contact.name.trim() })),
            (
                "telecom",
                Value::Array(
                    (!contact.phone.is_empty())
                        .then(|| json!({ "system": "phone", "value": contact.phone.trim() }))
                        .into_iter()
                        .collect(),
                ),
            ),
        ])]
    };
    let given: Vec<Value> = details.given_names.split_whitespace().map(text).collect();
    object(vec![
        ("resourceType", text("Patient")),
        ("id", text(id)),
        (
            "identifier",
            json!([{ "use": "usual",
                "type": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "MR", "display": "Medical record number" }], "text": "MRN" },
                "system": format!("urn:uuid:{vault_id}"), "value": mrn }]),
        ),
        (
            "name",
            Value::Array(vec![object(vec![
                ("use", text("official")),
                ("family", text(&details.family_name)),
                ("given", Value::Array(given)),
            ])]),
        ),
        ("telecom", Value::Array(telecom)),
        ("gender", text(gender)),
        ("birthDate", text(&details.date_of_birth)),
        ("deceasedDateTime", text(&details.deceased_on)),
        ("address", Value::Array(addresses)),
        ("contact", Value::Array(contacts)),
    ])
}

fn item_resource(patient_id: &str, id: &str, data: &ItemData, recorded_at: &str) -> Value {
    match data {
        ItemData::Allergy { substance, reaction, severity, status } => object(vec![
            ("resourceType", text("AllergyIntolerance")),
            ("id", text(id)),
            ("clinicalStatus", coding(ALLERGY_CLINICAL, status.as_str())),
            ("verificationStatus", coding(ALLERGY_VERIFICATION, "confirmed")),
            ("code", json!({ "text": substance.trim() })),
            ("patient", reference(patient_id)),
            ("recordedDate", text(recorded_at)),
            (
                "reaction",
                Value::Array(
                    (!reaction.is_empty())
                        .then(|| {
                            object(vec![
                                ("manifestation", json!([{ "text": reaction.trim() }])),
                                ("severity", text(severity.map_or("", AllergySeverity::as_str))),
                            ])
                        })
                        .into_iter()
                        .collect(),
                ),
            ),
        ]),
        ItemData::NoKnownAllergies { status } => object(vec![
            ("resourceType", text("AllergyIntolerance")),
            ("id", text(id)),
            ("clinicalStatus", coding(ALLERGY_CLINICAL, status.as_str())),
            ("verificationStatus", coding(ALLERGY_VERIFICATION, "confirmed")),
            (
                "code",
                json!({ "coding": [{ "system": "http://snomed.info/sct", "code": "716186003", "display": "No known allergy" }], "text": "No known allergies" }),
            ),
            ("patient", reference(patient_id)),
            ("recordedDate", text(recorded_at)),
        ]),
        ItemData::Medication { name, dose, route, frequency, start, stop, status } => {
            let dosage = [dose, route, frequency]
                .iter()
                .filter(|part| !part.is_empty())
                .map(|part| part.trim())
                .collect::<Vec<_>>()
                .join(", ");
            object(vec![
                ("resourceType", text("MedicationStatement")),
                ("id", text(id)),
                ("status", text(&status.as_str().replace('_', "-"))),
                ("medicationCodeableConcept", json!({ "text": name.trim() })),
                ("subject", reference(patient_id)),
                ("effectivePeriod", object(vec![("start", text(start)), ("end", text(stop))])),
                ("dateAsserted", text(recorded_at)),
                (
                    "dosage",
                    Value::Array(
                        (!dosage.is_empty())
                            .then(|| {
                                object(vec![
                                    ("text", text(&dosage)),
                                    (
                                        "route",
                                        if route.is_empty() { Value::Null } else { json!({ "text": route.trim() }) },
                                    ),
                                ])
                            })
                            .into_iter()
                            .collect(),
                    ),
                ),
            ])
        }
        ItemData::Problem { description, icd10, onset, status } => object(vec![
            ("resourceType", text("Condition")),
            ("id", text(id)),
            ("clinicalStatus", coding(CONDITION_CLINICAL, status.as_str())),
            ("verificationStatus", coding(CONDITION_VERIFICATION, "confirmed")),
            (
                "category",
                json!([{ "coding": [{ "system": CONDITION_CATEGORY, "code": "problem-list-item", "display": "Problem List Item" }] }]),
            ),
            (
                "code",
                object(vec![
                    (
                        "coding",
                        Value::Array(
                            (!icd10.is_empty())
                                .then(|| json!({ "system": "http://hl7.org/fhir/sid/icd-10", "code": icd10 }))
                                .into_iter()
                                .collect(),
                        ),
                    ),
                    ("text", text(description)),
                ]),
            ),
            ("subject", reference(patient_id)),
            ("onsetDateTime", text(onset)),
            ("recordedDate", text(recorded_at)),
        ]),
    }
}

fn encounter_resources(patient_id: &str, encounter: &Encounter) -> Vec<Value> {
    let (class, class_display, kind_text) = match encounter.kind {
        EncounterKind::Visit => ("AMB", "ambulatory", "Office visit"),
        EncounterKind::Phone => ("VR", "virtual", "Telephone encounter"),
        EncounterKind::Telehealth => ("VR", "virtual", "Telehealth visit"),
        EncounterKind::Other => ("AMB", "ambulatory", "Other"),
    };
    let resource = object(vec![
        ("resourceType", text("Encounter")),
        ("id", text(&encounter.id)),
        ("status", text("finished")),
        ("class", json!({ "system": ACT_CODE, "code": class, "display": class_display })),
        ("type", json!([{ "text": kind_text }])),
        ("subject", reference(patient_id)),
        ("period", json!({ "start": encounter.occurred_at })),
    ]);
    let note = &encounter.note;
    let mut body: Vec<String> = [
        ("Subjective", &note.subjective),
        ("Objective", &note.objective),
        ("Assessment", &note.assessment),
        ("Plan", &note.plan),
        ("Notes", &note.free_text),
    ]
    .iter()
    .filter(|(_, part)| !part.trim().is_empty())
    .map(|(label, part)| format!("{label}: {}", part.trim()))
    .collect();
    for addendum in &encounter.addenda {
        body.push(format!("Addendum by {} at {}: {}", addendum.author_name, addendum.written_at, addendum.text.trim()));
    }
    let note_id = derived_id("note", &encounter.id);
    let document = object(vec![
        ("resourceType", text("DocumentReference")),
        ("id", text(&note_id)),
        ("status", text("current")),
        ("docStatus", text(if encounter.addenda.is_empty() { "final" } else { "amended" })),
        (
            "type",
            json!({ "coding": [{ "system": "http://loinc.org", "code": "11506-3", "display": "Progress note" }], "text": "SOAP note" }),
        ),
        ("subject", reference(patient_id)),
        ("date", text(encounter.signed_at.as_deref().unwrap_or(&encounter.occurred_at))),
        (
            "content",
            json!([{ "attachment": { "contentType": "text/plain; charset=utf-8", "title": "SOAP note",
                "data": base64::engine::general_purpose::STANDARD.encode(body.join("\n\n")) } }]),
        ),
        ("context", json!({ "encounter": [{ "reference": format!("urn:uuid:{}", encounter.id) }] })),
    ]);
    vec![entry(&encounter.id, resource), entry(&note_id, document)]
}

/// The bundle of one patient's record, from their chart.
pub fn bundle(
    patient_id: &PatientId,
    mrn: &str,
    vault_id: &str,
    details: &PatientDetails,
    chart: &Chart,
    exported_at: &str,
) -> Value {
    let patient_id = patient_id.as_str();
    let mut entries = vec![entry(patient_id, patient_resource(patient_id, mrn, vault_id, details))];
    for item in chart.allergies.iter().chain(&chart.medications).chain(&chart.problems) {
        entries.push(entry(&item.id, item_resource(patient_id, &item.id, &item.data, &item.recorded_at)));
    }
    for encounter in chart.encounters.iter().filter(|encounter| encounter.signed) {
        entries.extend(encounter_resources(patient_id, encounter));
    }
    json!({
        "resourceType": "Bundle",
        "id": derived_id("bundle", &format!("{patient_id}:{exported_at}")),
        "type": "collection",
        "timestamp": exported_at,
        "entry": entries,
    })
}

/// How many encounters an export holds at most (the whole record of a long-standing patient).
const EXPORT_ENCOUNTERS: usize = 10_000;

impl Session {
    /// Writes one patient's record as a FHIR R4 Bundle (JSON) where the user chose; returns
    /// the number of entries.
    pub fn export_patient_fhir(
        &mut self,
        patient_id: &PatientId,
        destination: &crate::export_file::ExportDestination,
    ) -> ClinicResult<u64> {
        let mut authorized = self.authorize_for_patient(Permission::ExportChart, patient_id, AuditAction::Export)?;
        let viewer = authorized.user().id.clone();
        let now = authorized.now();
        let (mut chart, _) = read_chart(authorized.connection(), patient_id, &viewer, now)?;
        let ids = patient_store::ids_with_aliases(authorized.connection(), patient_id)?;
        chart.encounters = super::store::recent_encounters(authorized.connection(), &ids, &viewer, EXPORT_ENCOUNTERS)?;
        let row =
            patient_store::by_id(authorized.connection(), patient_id)?.ok_or(ClinicError::NotFound("That patient"))?;
        let vault_id = authorized.vault().vault_id().to_owned();
        let value = bundle(patient_id, &row.mrn, &vault_id, &row.details, &chart, &timestamp(now));
        let entries = value["entry"].as_array().map_or(0, Vec::len) as u64;
        let event = AuditEvent::success(AuditAction::Export)
            .patient(patient_id)
            .category("fhir_bundle")
            .reason("right_of_access")
            .detail("resources", Detail::Count(entries));
        export_with_record(&mut authorized, destination, event, |_, writer| {
            serde_json::to_writer_pretty(&mut *writer, &value)
                .map_err(|_| ClinicError::Internal("The bundle could not be written."))?;
            writer.write_all(b"\n").map_err(io_error)?;
            Ok(entries)
        })
    }
}
