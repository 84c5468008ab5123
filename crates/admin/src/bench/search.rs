//! `bench search`: the front desk's search box at N synthetic patients, on the encrypted
//! database and on a plain SQLite copy of the same data, the same queries on both.

use std::time::{Duration, Instant};

use chartkeep_clinic::bench_support::patients::seed_patients;
use chartkeep_clinic::bench_support::search::{export_plain_copy, sample_queries, search_on, with_connection};
use serde_json::{Value, json};

use super::{BenchPractice, cheap_kdf, millis, percentile};
use crate::commands::{Failure, Report};
use crate::progress::Progress;

fn time_each(
    queries: &[String],
    mut search: impl FnMut(&str) -> Result<usize, Failure>,
) -> Result<Vec<Duration>, Failure> {
    let mut samples = Vec::with_capacity(queries.len());
    for query in queries {
        let started = Instant::now();
        search(query)?;
        samples.push(started.elapsed());
    }
    Ok(samples)
}

pub fn search(patients: u64, runs: usize, progress: Progress) -> Result<Report, Failure> {
    let (practice, mut session) = BenchPractice::new(cheap_kdf())?;
    let started = Instant::now();
    let bar = progress.counter("Adding synthetic patients", patients);
    seed_patients(&mut session, patients, 42, &mut |done, total| bar.set(done, total))?;
    drop(bar);
    let built = started.elapsed();
    let spinner = progress.spinner("Copying to plain SQLite");
    // Sign out (which refreshes the planner's statistics) and in, then copy: both databases
    // then have the same statistics.
    session.log_out()?;
    let mut session = practice.sign_in()?;
    let plain_path = practice.folder().join("plain-copy.db");
    export_plain_copy(&mut session, &plain_path)?;
    session.log_out()?;
    let mut desk = practice.front_desk_session()?;
    let queries = sample_queries(&mut desk, runs.max(1), 9)?;
    drop(spinner);
    // The example: two of the commonest beginnings, in both orders, as often as the others.
    let common_pair: Vec<String> =
        ["ma jo", "jo ma"].iter().cycle().take(runs.max(1)).map(|query| (*query).to_owned()).collect();
    let plain = chartkeep_vault::open_plain_benchmark_copy(&plain_path).map_err(chartkeep_clinic::ClinicError::from)?;
    let kinds: Vec<(&str, &Vec<String>)> = vec![
        ("name prefix (2 to 5 letters)", &queries.prefixes),
        ("two name prefixes", &queries.two_words),
        ("two name prefixes of 2 letters", &queries.two_short_words),
        ("two common prefixes: ma jo, jo ma", &common_pair),
        ("date of birth, ISO", &queries.dates_iso),
        ("date of birth, 7.3.1984 or 07/03/1984", &queries.dates_local),
        ("phone number as typed", &queries.phones),
        ("MRN", &queries.mrns),
    ];
    let mut lines = Vec::new();
    let mut results = Vec::new();
    let mut worst_use_case = Duration::ZERO;
    let mut worst_ratio: f64 = 0.0;
    let all: usize = kinds.iter().map(|(_, list)| list.len() * 5).sum();
    let bar = progress.counter("Searching (5 passes of each kind)", all as u64);
    let mut searched = 0;
    for (name, list) in kinds {
        // One pass each first, so both databases are measured with warm caches.
        with_connection(&mut desk, |connection| time_each(list, |query| Ok(search_on(connection, query)?)))??;
        time_each(list, |query| Ok(search_on(&plain, query)?))?;
        let use_case = time_each(list, |query| Ok(desk.search_patients(query)?.patients.len()))?;
        let encrypted =
            with_connection(&mut desk, |connection| time_each(list, |query| Ok(search_on(connection, query)?)))??;
        let unencrypted = time_each(list, |query| Ok(search_on(&plain, query)?))?;
        let (use_case_p95, encrypted_p95, plain_p95) =
            (percentile(&use_case, 0.95), percentile(&encrypted, 0.95), percentile(&unencrypted, 0.95));
        searched += list.len() * 5;
        bar.set(searched as u64, all as u64);
        let ratio = encrypted_p95.as_secs_f64() / plain_p95.as_secs_f64().max(1e-9);
        worst_use_case = worst_use_case.max(use_case_p95);
        worst_ratio = worst_ratio.max(ratio);
        lines.push(format!(
            "  {name:<40} use case p50 {:>6} ms p95 {:>6} ms | search p95 encrypted {:>6} ms, plain {:>6} ms, ratio {ratio:.2}",
            millis(percentile(&use_case, 0.5)),
            millis(use_case_p95),
            millis(encrypted_p95),
            millis(plain_p95),
        ));
        results.push(json!({ "kind": name, "use_case_p50_ms": millis(percentile(&use_case, 0.5)),
            "use_case_p95_ms": millis(use_case_p95), "encrypted_p95_ms": millis(encrypted_p95),
            "plain_p95_ms": millis(plain_p95), "ratio": ratio }));
    }
    drop(bar);
    desk.log_out()?;
    let human = format!(
        "Patient search benchmark: {patients} synthetic patients (seeded in {:.1} s), {runs} queries of each kind.\n\
         'use case' is what the front desk waits for (search, summaries, the audit entry written with synchronous=FULL);\n\
         'search' is the same search and summaries without the audit entry, on SQLCipher and on a plain SQLite copy.\n\
         Goals: p95 at most 10 ms; encrypted/plain at most 1.2.\n{}\nWorst use-case p95: {} ms; worst ratio: {worst_ratio:.2}",
        built.as_secs_f64(),
        lines.join("\n"),
        millis(worst_use_case)
    );
    let json: Value = json!({ "ok": true, "bench": "search", "patients": patients, "seed_s": built.as_secs_f64(),
        "kinds": results, "worst_use_case_p95_ms": millis(worst_use_case), "worst_ratio": worst_ratio });
    Ok(Report { human, json })
}
