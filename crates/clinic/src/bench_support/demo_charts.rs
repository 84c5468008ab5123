//! Charts for a demo practice, so a chart opened at first look is not empty: past visits with
//! signed notes, a draft note for today, allergies (the first chart's severe), medications and
//! problems. Everything is written through the signed-in clinician's own use cases, so each
//! step is checked and audited as if typed by hand. The content is invented and plausible; no
//! real patient is meant.

use time::{Date, OffsetDateTime};

use super::Synthetic;
use super::patients::SeededPatient;
use crate::chart::{AllergySeverity, EncounterKind, ItemDraft, ItemStatus, SoapNote};
use crate::clock::timestamp;
use crate::error::ClinicResult;
use crate::patients::dates::{DateOrder, age_on, iso, parse_typed_date};
use crate::session::Session;

/// The four parts of a note.
type NoteText = [&'static str; 4];

/// A long-term condition: the problem, its usual medication (name, dose, route, frequency) and
/// the note of a review visit.
struct Condition {
    problem: &'static str,
    icd10: &'static str,
    medication: [&'static str; 4],
    review: NoteText,
    children_too: bool,
}

const CONDITIONS: [Condition; 6] = [
    Condition {
        problem: "Essential hypertension",
        icd10: "I10",
        medication: ["Ramipril", "5 mg", "oral", "once daily"],
        review: [
            "Blood pressure review. Home readings around 135/85. No headaches, no chest pain.",
            "BP 134/82 sitting, pulse 70 regular. Heart sounds normal, no ankle oedema.",
            "Hypertension, reasonably controlled on ramipril.",
            "Continue ramipril 5 mg. Annual bloods (U&E, lipids). Review in six months.",
        ],
        children_too: false,
    },
    Condition {
        problem: "Type 2 diabetes mellitus",
        icd10: "E11.9",
        medication: ["Metformin", "500 mg", "oral", "twice daily with meals"],
        review: [
            "Diabetes review. Feels well, occasional loose stools after starting metformin, now settled.",
            "Weight 84 kg, BP 128/80. Feet: pulses present, monofilament sensation normal. HbA1c 52 mmol/mol.",
            "Type 2 diabetes, HbA1c near target.",
            "Continue metformin. Retinal screening booked. Dietitian leaflet given. HbA1c again in three months.",
        ],
        children_too: false,
    },
    Condition {
        problem: "Asthma",
        icd10: "J45.909",
        medication: ["Salbutamol inhaler", "100 micrograms, 2 puffs", "inhaled", "as needed"],
        review: [
            "Asthma review. Reliever used about twice a week, more with colds. No night waking.",
            "Chest clear, no wheeze. Peak flow 420 L/min (best 450). Inhaler technique checked and good.",
            "Asthma, partly controlled.",
            "Written asthma action plan updated. Continue reliever; return if needed more than three times a week.",
        ],
        children_too: true,
    },
    Condition {
        problem: "Hypothyroidism",
        icd10: "E03.9",
        medication: ["Levothyroxine", "75 micrograms", "oral", "once daily before breakfast"],
        review: [
            "Thyroid follow-up. Energy better since the dose change, no palpitations.",
            "Pulse 68 regular, no tremor. TSH 2.1 mU/L on the latest result.",
            "Hypothyroidism, well replaced.",
            "Continue levothyroxine 75 micrograms. TSH yearly.",
        ],
        children_too: false,
    },
    Condition {
        problem: "Osteoarthritis of the knee",
        icd10: "M17.1",
        medication: ["Paracetamol", "1 g", "oral", "up to four times daily as needed"],
        review: [
            "Right knee pain on stairs and after long walks, stiffness in the morning for ten minutes.",
            "Crepitus on flexion, no effusion, full range of motion, ligaments stable.",
            "Osteoarthritis of the right knee.",
            "Quadriceps exercises, weight advice, paracetamol as needed. Physiotherapy referral offered.",
        ],
        children_too: false,
    },
    Condition {
        problem: "Hypercholesterolaemia",
        icd10: "E78.0",
        medication: ["Atorvastatin", "20 mg", "oral", "once daily at night"],
        review: [
            "Cholesterol review. No muscle aches on atorvastatin.",
            "Total cholesterol 4.6 mmol/L, LDL 2.4 mmol/L. ALT normal.",
            "Hypercholesterolaemia, treated.",
            "Continue atorvastatin 20 mg. Lipids again in a year.",
        ],
        children_too: false,
    },
];

/// Short visits for something new.
const ACUTE_VISITS: [NoteText; 4] = [
    [
        "Sore throat, runny nose and cough for four days. No shortness of breath.",
        "Temperature 37.6. Pharynx red, no exudate. Chest clear.",
        "Viral upper respiratory tract infection.",
        "Fluids, rest, paracetamol as needed. Return if not better in a week or if breathing gets worse.",
    ],
    [
        "Low back pain since lifting a box two days ago. No leg pain, no numbness, bladder normal.",
        "Tender paravertebral muscles L4-L5, straight leg raise negative both sides.",
        "Mechanical low back pain.",
        "Keep moving, ibuprofen with food for five days, heat. Review if not better in two weeks.",
    ],
    [
        "Itchy rash on both forearms after gardening at the weekend.",
        "Erythematous papules in streaks on the forearms, no blisters, no signs of infection.",
        "Contact dermatitis.",
        "Hydrocortisone 1% cream twice daily for a week, gloves for gardening.",
    ],
    [
        "Twisted left ankle playing football yesterday, can walk with pain.",
        "Swelling over the lateral malleolus, tender over the ATFL, no bony tenderness (Ottawa rules negative).",
        "Sprain of the left ankle.",
        "Rest, ice, compression, elevation. Gradual return to sport over two to three weeks.",
    ],
];

/// (substance, reaction, severity) of the allergies charts get.
const ALLERGIES: [(&str, &str, AllergySeverity); 4] = [
    ("Peanuts", "Anaphylaxis: lip and throat swelling, needed adrenaline", AllergySeverity::Severe),
    ("Penicillin", "Hives and facial swelling", AllergySeverity::Moderate),
    ("Latex", "Contact dermatitis", AllergySeverity::Mild),
    ("Ibuprofen", "Wheeze", AllergySeverity::Moderate),
];

/// What `seed_demo_charts` wrote.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DemoChartsSeeded {
    pub charts: u64,
    pub signed_notes: u64,
    pub draft_notes: u64,
    pub list_items: u64,
}

fn note(text: &NoteText) -> SoapNote {
    SoapNote {
        subjective: text[0].to_owned(),
        objective: text[1].to_owned(),
        assessment: text[2].to_owned(),
        plan: text[3].to_owned(),
        free_text: String::new(),
    }
}

/// Gives each of `patients` a chart; `progress` hears (charts written, all) after each.
pub fn seed_demo_charts(
    session: &mut Session,
    patients: &[SeededPatient],
    seed: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> ClinicResult<DemoChartsSeeded> {
    let mut random = Synthetic::new(seed);
    let now = session.clock().now();
    let mut seeded = DemoChartsSeeded::default();
    for (index, patient) in patients.iter().enumerate() {
        let Some(born) = parse_typed_date(&patient.date_of_birth, DateOrder::DayFirst) else { continue };
        let chart = DemoChart { id: &patient.id, born, now };
        chart.write(session, index, &mut random, &mut seeded)?;
        seeded.charts += 1;
        progress(index as u64 + 1, patients.len() as u64);
    }
    Ok(seeded)
}

/// One patient's chart being written.
struct DemoChart<'a> {
    id: &'a crate::patients::PatientId,
    born: Date,
    now: OffsetDateTime,
}

impl DemoChart<'_> {
    fn write(
        &self,
        session: &mut Session,
        index: usize,
        random: &mut Synthetic,
        seeded: &mut DemoChartsSeeded,
    ) -> ClinicResult<()> {
        let age = age_on(self.born, self.now.date());
        // The first chart always has the severe allergy, so the banner can be seen at once.
        let allergy =
            if index == 0 { Some(0) } else { [None, None, Some(1), Some(2), Some(3)][random.below(5) as usize] };
        let draft = match allergy {
            Some(which) => {
                let (substance, reaction, severity) = ALLERGIES[which];
                ItemDraft::Allergy {
                    substance: substance.into(),
                    reaction: reaction.into(),
                    severity: Some(severity),
                    status: ItemStatus::Active,
                }
            }
            None => ItemDraft::NoKnownAllergies,
        };
        session.record_chart_item(self.id, &draft)?;
        seeded.list_items += 1;
        let suitable: Vec<&Condition> =
            CONDITIONS.iter().filter(|condition| age >= 40 || (condition.children_too && age >= 4)).collect();
        let count = if suitable.is_empty() { 0 } else { 1 + random.below(2) as usize };
        let first = random.below(suitable.len().max(1) as u64) as usize;
        for offset in 0..count.min(suitable.len()) {
            let condition = suitable[(first + offset) % suitable.len()];
            self.record_condition(session, condition, random)?;
            seeded.list_items += 2;
            if let Some(when) = self.days_ago(random, 30, 400) {
                self.signed_visit(session, EncounterKind::Visit, &condition.review, when)?;
                seeded.signed_notes += 1;
            }
        }
        if let Some(when) = self.days_ago(random, 400, 1500) {
            let visit = &ACUTE_VISITS[random.below(ACUTE_VISITS.len() as u64) as usize];
            self.signed_visit(session, EncounterKind::Visit, visit, when)?;
            seeded.signed_notes += 1;
        }
        // Every third chart has today's visit begun: a draft, autosaved and not yet signed.
        if index.is_multiple_of(3) {
            let encounter = session.start_encounter(self.id, EncounterKind::Visit, "")?;
            let today = SoapNote {
                subjective: "Here for a check-up; feels well overall. Asks about the flu vaccine.".into(),
                ..SoapNote::default()
            };
            session.save_draft_note(&encounter.id, EncounterKind::Visit, &today)?;
            seeded.draft_notes += 1;
        }
        Ok(())
    }

    /// A moment `from` to `to` days ago, on or after the patient's birth.
    fn days_ago(&self, random: &mut Synthetic, from: u64, to: u64) -> Option<OffsetDateTime> {
        let days = from + random.below(to - from);
        let when = self.now - time::Duration::days(days as i64);
        (when.date() > self.born).then_some(when)
    }

    fn record_condition(
        &self,
        session: &mut Session,
        condition: &Condition,
        random: &mut Synthetic,
    ) -> ClinicResult<()> {
        let since = self.days_ago(random, 400, 3000).map_or(self.now.date(), |when| when.date());
        session.record_chart_item(
            self.id,
            &ItemDraft::Problem {
                description: condition.problem.into(),
                icd10: condition.icd10.into(),
                onset: iso(since),
                status: ItemStatus::Active,
            },
        )?;
        let [name, dose, route, frequency] = condition.medication;
        session.record_chart_item(
            self.id,
            &ItemDraft::Medication {
                name: name.into(),
                dose: dose.into(),
                route: route.into(),
                frequency: frequency.into(),
                start: iso(since),
                stop: String::new(),
                status: ItemStatus::Active,
            },
        )?;
        Ok(())
    }

    fn signed_visit(
        &self,
        session: &mut Session,
        kind: EncounterKind,
        text: &NoteText,
        when: OffsetDateTime,
    ) -> ClinicResult<()> {
        let encounter = session.start_encounter(self.id, kind, &timestamp(when))?;
        session.save_draft_note(&encounter.id, kind, &note(text))?;
        session.sign_note(&encounter.id)?;
        Ok(())
    }
}
