//! The patient summary, printed for a referral or handed to the patient: the practice, the
//! patient's demographics, problems, medications, allergies, and the last N encounters with
//! their signed notes and addenda; page numbers and "printed by/at" on every page. Printing is
//! recorded as a disclosure-type event, in the step that puts the file in place.

use crate::patients::PatientId;
use chartkeep_documents::{Column, Orientation, ReportSection, TableReport, TextBlock};

use super::items::{AllergySeverity, ItemData, ItemStatus};
use super::{AllergyBanner, Chart, read_chart};
use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::audit_view::export_with_record;
use crate::clock::{WallClock, timestamp};
use crate::error::{ClinicError, ClinicResult};
use crate::export_file::io_error;
use crate::patients::{PatientDetails, Sex, store as patient_store};
use crate::permissions::Permission;
use crate::session::Session;

/// At most this many encounters go into a summary.
pub const SUMMARY_ENCOUNTERS_MAX: usize = 20;

fn column(title: &str, share: f32) -> Column {
    Column { title: title.to_owned(), share }
}

fn section(heading: &str, columns: Vec<Column>, rows: Vec<Vec<String>>, empty_text: &str) -> ReportSection {
    ReportSection { heading: heading.to_owned(), columns, rows, blocks: Vec::new(), empty_text: empty_text.to_owned() }
}

fn or_dash(text: &str) -> String {
    if text.is_empty() { "-".to_owned() } else { text.to_owned() }
}

fn sex_word(sex: Sex) -> &'static str {
    match sex {
        Sex::Female => "female",
        Sex::Male => "male",
        Sex::Intersex => "intersex",
        Sex::Unknown => "",
    }
}

fn demographics(details: &PatientDetails, mrn: &str, age: Option<i64>) -> Vec<(String, String)> {
    let address = [&details.address.line1, &details.address.line2, &details.address.postal_code, &details.address.city]
        .iter()
        .filter(|part| !part.is_empty())
        .map(|part| part.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let phones = details.phones.iter().map(|phone| phone.number.as_str()).collect::<Vec<_>>().join(", ");
    let born = match age {
        Some(age) => format!("{} (age {age})", details.date_of_birth),
        None => details.date_of_birth.clone(),
    };
    vec![
        ("Patient".to_owned(), format!("{}, {}", details.family_name, details.given_names)),
        ("Date of birth".to_owned(), born),
        ("MRN".to_owned(), mrn.to_owned()),
        ("Sex".to_owned(), or_dash(sex_word(details.sex))),
        ("Address".to_owned(), or_dash(&address)),
        ("Phone".to_owned(), or_dash(&phones)),
    ]
}

/// A status as the summary prints it ("on hold").
fn status_word(status: ItemStatus) -> String {
    status.as_str().replace('_', " ")
}

fn allergy_line(chart: &Chart) -> String {
    match &chart.allergy_banner {
        AllergyBanner::NotRecorded => "Allergies not recorded".to_owned(),
        AllergyBanner::NoKnownAllergies => "No known allergies".to_owned(),
        AllergyBanner::Allergies { allergies } => allergies
            .iter()
            .map(|(substance, severity)| match severity {
                Some(severity) => format!("{substance} ({})", severity.as_str()),
                None => substance.clone(),
            })
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// The summary as a report, from a chart already read.
fn summary_report(
    chart: &Chart,
    details: &PatientDetails,
    encounters: usize,
    facts: Vec<(String, String)>,
    footer: String,
) -> TableReport {
    let problems = chart
        .problems
        .iter()
        .filter_map(|item| match &item.data {
            ItemData::Problem { description, icd10, onset, status } => {
                Some(vec![description.clone(), or_dash(icd10), or_dash(onset), status_word(*status)])
            }
            _ => None,
        })
        .collect();
    let medications = chart
        .medications
        .iter()
        .filter_map(|item| match &item.data {
            ItemData::Medication { name, dose, route, frequency, start, stop, status } => Some(vec![
                name.clone(),
                or_dash(dose),
                or_dash(route),
                or_dash(frequency),
                or_dash(start),
                or_dash(stop),
                status_word(*status),
            ]),
            _ => None,
        })
        .collect();
    let allergies = chart
        .allergies
        .iter()
        .filter_map(|item| match &item.data {
            ItemData::Allergy { substance, reaction, severity, status } => Some(vec![
                substance.clone(),
                or_dash(reaction),
                or_dash(severity.map_or("", AllergySeverity::as_str)),
                status_word(*status),
            ]),
            _ => None,
        })
        .collect();
    let blocks = chart
        .encounters
        .iter()
        .filter(|encounter| encounter.signed)
        .take(encounters)
        .map(|encounter| {
            let note = &encounter.note;
            let mut paragraphs: Vec<String> = [
                ("Subjective", &note.subjective),
                ("Objective", &note.objective),
                ("Assessment", &note.assessment),
                ("Plan", &note.plan),
                ("Notes", &note.free_text),
            ]
            .iter()
            .filter(|(_, text)| !text.trim().is_empty())
            .map(|(label, text)| format!("{label}: {}", text.trim()))
            .collect();
            for addendum in &encounter.addenda {
                paragraphs.push(format!(
                    "Addendum by {} on {}: {}",
                    addendum.author_name,
                    &addendum.written_at[..10.min(addendum.written_at.len())],
                    addendum.text
                ));
            }
            TextBlock {
                title: format!(
                    "{} - {} - {} (signed by {})",
                    &encounter.occurred_at[..10.min(encounter.occurred_at.len())],
                    encounter.kind.as_str(),
                    encounter.author_name,
                    encounter.signed_by_name.clone().unwrap_or_default()
                ),
                paragraphs,
            }
        })
        .collect::<Vec<_>>();
    let mut all_facts = facts;
    all_facts.extend(demographics(details, &chart.patient.mrn, chart.patient.age));
    all_facts.push(("Allergies".to_owned(), allergy_line(chart)));
    let mut encounter_section = section("Recent encounters", Vec::new(), Vec::new(), "No signed encounters.");
    encounter_section.blocks = blocks;
    TableReport {
        title: "Patient summary".to_owned(),
        facts: all_facts,
        sections: vec![
            section(
                "Problems",
                vec![column("Problem", 3.0), column("ICD-10", 1.0), column("Onset", 1.2), column("Status", 1.0)],
                problems,
                "No problems recorded.",
            ),
            section(
                "Medications",
                vec![
                    column("Medication", 2.2),
                    column("Dose", 1.0),
                    column("Route", 0.9),
                    column("Frequency", 1.2),
                    column("Start", 1.1),
                    column("Stop", 1.1),
                    column("Status", 0.9),
                ],
                medications,
                "No medications recorded.",
            ),
            section(
                "Allergies",
                vec![column("Substance", 2.0), column("Reaction", 2.5), column("Severity", 1.0), column("Status", 1.0)],
                allergies,
                "No allergies recorded.",
            ),
            encounter_section,
        ],
        footer,
        orientation: Orientation::Portrait,
    }
}

impl Session {
    /// Prints the patient summary with the last `encounters` signed encounters (at most 20) to
    /// a PDF where the user chose. Returns the number of encounters in it.
    pub fn print_patient_summary(
        &mut self,
        patient_id: &PatientId,
        encounters: usize,
        wall_clock: WallClock,
        destination: &crate::export_file::ExportDestination,
    ) -> ClinicResult<u64> {
        let mut authorized = self.authorize_for_patient(Permission::ExportChart, patient_id, AuditAction::Print)?;
        let encounters = encounters.min(SUMMARY_ENCOUNTERS_MAX);
        let viewer = authorized.user().id.clone();
        let now = authorized.now();
        let (chart, _) = read_chart(authorized.connection(), patient_id, &viewer, now)?;
        let row =
            patient_store::by_id(authorized.connection(), patient_id)?.ok_or(ClinicError::NotFound("That patient"))?;
        let practice = crate::store::practice_name(authorized.connection())?.unwrap_or_default();
        let user = authorized.user().clone();
        let printed_at = wall_clock.show(&timestamp(now));
        let facts = vec![
            ("Practice".to_owned(), practice.clone()),
            ("Printed by".to_owned(), format!("{} ({})", user.full_name, user.username)),
            ("Printed at".to_owned(), format!("{printed_at} ({})", wall_clock.zone_label())),
        ];
        // The practice's name heads the first page; the footer stays short enough for one line.
        let footer = format!("Confidential - MRN {} - printed by {} at {printed_at}", row.mrn, user.username);
        let report = summary_report(&chart, &row.details, encounters, facts, footer);
        let included = chart.encounters.iter().filter(|encounter| encounter.signed).take(encounters).count() as u64;
        let event = AuditEvent::success(AuditAction::Print)
            .patient(patient_id)
            .category("patient_summary")
            .reason("disclosure")
            .detail("encounters", Detail::Count(included));
        export_with_record(&mut authorized, destination, event, |_, writer| {
            let pdf = chartkeep_documents::render_table_report_pdf(&report)
                .map_err(|_| ClinicError::Internal("The PDF could not be made."))?;
            writer.write_all(&pdf).map_err(io_error)?;
            Ok(included)
        })
    }
}
