//! Importing patients from CSV: the file's quirks (byte order mark, quoted commas and line
//! breaks, empty optional columns, UTF-16), row problems named by line, duplicates flagged and
//! never merged, one transaction (cancel leaves nothing), the role policy, and a file of 10^5 rows.

use std::path::{Path, PathBuf};

use chartkeep_clinic::patients::{ColumnDateFormat, ColumnMapping, ImportField, ImportMapping, VersionChange};
use chartkeep_clinic::{ErrorCode, Role, Session};

use super::patients::{draft, register};
use super::{ManualClock, Practice, count_audit_entries, create_user, first_sign_in, new_practice_on};

fn write(practice: &Practice, name: &str, bytes: &[u8]) -> PathBuf {
    let path = practice.folder.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

fn mapping() -> ImportMapping {
    let column = |column: &str, field, date_format, optional| ColumnMapping {
        column: column.into(),
        field,
        date_format,
        optional,
    };
    ImportMapping {
        columns: vec![
            column("Surname", ImportField::FamilyName, None, false),
            column("First names", ImportField::GivenNames, None, false),
            column("Born", ImportField::DateOfBirth, Some(ColumnDateFormat::DayFirst), false),
            column("Mobile", ImportField::MobilePhone, None, true),
            column("Address", ImportField::AddressLine1, None, true),
        ],
        strip_name_digits: false,
    }
}

fn keep_going(_: u64, _: u64) -> bool {
    true
}

/// The owner of a new practice (importing is the Owner's by default).
fn owner() -> (Practice, chartkeep_clinic::Workstation, Session) {
    new_practice_on(ManualClock::new())
}

const SPREADSHEET: &str = "\u{feff}Surname,First names,Born,Mobile,Address\r\n\
Müller,Anna,07.03.1984,+43 664 1234567,\"Hauptstraße 1, 2nd floor\"\r\n\
O'Neil,Siobhán,20/05/2001,,\"Flat 2\nRiverside House\"\r\n\
Okafor,Ada,02/01/1970,,\r\n";

#[test]
fn a_spreadsheet_with_a_bom_quotes_and_line_breaks_imports_as_it_should() {
    let (practice, workstation, mut owner) = owner();
    let path = write(&practice, "patients.csv", SPREADSHEET.as_bytes());
    let preview = owner.preview_import(&path, Some(&mapping())).unwrap();
    assert_eq!(preview.headers[0], "Surname", "the byte order mark is not part of the first header");
    assert_eq!((preview.rows, preview.sample.len(), preview.mapped.len()), (3, 3, 3));
    assert_eq!(
        (preview.mapped[1].address.line1.as_str(), preview.mapped[1].address.line2.as_str()),
        ("Flat 2", "Riverside House")
    );
    assert_eq!(preview.suggested_mapping, None);

    let report = owner.dry_run_import(&path, &mapping(), &mut keep_going).unwrap();
    assert_eq!((report.rows, report.valid), (3, 3), "{report:?}");
    assert!(report.problems.is_empty() && report.duplicates.is_empty(), "{report:?}");
    let summary = owner.import_patients(&path, &mapping(), false, &mut keep_going).unwrap();
    assert_eq!((summary.imported, summary.flagged_for_review, summary.skipped_invalid), (3, 0, 0));

    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);
    let found = desk.search_patients("mull").unwrap().patients;
    assert_eq!(found.len(), 1);
    // Imported records are found by two names as well (their name pairs were written too).
    assert_eq!(desk.search_patients("an mü").unwrap().patients[0].id, found[0].id);
    assert_eq!(desk.search_patients("si ne").unwrap().patients[0].family_name, "O'Neil");
    let anna = desk.open_patient(&found[0].id, "search").unwrap();
    assert_eq!(anna.details.date_of_birth, "1984-03-07");
    assert_eq!(anna.details.address.line1, "Hauptstraße 1, 2nd floor");
    assert_eq!(desk.patient_history(&anna.id).unwrap()[0].change, VersionChange::Imported);
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(
        count_audit_entries(&practice, "action = 'import' AND reason = 'csv' AND details LIKE '%\"imported\":3%'"),
        1
    );
    assert_eq!(count_audit_entries(&practice, "action = 'import' AND reason = 'dry_run'"), 1);
    assert!(super::name_search::assert_pairs_follow_tokens(&practice) > 0);
}

#[test]
fn bad_rows_are_named_by_line_and_stop_the_import_unless_left_out() {
    let (practice, _workstation, mut owner) = owner();
    let text = "Surname,First names,Born\nGood,Row,01/02/1980\nBad,Date,31/02/1980\n,No surname,01/01/1990\nFuture,Born,01/01/2099\n";
    let path = write(&practice, "bad.csv", text.as_bytes());
    let report = owner.dry_run_import(&path, &mapping(), &mut keep_going).unwrap();
    let problems: Vec<(u64, &str)> =
        report.problems.iter().map(|problem| (problem.line, problem.field.as_str())).collect();
    assert_eq!(problems, [(3, "date_of_birth"), (4, "family_name"), (5, "date_of_birth")]);
    let refused = owner.import_patients(&path, &mapping(), false, &mut keep_going).unwrap_err();
    assert!(refused.to_string().contains("line 3"), "{refused}");
    let summary = owner.import_patients(&path, &mapping(), true, &mut keep_going).unwrap();
    assert_eq!((summary.imported, summary.skipped_invalid), (1, 3));
}

#[test]
fn a_file_without_a_required_column_or_in_utf_16_is_refused_with_a_plain_reason() {
    let (practice, _workstation, mut owner) = owner();
    let no_birth = write(&practice, "no-birth.csv", b"Surname,First names\nOkafor,Ada\n");
    let error = owner.dry_run_import(&no_birth, &mapping(), &mut keep_going).unwrap_err();
    assert_eq!(error.field(), Some("mapping"));
    assert!(error.to_string().contains("Born"), "{error}");
    let utf16: Vec<u8> =
        [0xFF, 0xFE].into_iter().chain("Surname\n".encode_utf16().flat_map(u16::to_le_bytes)).collect();
    let error = owner.preview_import(&write(&practice, "utf16.csv", &utf16), None).unwrap_err();
    assert!(error.to_string().contains("UTF-16"), "{error}");
    let latin1 = write(&practice, "latin1.csv", b"Surname,First names,Born\nM\xfcller,Anna,07.03.1984\n");
    let error = owner.dry_run_import(&latin1, &mapping(), &mut keep_going).unwrap_err();
    assert!(error.to_string().contains("Line 2"), "{error}");
}

#[test]
fn probable_duplicates_in_the_file_and_in_the_practice_are_flagged_for_review_never_merged() {
    let (practice, workstation, mut owner) = owner();
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);
    register(&mut desk, &draft("Jones", "Martha", "1950-10-20"));
    let text = "Surname,First names,Born\nJones,Martha,20.10.1950\nSmith,John,01/01/1960\nSmyth,Jon,01/01/1960\n";
    let path = write(&practice, "dupes.csv", text.as_bytes());
    let report = owner.dry_run_import(&path, &mapping(), &mut keep_going).unwrap();
    let flagged: Vec<(u64, Option<u64>, bool)> =
        report.duplicates.iter().map(|d| (d.line, d.other_line, d.existing_mrn.is_some())).collect();
    assert_eq!(flagged, [(2, None, true), (4, Some(3), false)]);
    let summary = owner.import_patients(&path, &mapping(), false, &mut keep_going).unwrap();
    assert_eq!((summary.imported, summary.flagged_for_review), (3, 2));
    let queue: Vec<(String, Option<String>)> = owner
        .duplicate_review_queue()
        .unwrap()
        .into_iter()
        .map(|item| (item.flagged.family_name, item.resembles.map(|other| other.family_name)))
        .collect();
    let expected = [("Jones", Some("Jones")), ("Smyth", Some("Smith"))];
    assert_eq!(queue, expected.map(|(flagged, like)| (flagged.to_owned(), like.map(str::to_owned))));
    assert_eq!(desk.search_patients("jones").unwrap().patients.len(), 2, "both kept, nothing merged");

    // The Owner merges the Smyth row into the Smith row: it leaves the list, and the Owner (who
    // reads no patients otherwise) sees the merge with both records named.
    let smyth = owner.duplicate_review_queue().unwrap().pop().unwrap();
    let smith = smyth.resembles.unwrap();
    let merge = owner.merge_patients(&smith.id, &smyth.flagged.id).unwrap();
    let remaining: Vec<String> =
        owner.duplicate_review_queue().unwrap().into_iter().map(|item| item.flagged.family_name).collect();
    assert_eq!(remaining, ["Jones"], "a merge settles the flag");
    let listed = owner.patient_merges(&smith.id).unwrap();
    assert_eq!(listed, std::slice::from_ref(&merge));
    assert_eq!(
        (merge.survivor_mrn.as_str(), merge.merged_mrn.as_str()),
        (smith.mrn.as_str(), smyth.flagged.mrn.as_str())
    );
    assert_eq!((merge.survivor_name.as_str(), merge.merged_name.as_str()), ("Smith, John", "Smyth, Jon"));
    assert!(merge.merged_by.ends_with("(aokafor)"), "the Owner named as Full name (username): {}", merge.merged_by);
    desk.log_out().unwrap();
}

#[test]
fn a_cancelled_import_leaves_nothing_and_the_front_desk_imports_only_when_allowed() {
    let (practice, workstation, mut owner) = owner();
    let path = write(&practice, "patients.csv", SPREADSHEET.as_bytes());
    let mut cancel = |_: u64, _: u64| false;
    assert!(owner.import_patients(&path, &mapping(), false, &mut cancel).is_err());
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let mut desk = first_sign_in(&workstation, "desk", &issued);
    assert!(desk.search_patients("okafor").unwrap().patients.is_empty(), "a cancelled import saved nothing");
    assert_eq!(desk.dry_run_import(&path, &mapping(), &mut keep_going).unwrap_err().code(), ErrorCode::Forbidden);
    let mut settings = owner.access_settings().unwrap();
    for policy in &mut settings.role_policies {
        policy.import_allowed = true;
    }
    owner.update_access_settings(&settings).unwrap();
    assert_eq!(desk.import_patients(&path, &mapping(), false, &mut keep_going).unwrap().imported, 3);
}

#[test]
fn mappings_are_saved_by_name_beside_the_synthea_preset_which_reads_synthea_files() {
    let (practice, _workstation, mut owner) = owner();
    owner.save_import_mapping("Old system", &mapping()).unwrap();
    assert_eq!(owner.import_mapping_names().unwrap(), ["synthea", "Old system"]);
    assert_eq!(owner.import_mapping("Old system").unwrap(), mapping());
    assert_eq!(owner.save_import_mapping("synthea", &mapping()).unwrap_err().field(), Some("name"));
    let synthea = "Id,BIRTHDATE,DEATHDATE,SSN,DRIVERS,PASSPORT,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP,LAT,LON,HEALTHCARE_EXPENSES,HEALTHCARE_COVERAGE\n\
b81e4d70-2c93-4f5a-8e0b-6a1d3c9f2e47,1941-11-23,2019-06-02,999-83-1059,S99978841,X12290554X,Mr.,José Eduardo181,Ortega866,,,M,white,hispanic,M,Ponce  Puerto Rico  PR,1060 Kuhic Crossroad,Springfield,Massachusetts,Hampden County,01104,42.08,-72.48,1290457.12,905311.4\n";
    let path = write(&practice, "patients-synthea.csv", synthea.as_bytes());
    let preview = owner.preview_import(&path, Some(&ImportMapping::synthea())).unwrap();
    assert_eq!(preview.suggested_mapping.as_deref(), Some("synthea"), "an older Synthea layout, without MIDDLE");
    assert_eq!(preview.mapped[0].given_names, "José Eduardo");
    let summary = owner.import_patients(&path, &ImportMapping::synthea(), false, &mut keep_going).unwrap();
    assert_eq!(summary.imported, 1);
}

/// A CSV of `rows` synthetic patients, none alike.
pub fn large_file(folder: &Path, rows: usize) -> PathBuf {
    let mut text = String::from("Surname,First names,Born,Mobile\n");
    for row in 0..rows {
        let born = time::macros::date!(1930 - 01 - 01) + time::Duration::days((row % 30_000) as i64);
        let (day, month, year) = (born.day(), u8::from(born.month()), born.year());
        text.push_str(&format!("Family{row},Given{},{day:02}/{month:02}/{year},+1 555 {row:07}\n", row / 7));
    }
    let path = folder.join(format!("large-{rows}.csv"));
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn a_file_of_a_hundred_thousand_rows_imports_in_one_go() {
    let (practice, _workstation, mut owner) = owner();
    let path = large_file(practice.folder.path(), 100_000);
    let mut calls = 0;
    let mut counting = |done: u64, total: u64| {
        calls += 1;
        assert!(done <= total && total == 100_000);
        true
    };
    let summary = owner.import_patients(&path, &mapping(), false, &mut counting).unwrap();
    assert_eq!(summary.imported, 100_000);
    assert!(calls > 100, "progress is reported as it goes");
}
