//! The chart benchmark's hooks: signed encounters (some with an addendum) and list items in
//! bulk, and the chart's read and a draft's save on any connection, so the encrypted database
//! and a plain copy of the same synthetic data can be compared operation for operation.

use rusqlite::Connection;

use super::{Synthetic, store};
use crate::audit::{self, AuditAction, AuditEvent, Detail};
use crate::chart::notes::{Encounter, EncounterKind, SoapNote};
use crate::chart::store::{self as chart_store, ItemStamp};
use crate::chart::{AllergySeverity, ItemChange, ItemData, ItemStatus, read_chart};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::patients::PatientId;
use crate::session::Session;

const COMPLAINTS: [&str; 8] = [
    "Cough for five days, worse at night, no fever.",
    "Follow-up of blood pressure; feels well, no headaches.",
    "Lower back pain after lifting, no leg symptoms.",
    "Sore throat and mild fever since yesterday.",
    "Repeat prescription; no new complaints.",
    "Rash on both forearms after gardening, itchy.",
    "Tired for some weeks, sleeping poorly.",
    "Knee pain on stairs, no swelling, no trauma.",
];
const FINDINGS: [&str; 6] = [
    "BP 132/84, pulse 72 regular, temperature 36.8.",
    "Chest clear, heart sounds normal, no oedema.",
    "Tender paravertebral muscles L4-L5, straight leg raise negative.",
    "Pharynx red, tonsils not enlarged, no nodes.",
    "Skin: erythematous papules, no blisters.",
    "Full range of motion, crepitus on flexion.",
];
const ASSESSMENTS: [&str; 6] = [
    "Viral upper respiratory infection.",
    "Hypertension, controlled.",
    "Mechanical low back pain.",
    "Contact dermatitis.",
    "Osteoarthritis of the knee.",
    "Fatigue, cause not yet clear.",
];
const PLANS: [&str; 6] = [
    "Fluids, rest, paracetamol as needed; return if fever over three days.",
    "Continue current medication, recheck in three months.",
    "Stay active, ibuprofen for a week, physiotherapy referral.",
    "Topical steroid twice daily for a week.",
    "Blood tests: full count, ferritin, TSH; review with results.",
    "Weight-bearing exercise, review in six weeks.",
];

/// What was seeded.
#[derive(Debug, Clone, Copy, Default)]
pub struct ChartSeeded {
    pub encounters: u64,
    pub addenda: u64,
    pub items: u64,
}

/// How many encounters each patient gets: about `mean` each, and one patient in a hundred ten
/// times as many (the frequent attenders whose charts are the longest).
fn encounters_for(random: &mut Synthetic, mean: u64) -> u64 {
    if random.below(100) == 0 { random.below(20 * mean + 1) } else { random.below(2 * mean + 1) }
}

fn pick<'a>(random: &mut Synthetic, list: &[&'a str]) -> &'a str {
    list[random.below(list.len() as u64) as usize]
}

/// Adds `total` signed encounters spread over the practice's patients and the last ten years,
/// one in fifty with an addendum, and allergies, medications and problems for about a third of
/// the patients. Written by the practice's clinicians, 100,000 encounters to a transaction, each
/// batch recorded in the audit trail. `progress` hears (encounters written, total) every
/// thousand patients.
pub fn seed_chart(
    session: &mut Session,
    total: u64,
    seed: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> ClinicResult<ChartSeeded> {
    let (patients, authors) = {
        let (connection, _, _) = session.bench_writer_parts();
        (store::living_patient_ids(connection)?, store::clinician_ids(connection)?)
    };
    if patients.is_empty() || authors.is_empty() {
        return Err(ClinicError::Internal("The chart benchmark needs patients and a clinician."));
    }
    let mut random = Synthetic::new(seed);
    let now = session.clock().now();
    let ten_years_ms = 10 * 365 * 24 * 3600 * 1000;
    let mean = (total / patients.len() as u64).max(1);
    let mut seeded = ChartSeeded::default();
    let mut plan: Vec<(usize, u64)> = Vec::new();
    let mut remaining = total;
    while remaining > 0 {
        for index in 0..patients.len() {
            let count = encounters_for(&mut random, mean).min(remaining);
            remaining -= count;
            plan.push((index, count));
            if remaining == 0 {
                break;
            }
        }
    }
    let mut batch_size = 0u64;
    let mut change = session.begin_bench_change()?;
    for (round, (index, count)) in plan.into_iter().enumerate() {
        let patient_id = &patients[index];
        let connection = change.connection();
        let author = &authors[random.below(authors.len() as u64) as usize];
        for _ in 0..count {
            let occurred = now - time::Duration::milliseconds(random.below(ten_years_ms) as i64);
            let encounter = synthetic_encounter(&mut random, seeded.encounters, patient_id, author, occurred);
            let signed_at = timestamp(occurred + time::Duration::hours(1));
            store::insert_signed_encounter(connection, &encounter, &signed_at)?;
            if random.below(50) == 0 {
                let id = format!("30000000-0000-4000-8000-{:012}", seeded.addenda);
                let text = "Result received: within normal limits, patient informed.";
                chart_store::insert_addendum(connection, &id, &encounter.id, author, &signed_at, text, None)?;
                seeded.addenda += 1;
            }
            seeded.encounters += 1;
            batch_size += 1;
        }
        // Each patient once (the first round): a third of them get list items.
        if round < patients.len() && random.below(3) == 0 {
            seeded.items += seed_items(connection, &mut random, seeded.items, patient_id, author, &timestamp(now))?;
        }
        if round % 1_000 == 0 {
            progress(seeded.encounters, total);
        }
        if batch_size >= 100_000 {
            change.also_record(&seeded_event(batch_size))?;
            change.commit_appended_entries()?;
            change = session.begin_bench_change()?;
            batch_size = 0;
        }
    }
    change.also_record(&seeded_event(batch_size))?;
    change.commit_appended_entries()?;
    progress(seeded.encounters, total);
    Ok(seeded)
}

fn seeded_event(count: u64) -> AuditEvent {
    AuditEvent::success(AuditAction::Create)
        .category("encounter_note")
        .reason("synthetic")
        .detail("encounters", Detail::Count(count))
}

fn synthetic_encounter(
    random: &mut Synthetic,
    number: u64,
    patient_id: &PatientId,
    author: &str,
    occurred: time::OffsetDateTime,
) -> Encounter {
    let kinds = [EncounterKind::Visit, EncounterKind::Visit, EncounterKind::Phone, EncounterKind::Telehealth];
    let at = timestamp(occurred);
    Encounter {
        id: format!("20000000-0000-4000-8000-{number:012}"),
        patient_id: patient_id.to_owned(),
        author_id: author.to_owned(),
        author_name: String::new(),
        occurred_at: at.clone(),
        kind: kinds[random.below(kinds.len() as u64) as usize],
        signed: true,
        note: SoapNote {
            subjective: pick(random, &COMPLAINTS).to_owned(),
            objective: pick(random, &FINDINGS).to_owned(),
            assessment: pick(random, &ASSESSMENTS).to_owned(),
            plan: pick(random, &PLANS).to_owned(),
            free_text: String::new(),
        },
        created_at: at.clone(),
        updated_at: at,
        signed_by: Some(author.to_owned()),
        signed_by_name: None,
        signed_at: None,
        addenda: Vec::new(),
    }
}

/// One to five items: an allergy (or "no known allergies"), medications, problems.
fn seed_items(
    connection: &Connection,
    random: &mut Synthetic,
    first: u64,
    patient_id: &PatientId,
    author: &str,
    at: &str,
) -> ClinicResult<u64> {
    let count = 1 + random.below(5);
    let stamp =
        ItemStamp { change: ItemChange::Recorded, reason: None, amendment_request_id: None, user_id: author, at };
    for offset in 0..count {
        let data = match (offset, random.below(4)) {
            (0, 0) => ItemData::NoKnownAllergies { status: ItemStatus::Active },
            (0, _) => ItemData::Allergy {
                substance: pick(random, &["Penicillin", "Peanuts", "Latex", "Ibuprofen"]).into(),
                reaction: "Hives".into(),
                severity: Some(AllergySeverity::ALL[random.below(3) as usize]),
                status: ItemStatus::Active,
            },
            (_, 0 | 1) => ItemData::Medication {
                name: pick(random, &["Ramipril", "Metformin", "Atorvastatin", "Levothyroxine"]).into(),
                dose: "5 mg".into(),
                route: "oral".into(),
                frequency: "once daily".into(),
                start: "2024-01-15".into(),
                stop: String::new(),
                status: ItemStatus::Active,
            },
            _ => ItemData::Problem {
                description: pick(random, &["Hypertension", "Type 2 diabetes", "Asthma", "Hypothyroidism"]).into(),
                icd10: pick(random, &["I10", "E11.9", "J45.909", "E03.9"]).into(),
                onset: "2019".into(),
                status: ItemStatus::Active,
            },
        };
        let id = format!("40000000-0000-4000-8000-{:012}", first + offset);
        chart_store::insert_item(connection, &id, patient_id, &data, &stamp)?;
    }
    Ok(count)
}

/// Reads a chart as the use case does (header, lists, the last 20 encounters with their
/// addenda), without its audit entry; returns how many items and encounters it shows.
pub fn read_chart_on(connection: &Connection, patient_id: &PatientId, viewer: &str) -> ClinicResult<u64> {
    Ok(read_chart(connection, patient_id, viewer, time::OffsetDateTime::now_utc())?.1)
}

/// Saves a draft note as the autosave does: in one transaction, the change, the encounter read
/// back, and its audit entry appended to the chain, committed under `synchronous = FULL`.
pub fn save_draft_on(
    connection: &Connection,
    session: &Session,
    encounter_id: &str,
    note: &SoapNote,
) -> ClinicResult<()> {
    let (_, key, actor) = session.bench_writer_parts();
    let now = timestamp(time::OffsetDateTime::now_utc());
    crate::store::within_transaction(connection, |connection| {
        let encounter =
            chart_store::encounter_by_id(connection, encounter_id)?.ok_or(ClinicError::NotFound("That encounter"))?;
        chart_store::encounters::save_draft(connection, encounter_id, encounter.kind, note, &now)?;
        let event = AuditEvent::success(AuditAction::Update)
            .patient(&encounter.patient_id)
            .object("encounter", &encounter.id)
            .category("encounter_note")
            .reason("draft_saved");
        audit::append(connection, key, actor, &event, now.clone())?;
        Ok(())
    })
}

/// The session's own (encrypted) connection, for the same operations as on the plain copy.
pub fn with_session_connection<T>(session: &Session, measure: impl FnOnce(&Connection) -> T) -> T {
    measure(session.bench_writer_parts().0)
}
