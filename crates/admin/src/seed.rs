//! `chartkeep-admin seed`: synthetic patients for demos and tests, never real data; with
//! `--appointments-today` a day of appointments, and with `--charts N` charts for N patients
//! (today's appointments first), written through the clinician's use cases.

use chartkeep_clinic::Session;
use chartkeep_clinic::bench_support::demo_charts::{DemoChartsSeeded, seed_demo_charts};
use chartkeep_clinic::bench_support::patients::{SeededPatient, seed_day_of_appointments, seed_patients};
use chartkeep_vault::DataDir;
use serde_json::json;

use crate::commands::{Failure, Report, signed_in_from_stdin};
use crate::progress::Progress;

/// What `seed` is asked to add.
#[derive(Debug, Clone, Copy)]
pub struct SeedRequest<'a> {
    pub patients: u64,
    pub appointments_today: bool,
    pub charts: u64,
    pub username: Option<&'a str>,
}

pub fn seed(data_dir: &DataDir, request: &SeedRequest<'_>, progress: Progress) -> Result<Report, Failure> {
    let (_workstation, mut session) = signed_in_from_stdin(data_dir, request.username)?;
    let outcome = fill(&mut session, request, progress);
    session.log_out()?;
    let (seeded, booked, charted) = outcome?;
    let human = format!(
        "Added {seeded} synthetic patients and {booked} appointments; {} charts with {} signed notes, {} draft notes \
         and {} allergies, medications and problems.",
        charted.charts, charted.signed_notes, charted.draft_notes, charted.list_items
    );
    let json = json!({ "ok": true, "patients": seeded, "appointments": booked, "charts": charted.charts,
        "signed_notes": charted.signed_notes, "draft_notes": charted.draft_notes, "list_items": charted.list_items });
    Ok(Report { human, json })
}

pub(crate) fn fill(
    session: &mut Session,
    request: &SeedRequest<'_>,
    progress: Progress,
) -> Result<(u64, u64, DemoChartsSeeded), Failure> {
    let bar = progress.counter("Adding synthetic patients", request.patients);
    let seeded = seed_patients(session, request.patients, 2026, &mut |done, total| bar.set(done, total))?;
    drop(bar);
    let today = time::OffsetDateTime::now_utc().replace_time(time::macros::time!(08:00));
    let booked = if request.appointments_today {
        let _spinner = progress.spinner("Booking today's appointments");
        seed_day_of_appointments(session, today, 7)?
    } else {
        0
    };
    let mut charted = DemoChartsSeeded::default();
    if request.charts > 0 {
        let chosen = patients_to_chart(session, &seeded, request.charts, today)?;
        let bar = progress.counter("Writing charts", chosen.len() as u64);
        charted = seed_demo_charts(session, &chosen, 11, &mut |done, total| bar.set(done, total))?;
    }
    Ok((seeded.len() as u64, booked, charted))
}

/// Up to `count` patients: those with an appointment today first (so a chart opened from the
/// day's list is not empty), then the others in the order they were added.
fn patients_to_chart(
    session: &mut Session,
    seeded: &[SeededPatient],
    count: u64,
    today: time::OffsetDateTime,
) -> Result<Vec<SeededPatient>, Failure> {
    let from = chartkeep_clinic::timestamp(today.replace_time(time::Time::MIDNIGHT));
    let to = chartkeep_clinic::timestamp(today.replace_time(time::Time::MIDNIGHT) + time::Duration::days(1));
    let mut chosen: Vec<SeededPatient> = Vec::new();
    for day in session.day_schedule(&from, &to)? {
        for appointment in day.appointments {
            if !chosen.iter().any(|patient| patient.id == appointment.patient_id) {
                chosen.push(SeededPatient {
                    id: appointment.patient_id,
                    date_of_birth: appointment.patient_date_of_birth,
                });
            }
        }
    }
    for patient in seeded {
        if !chosen.iter().any(|known| known.id == patient.id) {
            chosen.push(patient.clone());
        }
    }
    chosen.truncate(usize::try_from(count).unwrap_or(usize::MAX));
    Ok(chosen)
}
