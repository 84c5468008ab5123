//! The quick runs of the clinic's fuzz targets (`make test`), the seeds' writer and the FHIR samples.

use chartkeep_vault::fuzzing::quick;

use super::*;
use crate::patients::dates::{DateOrder, parse_typed_date};
use crate::patients::import::parse_csv;

/// Most executions a quick run makes, whatever its time budget.
const MAX_EXECUTIONS: u64 = 200_000;

fn committed(target: &str) -> Vec<Vec<u8>> {
    let seeds = quick::seeds(target);
    assert!(!seeds.is_empty(), "no seeds in fuzz/corpus/{target}: run `scripts/fuzz --seeds`");
    seeds
}

#[test]
fn quick_fuzz_sign_in_events() {
    let seeds = committed("sign_in_events");
    quick::run("sign_in_events", &seeds, MAX_EXECUTIONS, sign_in_events);
}

#[test]
fn quick_fuzz_throttle_file() {
    let seeds = committed("throttle_file");
    quick::run("throttle_file", &seeds, MAX_EXECUTIONS, throttle_file);
}

#[test]
fn quick_fuzz_workstation_file() {
    let seeds = committed("workstation_file");
    quick::run("workstation_file", &seeds, MAX_EXECUTIONS, workstation_file);
}

#[test]
fn quick_fuzz_csv_import() {
    let seeds = committed("csv_import");
    for seed in &seeds {
        assert!(parse_csv(&seed[1..]).is_ok(), "a seed does not read");
    }
    quick::run("csv_import", &seeds, MAX_EXECUTIONS, csv_import);
}

#[test]
fn quick_fuzz_typed_date() {
    let seeds = committed("typed_date");
    for seed in &seeds {
        let order = if seed[0] & 1 == 1 { DateOrder::MonthFirst } else { DateOrder::DayFirst };
        assert!(parse_typed_date(std::str::from_utf8(&seed[1..]).unwrap(), order).is_some(), "a seed is no date");
    }
    quick::run("typed_date", &seeds, MAX_EXECUTIONS, typed_date);
}

#[test]
fn quick_fuzz_fhir_bundle() {
    let seeds = committed("fhir_bundle");
    for seed in &seeds {
        let bundle = fhir_bundle(seed).expect("a seed's patient is valid");
        assert!(bundle["entry"].as_array().unwrap().len() > 5, "a seed's chart is nearly empty");
    }
    quick::run("fhir_bundle", &seeds, MAX_EXECUTIONS, |data| {
        fhir_bundle(data);
    });
}

/// A fuzz target's body.
type Target = fn(&[u8]);

/// The seeds' writer runs the real writers; every seed it writes is taken by its target.
#[test]
fn the_seeds_writer_writes_seeds_each_target_takes() {
    let scratch = tempfile::tempdir().unwrap();
    let corpus = quick::seeds_folder(scratch.path());
    write_seeds(&corpus).unwrap();
    let targets: [(&str, Target); 6] = [
        ("sign_in_events", sign_in_events),
        ("throttle_file", throttle_file),
        ("workstation_file", workstation_file),
        ("csv_import", csv_import),
        ("typed_date", typed_date),
        ("fhir_bundle", |data| assert!(fhir_bundle(data).is_some(), "a seed's patient is valid")),
    ];
    for (target, run) in targets {
        let seeds = quick::seeds_in(&corpus, target);
        assert!(!seeds.is_empty(), "{target} has seeds");
        seeds.iter().for_each(|seed| run(seed));
    }
}

/// Bundles of random charts (the seeds and their mutations) for an independent validator:
/// written into the folder `CHARTKEEP_FHIR_SAMPLES` names (`scripts/fhir-check-samples`), or a
/// scratch folder, where each must be a bundle this module's own check passed.
#[test]
fn bundles_of_random_charts_are_written_for_an_independent_validator() {
    let scratch = tempfile::tempdir().unwrap();
    let folder = std::env::var_os("CHARTKEEP_FHIR_SAMPLES").map_or_else(|| scratch.path().to_owned(), Into::into);
    std::fs::create_dir_all(&folder).unwrap();
    let wanted: usize = std::env::var("CHARTKEEP_FHIR_SAMPLE_COUNT").ok().and_then(|n| n.parse().ok()).unwrap_or(20);
    let written = std::cell::Cell::new(0usize);
    let mut seeds = committed("fhir_bundle");
    // Only as many inputs as samples are wanted, a few times over (most mutations stay valid).
    seeds.truncate(wanted);
    quick::run("fhir_samples", &seeds, wanted as u64 * 4, |data| {
        if written.get() < wanted
            && let Some(bundle) = fhir_bundle(data)
        {
            let path = folder.join(format!("bundle-{:04}.json", written.get()));
            std::fs::write(path, serde_json::to_vec_pretty(&bundle).unwrap()).unwrap();
            written.set(written.get() + 1);
        }
    });
    let files = std::fs::read_dir(&folder).unwrap().count();
    assert!(written.get() > 0 && files >= written.get(), "samples were written");
}
