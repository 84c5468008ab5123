//! Progress bars for the work that can take more than a few seconds (seeding, imports, backups,
//! verification, restores, key rotation, benchmarks). They are drawn on standard error, and only
//! when standard error is a terminal and the result was not asked for as JSON: scripts, pipes and
//! `--json` see the result alone.

use std::io::IsTerminal;
use std::time::Duration;

use chartkeep_vault::backup::{BackupProgress, BackupStep};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Whether this run shows progress; each long piece of work asks it for a bar.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    shown: bool,
}

impl Progress {
    /// Shown when standard error is a terminal and the output is not JSON.
    pub fn for_this_run(json: bool) -> Progress {
        Progress::shown_when(!json && std::io::stderr().is_terminal())
    }

    pub fn shown_when(shown: bool) -> Progress {
        Progress { shown }
    }

    fn bar(&self, template: &str, label: &str, total: u64) -> ProgressBar {
        if !self.shown {
            return ProgressBar::hidden();
        }
        let style = ProgressStyle::with_template(template)
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr()).with_style(style);
        bar.set_message(label.to_owned());
        bar
    }

    /// A bar counting things (patients, entries, queries, runs) up to `total`.
    pub fn counter(&self, label: &str, total: u64) -> Bar {
        Bar { bar: self.bar("{msg:<34} [{bar:30}] {human_pos}/{human_len} ({eta} left)", label, total) }
    }

    /// A bar in bytes for the steps of a backup, a verification, a restore or a rotation of the
    /// database key; each step names itself after `label`.
    pub fn bytes(&self, label: &str) -> Bar {
        let bar = self.bar("{msg:<34} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec})", label, 0);
        Bar { bar: bar.with_prefix(label.to_owned()) }
    }

    /// A spinner for work that reports no progress of its own.
    pub fn spinner(&self, label: &str) -> Bar {
        if !self.shown {
            return Bar { bar: ProgressBar::hidden() };
        }
        let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()).with_style(style);
        bar.set_message(label.to_owned());
        bar.enable_steady_tick(Duration::from_millis(120));
        Bar { bar }
    }
}

/// One bar; it is cleared from the terminal when finished or dropped.
#[derive(Debug)]
pub struct Bar {
    bar: ProgressBar,
}

impl Bar {
    /// Shows `done` of `total`.
    pub fn set(&self, done: u64, total: u64) {
        if self.bar.length() != Some(total) {
            self.bar.set_length(total);
        }
        self.bar.set_position(done);
    }

    /// Counts one more (the benchmarks' passes; the shipped tool has none).
    #[cfg(feature = "bench")]
    pub fn advance(&self) {
        self.bar.inc(1);
    }

    /// Shows a step of a backup, verification, restore or rotation; always lets it go on.
    pub fn step(&self, progress: BackupProgress) -> bool {
        let step = match progress.step {
            BackupStep::Snapshot => "taking a snapshot",
            BackupStep::Writing => "encrypting",
            BackupStep::Reading => "decrypting",
            BackupStep::Checking => "checking",
            BackupStep::Reencrypting => "re-encrypting",
        };
        let message = format!("{}: {step}", self.bar.prefix());
        if self.bar.message() != message {
            self.bar.set_message(message);
        }
        self.set(progress.done, progress.total);
        true
    }
}

impl Drop for Bar {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_output_never_shows_progress() {
        assert!(!Progress::for_this_run(true).shown);
        let hidden = Progress::shown_when(false).counter("seeding", 10);
        hidden.set(5, 10);
        assert!(hidden.bar.is_hidden());
    }

    #[test]
    fn backup_steps_are_named_after_the_work() {
        let bar = Progress::shown_when(true).bytes("backup");
        assert!(bar.step(BackupProgress { step: BackupStep::Writing, done: 5, total: 10 }));
        assert_eq!(bar.bar.message(), "backup: encrypting");
        assert_eq!((bar.bar.position(), bar.bar.length()), (5, Some(10)));
    }
}
