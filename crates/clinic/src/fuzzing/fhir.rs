//! The FHIR export's target: bundles of random charts, which must always validate.

use sha2::{Digest as _, Sha256};
use time::OffsetDateTime;

use crate::chart::fhir::bundle;
use crate::chart::notes::{checked_addendum, checked_note, checked_occurred_at};
use crate::chart::{
    Addendum, AllergySeverity, Chart, ChartItem, Encounter, EncounterKind, ItemDraft, ItemStatus, SoapNote,
    allergy_banner,
};
use crate::clock::timestamp;
use crate::patients::dates::DateOrder;
use crate::patients::{Address, EmergencyContact, Insurance, PatientDraft, PatientStatus, PatientSummary, PhoneDraft};

use super::{VAULT_ID, fhir_check};

/// The export's clock: seconds after 2000-01-01 in the first field, within a century.
fn export_time(field: &str) -> OffsetDateTime {
    let seconds = field.trim().parse::<i64>().unwrap_or(848_880_000).rem_euclid(100 * 365 * 86_400);
    OffsetDateTime::from_unix_timestamp(946_684_800 + seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// A stable UUID for the `n`th thing made from `data`.
/// A status as the form sends it: one the core knows (empty is active), or none, and the item is
/// left out as the form would refuse it.
fn status_of(text: &str) -> Option<ItemStatus> {
    match text.trim() {
        "" => Some(ItemStatus::Active),
        known => known.parse().ok(),
    }
}

/// A severity as the form sends it: not given when empty; an unknown one is none at all.
fn severity_of(text: &str) -> Option<Option<AllergySeverity>> {
    match text.trim() {
        "" => Some(None),
        known => known.parse().ok().map(Some),
    }
}

fn uuid_for(data: &[u8], n: usize) -> String {
    let digest = Sha256::new().chain_update(data).chain_update(n.to_be_bytes()).finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes).into_uuid().to_string()
}

/// The FHIR export of a random chart: fields separated by U+001E make a patient (checked as
/// registration checks it), then allergies, medications, problems, encounters with notes and
/// addenda (each checked as the use case that records it checks it); the bundle must always
/// pass [`fhir_check::check_bundle`]. Returns the bundle, when the patient was valid.
pub fn fhir_bundle(data: &[u8]) -> Option<serde_json::Value> {
    const AUTHOR: &str = "Dana Synthetic";
    let text = String::from_utf8_lossy(data);
    let mut fields = text.split('\u{1e}');
    let mut next = || fields.next().unwrap_or_default().to_owned();
    let now = export_time(&next());
    let today = now.date();
    let stamp = timestamp(now);
    let order = if next().trim() == "mdy" { DateOrder::MonthFirst } else { DateOrder::DayFirst };
    let draft = PatientDraft {
        family_name: next(),
        given_names: next(),
        preferred_name: next(),
        date_of_birth: next(),
        sex: next(),
        gender_identity: next(),
        phones: next()
            .split(';')
            .filter(|phone| !phone.is_empty())
            .map(|phone| {
                let (kind, number) = phone.split_once(':').unwrap_or(("", phone));
                PhoneDraft { kind: kind.to_owned(), number: number.to_owned() }
            })
            .collect(),
        email: next(),
        address: Address {
            line1: next(),
            line2: next(),
            city: next(),
            region: next(),
            postal_code: next(),
            country: next(),
        },
        emergency_contact: EmergencyContact { name: next(), relationship: next(), phone: next() },
        insurance: Insurance { payer: next(), member_id: next() },
        front_desk_note: next(),
        status: next(),
        deceased_on: next(),
    };
    let details = draft.validate(order, today).ok()?;
    let patient_id = crate::patients::PatientId::new(uuid_for(data, 0));
    let mut made = 1;
    let mut new_id = || {
        made += 1;
        uuid_for(data, made)
    };
    let (mut allergies, mut medications, mut problems, mut encounters) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for _ in 0..200 {
        let tag = next();
        let item = match tag.trim() {
            "allergy" => {
                let (substance, reaction) = (next(), next());
                let (Some(severity), Some(status)) = (severity_of(&next()), status_of(&next())) else { continue };
                ItemDraft::Allergy { substance, reaction, severity, status }
            }
            "nka" => ItemDraft::NoKnownAllergies,
            "medication" => {
                let (name, dose, route, frequency, start, stop) = (next(), next(), next(), next(), next(), next());
                let Some(status) = status_of(&next()) else { continue };
                ItemDraft::Medication { name, dose, route, frequency, start, stop, status }
            }
            "problem" => {
                let (description, icd10, onset) = (next(), next(), next());
                let Some(status) = status_of(&next()) else { continue };
                ItemDraft::Problem { description, icd10, onset, status }
            }
            "encounter" => {
                let kind = EncounterKind::parse(next().trim());
                let occurred_at = checked_occurred_at(&next(), now);
                let note = SoapNote {
                    subjective: next(),
                    objective: next(),
                    assessment: next(),
                    plan: next(),
                    free_text: next(),
                };
                let signed = next().trim() == "signed";
                if let (Ok(kind), Ok(occurred_at), Ok(note)) = (kind, occurred_at, checked_note(&note)) {
                    encounters.push(Encounter {
                        id: new_id(),
                        patient_id: patient_id.clone(),
                        author_id: "owner-id".into(),
                        author_name: AUTHOR.into(),
                        occurred_at,
                        kind,
                        signed,
                        note,
                        created_at: stamp.clone(),
                        updated_at: stamp.clone(),
                        signed_by: signed.then(|| "owner-id".to_owned()),
                        signed_by_name: signed.then(|| AUTHOR.to_owned()),
                        signed_at: signed.then(|| stamp.clone()),
                        addenda: Vec::new(),
                    });
                }
                continue;
            }
            "addendum" => {
                let text = checked_addendum(&next());
                if let (Ok(text), Some(encounter)) = (text, encounters.last_mut().filter(|encounter| encounter.signed))
                {
                    encounter.addenda.push(Addendum {
                        id: new_id(),
                        author_id: "owner-id".into(),
                        author_name: AUTHOR.into(),
                        written_at: stamp.clone(),
                        text,
                        amendment_request_id: None,
                    });
                }
                continue;
            }
            "" => break,
            _ => continue,
        };
        let Ok(data) = item.validate(order, today) else { continue };
        let chart_item = ChartItem {
            id: new_id(),
            kind: data.kind(),
            version: 1,
            data,
            recorded_at: stamp.clone(),
            updated_at: stamp.clone(),
        };
        match chart_item.kind {
            crate::chart::ChartItemKind::Allergy => allergies.push(chart_item),
            crate::chart::ChartItemKind::Medication => medications.push(chart_item),
            crate::chart::ChartItemKind::Problem => problems.push(chart_item),
        }
    }
    let mrn = crate::patients::search_keys::mrn_of(1000 + data.len() as u64);
    let chart = Chart {
        patient: PatientSummary {
            id: patient_id.clone(),
            mrn: mrn.clone(),
            family_name: details.family_name.clone(),
            given_names: details.given_names.clone(),
            preferred_name: details.preferred_name.clone(),
            date_of_birth: details.date_of_birth.clone(),
            age: None,
            status: PatientStatus::Active,
            last_visit: None,
            found_through_alias: None,
        },
        emergency_access: None,
        allergy_banner: allergy_banner(&allergies),
        allergies,
        medications,
        problems,
        encounters,
    };
    let value = bundle(&patient_id, &mrn, VAULT_ID, &details, &chart, &stamp);
    let problems = fhir_check::check_bundle(&value);
    assert!(problems.is_empty(), "the FHIR bundle does not validate: {problems:#?}");
    Some(value)
}
