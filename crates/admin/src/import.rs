//! `chartkeep-admin import patients FILE --mapping NAME [--dry-run]`: the import wizard's check
//! and import from the command line, with the same rules (the Owner's policy, one transaction,
//! duplicates flagged for review and never merged). The report names rows by their line in the
//! file, as a spreadsheet shows them.

use std::fmt::Write as _;
use std::path::Path;

use chartkeep_clinic::patients::{ImportDuplicate, ImportProblem, ImportReport, ImportSummary};
use chartkeep_vault::DataDir;
use serde_json::json;

use crate::commands::{Failure, Report, signed_in_from_stdin};
use crate::progress::Progress;

/// What to do with the file.
pub struct ImportRequest<'a> {
    pub file: &'a Path,
    pub mapping: &'a str,
    pub dry_run: bool,
    pub skip_invalid_rows: bool,
    pub username: Option<&'a str>,
}

pub fn import_patients(data_dir: &DataDir, request: &ImportRequest<'_>, progress: Progress) -> Result<Report, Failure> {
    let (_workstation, mut session) = signed_in_from_stdin(data_dir, request.username)?;
    let bar = progress.counter(if request.dry_run { "Checking rows" } else { "Checking and importing rows" }, 0);
    let mut keep_going = |done: u64, total: u64| {
        bar.set(done, total);
        true
    };
    let outcome = session.import_mapping(request.mapping).and_then(|mapping| {
        if request.dry_run {
            session.dry_run_import(request.file, &mapping, &mut keep_going).map(Imported::Checked)
        } else {
            session
                .import_patients(request.file, &mapping, request.skip_invalid_rows, &mut keep_going)
                .map(Imported::Saved)
        }
    });
    drop(bar);
    session.log_out()?;
    Ok(match outcome? {
        Imported::Checked(report) => checked(&report),
        Imported::Saved(summary) => saved(&summary),
    })
}

enum Imported {
    Checked(ImportReport),
    Saved(ImportSummary),
}

fn checked(report: &ImportReport) -> Report {
    let mut human = format!(
        "Checked {} rows: {} valid, {} with problems, {} probable duplicates. Nothing was imported.",
        report.rows,
        report.valid,
        report.rows - report.valid,
        report.duplicates.len()
    );
    for problem in &report.problems {
        let _ = write!(human, "\n{}", problem_line(problem));
    }
    for duplicate in &report.duplicates {
        let _ = write!(human, "\n{}", duplicate_line(duplicate));
    }
    let json = json!({
        "ok": true,
        "dry_run": true,
        "rows": report.rows,
        "valid": report.valid,
        "problems": report.problems,
        "duplicates": report.duplicates,
    });
    Report { human, json }
}

fn saved(summary: &ImportSummary) -> Report {
    let mut human = format!("Imported {} patients.", summary.imported);
    if summary.flagged_for_review > 0 {
        let _ = write!(
            human,
            " {} probable duplicates are on the Owner's review list (nothing was merged).",
            summary.flagged_for_review
        );
    }
    if summary.skipped_invalid > 0 {
        let _ = write!(human, " {} invalid rows were left out.", summary.skipped_invalid);
    }
    Report { human, json: json!({ "ok": true, "dry_run": false, "summary": summary }) }
}

fn problem_line(problem: &ImportProblem) -> String {
    format!("Line {}: {} ({})", problem.line, problem.message, problem.field)
}

fn duplicate_line(duplicate: &ImportDuplicate) -> String {
    let other = match (&duplicate.existing_mrn, duplicate.other_line) {
        (Some(mrn), _) => format!("the registered patient with MRN {mrn}"),
        (None, Some(line)) => format!("line {line}"),
        (None, None) => "another record".to_owned(),
    };
    let signs: Vec<&str> = duplicate.signs.iter().map(|sign| sign.describe()).collect();
    format!("Line {}: probably the same person as {other} ({}).", duplicate.line, signs.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chartkeep_clinic::patients::DuplicateSign;

    #[test]
    fn a_check_lists_each_problem_and_duplicate_by_line() {
        let report = ImportReport {
            rows: 3,
            valid: 2,
            problems: vec![ImportProblem {
                line: 3,
                field: "date_of_birth".into(),
                message: "Born: not a date.".into(),
            }],
            duplicates: vec![ImportDuplicate {
                line: 4,
                signs: vec![DuplicateSign::SameDateOfBirthSimilarName],
                existing_mrn: None,
                other_line: Some(2),
            }],
        };
        let human = checked(&report).human;
        let lines: Vec<&str> = human.lines().collect();
        assert_eq!(lines.len(), 3, "{human}");
        assert!(lines[0].starts_with("Checked 3 rows: 2 valid, 1 with problems, 1 probable duplicates."));
        assert_eq!(lines[1], "Line 3: Born: not a date. (date_of_birth)");
        assert!(lines[2].starts_with("Line 4: probably the same person as line 2 ("), "{}", lines[2]);
    }
}
