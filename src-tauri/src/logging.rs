//! Logs and crash reports without patient data: daily rolling files in the data folder's `logs`
//! (14 kept), level from `CHARTKEEP_LOG`, and a panic hook that records where a crash happened
//! but never its message (which could hold a value).

use std::io::Write;

use chartkeep_vault::{DataDir, create_private_dir};
use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;

/// Starts logging; returns the guard that flushes the log when dropped. Logging is best effort:
/// without a log folder the app still runs.
pub fn start(data_dir: &DataDir) -> Option<WorkerGuard> {
    install_crash_reporter(data_dir);
    create_private_dir(&data_dir.logs()).ok()?;
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("chartkeep")
        .filename_suffix("log")
        .max_log_files(14)
        .build(data_dir.logs())
        .ok()?;
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("CHARTKEEP_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(false).init();
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "Chartkeep started");
    Some(guard)
}

fn install_crash_reporter(data_dir: &DataDir) {
    let folder = data_dir.crash_reports();
    std::panic::set_hook(Box::new(move |info| {
        let location = info.location().map(|at| format!("{}:{}", at.file(), at.line())).unwrap_or_default();
        let thread = std::thread::current().name().unwrap_or("unnamed").to_owned();
        let now = time::OffsetDateTime::now_utc();
        let report = format!(
            "Chartkeep {} crashed at {now}\nthread: {thread}\nlocation: {location}\n\
             (The panic message is left out on purpose: it could contain patient data.)\n",
            env!("CARGO_PKG_VERSION"),
        );
        if create_private_dir(&folder).is_ok() {
            let path = folder.join(format!("crash-{}.txt", now.unix_timestamp()));
            if let Ok(mut file) = std::fs::File::create(path) {
                let _ = file.write_all(report.as_bytes());
            }
        }
        tracing::error!(%location, %thread, "Chartkeep crashed");
    }));
}
