//! Importing patients from a CSV file (a spreadsheet, another system's export, Synthea): read
//! the headers and a sample, check every row (a dry run lists each invalid row with its line and
//! reason, and each probable duplicate among the file and against existing patients), then
//! import all in one transaction. Duplicates are flagged for the Owner's review, never merged.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;
use time::Date;

use super::PatientId;
use super::duplicates::{DuplicateProbe, DuplicateSign, compare_names, probable_duplicates, swapped_day_and_month};
use super::import_mapping::{ImportMapping, draft_from, same_column};
use super::record::PatientDetails;
use super::search_keys::{phone_digits, phone_key};
use super::store::{self, VersionChange, VersionStamp};
use crate::error::{ClinicError, ClinicResult};

/// The most rows one file may hold.
pub const IMPORT_ROW_LIMIT: usize = 1_000_000;
/// The largest file an import reads: far more than a million patients' rows, and small enough
/// that a file chosen by mistake (a disk image, `/dev/zero`) is refused before it is read.
pub const IMPORT_FILE_LIMIT_BYTES: u64 = 200 * 1024 * 1024;
/// How many rows a preview shows.
pub const PREVIEW_ROWS: usize = 20;

/// A CSV file read whole: its headers and its records with the line each starts on.
pub(crate) struct CsvTable {
    pub headers: Vec<String>,
    pub rows: Vec<(u64, csv::StringRecord)>,
}

fn file_error(message: impl Into<String>) -> ClinicError {
    ClinicError::invalid("file", message)
}

/// Reads a whole plain file of at most [`IMPORT_FILE_LIMIT_BYTES`]; a device, a folder, a pipe or
/// a larger file is refused before anything is read. The limit holds while reading too, for a
/// file that grows meanwhile.
fn read_limited(path: &Path) -> ClinicResult<Vec<u8>> {
    use std::io::Read as _;
    let unreadable = |error: std::io::Error| file_error(format!("The file could not be read: {error}."));
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(file_error("That is not a plain file. Choose the CSV file itself."));
    }
    let too_large = || {
        file_error(format!(
            "The file is larger than {} MB, the most an import reads. Split it into smaller files.",
            IMPORT_FILE_LIMIT_BYTES / (1024 * 1024)
        ))
    };
    if meta.len() > IMPORT_FILE_LIMIT_BYTES {
        return Err(too_large());
    }
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(IMPORT_FILE_LIMIT_BYTES + 1).read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > IMPORT_FILE_LIMIT_BYTES {
        return Err(too_large());
    }
    Ok(bytes)
}

/// Reads a CSV file: UTF-8 (with or without a byte order mark), quoted fields with commas and
/// line breaks, rows shorter than the header (missing trailing columns are empty).
pub(crate) fn read_csv(path: &Path) -> ClinicResult<CsvTable> {
    parse_csv(&read_limited(path)?)
}

/// Reads a CSV file's bytes, as [`read_csv`] does once it has them.
pub(crate) fn parse_csv(bytes: &[u8]) -> ClinicResult<CsvTable> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(file_error("The file is in UTF-16. Save it as \"CSV UTF-8\" and choose it again."));
    }
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
    let headers: Vec<String> = reader
        .headers()
        .map_err(|_| file_error("The first line (the column names) is not readable UTF-8 text."))?
        .iter()
        .map(|header| header.trim().to_owned())
        .collect();
    if headers.iter().all(String::is_empty) {
        return Err(file_error("The file is empty: its first line should name the columns."));
    }
    let mut rows = Vec::new();
    // Line numbers as people see them (the header is line 1), counted from each record's byte
    // offset: the csv crate's own count is one short after CRLF line endings.
    let mut counted = LineCounter::default();
    for record in reader.records() {
        let record = record.map_err(|error| {
            let line = error.position().map_or(0, |position| counted.line_at(bytes, position.byte()));
            file_error(format!("Line {line} could not be read (it must be UTF-8 text): save the file as CSV UTF-8."))
        })?;
        if record.iter().all(|field| field.trim().is_empty()) {
            continue;
        }
        let line = record.position().map_or(0, |position| counted.line_at(bytes, position.byte()));
        rows.push((line, record));
        if rows.len() > IMPORT_ROW_LIMIT {
            return Err(file_error(format!("A file can hold at most {IMPORT_ROW_LIMIT} patients; split it.")));
        }
    }
    Ok(CsvTable { headers, rows })
}

/// Counts line breaks up to increasing byte offsets, without going over the file twice.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    breaks: u64,
}

impl LineCounter {
    fn line_at(&mut self, bytes: &[u8], offset: u64) -> u64 {
        let mut offset = usize::try_from(offset).unwrap_or(usize::MAX).min(bytes.len());
        // After CRLF the csv crate reports a record as starting at the LF before it.
        while offset < bytes.len() && matches!(bytes[offset], b'\r' | b'\n') {
            offset += 1;
        }
        if offset >= self.offset {
            self.breaks += line_breaks(bytes, self.offset..offset);
            self.offset = offset;
        }
        self.breaks + 1
    }
}

/// The line breaks in `range` of `bytes`, as the csv crate reads them: CRLF, LF, and a lone CR
/// (old Mac files) each end a line. The byte after the range tells a CR of CRLF apart.
pub(crate) fn line_breaks(bytes: &[u8], range: std::ops::Range<usize>) -> u64 {
    range
        .filter(|&at| match bytes[at] {
            b'\n' => true,
            b'\r' => bytes.get(at + 1) != Some(&b'\n'),
            _ => false,
        })
        .count() as u64
}

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportProblem {
    pub line: u64,
    pub field: String,
    pub message: String,
}

/// A row that is probably a patient already registered, or another row of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportDuplicate {
    pub line: u64,
    pub signs: Vec<DuplicateSign>,
    /// The MRN of the existing record it resembles.
    pub existing_mrn: Option<String>,
    /// The earlier line of the file it resembles.
    pub other_line: Option<u64>,
}

/// What the rows of a file would become.
pub(crate) struct Analysis {
    pub valid: Vec<(u64, PatientDetails)>,
    pub problems: Vec<ImportProblem>,
    pub duplicates: Vec<ImportDuplicate>,
}

/// The rows seen so far, by date of birth and phone key, to find duplicates within the file.
#[derive(Default)]
struct SeenRows {
    by_birth: HashMap<Date, Vec<(u64, String, String)>>,
    by_phone: HashMap<String, u64>,
}

impl SeenRows {
    fn duplicates_of(&self, probe: &DuplicateProbe) -> Option<(u64, DuplicateSign)> {
        let born = probe.date_of_birth?;
        for (line, family, given) in self.by_birth.get(&born).into_iter().flatten() {
            if let Some(sign) = compare_names(&probe.family_name, &probe.given_names, family, given, false) {
                return Some((*line, sign));
            }
        }
        let swapped = swapped_day_and_month(born).and_then(|swapped| self.by_birth.get(&swapped));
        for (line, family, given) in swapped.into_iter().flatten() {
            if compare_names(&probe.family_name, &probe.given_names, family, given, true).is_some() {
                return Some((*line, DuplicateSign::DayAndMonthSwapped));
            }
        }
        probe.phones.iter().map(|phone| phone_key(&phone_digits(phone))).find_map(|key| {
            (key.len() >= 6).then(|| self.by_phone.get(&key).map(|line| (*line, DuplicateSign::SamePhone))).flatten()
        })
    }

    fn add(&mut self, line: u64, probe: &DuplicateProbe) {
        if let Some(born) = probe.date_of_birth {
            self.by_birth.entry(born).or_default().push((line, probe.family_name.clone(), probe.given_names.clone()));
        }
        for phone in &probe.phones {
            let key = phone_key(&phone_digits(phone));
            if key.len() >= 6 {
                self.by_phone.entry(key).or_insert(line);
            }
        }
    }
}

/// Checks every row: validity, and probable duplicates within the file and against the
/// practice's patients. `progress` hears how many rows are done; when it answers `false` the
/// check stops with a "cancelled" error.
pub(crate) fn analyse(
    connection: &rusqlite::Connection,
    table: &CsvTable,
    mapping: &ImportMapping,
    today: Date,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> ClinicResult<Analysis> {
    let missing = mapping.missing_columns(&table.headers);
    if !missing.is_empty() {
        return Err(ClinicError::invalid("mapping", format!("The file has no column named {}.", missing.join(", "))));
    }
    if !mapping.columns.iter().any(|mapped| table.headers.iter().any(|header| same_column(header, &mapped.column))) {
        return Err(ClinicError::invalid("mapping", "None of the mapped columns is in the file."));
    }
    let mut analysis = Analysis { valid: Vec::new(), problems: Vec::new(), duplicates: Vec::new() };
    let mut seen = SeenRows::default();
    let total = table.rows.len() as u64;
    for (index, (line, record)) in table.rows.iter().enumerate() {
        if index % 500 == 0 && !progress(index as u64, total) {
            return Err(ClinicError::invalid("file", "The import was cancelled. Nothing was imported."));
        }
        let draft = draft_from(mapping, &table.headers, record);
        let details = match draft.validate(super::DateOrder::DayFirst, today) {
            Ok(details) => details,
            Err(error) => {
                for problem in error.field_errors() {
                    analysis.problems.push(ImportProblem {
                        line: *line,
                        field: problem.field.to_owned(),
                        message: problem.message,
                    });
                }
                continue;
            }
        };
        let probe = DuplicateProbe {
            family_name: details.family_name.clone(),
            given_names: details.given_names.clone(),
            date_of_birth: details.date_of_birth(),
            phones: details.phones.iter().map(|phone| phone.number.clone()).collect(),
        };
        if let Some(existing) = probable_duplicates(connection, &probe, None)?.into_iter().next() {
            let mrn = store::by_number(connection, existing.number)?.map(|row| row.mrn);
            analysis.duplicates.push(ImportDuplicate {
                line: *line,
                signs: existing.signs,
                existing_mrn: mrn,
                other_line: None,
            });
        } else if let Some((other_line, sign)) = seen.duplicates_of(&probe) {
            analysis.duplicates.push(ImportDuplicate {
                line: *line,
                signs: vec![sign],
                existing_mrn: None,
                other_line: Some(other_line),
            });
        }
        seen.add(*line, &probe);
        analysis.valid.push((*line, details));
    }
    progress(total, total);
    Ok(analysis)
}

/// Saves the valid rows in the caller's transaction, flagging the probable duplicates for
/// review beside the record each resembles; returns how many were saved.
pub(crate) fn save(
    connection: &rusqlite::Connection,
    analysis: &Analysis,
    user_id: &str,
    at: &str,
) -> ClinicResult<u64> {
    let rows: Vec<PatientDetails> = analysis.valid.iter().map(|(_, details)| details.clone()).collect();
    let stamp = VersionStamp { change: VersionChange::Imported, reason: None, user_id, at };
    let ids = store::insert_many(connection, &rows, &stamp)?;
    let id_of_line: std::collections::HashMap<u64, &PatientId> =
        analysis.valid.iter().map(|(line, _)| *line).zip(ids.iter()).collect();
    for duplicate in &analysis.duplicates {
        let Some(id) = id_of_line.get(&duplicate.line) else { continue };
        let resembles = match (&duplicate.existing_mrn, duplicate.other_line) {
            (Some(mrn), _) => store::id_by_mrn(connection, mrn)?,
            (None, Some(other_line)) => id_of_line.get(&other_line).map(|id| (*id).clone()),
            (None, None) => None,
        };
        store::flag_for_duplicate_review(connection, id, resembles.as_ref())?;
    }
    Ok(ids.len() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_those_where_records_start_counting_the_header_as_line_1() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("lines.csv");
        for text in ["\u{feff}a,b\r\n1,\"x\ny\"\r\n2,z\r\n", "a,b\n1,\"x\ny\"\n2,z\n"] {
            std::fs::write(&path, text).unwrap();
            let table = read_csv(&path).unwrap();
            assert_eq!(table.headers, ["a", "b"]);
            let lines: Vec<u64> = table.rows.iter().map(|(line, _)| *line).collect();
            assert_eq!(lines, [2, 4], "{text:?}");
        }
    }

    /// Found by the `csv_import` fuzz target: the csv crate ends a record at a lone CR (as old
    /// Mac files end lines), but only LFs were counted, so rows were named by a wrong line (two
    /// rows by the same one, every row of a CR-only file by line 1).
    #[test]
    fn a_lone_carriage_return_ends_a_line_as_it_ends_a_record() {
        let table = parse_csv(b"a,b\r1,x\r2,\"y\r\nz\"\r\n3,w\n\r4,v").unwrap();
        let lines: Vec<u64> = table.rows.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, [2, 3, 5, 7]);
    }
}
