//! `bench chart`: opening a chart and saving a note at N synthetic patients and M encounters, on
//! the encrypted database and on a plain SQLite copy of the same data with the same settings.
//! "Use case" is what the clinician waits for (permission check and audit entry included);
//! the core operation is the same reads and writes on either database, so the ratio shows
//! what the encryption costs.

use std::time::{Duration, Instant};

use chartkeep_clinic::bench_support::chart::{read_chart_on, save_draft_on, seed_chart, with_session_connection};
use chartkeep_clinic::bench_support::patients::seed_patients;
use chartkeep_clinic::bench_support::search::export_plain_copy;
use chartkeep_clinic::chart::{EncounterKind, SoapNote};
use chartkeep_clinic::patients::PatientId;
use serde_json::{Value, json};

use super::{BenchPractice, cheap_kdf, millis, percentile};
use crate::commands::{Failure, Report};
use crate::progress::{Bar, Progress};

fn time_each<T>(
    bar: &Bar,
    items: &[T],
    mut operation: impl FnMut(&T) -> Result<(), Failure>,
) -> Result<Vec<Duration>, Failure> {
    let mut samples = Vec::with_capacity(items.len());
    for item in items {
        let started = Instant::now();
        operation(item)?;
        samples.push(started.elapsed());
        bar.advance();
    }
    Ok(samples)
}

fn note(round: usize) -> SoapNote {
    SoapNote {
        subjective: format!("Headache for {round} days, worse in the morning, no visual symptoms."),
        objective: "BP 128/82, neurological examination normal.".into(),
        assessment: "Tension-type headache.".into(),
        plan: "Sleep hygiene, paracetamol as needed, review in two weeks if not better.".into(),
        free_text: String::new(),
    }
}

/// One measured operation: the use case's p50 and p95, and the core operation's p95 on both.
struct Measured {
    name: &'static str,
    goal_ms: f64,
    use_case: Vec<Duration>,
    encrypted: Vec<Duration>,
    plain: Vec<Duration>,
}

impl Measured {
    fn ratio(&self) -> f64 {
        percentile(&self.encrypted, 0.95).as_secs_f64() / percentile(&self.plain, 0.95).as_secs_f64().max(1e-9)
    }

    fn line(&self) -> String {
        format!(
            "  {:<32} use case p50 {:>6} ms p95 {:>6} ms (goal {} ms) | core p95 encrypted {:>6} ms, plain {:>6} ms, ratio {:.2}",
            self.name,
            millis(percentile(&self.use_case, 0.5)),
            millis(percentile(&self.use_case, 0.95)),
            self.goal_ms,
            millis(percentile(&self.encrypted, 0.95)),
            millis(percentile(&self.plain, 0.95)),
            self.ratio()
        )
    }

    fn json(&self) -> Value {
        json!({ "operation": self.name, "goal_p95_ms": self.goal_ms,
            "use_case_p50_ms": millis(percentile(&self.use_case, 0.5)),
            "use_case_p95_ms": millis(percentile(&self.use_case, 0.95)),
            "encrypted_p95_ms": millis(percentile(&self.encrypted, 0.95)),
            "plain_p95_ms": millis(percentile(&self.plain, 0.95)), "ratio": self.ratio() })
    }
}

pub fn chart(patients: u64, encounters: u64, runs: usize, progress: Progress) -> Result<Report, Failure> {
    let runs = runs.max(1);
    let (practice, mut owner) = BenchPractice::new(cheap_kdf())?;
    let started = Instant::now();
    let bar = progress.counter("Adding synthetic patients", patients);
    seed_patients(&mut owner, patients, 42, &mut |done, total| bar.set(done, total))?;
    drop(bar);
    owner.log_out()?;
    let mut clinician = practice.clinician_session()?;
    let bar = progress.counter("Writing signed encounters", encounters);
    let seeded = seed_chart(&mut clinician, encounters, 7, &mut |done, total| bar.set(done, total))?;
    drop(bar);
    let built = started.elapsed();
    // Seeding a large chart outlasts the idle timeout: sign in afresh to measure.
    clinician.log_out()?;
    let mut clinician = practice.sign_in_staff("clinician")?;
    let sample: Vec<PatientId> = with_session_connection(&clinician, |connection| {
        connection
            .prepare(
                "SELECT id FROM patients WHERE merged_into IS NULL AND entered_in_error = 0 ORDER BY random() LIMIT ?1",
            )?
            .query_map([runs as i64], |row| row.get(0))?
            .collect::<Result<Vec<PatientId>, _>>()
    })
    .map_err(|error| format!("No sample of patients: {error}"))?;
    // Ten timed passes over the sample follow.
    let bar = progress.counter("Measuring", (sample.len() * 10) as u64);
    // Drafts to save, one per sampled patient, started through the use case.
    let mut drafts = Vec::with_capacity(sample.len());
    let start = time_each(&bar, &sample, |patient_id| {
        drafts.push(clinician.start_encounter(patient_id, EncounterKind::Visit, "")?.id);
        Ok(())
    })?;
    clinician.log_out()?;
    let mut owner = practice.sign_in()?;
    let plain_path = practice.folder().join("plain-copy.db");
    export_plain_copy(&mut owner, &plain_path)?;
    owner.log_out()?;
    let plain = chartkeep_vault::open_plain_benchmark_copy(&plain_path).map_err(chartkeep_clinic::ClinicError::from)?;
    let mut clinician = practice.sign_in_staff("clinician")?;
    let viewer = clinician.user().id.clone();

    // One pass each first, so both databases are measured with warm caches.
    with_session_connection(&clinician, |connection| {
        time_each(&bar, &sample, |id| Ok(read_chart_on(connection, id, &viewer).map(drop)?))
    })?;
    time_each(&bar, &sample, |id| Ok(read_chart_on(&plain, id, &viewer).map(drop)?))?;
    let open = Measured {
        name: "open a chart",
        goal_ms: 20.0,
        use_case: time_each(&bar, &sample, |id| Ok(clinician.open_chart(id).map(drop)?))?,
        encrypted: with_session_connection(&clinician, |connection| {
            time_each(&bar, &sample, |id| Ok(read_chart_on(connection, id, &viewer).map(drop)?))
        })?,
        plain: time_each(&bar, &sample, |id| Ok(read_chart_on(&plain, id, &viewer).map(drop)?))?,
    };
    let save = Measured {
        name: "save a note (autosave)",
        goal_ms: 50.0,
        use_case: time_each(&bar, &drafts, |id| {
            Ok(clinician.save_draft_note(id, EncounterKind::Visit, &note(1)).map(drop)?)
        })?,
        encrypted: with_session_connection(&clinician, |connection| {
            time_each(&bar, &drafts, |id| Ok(save_draft_on(connection, &clinician, id, &note(2))?))
        })?,
        plain: time_each(&bar, &drafts, |id| Ok(save_draft_on(&plain, &clinician, id, &note(3))?))?,
    };
    let sign = time_each(&bar, &drafts, |id| Ok(clinician.sign_note(id).map(drop)?))?;
    drop(bar);
    clinician.log_out()?;

    let human = format!(
        "Chart benchmark: {patients} synthetic patients, {} signed encounters ({} addenda), {} list items (built in {:.0} s); {} charts sampled at random.\n\
         'use case' is what the clinician waits for: permission check, the work, the audit entry (synchronous=FULL).\n\
         'core' is the same reads and writes (for a save: the change, the read-back and the chained audit entry, committed)\n\
         on SQLCipher and on a plain SQLite copy with the same settings.\n{}\n{}\n  \
         start an encounter              use case p50 {:>6} ms p95 {:>6} ms\n  \
         sign a note                     use case p50 {:>6} ms p95 {:>6} ms",
        seeded.encounters,
        seeded.addenda,
        seeded.items,
        built.as_secs_f64(),
        sample.len(),
        open.line(),
        save.line(),
        millis(percentile(&start, 0.5)),
        millis(percentile(&start, 0.95)),
        millis(percentile(&sign, 0.5)),
        millis(percentile(&sign, 0.95)),
    );
    let json = json!({ "ok": true, "bench": "chart", "patients": patients, "encounters": seeded.encounters,
        "addenda": seeded.addenda, "items": seeded.items, "build_s": built.as_secs_f64(), "runs": sample.len(),
        "operations": [open.json(), save.json()],
        "start_p95_ms": millis(percentile(&start, 0.95)), "sign_p95_ms": millis(percentile(&sign, 0.95)) });
    Ok(Report { human, json })
}
