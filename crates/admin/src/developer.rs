//! What only developer builds carry (feature `bench`): a synthetic practice for demos and tests
//! (`seed`) and the benchmarks (`bench …`). They write plain copies of synthetic practices and
//! reach the database past the permission checks, so the package the practice installs is built
//! without them (`make package`).

use chartkeep_vault::DataDir;
use clap::Subcommand;

use crate::bench;
use crate::commands::{Failure, Report};
use crate::progress::Progress;
use crate::seed::{SeedRequest, seed};

#[derive(Debug, Subcommand)]
pub enum DeveloperCommand {
    /// Fill the practice with synthetic patients (and today's appointments), for demos and
    /// tests: never real data. Signs in with the password on standard input.
    Seed {
        #[arg(long)]
        patients: u64,
        /// Also book a day of appointments for every clinician, from 08:00 UTC today.
        #[arg(long)]
        appointments_today: bool,
        /// Also give this many patients a chart (those with an appointment today first): past
        /// visits with signed notes, a draft for today, allergies, medications and problems,
        /// written through the clinician's use cases. The user signing in must be a clinician.
        #[arg(long, default_value_t = 0)]
        charts: u64,
        #[arg(long, required = true)]
        password_stdin: bool,
        /// Sign in as this user (default: the practice's owner).
        #[arg(long)]
        username: Option<String>,
    },
    /// Measure performance on practices built for the purpose in a temporary folder.
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum BenchCommand {
    /// Sign-in time with Argon2id calibrated on this PC.
    Unlock {
        #[arg(long, default_value_t = 5)]
        runs: u32,
    },
    /// The search box at N synthetic patients, on SQLCipher and on a plain copy.
    Search {
        #[arg(long, default_value_t = 1_000_000)]
        patients: u64,
        /// How many queries of each kind.
        #[arg(long, default_value_t = 100)]
        runs: usize,
    },
    /// Opening a chart and saving a note at N patients and M encounters, on SQLCipher and on a
    /// plain copy.
    Chart {
        #[arg(long, default_value_t = 1_000_000)]
        patients: u64,
        #[arg(long, default_value_t = 10_000_000)]
        encounters: u64,
        /// How many charts to open and notes to save.
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
    /// Backup, verification and restore of a database of about N MB, beside a plain file copy.
    Backup {
        #[arg(long, default_value_t = 1024)]
        size_mb: u64,
    },
    /// The CSV import: a Synthea-layout file of N rows into a practice of M patients.
    Import {
        #[arg(long, default_value_t = 100_000)]
        rows: u64,
        /// Patients already in the practice, for the duplicate check to run against.
        #[arg(long, default_value_t = 100_000)]
        existing: u64,
    },
    /// Full chain verification, the check at unlock, and the audit view's filtered queries.
    Audit {
        #[arg(long, default_value_t = 1_000_000)]
        entries: u64,
        #[arg(long, default_value_t = 20)]
        runs: u32,
    },
    /// Start-up time and memory (PSS per process) beside a hello-world Tauri window, each
    /// launched N times under Xvfb through WebKitWebDriver; Chartkeep also signed in on a demo
    /// practice. Builds both in release (the hello-world once, then while unchanged reused). Runs
    /// under scripts/with-private-keyring only.
    #[cfg(target_os = "linux")]
    Startup {
        #[arg(long, default_value_t = 5)]
        runs: u32,
        /// How long after the first screen (and after signing in) memory is read.
        #[arg(long, default_value_t = 10)]
        settle_seconds: u64,
        /// Synthetic patients in the practice Chartkeep signs in to (the demo's 300).
        #[arg(long, default_value_t = 300)]
        patients: u64,
        /// Measure this Chartkeep binary instead of building the release one.
        #[arg(long)]
        app: Option<std::path::PathBuf>,
    },
    /// The torture run: a writer killed at random failpoints and instants, the practice checked
    /// after each kill (no acknowledged commit lost, integrity checks pass, audit chain intact).
    Crash {
        #[arg(long, default_value_t = 1000)]
        runs: u32,
        /// Seed for the random choice of kill points, so a run can be repeated.
        #[arg(long, default_value_t = 1)]
        seed: u64,
    },
    /// The torture run's writer (run by `bench crash`, not by hand).
    #[command(hide = true)]
    CrashWriter {
        /// The number of the writer's first patient (each run's are its own).
        #[arg(long)]
        first: u32,
        #[arg(long)]
        iterations: u32,
        #[arg(long)]
        backups: std::path::PathBuf,
    },
}

/// Runs a developer command; `progress` says whether long work shows a bar.
pub fn run(command: DeveloperCommand, data_dir: &DataDir, progress: Progress) -> Result<Report, Failure> {
    match command {
        DeveloperCommand::Seed { patients, appointments_today, charts, username, .. } => {
            let request = SeedRequest { patients, appointments_today, charts, username: username.as_deref() };
            seed(data_dir, &request, progress)
        }
        DeveloperCommand::Bench { command: BenchCommand::Unlock { runs } } => bench::unlock(runs, progress),
        DeveloperCommand::Bench { command: BenchCommand::Audit { entries, runs } } => {
            bench::audit(entries, runs, progress)
        }
        DeveloperCommand::Bench { command: BenchCommand::Search { patients, runs } } => {
            bench::search(patients, runs, progress)
        }
        DeveloperCommand::Bench { command: BenchCommand::Chart { patients, encounters, runs } } => {
            bench::chart(patients, encounters, runs, progress)
        }
        DeveloperCommand::Bench { command: BenchCommand::Backup { size_mb } } => bench::backup(size_mb, progress),
        DeveloperCommand::Bench { command: BenchCommand::Import { rows, existing } } => {
            bench::import(rows, existing, progress)
        }
        #[cfg(target_os = "linux")]
        DeveloperCommand::Bench { command: BenchCommand::Startup { runs, settle_seconds, patients, app } } => {
            bench::startup(bench::StartupRequest { runs, settle_seconds, patients, app }, progress)
        }
        DeveloperCommand::Bench { command: BenchCommand::Crash { runs, seed } } => bench::crash(runs, seed, progress),
        DeveloperCommand::Bench { command: BenchCommand::CrashWriter { first, iterations, backups } } => {
            bench::crash_writer(data_dir, first, iterations, &backups)
        }
    }
}
