//! The side-by-side table of `bench startup`: medians over the launches, per process and summed,
//! with Chartkeep's figures as ratios of the hello-world's.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::Launch;
use crate::commands::Report;

/// The goal for both ratios (time to first screen; memory at the first screen and signed in).
const GOAL: f64 = 1.3;

pub(super) struct Versions {
    pub tauri: String,
    pub wry: String,
    pub webkit: String,
}

/// The median of `values` (the mean of the middle two for an even count); 0 for none.
pub(super) fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        count if count % 2 == 1 => sorted[count / 2],
        count => (sorted[count / 2 - 1] + sorted[count / 2]) / 2.0,
    }
}

/// Medians per process role and of the per-launch totals.
fn memory(launches: &[&BTreeMap<String, f64>]) -> (f64, BTreeMap<String, f64>) {
    let roles: BTreeSet<&String> = launches.iter().flat_map(|figures| figures.keys()).collect();
    let by_role = roles
        .into_iter()
        .map(|role| {
            let values: Vec<f64> = launches.iter().map(|figures| figures.get(role).copied().unwrap_or(0.0)).collect();
            (role.clone(), median(&values))
        })
        .collect();
    let totals: Vec<f64> = launches.iter().map(|figures| figures.values().sum()).collect();
    (median(&totals), by_role)
}

fn ratio(ours: f64, theirs: f64) -> f64 {
    ours / theirs.max(1e-9)
}

/// One line of the table: a name, the two figures and their ratio.
fn line(name: &str, hello: Option<f64>, ours: Option<f64>, unit: &str) -> String {
    let shown = |value: Option<f64>| value.map(|value| format!("{value:.0} {unit}")).unwrap_or_else(|| "-".into());
    let ratio = match (hello, ours) {
        (Some(hello), Some(ours)) => format!("{:.2}", ratio(ours, hello)),
        _ => String::new(),
    };
    format!("  {name:<44} {:>12} {:>12} {ratio:>6}", shown(hello), shown(ours))
}

fn memory_lines(
    lines: &mut Vec<String>,
    title: &str,
    hello: &(f64, BTreeMap<String, f64>),
    ours: &(f64, BTreeMap<String, f64>),
) {
    lines.push(line(title, Some(hello.0), Some(ours.0), "MiB"));
    let roles: BTreeSet<&String> = hello.1.keys().chain(ours.1.keys()).collect();
    for role in roles {
        lines.push(line(&format!("  {role}"), hello.1.get(role).copied(), ours.1.get(role).copied(), "MiB"));
    }
}

/// The medians of each page mark either app set, in the order Chartkeep reached them.
fn page_marks(baseline: &[Launch], measured: &[Launch]) -> Vec<(String, Option<f64>, Option<f64>)> {
    let of = |launches: &[Launch], name: &str| {
        let values: Vec<f64> = launches.iter().filter_map(|launch| launch.page_marks.get(name).copied()).collect();
        (!values.is_empty()).then(|| median(&values))
    };
    let names: BTreeSet<&String> =
        baseline.iter().chain(measured).flat_map(|launch| launch.page_marks.keys()).collect();
    let mut marks: Vec<(String, Option<f64>, Option<f64>)> = names
        .into_iter()
        .filter(|name| name.as_str() != "first-screen")
        .map(|name| (name.clone(), of(baseline, name), of(measured, name)))
        .collect();
    marks.sort_by(|a, b| a.2.or(a.1).unwrap_or_default().total_cmp(&b.2.or(b.1).unwrap_or_default()));
    marks
}

fn memory_json(figures: &(f64, BTreeMap<String, f64>)) -> Value {
    json!({ "total_mib": figures.0, "by_process_mib": figures.1 })
}

pub(super) fn render(
    versions: &Versions,
    settle_seconds: u64,
    patients: u64,
    baseline: &[Launch],
    measured: &[Launch],
) -> Report {
    let times = |launches: &[Launch], pick: fn(&Launch) -> f64| median(&launches.iter().map(pick).collect::<Vec<_>>());
    let first = (times(baseline, |launch| launch.first_screen_ms), times(measured, |launch| launch.first_screen_ms));
    let before_page =
        (times(baseline, |launch| launch.before_page_ms), times(measured, |launch| launch.before_page_ms));
    let hello_memory = memory(&baseline.iter().map(|launch| &launch.at_first_screen).collect::<Vec<_>>());
    let first_memory = memory(&measured.iter().map(|launch| &launch.at_first_screen).collect::<Vec<_>>());
    let signed_in = memory(&measured.iter().filter_map(|launch| launch.signed_in.as_ref()).collect::<Vec<_>>());
    let sign_in_ms = median(&measured.iter().filter_map(|launch| launch.sign_in_ms).collect::<Vec<_>>());
    let ratios = [ratio(first.1, first.0), ratio(first_memory.0, hello_memory.0), ratio(signed_in.0, hello_memory.0)];
    let mut lines = vec![
        format!(
            "Start-up and memory beside a hello-world Tauri window (tauri {}, wry {}, WebKitGTK {}), {} launches each,\n\
             alternately, under Xvfb through WebKitWebDriver; medians. PSS {settle_seconds} s after each point; \
             Chartkeep on a practice of {patients} synthetic patients.",
            versions.tauri,
            versions.wry,
            versions.webkit,
            measured.len()
        ),
        format!("  {:<44} {:>12} {:>12} {:>6}", "", "hello-world", "Chartkeep", "ratio"),
        line("Time to first screen", Some(first.0), Some(first.1), "ms"),
        line("  launch to page start", Some(before_page.0), Some(before_page.1), "ms"),
        line("  page start to first screen", Some(first.0 - before_page.0), Some(first.1 - before_page.1), "ms"),
    ];
    for (name, hello, ours) in page_marks(baseline, measured) {
        lines.push(line(&format!("    page start to {name}"), hello, ours, "ms"));
    }
    memory_lines(&mut lines, "PSS at the first screen", &hello_memory, &first_memory);
    memory_lines(&mut lines, "PSS signed in, idle (hello-world: first screen)", &hello_memory, &signed_in);
    lines.push(line("Sign-in (click to home screen)", None, Some(sign_in_ms), "ms"));
    let within = ratios.iter().all(|ratio| *ratio <= GOAL);
    lines.push(format!(
        "Goal: every ratio at most {GOAL}: time {:.2}, memory at first screen {:.2}, signed in {:.2}{}",
        ratios[0],
        ratios[1],
        ratios[2],
        if within { " (met)" } else { " (not met)" }
    ));
    let json = json!({ "ok": true, "bench": "startup", "runs": measured.len(), "tauri": versions.tauri,
        "wry": versions.wry, "webkitgtk": versions.webkit, "settle_s": settle_seconds, "patients": patients,
        "first_screen_ms": { "hello_world": first.0, "chartkeep": first.1, "ratio": ratios[0] },
        "before_page_ms": { "hello_world": before_page.0, "chartkeep": before_page.1 },
        "page_marks_ms": page_marks(baseline, measured).into_iter()
            .map(|(name, hello, ours)| (name, json!({ "hello_world": hello, "chartkeep": ours })))
            .collect::<serde_json::Map<String, Value>>(),
        "pss_first_screen": { "hello_world": memory_json(&hello_memory), "chartkeep": memory_json(&first_memory),
            "ratio": ratios[1] },
        "pss_signed_in": { "chartkeep": memory_json(&signed_in), "ratio": ratios[2] },
        "sign_in_ms": sign_in_ms, "goal": GOAL, "met": within });
    Report { human: lines.join("\n"), json }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_takes_the_middle() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 2.0, 3.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn memory_medians_are_taken_per_process_and_over_totals() {
        let one = BTreeMap::from([("app".to_owned(), 10.0), ("WebKitWebProcess".to_owned(), 100.0)]);
        let two = BTreeMap::from([("app".to_owned(), 30.0), ("WebKitWebProcess".to_owned(), 90.0)]);
        let three = BTreeMap::from([("app".to_owned(), 20.0), ("WebKitWebProcess".to_owned(), 200.0)]);
        let (total, by_role) = memory(&[&one, &two, &three]);
        assert_eq!(total, 120.0);
        assert_eq!(by_role["app"], 20.0);
        assert_eq!(by_role["WebKitWebProcess"], 100.0);
    }
}
