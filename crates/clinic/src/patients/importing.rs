//! The import use cases: preview a file, dry-run it, import it in one transaction, and keep
//! column mappings by name. Importing is the Owner's, and other roles' only when the Owner
//! allows it in the settings.

use std::path::Path;

use super::store;
use serde::Serialize;

use super::import::{ImportDuplicate, ImportProblem, PREVIEW_ROWS, analyse, read_csv, save};
use super::import_mapping::{ImportMapping, draft_from};
use super::record::PatientDraft;
use crate::audit::{AuditAction, AuditEvent, Detail, Outcome};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::Permission;
use crate::session::{Authorized, Session};

/// The built-in mapping for Synthea's `patients.csv`.
pub const SYNTHEA_MAPPING: &str = "synthea";

/// The first rows of a file, before and after mapping.
#[derive(Clone)]
pub struct ImportPreview {
    pub headers: Vec<String>,
    pub rows: u64,
    /// The first rows as they are in the file.
    pub sample: Vec<Vec<String>>,
    /// The same rows through the mapping, when one was given.
    pub mapped: Vec<PatientDraft>,
    /// A built-in mapping that fits the file's headers, if any.
    pub suggested_mapping: Option<String>,
}

impl std::fmt::Debug for ImportPreview {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportPreview").field("rows", &self.rows).finish_non_exhaustive()
    }
}

/// What a dry run found: every invalid row with its reasons, every probable duplicate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub rows: u64,
    pub valid: u64,
    pub problems: Vec<ImportProblem>,
    pub duplicates: Vec<ImportDuplicate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub imported: u64,
    pub flagged_for_review: u64,
    pub skipped_invalid: u64,
}

/// Refuses roles the Owner has not allowed to import (recorded as denied).
fn check_import_policy(authorized: &mut Authorized<'_>, attempted: AuditAction) -> ClinicResult<()> {
    let roles = authorized.user().roles.clone();
    let settings = crate::store::access_settings(authorized.connection())?;
    let allowed = settings.role_policies.iter().any(|policy| roles.contains(&policy.role) && policy.import_allowed);
    if allowed {
        return Ok(());
    }
    authorized.record(
        &AuditEvent::new(attempted, Outcome::Denied).category("demographics").reason("import_not_allowed_for_role"),
    )?;
    Err(ClinicError::Forbidden)
}

fn report_of(rows: u64, analysis: &super::import::Analysis) -> ImportReport {
    ImportReport {
        rows,
        valid: analysis.valid.len() as u64,
        problems: analysis.problems.clone(),
        duplicates: analysis.duplicates.clone(),
    }
}

impl Session {
    /// The file's headers and first rows, mapped when a mapping is given. Reads only the file.
    pub fn preview_import(&mut self, path: &Path, mapping: Option<&ImportMapping>) -> ClinicResult<ImportPreview> {
        let mut authorized = self.authorize(Permission::ImportPatients, AuditAction::Import)?;
        check_import_policy(&mut authorized, AuditAction::Import)?;
        let table = read_csv(path)?;
        let sample: Vec<&csv::StringRecord> = table.rows.iter().take(PREVIEW_ROWS).map(|(_, record)| record).collect();
        let synthea = ImportMapping::synthea();
        let suggested_mapping = synthea.missing_columns(&table.headers).is_empty().then(|| SYNTHEA_MAPPING.to_owned());
        Ok(ImportPreview {
            rows: table.rows.len() as u64,
            sample: sample.iter().map(|record| record.iter().map(str::to_owned).collect()).collect(),
            mapped: mapping.map_or_else(Vec::new, |mapping| {
                sample.iter().map(|record| draft_from(mapping, &table.headers, record)).collect()
            }),
            headers: table.headers,
            suggested_mapping,
        })
    }

    /// Checks every row without importing: invalid rows with their line and reason, and
    /// probable duplicates within the file and against existing patients.
    pub fn dry_run_import(
        &mut self,
        path: &Path,
        mapping: &ImportMapping,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> ClinicResult<ImportReport> {
        let mut authorized = self.authorize(Permission::ImportPatients, AuditAction::Import)?;
        check_import_policy(&mut authorized, AuditAction::Import)?;
        let table = read_csv(path)?;
        let today = authorized.now().date();
        let analysis = analyse(authorized.connection(), &table, mapping, today, progress)?;
        let report = report_of(table.rows.len() as u64, &analysis);
        authorized.record(
            &AuditEvent::success(AuditAction::Import)
                .category("demographics")
                .reason("dry_run")
                .detail("rows", Detail::Count(report.rows))
                .detail("invalid", Detail::Count(report.problems.len() as u64))
                .detail("probable_duplicates", Detail::Count(report.duplicates.len() as u64)),
        )?;
        Ok(report)
    }

    /// Imports the file in one transaction: all valid rows or nothing. Invalid rows stop the
    /// import unless `skip_invalid_rows`; probable duplicates are imported flagged for review.
    pub fn import_patients(
        &mut self,
        path: &Path,
        mapping: &ImportMapping,
        skip_invalid_rows: bool,
        progress: &mut dyn FnMut(u64, u64) -> bool,
    ) -> ClinicResult<ImportSummary> {
        let mut authorized = self.authorize(Permission::ImportPatients, AuditAction::Import)?;
        check_import_policy(&mut authorized, AuditAction::Import)?;
        let table = read_csv(path)?;
        let now = authorized.now();
        let user_id = authorized.user().id.clone();
        let change = authorized.begin_change()?;
        let analysis = analyse(change.connection(), &table, mapping, now.date(), progress)?;
        let invalid_rows =
            analysis.problems.iter().map(|problem| problem.line).collect::<std::collections::BTreeSet<_>>();
        if !invalid_rows.is_empty() && !skip_invalid_rows {
            return Err(ClinicError::invalid(
                "file",
                format!(
                    "{} rows are not valid (the first on line {}). Run the check to see them all, correct the file, or choose to leave those rows out.",
                    invalid_rows.len(),
                    invalid_rows.first().copied().unwrap_or_default()
                ),
            ));
        }
        let imported = save(change.connection(), &analysis, &user_id, &timestamp(now))?;
        chartkeep_vault::failpoints::hit("import.rows-written")?;
        let summary = ImportSummary {
            imported,
            flagged_for_review: analysis.duplicates.len() as u64,
            skipped_invalid: invalid_rows.len() as u64,
        };
        change.commit(
            &AuditEvent::success(AuditAction::Import)
                .category("demographics")
                .reason("csv")
                .detail("imported", Detail::Count(summary.imported))
                .detail("flagged_for_review", Detail::Count(summary.flagged_for_review))
                .detail("skipped_invalid", Detail::Count(summary.skipped_invalid)),
        )?;
        tracing::info!(imported = summary.imported, "patients were imported");
        Ok(summary)
    }

    /// The names of the saved mappings, the built-in Synthea mapping first.
    pub fn import_mapping_names(&mut self) -> ClinicResult<Vec<String>> {
        let authorized = self.authorize(Permission::ImportPatients, AuditAction::Import)?;
        let mut names = vec![SYNTHEA_MAPPING.to_owned()];
        let saved = store::import_mappings::names(authorized.connection())?;
        names.extend(saved);
        Ok(names)
    }

    pub fn import_mapping(&mut self, name: &str) -> ClinicResult<ImportMapping> {
        let authorized = self.authorize(Permission::ImportPatients, AuditAction::Import)?;
        if name == SYNTHEA_MAPPING {
            return Ok(ImportMapping::synthea());
        }
        let json = store::import_mappings::by_name(authorized.connection(), name)?;
        let json = json.ok_or(ClinicError::NotFound("That mapping"))?;
        serde_json::from_str(&json).map_err(|_| ClinicError::Internal("A saved mapping could not be read."))
    }

    /// Saves (or replaces) a mapping under a name.
    pub fn save_import_mapping(&mut self, name: &str, mapping: &ImportMapping) -> ClinicResult<()> {
        let mut authorized = self.authorize(Permission::ImportPatients, AuditAction::Update)?;
        let name = crate::validation::required_text("name", "mapping name", name, 60)?;
        if name == SYNTHEA_MAPPING {
            return Err(ClinicError::invalid("name", "That name belongs to the built-in Synthea mapping."));
        }
        let json =
            serde_json::to_string(mapping).map_err(|_| ClinicError::Internal("The mapping could not be saved."))?;
        let user_id = authorized.user().id.clone();
        let now = timestamp(authorized.now());
        let change = authorized.begin_change()?;
        store::import_mappings::save(change.connection(), &name, &json, &user_id, &now)?;
        change.commit(
            &AuditEvent::success(AuditAction::Update).category("import_mappings").object("import_mapping", &name),
        )?;
        Ok(())
    }
}
