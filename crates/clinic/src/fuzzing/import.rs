//! The CSV import's target: random files with random mappings, checked against a practice.

use std::cell::RefCell;
use std::sync::Arc;

use chartkeep_vault::fuzzing::{MemoryKeyring, scratch_folder};
use chartkeep_vault::{DataDir, KdfChoice, KdfParams, Password};

use crate::audit::AuditAction;
use crate::clock::SystemClock;
use crate::error::{ClinicError, ErrorCode};
use crate::patients::import::{CsvTable, analyse, parse_csv};
use crate::patients::{ColumnDateFormat, ColumnMapping, ImportField, ImportMapping, PatientDraft, PhoneDraft};
use crate::permissions::Permission;
use crate::roles::Role;
use crate::session::Session;
use crate::setup::PracticeSetup;
use crate::workstation::Workstation;

/// Every import field, for mappings made from bytes.
const FIELDS: [ImportField; 24] = [
    ImportField::FamilyName,
    ImportField::GivenNames,
    ImportField::MiddleName,
    ImportField::PreferredName,
    ImportField::DateOfBirth,
    ImportField::Sex,
    ImportField::GenderIdentity,
    ImportField::MobilePhone,
    ImportField::HomePhone,
    ImportField::WorkPhone,
    ImportField::Email,
    ImportField::AddressLine1,
    ImportField::AddressLine2,
    ImportField::City,
    ImportField::Region,
    ImportField::PostalCode,
    ImportField::Country,
    ImportField::EmergencyContactName,
    ImportField::EmergencyContactRelationship,
    ImportField::EmergencyContactPhone,
    ImportField::InsurancePayer,
    ImportField::InsuranceMemberId,
    ImportField::Note,
    ImportField::DateOfDeath,
];

/// Column names a mapping may name that a file may lack.
const OTHER_COLUMNS: [&str; 6] = ["LAST", "BIRTHDATE", "", " Date of birth ", "TÉLÉPHONE", "ZIP"];

/// A mapping from bytes, three per column: which column (one of the file's, or another name),
/// which field, and how dates are written and whether the column may be missing.
fn mapping_from(spec: &[u8], headers: &[String], strip_name_digits: bool) -> ImportMapping {
    let columns = spec
        .chunks(3)
        .map(|chunk| {
            let pick = usize::from(chunk[0]);
            let field = usize::from(chunk.get(1).copied().unwrap_or(0));
            let flags = chunk.get(2).copied().unwrap_or(0);
            let column = match headers.get(pick % headers.len().max(1)) {
                Some(header) if pick < 0x80 => header.clone(),
                _ => OTHER_COLUMNS[pick % OTHER_COLUMNS.len()].to_owned(),
            };
            ColumnMapping {
                column,
                field: FIELDS[field % FIELDS.len()],
                date_format: match flags & 3 {
                    0 => None,
                    1 => Some(ColumnDateFormat::Iso),
                    2 => Some(ColumnDateFormat::DayFirst),
                    _ => Some(ColumnDateFormat::MonthFirst),
                },
                optional: flags & 4 != 0,
            }
        })
        .collect();
    ImportMapping { columns, strip_name_digits }
}

/// A refusal of an import: plain words, with the code the UI branches on, naming the file or the
/// mapping.
fn assert_import_refusal(error: &ClinicError) {
    assert_eq!(error.code(), ErrorCode::InvalidInput, "an import refused with another code: {error:?}");
    let fields = error.field_errors();
    assert!(
        fields.iter().all(|field| matches!(field.field, "file" | "mapping") && !field.message.is_empty()),
        "an import refusal that names neither the file nor the mapping: {error:?}"
    );
}

/// A practice for the import target: set up once per thread, with a few synthetic patients for
/// the duplicate checks, its keyring in memory.
struct FuzzPractice {
    session: Session,
    _workstation: Workstation,
    _folder: tempfile::TempDir,
}

fn synthetic_patient(family: &str, given: &str, born: &str, phone: &str) -> PatientDraft {
    PatientDraft {
        family_name: family.into(),
        given_names: given.into(),
        date_of_birth: born.into(),
        phones: vec![PhoneDraft { kind: "mobile".into(), number: phone.into() }],
        ..PatientDraft::default()
    }
}

fn new_practice() -> FuzzPractice {
    let folder = scratch_folder();
    let data_dir = DataDir::at(folder.path().join("practice"));
    let Ok(workstation) = Workstation::open(&data_dir, Box::new(MemoryKeyring::default()), Arc::new(SystemClock))
    else {
        panic!("a workstation")
    };
    let setup = PracticeSetup {
        practice_name: "Synthetic Fuzzing Practice".into(),
        owner_full_name: "Dana Synthetic".into(),
        owner_username: "dana".into(),
        owner_password: Password::new("synthetic fuzzing password"),
    };
    let created = match workstation.set_up_practice(&setup, KdfChoice::Explicit(KdfParams::INSECURE_FOR_TESTS)) {
        Ok(created) => created,
        Err(error) => panic!("setting up a practice: {error}"),
    };
    let mut session = created.session;
    let Ok(mut settings) = session.access_settings() else { panic!("the access settings") };
    for policy in &mut settings.role_policies {
        policy.mfa_required = false;
    }
    assert!(session.update_access_settings(&settings).is_ok(), "no second factor for the fuzzing practice");
    // The Owner registers no patients; at the front desk too, after signing in again, she does.
    let owner_id = session.user().id.clone();
    assert!(session.change_roles(&owner_id, &[Role::Owner, Role::FrontDesk]).is_ok(), "the front desk too");
    assert!(session.log_out().is_ok(), "signing out");
    let Ok(mut session) = workstation.log_in("dana", &setup.owner_password) else { panic!("signing in again") };
    for draft in [
        synthetic_patient("Okafor", "Amara", "1984-03-07", "+43 664 1234567"),
        synthetic_patient("Müller", "Jonas Peter", "1990-07-03", "0664 7654321"),
        synthetic_patient("Ortega", "José Eduardo", "1941-11-23", "555 0100 200"),
    ] {
        if let Err(error) = session.register_patient(&draft, &[]) {
            panic!("registering a synthetic patient: {error}");
        }
    }
    FuzzPractice { session, _workstation: workstation, _folder: folder }
}

fn with_practice<T>(work: impl FnOnce(&mut Session) -> T) -> T {
    thread_local! {
        static PRACTICE: RefCell<Option<FuzzPractice>> = const { RefCell::new(None) };
    }
    PRACTICE.with(|cell| {
        let mut practice = cell.borrow_mut();
        work(&mut practice.get_or_insert_with(new_practice).session)
    })
}

/// What must hold of a dry run's findings: each row is either valid or has its problems, each
/// named by the row's line; duplicates point at valid rows before them.
fn check_analysis(table: &CsvTable, analysis: &crate::patients::import::Analysis, csv: &[u8]) {
    let lines: Vec<u64> = table.rows.iter().map(|(line, _)| *line).collect();
    let last_line = crate::patients::import::line_breaks(csv, 0..csv.len()) + 1;
    assert!(lines.windows(2).all(|pair| pair[0] < pair[1]), "rows out of order: {lines:?}");
    assert!(lines.iter().all(|line| (2..=last_line).contains(line)), "a row's line is not in the file: {lines:?}");
    let valid: std::collections::BTreeSet<u64> = analysis.valid.iter().map(|(line, _)| *line).collect();
    let invalid: std::collections::BTreeSet<u64> = analysis.problems.iter().map(|problem| problem.line).collect();
    assert!(valid.is_disjoint(&invalid), "a row both valid and invalid");
    assert_eq!(valid.len() + invalid.len(), lines.len(), "a row was neither valid nor refused");
    for problem in &analysis.problems {
        assert!(!problem.field.is_empty() && !problem.message.is_empty(), "a problem without words");
    }
    for (_, details) in &analysis.valid {
        assert!(details.date_of_birth().is_some(), "a valid row without a date of birth");
        assert!(!details.family_name.is_empty(), "a valid row without a family name");
    }
    for duplicate in &analysis.duplicates {
        assert!(valid.contains(&duplicate.line), "a duplicate that is no valid row");
        assert!(!duplicate.signs.is_empty(), "a duplicate without a sign");
        if let Some(other) = duplicate.other_line {
            assert!(valid.contains(&other) && other < duplicate.line, "a duplicate of a row not before it");
        }
    }
}

/// CSV import with a mapping: random text and random mappings are read, mapped and checked row
/// by row without a panic, and every refusal is a plain `invalid_input` naming the file, the
/// mapping, or a row by its line. The first byte: `0xff` for the Synthea preset, otherwise the
/// number of mapping bytes that follow (low 7 bits) and whether names lose Synthea's digits
/// (high bit); the rest is the file.
pub fn csv_import(data: &[u8]) {
    let Some((&head, rest)) = data.split_first() else { return };
    let (spec, csv) = if head == 0xff {
        (None, rest)
    } else {
        let length = usize::from(head & 0x7f).min(rest.len());
        (Some(&rest[..length]), &rest[length..])
    };
    let table = match parse_csv(csv) {
        Ok(table) => table,
        Err(error) => {
            assert_import_refusal(&error);
            return;
        }
    };
    assert!(table.headers.iter().any(|header| !header.is_empty()), "a file without column names was read");
    let mapping = spec.map_or_else(ImportMapping::synthea, |spec| mapping_from(spec, &table.headers, head & 0x80 != 0));
    with_practice(|session| {
        let Ok(authorized) = session.authorize(Permission::ImportPatients, AuditAction::Import) else {
            panic!("the owner may import")
        };
        let today = authorized.now().date();
        match analyse(authorized.connection(), &table, &mapping, today, &mut |_, _| true) {
            Ok(analysis) => check_analysis(&table, &analysis, csv),
            Err(error) => assert_import_refusal(&error),
        }
    });
}
