//! Which processes make up a running app (the app and the WebKit processes it started) and their
//! proportional set size (PSS) from /proc/PID/smaps_rollup: shared pages count once across all.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::commands::Failure;

/// One process of /proc: its parent, process group and program.
#[derive(Debug, Clone)]
struct Process {
    pid: u32,
    parent: u32,
    group: u32,
    program: String,
}

fn processes() -> Vec<Process> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let stat = std::fs::read_to_string(entry.path().join("stat")).ok()?;
            // "pid (comm) state ppid pgrp ...": comm may hold spaces, so split after the last ')'.
            let fields: Vec<&str> = stat.get(stat.rfind(')')? + 1..)?.split_whitespace().collect();
            let program = std::fs::read_link(entry.path().join("exe"))
                .ok()
                .and_then(|exe| exe.file_name().map(|name| name.to_string_lossy().into_owned()))
                .unwrap_or_default();
            Some(Process { pid, parent: fields.get(1)?.parse().ok()?, group: fields.get(2)?.parse().ok()?, program })
        })
        .collect()
}

/// The app's process (started by the driver in process group `group`) and every process it
/// started, as (pid, role).
pub(super) fn app_processes(group: u32, app: &Path) -> Vec<(u32, String)> {
    let all = processes();
    let Some(name) = app.file_name().map(|name| name.to_string_lossy().into_owned()) else { return Vec::new() };
    let Some(root) = all.iter().find(|process| process.group == group && process.program == name) else {
        return Vec::new();
    };
    let mut found = vec![(root.pid, "app".to_owned())];
    let mut next = 0;
    while next < found.len() {
        let parent = found[next].0;
        found.extend(all.iter().filter(|process| process.parent == parent).map(|child| (child.pid, role_of(child))));
        next += 1;
    }
    found
}

fn role_of(process: &Process) -> String {
    match process.program.as_str() {
        "WebKitWebProcess" | "WebKitNetworkProcess" | "WebKitGPUProcess" => process.program.clone(),
        other => format!("other ({other})"),
    }
}

/// Waits until the app (the program named like `app` in `group`) has started.
pub(super) fn wait_for_app(group: u32, app: &Path, limit: Duration) -> Result<u32, Failure> {
    let started = Instant::now();
    loop {
        if let Some((pid, _)) = app_processes(group, app).first() {
            return Ok(*pid);
        }
        if started.elapsed() > limit {
            return Err(format!("{} did not start", app.display()).into());
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether process `pid` is still there (and not a zombie).
pub(super) fn is_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| stat.rfind(')').and_then(|at| stat.get(at + 2..at + 3)).map(|state| state != "Z"))
        .unwrap_or(false)
}

/// PSS in KiB of process `pid`, from its smaps_rollup.
fn pss_kib(pid: u32) -> Option<u64> {
    let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).ok()?;
    let line = rollup.lines().find(|line| line.starts_with("Pss:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// PSS in MiB per role (processes of one role summed), the app and everything it started.
pub(super) fn pss_by_role(group: u32, app: &Path) -> Result<BTreeMap<String, f64>, Failure> {
    let found = app_processes(group, app);
    if found.is_empty() {
        return Err(format!("{} is not running", app.display()).into());
    }
    let mut by_role: BTreeMap<String, f64> = BTreeMap::new();
    for (pid, role) in found {
        let kib = pss_kib(pid).ok_or_else(|| format!("Cannot read /proc/{pid}/smaps_rollup"))?;
        *by_role.entry(role).or_default() += kib as f64 / 1024.0;
    }
    Ok(by_role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_process_is_found_with_its_pss() {
        let me = std::process::id();
        assert!(is_running(me));
        assert!(pss_kib(me).is_some_and(|kib| kib > 0));
        let all = processes();
        assert!(all.iter().any(|process| process.pid == me));
    }
}
