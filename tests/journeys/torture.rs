//! The torture run in CI: `chartkeep-admin bench crash` kills a writer (registering patients,
//! saving and signing notes, making backups) at randomly chosen failpoints and instants, and
//! checks the practice after each kill. Here it runs 50 times with a fixed seed; the closing
//! figure of 1,000 runs comes from `make bench-crash`.

use std::process::Command;

use chartkeep_tests::workspace_binary;

#[test]
fn a_writer_killed_at_random_points_loses_no_acknowledged_commit() {
    let output = Command::new(workspace_binary("chartkeep-admin"))
        .args(["--json", "bench", "crash", "--runs", "50", "--seed", "20261204"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|_| panic!("a JSON report: {}", String::from_utf8_lossy(&output.stderr)));
    assert!(output.status.success(), "{report:#}");
    assert_eq!(report["failures"], 0, "{report:#}");
    assert_eq!(report["lost_commits"], 0, "{report:#}");
    assert!(report["killed_at_failpoints"].as_u64().unwrap() >= 20, "{report:#}");
    assert!(report["failpoint_kinds_in_path"].as_u64().unwrap() >= 5, "the build has its failpoints: {report:#}");
    assert!(report["acknowledged"].as_u64().unwrap() >= 200, "the writer worked before it was killed: {report:#}");
}
