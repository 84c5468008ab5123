//! Logs and crash reports without patient data: daily rolling files in the data folder's `logs`
//! (14 kept), level from `CHARTKEEP_LOG`, and a panic hook that records where a crash happened
//! but never its message (which could hold a value).

use std::panic::PanicHookInfo;
use std::path::PathBuf;

use chartkeep_vault::{DataDir, create_private_dir};
use tracing_appender::non_blocking::{NonBlockingBuilder, WorkerGuard};
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;

use crate::private_file::write_private_file;

/// How many log lines may wait for the writer thread. The channel is allocated whole up front:
/// tracing-appender's default of 128,000 lines took 4 MiB of the app's memory from the first
/// moment (`make bench-startup`), for a log that writes a line or two per action. Past the limit
/// a line is dropped rather than the app made to wait; the audit trail is in the database, not
/// here.
const BUFFERED_LOG_LINES: usize = 4096;

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
    let (writer, guard) =
        NonBlockingBuilder::default().buffered_lines_limit(BUFFERED_LOG_LINES).lossy(true).finish(appender);
    let filter = EnvFilter::try_from_env("CHARTKEEP_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(false).init();
    tracing::info!(version = env!("CARGO_PKG_VERSION"), "Chartkeep started");
    Some(guard)
}

fn install_crash_reporter(data_dir: &DataDir) {
    std::panic::set_hook(Box::new(crash_reporter(data_dir.crash_reports())));
}

/// The panic hook: writes a crash report into `folder` (created owner-only, the file mode 0600)
/// with the version, time, thread and source location, and never the panic's message.
fn crash_reporter(folder: PathBuf) -> impl Fn(&PanicHookInfo<'_>) + Send + Sync + 'static {
    move |info| {
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
            // Best effort: a crash report that cannot be written must not cause a second panic.
            let _ = write_private_file(&path, report.as_bytes());
        }
        tracing::error!(%location, %thread, "Chartkeep crashed");
    }
}

#[cfg(test)]
mod tests {
    use std::panic::PanicHookInfo;
    use std::sync::Arc;

    use super::crash_reporter;

    /// Parts of a panic message that must not reach the report: an invented patient's details.
    const CANARY_PARTS: [&str; 4] = ["CANARY-7Q2X9", "Zebediah", "Quackenbush", "1961-04-12"];

    #[test]
    fn crash_reports_leave_the_panic_message_out_and_are_private() {
        let folder = tempfile::tempdir().unwrap();
        let reports = folder.path().join("crash-reports");
        let report = crash_reporter(reports.clone());
        // The hook is global to this test binary: only this thread's panic goes to the crash
        // reporter, and every other thread's goes to the previous hook as before.
        let this_thread = std::thread::current().id();
        let previous: Arc<dyn Fn(&PanicHookInfo<'_>) + Send + Sync> = Arc::from(std::panic::take_hook());
        let others = Arc::clone(&previous);
        std::panic::set_hook(Box::new(move |info| {
            if std::thread::current().id() == this_thread { report(info) } else { others(info) }
        }));
        let outcome = std::panic::catch_unwind(|| {
            panic!("{}: patient {} {} born {}", CANARY_PARTS[0], CANARY_PARTS[1], CANARY_PARTS[2], CANARY_PARTS[3])
        });
        std::panic::set_hook(Box::new(move |info| previous(info)));
        assert!(outcome.is_err(), "the closure panicked");

        let files: Vec<_> = std::fs::read_dir(&reports).unwrap().map(|entry| entry.unwrap().path()).collect();
        assert_eq!(files.len(), 1, "one crash report: {files:?}");
        let text = std::fs::read_to_string(&files[0]).unwrap();
        assert!(text.contains("location: ") && text.contains("logging.rs"), "where it crashed: {text}");
        for part in CANARY_PARTS {
            assert!(!text.contains(part), "the report holds {part}: {text}");
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&files[0]).unwrap().permissions().mode() & 0o777, 0o600);
            assert_eq!(std::fs::metadata(&reports).unwrap().permissions().mode() & 0o777, 0o700);
        }
    }
}
