//! Patients at the front desk: validation per field, the search box's semantics, versions and
//! History, "entered in error", and what each of these records in the audit trail.

use chartkeep_clinic::patients::PatientId;
use chartkeep_clinic::patients::{DateOrder, PatientDraft, PhoneDraft, VersionChange};
use chartkeep_clinic::{ClinicError, ErrorCode, Role, Session, Workstation};

use super::{ManualClock, Practice, count_audit_entries, create_user, first_sign_in, new_practice_on};

pub fn draft(family: &str, given: &str, born: &str) -> PatientDraft {
    PatientDraft {
        family_name: family.into(),
        given_names: given.into(),
        date_of_birth: born.into(),
        ..PatientDraft::default()
    }
}

pub fn with_phone(mut draft: PatientDraft, number: &str) -> PatientDraft {
    draft.phones.push(PhoneDraft { kind: "mobile".into(), number: number.into() });
    draft
}

/// A practice with a front desk user signed in; returns (practice, workstation, owner, desk).
pub fn front_desk() -> (Practice, Workstation, Session, Session) {
    let (practice, workstation, mut owner) = new_practice_on(ManualClock::new());
    let issued = create_user(&mut owner, "desk", &[Role::FrontDesk]);
    let desk = first_sign_in(&workstation, "desk", &issued);
    (practice, workstation, owner, desk)
}

/// Registers without any duplicate warning in the way.
pub fn register(desk: &mut Session, draft: &PatientDraft) -> PatientId {
    desk.register_patient(draft, &[]).unwrap().id
}

fn found(desk: &mut Session, query: &str) -> Vec<String> {
    let results = desk.search_patients(query).unwrap();
    results.patients.into_iter().map(|patient| format!("{}, {}", patient.family_name, patient.given_names)).collect()
}

#[test]
fn invalid_input_is_explained_per_field_and_saves_nothing() {
    let (_practice, _workstation, _owner, mut desk) = front_desk();
    let mut bad = draft(" ", "Anna", "2027-01-01");
    bad.email = "anna@".into();
    bad.phones.push(PhoneDraft { kind: "mobile".into(), number: "12".into() });
    bad.status = "deceased".into();
    let Err(ClinicError::InvalidFields(errors)) = desk.register_patient(&bad, &[]) else {
        panic!("expected field errors")
    };
    let fields: Vec<&str> = errors.iter().map(|error| error.field).collect();
    assert_eq!(fields, ["family_name", "date_of_birth", "phones", "email", "deceased_on"]);
    assert!(errors[1].message.contains("future"), "{}", errors[1].message);
    assert_eq!(
        desk.register_patient(&draft("Okafor", "Ada", "1899-12-31"), &[]).unwrap_err().field(),
        Some("date_of_birth")
    );
    assert!(desk.search_patients("okafor").unwrap().patients.is_empty(), "nothing was saved");
}

#[test]
fn the_search_box_finds_names_dates_of_birth_phones_and_mrns_in_every_form() {
    let (_practice, _workstation, mut owner, mut desk) = front_desk();
    let anna = register(&mut desk, &with_phone(draft("Müller", "Anna", "1984-03-07"), "+43 664 1234567"));
    register(&mut desk, &draft("Muller", "Jonas", "1990-12-01"));
    register(&mut desk, &draft("Mullins", "Beth", "1975-07-03"));
    register(&mut desk, &draft("O'Neil", "Siobhán", "2001-05-20"));
    register(&mut desk, &draft("佐藤", "花子", "1966-09-09"));
    let mrn = desk.open_patient(&anna, "test").unwrap().mrn;

    let cases: &[(&str, &[&str])] = &[
        ("mull", &["Muller, Jonas", "Müller, Anna", "Mullins, Beth"]),
        ("MÜLL", &["Muller, Jonas", "Müller, Anna", "Mullins, Beth"]),
        ("muell", &["Müller, Anna"]),
        ("mueller anna", &["Müller, Anna"]),
        ("anna mül", &["Müller, Anna"]),
        ("mull 1984-03-07", &["Müller, Anna"]),
        ("oneil", &["O'Neil, Siobhán"]),
        ("siobhan", &["O'Neil, Siobhán"]),
        ("佐藤", &["佐藤, 花子"]),
        ("1984-03-07", &["Müller, Anna"]),
        ("07/03/1984", &["Müller, Anna"]),
        ("7.3.1984", &["Müller, Anna"]),
        ("0664 123 45 67", &["Müller, Anna"]),
        ("(664) 1234567", &["Müller, Anna"]),
        ("1234567", &["Müller, Anna"]),
        (mrn.as_str(), &["Müller, Anna"]),
        ("zzz", &[]),
        ("", &[]),
    ];
    for (query, expected) in cases {
        let mut got = found(&mut desk, query);
        got.sort();
        let mut expected: Vec<String> = expected.iter().map(|name| (*name).to_owned()).collect();
        expected.sort();
        assert_eq!(got, expected, "query {query:?}");
    }
    // In a month-first practice, 03/07/1984 is the same day.
    owner.set_date_order(DateOrder::MonthFirst).unwrap();
    assert_eq!(found(&mut desk, "03/07/1984"), ["Müller, Anna"]);
    assert_eq!(found(&mut desk, "07/03/1975"), ["Mullins, Beth"]);
}

#[test]
fn results_show_age_and_mrn_and_searches_are_audited_without_their_text() {
    let (practice, workstation, owner, mut desk) = front_desk();
    register(&mut desk, &draft("Canaryname", "Zed", "1984-03-07"));
    let results = desk.search_patients("canaryname").unwrap();
    let patient = &results.patients[0];
    assert_eq!(patient.age, Some(42));
    assert_eq!(patient.mrn.len(), 7);
    assert!(patient.last_visit.is_none());
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(
        count_audit_entries(
            &practice,
            "action = 'search' AND data_category = 'patients' AND details LIKE '%\"results\":1%'"
        ),
        1
    );
    let leaked = "details LIKE '%anary%' OR reason LIKE '%anary%' OR object_id LIKE '%anary%'";
    assert_eq!(count_audit_entries(&practice, leaked), 0, "the search text is never stored");
}

#[test]
fn every_change_keeps_the_previous_version_and_history_says_what_changed() {
    let (practice, workstation, owner, mut desk) = front_desk();
    let id = register(&mut desk, &draft("Okafor", "Ada", "1970-01-02"));
    let opened = desk.open_patient(&id, "search").unwrap();
    assert_eq!(opened.version, 1);
    let mut changed = draft("Okafor", "Ada Nkem", "1970-01-02");
    changed.email = "ada@example.org".into();
    let updated = desk.update_patient(&id, 1, &changed).unwrap();
    assert_eq!(updated.version, 2);
    let stale = desk.update_patient(&id, 1, &draft("Okafor", "Ada", "1970-01-02")).unwrap_err();
    assert_eq!(stale.code(), ErrorCode::StaleRecord, "an edit of version 1 does not overwrite version 2");
    assert_eq!(desk.update_patient(&id, 2, &changed).unwrap().version, 2, "no change, no new version");

    let history = desk.patient_history(&id).unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].change, VersionChange::Registered);
    assert_eq!(history[1].changed_fields, ["given_names", "email"]);
    assert_eq!(history[0].details.given_names, "Ada", "the previous version is kept as it was");
    assert!(history[1].changed_by.contains("(desk)"));
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(count_audit_entries(&practice, "action = 'update' AND details LIKE '%\"given_names\",\"email\"%'"), 1);
    assert_eq!(count_audit_entries(&practice, "action = 'view' AND data_category = 'patient_history'"), 1);
}

#[test]
fn a_record_entered_in_error_leaves_the_default_views_and_stays_in_history_for_the_owner() {
    let (practice, workstation, mut owner, mut desk) = front_desk();
    let id = register(&mut desk, &draft("Mistake", "Made", "1980-01-01"));
    assert_eq!(desk.mark_patient_entered_in_error(&id, 1, "no").unwrap_err().field(), Some("reason"));
    desk.mark_patient_entered_in_error(&id, 1, "Registered twice by accident").unwrap();
    assert!(desk.search_patients("mistake").unwrap().patients.is_empty());
    assert_eq!(desk.open_patient(&id, "search").unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(desk.patient_history(&id).unwrap_err().code(), ErrorCode::NotFound);
    let listed = owner.entered_in_error_patients().unwrap();
    assert_eq!(listed.len(), 1);
    let history = owner.patient_history(&id).unwrap();
    assert_eq!(history.last().unwrap().change, VersionChange::EnteredInError);
    assert_eq!(history.last().unwrap().reason.as_deref(), Some("Registered twice by accident"));
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(count_audit_entries(&practice, "action = 'entered_in_error' AND details NOT LIKE '%twice%'"), 1);
}

#[test]
fn only_the_front_desk_and_clinicians_reach_patients() {
    let (_practice, workstation, mut owner, mut desk) = front_desk();
    let id = register(&mut desk, &draft("Okafor", "Ada", "1970-01-02"));
    assert_eq!(owner.search_patients("okafor").unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(owner.open_patient(&id, "search").unwrap_err().code(), ErrorCode::Forbidden);
    let issued = create_user(&mut owner, "privacy", &[Role::Auditor]);
    let mut auditor = first_sign_in(&workstation, "privacy", &issued);
    assert_eq!(auditor.register_patient(&draft("A", "B", "1970-01-01"), &[]).unwrap_err().code(), ErrorCode::Forbidden);
    assert_eq!(auditor.open_patient(&id, "search").unwrap_err().code(), ErrorCode::Forbidden);
}

#[test]
fn two_common_name_beginnings_are_found_a_page_at_a_time_in_order_of_name() {
    let (practice, workstation, mut owner, mut desk) = front_desk();
    // 1,500 patients whose names begin "an" or "mu": common enough that intersecting the two
    // words' ranges of the token index would read all of them; the name pairs read a page.
    let mut csv = String::from("Surname,First names,Born\n");
    for index in 0..1500 {
        let family = if index % 3 == 0 { "Mueller" } else { "Moreau" };
        let given = if index % 2 == 0 { "Anna" } else { "Andrea" };
        let born = time::macros::date!(1940 - 01 - 01) + time::Duration::days(index * 7);
        csv.push_str(&format!("{family}{index},{given},{}\n", born));
    }
    let path = practice.folder.path().join("many.csv");
    std::fs::write(&path, csv).unwrap();
    let mapping = chartkeep_clinic::patients::ImportMapping {
        columns: vec![
            chartkeep_clinic::patients::ColumnMapping {
                column: "Surname".into(),
                field: chartkeep_clinic::patients::ImportField::FamilyName,
                date_format: None,
                optional: false,
            },
            chartkeep_clinic::patients::ColumnMapping {
                column: "First names".into(),
                field: chartkeep_clinic::patients::ImportField::GivenNames,
                date_format: None,
                optional: false,
            },
            chartkeep_clinic::patients::ColumnMapping {
                column: "Born".into(),
                field: chartkeep_clinic::patients::ImportField::DateOfBirth,
                date_format: Some(chartkeep_clinic::patients::ColumnDateFormat::Iso),
                optional: false,
            },
        ],
        strip_name_digits: false,
    };
    owner.import_patients(&path, &mapping, false, &mut |_, _| true).unwrap();
    // Both beginnings match at least a thousand index rows (1,500 given names, 1,000 Moreaus).
    let results = desk.search_patients("an mo").unwrap();
    assert!(results.more, "1,000 Moreaus named Anna or Andrea match: more than a page");
    assert_eq!(results.patients.len(), 25);
    for patient in &results.patients {
        assert!(
            patient.family_name.starts_with("Moreau") && patient.given_names.starts_with("An"),
            "{}",
            patient.family_name
        );
    }
    let mut names: Vec<String> = results.patients.iter().map(|patient| patient.family_name.clone()).collect();
    let shown = names.clone();
    names.sort();
    assert_eq!(shown, names, "sorted by name");
    let exact = desk.search_patients("andrea mueller3").unwrap();
    assert!(
        exact
            .patients
            .iter()
            .all(|patient| patient.given_names == "Andrea" && patient.family_name.starts_with("Mueller3"))
    );
    assert!(exact.patients.len() > 1, "the rare word drives: several Mueller3x named Andrea");
    assert!(!exact.patients.is_empty());
    let born = desk.search_patients("an mo 1940-01-15").unwrap();
    assert_eq!(born.patients.len(), 1, "the date of birth narrows the intersection");
    drop(workstation);
}
