//! Two names typed together ("ma jo"): found in either order, accents and case ignored, kept
//! in step with changes, entered-in-error and merged records handled as for any search, and
//! found for the patients of a practice whose database was made before the name pairs existed.

use chartkeep_clinic::Session;

use super::audit_chain::raw_vault;
use super::patients::{draft, front_desk, register};
use super::{Practice, open_workstation, staff_password};

/// Every pair of one patient's name tokens, as migration 9 derives them from the token index.
const PAIRS_FROM_TOKENS: &str = "SELECT substr(a.token, 1, 2) || ' ' || substr(b.token, 1, 2),
        p.family_name || char(31) || p.given_names, a.number, a.token, b.token
    FROM patient_name_tokens a
    JOIN patient_name_tokens b ON b.number = a.number AND b.token > a.token
    JOIN patients p ON p.number = a.number";

/// Checks that the name pairs hold exactly the pairs of the tokens and names stored now: none
/// missing, none left behind by a change. Returns how many pairs there are.
pub fn assert_pairs_follow_tokens(practice: &Practice) -> i64 {
    let vault = raw_vault(practice);
    let sql = format!(
        "SELECT (SELECT count(*) FROM patient_name_pairs), (SELECT count(*) FROM ({PAIRS_FROM_TOKENS})),
             (SELECT count(*) FROM (SELECT * FROM patient_name_pairs EXCEPT {PAIRS_FROM_TOKENS}))"
    );
    let (kept, derived, stale): (i64, i64, i64) =
        vault.connection().query_row(&sql, [], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?))).unwrap();
    vault.lock().unwrap();
    assert_eq!((kept, stale), (derived, 0), "the name pairs differ from the tokens' pairs");
    kept
}

fn found(desk: &mut Session, query: &str) -> Vec<String> {
    let results = desk.search_patients(query).unwrap();
    results.patients.into_iter().map(|patient| format!("{}, {}", patient.family_name, patient.given_names)).collect()
}

/// The people of these tests: three match "ma jo", the others only one of the two words.
fn register_people(desk: &mut Session) -> Vec<chartkeep_clinic::patients::PatientId> {
    [
        ("Smith", "Mary Jo", "1990-04-02"),
        ("Jones", "Maria", "1975-06-11"),
        ("Martínez", "José", "1968-02-29"),
        ("Majewski", "Tomasz", "1983-10-01"),
        ("Johnson", "Emma", "2001-01-15"),
        ("Müller", "Johanna", "1959-08-23"),
    ]
    .into_iter()
    .map(|(family, given, born)| register(desk, &draft(family, given, born)))
    .collect()
}

#[test]
fn two_name_beginnings_find_the_same_people_in_either_order_sorted_by_name() {
    let (_practice, _workstation, _owner, mut desk) = front_desk();
    register_people(&mut desk);
    let both = ["Jones, Maria", "Martínez, José", "Smith, Mary Jo"];
    for query in ["ma jo", "jo ma", "MA JO", "  Jo   Ma "] {
        assert_eq!(found(&mut desk, query), both, "query {query:?}");
    }
    let cases: &[(&str, &[&str])] = &[
        ("mar jos", &["Martínez, José"]),
        ("martí josé", &["Martínez, José"]),
        ("MARTI JOSE", &["Martínez, José"]),
        ("mu jo", &["Müller, Johanna"]),
        ("mü jo", &["Müller, Johanna"]),
        ("mue joh", &["Müller, Johanna"]),
        ("johanna mueller", &["Müller, Johanna"]),
        ("em jo", &["Johnson, Emma"]),
        ("to ma", &["Majewski, Tomasz"]),
        ("ma xy", &[]),
        ("em ma", &[]),
        // One letter, or two words that could match one name, take the token index as before.
        ("m jo", &["Jones, Maria", "Martínez, José", "Müller, Johanna", "Smith, Mary Jo"]),
        ("jo joh", &["Johnson, Emma", "Müller, Johanna"]),
    ];
    for (query, expected) in cases {
        let mut got = found(&mut desk, query);
        got.sort();
        assert_eq!(got, *expected, "query {query:?}");
    }
}

#[test]
fn a_changed_name_moves_and_a_record_entered_in_error_or_merged_is_shown_as_by_any_search() {
    let (practice, workstation, mut owner, mut desk) = front_desk();
    let ids = register_people(&mut desk);
    desk.update_patient(&ids[1], 1, &draft("Jones", "Emily", "1975-06-11")).unwrap();
    assert_eq!(found(&mut desk, "ma jo"), ["Martínez, José", "Smith, Mary Jo"], "the old name is gone");
    assert_eq!(found(&mut desk, "em jo"), ["Johnson, Emma", "Jones, Emily"]);
    desk.mark_patient_entered_in_error(&ids[2], 1, "Registered at the wrong practice").unwrap();
    assert_eq!(found(&mut desk, "ma jo"), ["Smith, Mary Jo"]);
    assert!(found(&mut desk, "jos mar").is_empty());

    // A duplicate merged into its survivor: found once, as the survivor.
    let duplicate = desk.register_patient(&draft("Smith", "Mary Jo", "1990-04-02"), &ids[..1]).unwrap();
    assert_eq!(found(&mut desk, "ma jo").len(), 2, "two records before the merge");
    owner.merge_patients(&ids[0], &duplicate.id).unwrap();
    let results = desk.search_patients("ma jo").unwrap();
    assert_eq!(results.patients.len(), 1, "one person, shown once");
    assert_eq!(results.patients[0].id, ids[0]);
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    assert!(assert_pairs_follow_tokens(&practice) > 0);
}

#[test]
fn the_patients_of_a_database_made_before_name_pairs_are_found_by_two_names() {
    let (practice, workstation, owner, mut desk) = front_desk();
    register_people(&mut desk);
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    let registered = assert_pairs_follow_tokens(&practice);
    // The database as schema 8 left it: no name pairs. Unlocking migrates it again.
    let vault = raw_vault(&practice);
    vault.connection().execute_batch("DROP TABLE patient_name_pairs; PRAGMA user_version = 8;").unwrap();
    vault.lock().unwrap();

    let workstation = open_workstation(&practice);
    let mut desk = workstation.log_in("desk", &chartkeep_vault::Password::new(staff_password("desk"))).unwrap();
    assert_eq!(found(&mut desk, "jo ma"), ["Jones, Maria", "Martínez, José", "Smith, Mary Jo"]);
    assert_eq!(found(&mut desk, "mü joh"), ["Müller, Johanna"]);
    desk.log_out().unwrap();
    drop(workstation);
    let vault = raw_vault(&practice);
    let version: u32 = vault.connection().query_row("PRAGMA user_version", [], |row| row.get(0)).unwrap();
    assert_eq!(version, chartkeep_vault::migrations::latest_version());
    vault.lock().unwrap();
    assert_eq!(assert_pairs_follow_tokens(&practice), registered, "the migration wrote the same pairs");
}
