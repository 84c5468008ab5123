//! Duplicates: the four signs of a probable duplicate, registration that waits for the user's
//! confirmation, and a merge that an unmerge undoes exactly (byte-identical rows).

use chartkeep_clinic::patients::DuplicateSign;
use chartkeep_clinic::patients::PatientId;
use chartkeep_clinic::{ErrorCode, Session};
use rusqlite::Connection;

use super::audit_chain::raw_vault;
use super::patients::{draft, front_desk, register, with_phone};
use super::{Practice, count_audit_entries};

fn signs_for(
    desk: &mut Session,
    probe: &chartkeep_clinic::patients::PatientDraft,
) -> Vec<(String, Vec<DuplicateSign>)> {
    desk.check_for_duplicates(probe)
        .unwrap()
        .into_iter()
        .map(|candidate| (candidate.patient.family_name.clone(), candidate.signs))
        .collect()
}

#[test]
fn the_four_signs_of_a_probable_duplicate() {
    let (_practice, _workstation, _owner, mut desk) = front_desk();
    register(&mut desk, &with_phone(draft("Müller", "Anna", "1984-03-07"), "+43 664 1234567"));
    register(&mut desk, &draft("Jones", "Martha", "1950-10-20"));
    use DuplicateSign::*;
    type Expected = Vec<(String, Vec<DuplicateSign>)>;
    let cases: Vec<(chartkeep_clinic::patients::PatientDraft, Expected)> = vec![
        (draft("Mueller", "Anna", "1984-03-07"), vec![("Müller".into(), vec![SameDateOfBirthSimilarName])]),
        (draft("Muller", "Ana", "07/03/1984"), vec![("Müller".into(), vec![SameDateOfBirthSimilarName])]),
        (draft("Müller", "Anna", "1984-07-03"), vec![("Müller".into(), vec![DayAndMonthSwapped])]),
        (draft("Martha", "Jones", "1950-10-20"), vec![("Jones".into(), vec![NamesTransposed])]),
        (
            with_phone(draft("Someone", "Else", "2000-01-01"), "0664/123 45 67"),
            vec![("Müller".into(), vec![SamePhone])],
        ),
        (draft("Müller", "Anna", "1985-03-07"), vec![]),
        (draft("Okafor", "Ada", "1984-03-07"), vec![]),
    ];
    for (probe, expected) in cases {
        assert_eq!(signs_for(&mut desk, &probe), expected);
    }
}

#[test]
fn registering_a_probable_duplicate_waits_for_the_users_confirmation() {
    let (practice, workstation, owner, mut desk) = front_desk();
    let existing = register(&mut desk, &draft("Müller", "Anna", "1984-03-07"));
    let again = draft("Mueller", "Anna", "1984-03-07");
    let warned = desk.register_patient(&again, &[]).unwrap_err();
    assert_eq!(warned.code(), ErrorCode::NeedsConfirmation);
    assert_eq!(warned.field(), Some("duplicates"));
    assert_eq!(desk.search_patients("mueller").unwrap().patients.len(), 1, "nothing saved yet");
    let registered = desk.register_patient(&again, std::slice::from_ref(&existing)).unwrap();
    assert_ne!(registered.id, existing);
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    let confirmed =
        "action = 'create' AND details LIKE '%\"confirmed_new\":true%' AND details LIKE '%\"duplicate_candidates\":1%'";
    assert_eq!(count_audit_entries(&practice, confirmed), 1, "the choice is audited");
    assert_eq!(
        count_audit_entries(&practice, "action = 'create' AND object_type = 'patient'"),
        2,
        "the warned attempt saved nothing"
    );
}

/// Every row of two patients and what hangs off them, as text, for byte-for-byte comparison.
fn dump(connection: &Connection, ids: &[&PatientId]) -> Vec<String> {
    let mut rows = Vec::new();
    for id in ids {
        for (table, column) in [("patients", "id"), ("patient_versions", "patient_id"), ("appointments", "patient_id")]
        {
            let sql = format!("SELECT * FROM {table} WHERE {column} = ?1 ORDER BY rowid");
            let mut statement = connection.prepare(&sql).unwrap();
            let count = statement.column_count();
            let mut query = statement.query([id]).unwrap();
            while let Some(row) = query.next().unwrap() {
                let values: Vec<String> =
                    (0..count).map(|index| format!("{:?}", row.get_ref(index).unwrap())).collect();
                rows.push(format!("{table}: {}", values.join(" | ")));
            }
        }
    }
    rows
}

fn dump_of(practice: &Practice, ids: &[&PatientId]) -> Vec<String> {
    let vault = raw_vault(practice);
    let rows = dump(vault.connection(), ids);
    vault.lock().unwrap();
    rows
}

#[test]
fn a_merge_makes_an_alias_and_an_unmerge_gives_back_both_records_byte_for_byte() {
    let (practice, workstation, owner, mut desk) = front_desk();
    let survivor = register(&mut desk, &draft("Müller", "Anna", "1984-03-07"));
    let duplicate =
        desk.register_patient(&draft("Mueller", "Anna", "1984-03-07"), std::slice::from_ref(&survivor)).unwrap();
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    let before = dump_of(&practice, &[&survivor, &duplicate.id]);

    let workstation = super::open_workstation(&practice);
    let mut owner = super::log_in(&workstation);
    let (left, right) = owner.merge_preview(&survivor, &duplicate.id).unwrap();
    assert_eq!((left.id.as_str(), right.id.as_str()), (survivor.as_str(), duplicate.id.as_str()));
    let found = owner.patient_for_merge(&duplicate.mrn).unwrap();
    assert_eq!(found.id, duplicate.id, "the Owner finds a record to merge by its MRN");
    let merge = owner.merge_patients(&survivor, &duplicate.id).unwrap();
    assert_eq!(owner.merge_patients(&duplicate.id, &survivor).unwrap_err().field(), Some("patient"));
    assert_eq!(owner.patient_for_merge(&duplicate.mrn).unwrap().id, survivor, "an alias's MRN leads to its survivor");
    assert_eq!(owner.patient_for_merge("not an mrn").unwrap_err().field(), Some("mrn"));

    let desk_password = chartkeep_vault::Password::new(super::staff_password("desk"));
    let mut desk = workstation.log_in("desk", &desk_password).unwrap();
    let by_alias_mrn = desk.search_patients(&duplicate.mrn).unwrap();
    assert_eq!(by_alias_mrn.patients.len(), 1);
    assert_eq!(by_alias_mrn.patients[0].id, survivor, "the merged record's MRN leads to the survivor");
    assert_eq!(by_alias_mrn.patients[0].found_through_alias.as_deref(), Some(duplicate.mrn.as_str()));
    let opened = desk.open_patient(&duplicate.id, "search").unwrap();
    assert_eq!(opened.id, survivor);
    assert_eq!(opened.merged_mrns, std::slice::from_ref(&duplicate.mrn));
    assert_eq!(desk.search_patients("anna").unwrap().patients.len(), 1, "one person, shown once");

    owner.unmerge_patients(&merge.id).unwrap();
    assert_eq!(owner.unmerge_patients(&merge.id).unwrap_err().code(), ErrorCode::NotFound);
    assert_eq!(desk.search_patients("anna").unwrap().patients.len(), 2);
    desk.log_out().unwrap();
    owner.log_out().unwrap();
    drop(workstation);
    assert_eq!(dump_of(&practice, &[&survivor, &duplicate.id]), before, "both records as they were, byte for byte");
    assert_eq!(count_audit_entries(&practice, "action = 'merge'"), 2, "one entry on each record");
    assert_eq!(count_audit_entries(&practice, "action = 'unmerge'"), 2);
}
