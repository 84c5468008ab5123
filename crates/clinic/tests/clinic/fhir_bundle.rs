//! The FHIR R4 export checked against R4's structure rules for its resources: no empty
//! elements, required elements present, arrays where R4 has them, codes from the required value
//! sets, the invariants (ait-1/2, con-4/5, cpt-2, per-1, bdl-*), urn:uuid identities and
//! references that resolve to entries of the right type, and the formats of ids, dates and
//! instants. Broken bundles must fail exactly the check they break.

use chartkeep_clinic::patients::PatientId;
use std::collections::HashMap;

use chartkeep_clinic::chart::{EncounterKind, ItemDraft, ItemStatus};
use chartkeep_clinic::patients::{PatientDraft, PhoneDraft};
use serde_json::{Value, json};

use super::chart::{Clinic, allergy, clinic, note};

fn fail(problems: &mut Vec<String>, path: &str, message: &str) {
    problems.push(format!("{path}: {message}"));
}

/// ele-1 and string rules: nothing empty, no padding, no control characters.
fn walk(value: &Value, path: &str, problems: &mut Vec<String>) {
    match value {
        Value::Null => fail(problems, path, "null"),
        Value::String(text) => {
            if text.is_empty() {
                fail(problems, path, "empty string");
            } else if text.trim() != text || text.chars().any(|c| c.is_control() && !"\t\r\n".contains(c)) {
                fail(problems, path, "padded or with control characters");
            }
        }
        Value::Array(items) if items.is_empty() => fail(problems, path, "empty array"),
        Value::Array(items) => {
            items.iter().enumerate().for_each(|(index, item)| walk(item, &format!("{path}[{index}]"), problems))
        }
        Value::Object(fields) if fields.is_empty() => fail(problems, path, "empty object"),
        Value::Object(fields) => fields.iter().for_each(|(key, item)| walk(item, &format!("{path}.{key}"), problems)),
        _ => {}
    }
}

fn is_date(text: &str) -> bool {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    text.len() == 10 && time::Date::parse(text, &format).is_ok()
}

fn is_instant(text: &str) -> bool {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).is_ok()
}

/// FHIR dateTime: a date, or a full instant with a time zone (a time without one is invalid).
fn is_date_time(text: &str) -> bool {
    is_date(text) || (text.contains('T') && is_instant(text))
}

fn is_uuid_url(text: &str) -> bool {
    text.strip_prefix("urn:uuid:")
        .is_some_and(|rest| uuid::Uuid::parse_str(rest).is_ok() && rest.len() == 36 && rest == rest.to_lowercase())
}

fn code_of(value: &Value, system: &str) -> Option<String> {
    value["coding"]
        .as_array()?
        .iter()
        .find(|coding| coding["system"] == system)
        .and_then(|coding| coding["code"].as_str().map(str::to_owned))
}

/// The properties R4 defines as arrays (max "*"), per resource type, for the elements this
/// exporter uses; everything else it writes is single.
fn array_properties(resource_type: &str) -> &'static [&'static str] {
    match resource_type {
        "Patient" => &["identifier", "name", "telecom", "address", "contact"],
        "AllergyIntolerance" => &["category", "reaction"],
        "MedicationStatement" => &["dosage"],
        "Condition" => &["category"],
        "Encounter" => &["type"],
        "DocumentReference" => &["content"],
        _ => &[],
    }
}

/// Arrays inside data types and backbone elements, wherever they appear.
const NESTED_ARRAYS: &[&str] = &["coding", "given", "line", "relationship", "manifestation"];

fn check_shapes(resource: &Value, path: &str, problems: &mut Vec<String>) {
    let Value::Object(fields) = resource else { return };
    let arrays = array_properties(resource["resourceType"].as_str().unwrap_or_default());
    for (key, value) in fields {
        let must_be_array = arrays.contains(&key.as_str());
        if must_be_array != value.is_array() {
            fail(
                problems,
                &format!("{path}.{key}"),
                if must_be_array { "must be an array" } else { "must not be an array" },
            );
        }
    }
    fn nested(value: &Value, path: &str, problems: &mut Vec<String>) {
        match value {
            Value::Object(fields) => {
                for (key, item) in fields {
                    if NESTED_ARRAYS.contains(&key.as_str()) && !item.is_array() {
                        fail(problems, &format!("{path}.{key}"), "must be an array");
                    }
                    nested(item, &format!("{path}.{key}"), problems);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| nested(item, path, problems)),
            _ => {}
        }
    }
    nested(resource, path, problems);
    if resource["resourceType"] == "DocumentReference" && !resource["context"]["encounter"].is_array() {
        fail(problems, &format!("{path}.context.encounter"), "must be an array");
    }
}

/// Every check of the export against R4's rules; the problems found, empty when valid.
pub fn problems_of(bundle: &Value) -> Vec<String> {
    let mut problems = Vec::new();
    walk(bundle, "Bundle", &mut problems);
    if bundle["resourceType"] != "Bundle" || bundle["type"] != "collection" {
        fail(&mut problems, "Bundle", "a collection bundle is expected (bdl type)");
    }
    for forbidden in ["total"] {
        if bundle.get(forbidden).is_some() {
            fail(&mut problems, "Bundle", "total only in searchsets (bdl-1)");
        }
    }
    if !bundle["timestamp"].as_str().is_some_and(is_instant) {
        fail(&mut problems, "Bundle.timestamp", "an instant is expected");
    }
    let entries = bundle["entry"].as_array().cloned().unwrap_or_default();
    let mut types: HashMap<String, String> = HashMap::new();
    for (index, entry) in entries.iter().enumerate() {
        let path = format!("entry[{index}]");
        for forbidden in ["request", "response", "search"] {
            if entry.get(forbidden).is_some() {
                fail(&mut problems, &path, "no request, response or search in a collection (bdl-2..4)");
            }
        }
        let full_url = entry["fullUrl"].as_str().unwrap_or_default();
        if !is_uuid_url(full_url) {
            fail(&mut problems, &path, "fullUrl must be urn:uuid:<lowercase uuid>");
        }
        if types
            .insert(full_url.to_owned(), entry["resource"]["resourceType"].as_str().unwrap_or_default().to_owned())
            .is_some()
        {
            fail(&mut problems, &path, "fullUrl must be unique (bdl-7)");
        }
        let resource = &entry["resource"];
        if !resource.is_object() {
            fail(&mut problems, &path, "an entry holds a resource (bdl-5)");
        }
        if resource["id"].as_str().map(|id| format!("urn:uuid:{id}")) != Some(full_url.to_owned()) {
            fail(&mut problems, &path, "the id must equal the fullUrl's uuid");
        }
    }
    let patients: Vec<&String> = types.iter().filter(|(_, kind)| *kind == "Patient").map(|(url, _)| url).collect();
    if patients.len() != 1 {
        fail(&mut problems, "Bundle", "exactly one Patient is expected");
    }
    for (index, entry) in entries.iter().enumerate() {
        let resource = &entry["resource"];
        let path = format!("entry[{index}].{}", resource["resourceType"].as_str().unwrap_or("?"));
        check_shapes(resource, &path, &mut problems);
        check_resource(resource, &path, &types, patients.first().map(|url| url.as_str()), &mut problems);
    }
    problems
}

fn check_reference(
    value: &Value,
    path: &str,
    expected: &str,
    types: &HashMap<String, String>,
    problems: &mut Vec<String>,
) {
    match value["reference"].as_str() {
        Some(target) if types.get(target).map(String::as_str) == Some(expected) => {}
        _ => fail(problems, path, &format!("must reference a {expected} entry by its fullUrl")),
    }
}

fn check_resource(
    resource: &Value,
    path: &str,
    types: &HashMap<String, String>,
    patient: Option<&str>,
    problems: &mut Vec<String>,
) {
    let subject_points_at_patient = |field: &str, problems: &mut Vec<String>| {
        check_reference(&resource[field], &format!("{path}.{field}"), "Patient", types, problems);
        if resource[field]["reference"].as_str() != patient {
            fail(problems, path, "every resource is about the one patient");
        }
    };
    match resource["resourceType"].as_str().unwrap_or_default() {
        "Patient" => {
            let gender = resource["gender"].as_str();
            if gender.is_some_and(|gender| !["male", "female", "other", "unknown"].contains(&gender)) {
                fail(problems, path, "gender outside administrative-gender");
            }
            if resource["birthDate"].as_str().is_some_and(|date| !is_date(date)) {
                fail(problems, path, "birthDate must be a date");
            }
            if resource.get("deceasedDateTime").is_some() && resource.get("deceasedBoolean").is_some() {
                fail(problems, path, "one deceased[x] only");
            }
            for telecom in resource["telecom"].as_array().into_iter().flatten() {
                if telecom.get("value").is_some()
                    && !["phone", "email"].contains(&telecom["system"].as_str().unwrap_or_default())
                {
                    fail(problems, path, "a ContactPoint with a value has a system (cpt-2)");
                }
                if telecom["use"]
                    .as_str()
                    .is_some_and(|usage| !["home", "work", "temp", "old", "mobile"].contains(&usage))
                {
                    fail(problems, path, "telecom.use outside contact-point-use");
                }
            }
            for contact in resource["contact"].as_array().into_iter().flatten() {
                if contact.get("name").is_none() && contact.get("telecom").is_none() && contact.get("address").is_none()
                {
                    fail(problems, path, "a contact has details (pat-1)");
                }
            }
        }
        "AllergyIntolerance" => {
            subject_points_at_patient("patient", problems);
            let verification = code_of(
                &resource["verificationStatus"],
                "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
            );
            let clinical = code_of(
                &resource["clinicalStatus"],
                "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical",
            );
            let entered_in_error = verification.as_deref() == Some("entered-in-error");
            if clinical.is_some() == entered_in_error {
                fail(problems, path, "clinicalStatus present if and only if not entered in error (ait-1, ait-2)");
            }
            if clinical.as_deref().is_some_and(|code| !["active", "inactive", "resolved"].contains(&code)) {
                fail(problems, path, "clinicalStatus outside its value set");
            }
            for reaction in resource["reaction"].as_array().into_iter().flatten() {
                if reaction["manifestation"].as_array().is_none_or(Vec::is_empty) {
                    fail(problems, path, "a reaction has a manifestation");
                }
                if reaction["severity"]
                    .as_str()
                    .is_some_and(|severity| !["mild", "moderate", "severe"].contains(&severity))
                {
                    fail(problems, path, "reaction.severity outside its value set");
                }
            }
        }
        "MedicationStatement" => {
            subject_points_at_patient("subject", problems);
            let statuses =
                ["active", "completed", "entered-in-error", "intended", "stopped", "on-hold", "unknown", "not-taken"];
            if !resource["status"].as_str().is_some_and(|status| statuses.contains(&status)) {
                fail(problems, path, "status missing or outside medication-statement-status");
            }
            let medications = ["medicationCodeableConcept", "medicationReference"]
                .iter()
                .filter(|key| resource.get(**key).is_some())
                .count();
            if medications != 1 {
                fail(problems, path, "exactly one medication[x]");
            }
            let period = &resource["effectivePeriod"];
            if let (Some(start), Some(end)) = (period["start"].as_str(), period["end"].as_str())
                && start > end
            {
                fail(problems, path, "period start after end (per-1)");
            }
            for date in [period["start"].as_str(), period["end"].as_str()].into_iter().flatten() {
                if !is_date_time(date) {
                    fail(problems, path, "period dates must be dateTimes");
                }
            }
        }
        "Condition" => {
            subject_points_at_patient("subject", problems);
            let clinical =
                code_of(&resource["clinicalStatus"], "http://terminology.hl7.org/CodeSystem/condition-clinical");
            let verification =
                code_of(&resource["verificationStatus"], "http://terminology.hl7.org/CodeSystem/condition-ver-status");
            let entered_in_error = verification.as_deref() == Some("entered-in-error");
            if entered_in_error && clinical.is_some() {
                fail(problems, path, "no clinicalStatus when entered in error (con-5)");
            }
            if !entered_in_error && clinical.is_none() {
                fail(problems, path, "clinicalStatus present when not entered in error (con-3, as exported)");
            }
            let abated = ["abatementDateTime", "abatementAge", "abatementPeriod", "abatementRange", "abatementString"]
                .iter()
                .any(|key| resource.get(*key).is_some());
            if abated && !clinical.as_deref().is_some_and(|code| ["inactive", "resolved", "remission"].contains(&code))
            {
                fail(problems, path, "an abated condition is inactive, resolved or in remission (con-4)");
            }
            if clinical.as_deref().is_some_and(|code| {
                !["active", "recurrence", "relapse", "inactive", "remission", "resolved"].contains(&code)
            }) {
                fail(problems, path, "clinicalStatus outside condition-clinical");
            }
            if resource["onsetDateTime"].as_str().is_some_and(|date| !is_date_time(date)) {
                fail(problems, path, "onsetDateTime must be a dateTime");
            }
        }
        "Encounter" => {
            subject_points_at_patient("subject", problems);
            let statuses = [
                "planned",
                "arrived",
                "triaged",
                "in-progress",
                "onleave",
                "finished",
                "cancelled",
                "entered-in-error",
                "unknown",
            ];
            if !resource["status"].as_str().is_some_and(|status| statuses.contains(&status)) {
                fail(problems, path, "status missing or outside encounter-status");
            }
            let class = &resource["class"];
            let codes = ["AMB", "EMER", "FLD", "HH", "IMP", "ACUTE", "NONAC", "OBSENC", "PRENC", "SS", "VR"];
            if class.get("coding").is_some()
                || class["system"] != "http://terminology.hl7.org/CodeSystem/v3-ActCode"
                || !class["code"].as_str().is_some_and(|code| codes.contains(&code))
            {
                fail(problems, path, "class is a Coding from v3-ActCode");
            }
            if !resource["period"]["start"].as_str().is_some_and(is_date_time) {
                fail(problems, path, "period.start must be a dateTime");
            }
        }
        "DocumentReference" => {
            subject_points_at_patient("subject", problems);
            if !resource["status"]
                .as_str()
                .is_some_and(|status| ["current", "superseded", "entered-in-error"].contains(&status))
            {
                fail(problems, path, "status outside document-reference-status");
            }
            if resource["docStatus"]
                .as_str()
                .is_some_and(|status| !["preliminary", "final", "amended", "entered-in-error"].contains(&status))
            {
                fail(problems, path, "docStatus outside composition-status");
            }
            if !resource["date"].as_str().is_some_and(is_instant) {
                fail(problems, path, "date must be an instant");
            }
            for content in resource["content"].as_array().into_iter().flatten() {
                let attachment = &content["attachment"];
                if attachment.get("data").is_some() && attachment.get("contentType").is_none() {
                    fail(problems, path, "an attachment with data has a contentType (att-1)");
                }
            }
            for encounter in resource["context"]["encounter"].as_array().into_iter().flatten() {
                check_reference(encounter, path, "Encounter", types, problems);
            }
        }
        other => fail(problems, path, &format!("unexpected resource type {other}")),
    }
}

fn rich_patient(clinic: &mut Clinic) -> PatientId {
    let mut draft = PatientDraft {
        family_name: "Schäfer".into(),
        given_names: "Lotte Marie".into(),
        date_of_birth: "1941-11-23".into(),
        sex: "female".into(),
        email: "lotte@example.org".into(),
        status: "deceased".into(),
        deceased_on: "2026-10-02".into(),
        ..PatientDraft::default()
    };
    draft.phones.push(PhoneDraft { kind: "mobile".into(), number: "+43 664 1234567".into() });
    draft.phones.push(PhoneDraft { kind: "other".into(), number: "01 234 5678".into() });
    draft.address.line1 = "Hauptstraße 1".into();
    draft.address.city = "Wien".into();
    draft.emergency_contact.name = "Karl Schäfer".into();
    draft.emergency_contact.relationship = "son".into();
    draft.emergency_contact.phone = "+43 660 7654321".into();
    clinic.desk.register_patient(&draft, &[]).unwrap().id
}

#[test]
fn the_fhir_export_follows_r4s_structure_rules_for_every_resource() {
    let mut clinic = clinic();
    let patient = rich_patient(&mut clinic);
    let doctor = &mut clinic.doctor;
    doctor.record_chart_item(&patient, &allergy("Penicillin")).unwrap();
    doctor
        .record_chart_item(
            &patient,
            &ItemDraft::Allergy {
                substance: "Peanuts".into(),
                reaction: String::new(),
                severity: None,
                status: ItemStatus::Inactive,
            },
        )
        .unwrap();
    for (description, icd10, status) in
        [("Type 2 diabetes", "E11.9", ItemStatus::Active), ("Sprained ankle", "", ItemStatus::Resolved)]
    {
        doctor
            .record_chart_item(
                &patient,
                &ItemDraft::Problem {
                    description: description.into(),
                    icd10: icd10.into(),
                    onset: "2019-03-01".into(),
                    status,
                },
            )
            .unwrap();
    }
    doctor
        .record_chart_item(
            &patient,
            &ItemDraft::Medication {
                name: "Metformin".into(),
                dose: "500 mg".into(),
                route: "oral".into(),
                frequency: "twice daily".into(),
                start: "2020-01-01".into(),
                stop: "2026-10-01".into(),
                status: ItemStatus::Completed,
            },
        )
        .unwrap();
    for kind in [EncounterKind::Visit, EncounterKind::Phone, EncounterKind::Telehealth, EncounterKind::Other] {
        let encounter = doctor.start_encounter(&patient, kind, "").unwrap();
        doctor.save_draft_note(&encounter.id, kind, &note("FHIR")).unwrap();
        doctor.sign_note(&encounter.id).unwrap();
    }
    let unsigned = doctor.start_encounter(&patient, EncounterKind::Visit, "").unwrap();
    let path = clinic.practice.folder.path().join("record.json");
    let entries = doctor.export_patient_fhir(&patient, &chartkeep_clinic::ExportDestination::new_file(&path)).unwrap();
    let bundle: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    let problems = problems_of(&bundle);
    assert!(problems.is_empty(), "the bundle breaks R4's rules:\n{}", problems.join("\n"));
    let types: Vec<&str> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .map(|entry| entry["resource"]["resourceType"].as_str().unwrap())
        .collect();
    assert_eq!(entries as usize, types.len());
    for (kind, count) in [
        ("Patient", 1),
        ("AllergyIntolerance", 2),
        ("Condition", 2),
        ("MedicationStatement", 1),
        ("Encounter", 4),
        ("DocumentReference", 4),
    ] {
        assert_eq!(types.iter().filter(|found| **found == kind).count(), count, "{kind}");
    }
    assert!(!bundle.to_string().contains(&unsigned.id), "a draft is not part of the record");
    let patient_resource = &bundle["entry"][0]["resource"];
    assert_eq!(patient_resource["deceasedDateTime"], "2026-10-02");
    assert_eq!(patient_resource["identifier"][0]["type"]["coding"][0]["code"], "MR");
    assert_eq!(patient_resource["name"][0]["given"], json!(["Lotte", "Marie"]));
}

#[test]
fn the_checks_catch_each_rule_a_broken_bundle_breaks() {
    let mut clinic = clinic();
    let patient = rich_patient(&mut clinic);
    clinic.doctor.record_chart_item(&patient, &allergy("Penicillin")).unwrap();
    clinic
        .doctor
        .record_chart_item(
            &patient,
            &ItemDraft::Problem {
                description: "Asthma".into(),
                icd10: "J45".into(),
                onset: String::new(),
                status: ItemStatus::Active,
            },
        )
        .unwrap();
    let encounter = clinic.doctor.start_encounter(&patient, EncounterKind::Visit, "").unwrap();
    clinic.doctor.save_draft_note(&encounter.id, EncounterKind::Visit, &note("Check")).unwrap();
    clinic.doctor.sign_note(&encounter.id).unwrap();
    let path = clinic.practice.folder.path().join("record.json");
    clinic.doctor.export_patient_fhir(&patient, &chartkeep_clinic::ExportDestination::new_file(&path)).unwrap();
    let good: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
    assert!(problems_of(&good).is_empty());
    let position = |kind: &str| {
        good["entry"].as_array().unwrap().iter().position(|entry| entry["resource"]["resourceType"] == kind).unwrap()
    };
    type Damage<'a> = Box<dyn Fn(&mut Value) + 'a>;
    let broken: Vec<(&str, Damage<'_>)> = vec![
        (
            "ait-1",
            Box::new(move |bundle| {
                bundle["entry"][position("AllergyIntolerance")]["resource"]["verificationStatus"]["coding"][0]["code"] =
                    json!("entered-in-error")
            }),
        ),
        (
            "con-4",
            Box::new(move |bundle| {
                bundle["entry"][position("Condition")]["resource"]["abatementDateTime"] = json!("2026-01-01")
            }),
        ),
        (
            "v3-ActCode",
            Box::new(move |bundle| {
                let class = bundle["entry"][position("Encounter")]["resource"]["class"].clone();
                bundle["entry"][position("Encounter")]["resource"]["class"] = json!({ "coding": [class] });
            }),
        ),
        (
            "bdl-7",
            Box::new(|bundle| {
                let first = bundle["entry"][0]["fullUrl"].clone();
                bundle["entry"][1]["fullUrl"] = first;
            }),
        ),
        (
            "must reference a Patient",
            Box::new(move |bundle| {
                bundle["entry"][position("Condition")]["resource"]["subject"]["reference"] =
                    json!("urn:uuid:00000000-0000-4000-8000-000000000000")
            }),
        ),
        ("empty array", Box::new(|bundle| bundle["entry"][0]["resource"]["name"][0]["given"] = json!([]))),
        (
            "period.start",
            Box::new(move |bundle| {
                bundle["entry"][position("Encounter")]["resource"]["period"]["start"] = json!("2026-11-25T09:00:00")
            }),
        ),
    ];
    for (rule, damage) in broken {
        let mut bundle = good.clone();
        damage(&mut bundle);
        let problems = problems_of(&bundle);
        assert!(problems.iter().any(|problem| problem.contains(rule)), "breaking {rule} went unseen: {problems:?}");
    }
}
