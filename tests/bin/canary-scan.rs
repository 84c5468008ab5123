//! `canary-scan`: the journeys' canary scanner for shell-driven checks (such as a check of the
//! installed package). Scans the given roots for the canaries and exits 1 when any is found or
//! a file could not be read, 0 when clean, 2 when used wrongly.
//!
//! The canaries come one a line from `--canaries FILE` or the `CHARTKEEP_CANARIES` variable; a
//! line may be `what<TAB>text` to name what the canary stands for.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use chartkeep_tests::canary::{Canary, Scanner};

const USAGE: &str =
    "usage: canary-scan [--canaries FILE] [--exclude PATH]... [--changed-since UNIX_SECONDS] [--shared] ROOT...
  Canaries, one a line (`what<TAB>text` or just the text), from FILE or CHARTKEEP_CANARIES.
  --shared: the roots are shared by other users (/tmp); their files closed to this user are
  listed as not scanned instead of failing the scan, but this user's own still fail.
  Exit status: 0 no canary found, 1 a canary found or a file unreadable, 2 wrong use.";

struct Request {
    canaries: Vec<Canary>,
    excluded: Vec<PathBuf>,
    changed_since: Option<SystemTime>,
    shared: bool,
    roots: Vec<PathBuf>,
}

fn parse(mut arguments: impl Iterator<Item = String>) -> Result<Request, String> {
    let mut canary_lines = std::env::var("CHARTKEEP_CANARIES").ok();
    let (mut excluded, mut roots, mut changed_since, mut shared) = (Vec::new(), Vec::new(), None, false);
    while let Some(argument) = arguments.next() {
        let mut value = |name: &str| arguments.next().ok_or(format!("{name} needs a value"));
        match argument.as_str() {
            "--canaries" => {
                let file = value("--canaries")?;
                canary_lines = Some(std::fs::read_to_string(&file).map_err(|error| format!("{file}: {error}"))?);
            }
            "--exclude" => excluded.push(PathBuf::from(value("--exclude")?)),
            "--changed-since" => {
                let seconds: u64 = value("--changed-since")?.parse().map_err(|_| "--changed-since takes seconds")?;
                changed_since = Some(SystemTime::UNIX_EPOCH + Duration::from_secs(seconds));
            }
            "--shared" => shared = true,
            "--help" | "-h" => return Err(String::new()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            root => roots.push(PathBuf::from(root)),
        }
    }
    let canaries: Vec<Canary> = canary_lines
        .unwrap_or_default()
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| match line.split_once('\t') {
            Some((what, text)) => Canary::new(what, text),
            None => Canary::new("canary", line),
        })
        .collect();
    if canaries.is_empty() {
        return Err("no canaries: give --canaries FILE or CHARTKEEP_CANARIES".to_owned());
    }
    if let Some(short) = canaries.iter().find(|canary| canary.text.chars().count() < 6) {
        return Err(format!("the canary {:?} is too short to be told from chance", short.text));
    }
    if roots.is_empty() {
        return Err("no folder to scan".to_owned());
    }
    Ok(Request { canaries, excluded, changed_since, shared, roots })
}

fn main() -> ExitCode {
    let request = match parse(std::env::args().skip(1)) {
        Ok(request) => request,
        Err(problem) => {
            if !problem.is_empty() {
                eprintln!("canary-scan: {problem}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    let excluded: Vec<&Path> = request.excluded.iter().map(PathBuf::as_path).collect();
    let mut scanner = Scanner::new(&request.canaries).excluding(&excluded);
    if let Some(instant) = request.changed_since {
        scanner = scanner.changed_since(instant);
    }
    if request.shared {
        scanner = scanner.allowing_others_unreadable();
    }
    let roots: Vec<&Path> = request.roots.iter().map(PathBuf::as_path).collect();
    let report = scanner.scan(&roots);
    for (path, what) in &report.not_scanned {
        println!("not scanned: {} ({what})", path.display());
    }
    println!("canary-scan: {}", report.figures());
    if report.is_clean() {
        return ExitCode::SUCCESS;
    }
    println!("{}", report.problems());
    ExitCode::from(1)
}
