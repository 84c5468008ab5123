//! Synthetic patients for demo practices and benchmarks: names from several cultures, dates of
//! birth over ninety years, phones, addresses, insurance, and about one in fifty a near-duplicate
//! of an earlier patient (a typo, day and month swapped, names transposed, a German spelling, a
//! shared phone), as real practices have them.

use time::Date;

use super::Synthetic;
use super::names::{CULTURES, PAYERS, STREETS, TOWNS};
use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::clock::timestamp;
use crate::error::ClinicResult;
use crate::patients::dates::iso;
use crate::patients::store::{self, VersionChange, VersionStamp};
use crate::patients::{Address, EmergencyContact, Insurance, PatientDetails, PatientStatus, Phone, PhoneKind, Sex};
use crate::permissions::Permission;
use crate::session::Session;

fn pick<'a>(random: &mut Synthetic, list: &'a [&'a str]) -> &'a str {
    list[random.below(list.len() as u64) as usize]
}

fn phone(random: &mut Synthetic) -> String {
    format!("0{} {:03} {:04}", 600 + random.below(400), random.below(1000), random.below(10_000))
}

/// One invented patient, born between ninety years and one day before `today`.
pub fn synthetic_patient(random: &mut Synthetic, today: Date) -> PatientDetails {
    let (families, women, men) = CULTURES[random.below(CULTURES.len() as u64) as usize];
    let female = random.below(2) == 0;
    let given = pick(random, if female { women } else { men });
    let second = if random.below(4) == 0 {
        format!(" {}", pick(random, if female { women } else { men }))
    } else {
        String::new()
    };
    let born = today - time::Duration::days(1 + random.below(90 * 365) as i64);
    let family_name = pick(random, families).to_owned();
    PatientDetails {
        given_names: format!("{given}{second}"),
        preferred_name: String::new(),
        date_of_birth: iso(born),
        sex: if female { Sex::Female } else { Sex::Male },
        gender_identity: String::new(),
        phones: vec![Phone { kind: PhoneKind::Mobile, number: phone(random) }],
        email: format!(
            "{}.{}@example.org",
            crate::patients::search_keys::fold_words(given).join(""),
            random.below(10_000)
        ),
        address: Address {
            line1: format!("{} {}", 1 + random.below(200), pick(random, STREETS)),
            line2: String::new(),
            city: pick(random, TOWNS).to_owned(),
            region: String::new(),
            postal_code: format!("{:05}", random.below(100_000)),
            country: String::new(),
        },
        emergency_contact: EmergencyContact {
            name: format!("{} {family_name}", pick(random, if female { men } else { women })),
            relationship: "partner".to_owned(),
            phone: phone(random),
        },
        insurance: Insurance {
            payer: pick(random, PAYERS).to_owned(),
            member_id: format!("M{:08}", random.below(100_000_000)),
        },
        front_desk_note: String::new(),
        status: if random.below(200) == 0 { PatientStatus::Inactive } else { PatientStatus::Active },
        deceased_on: String::new(),
        family_name,
    }
}

/// Someone registered again with a small difference, the way duplicates happen.
pub fn near_duplicate(original: &PatientDetails, random: &mut Synthetic) -> PatientDetails {
    let mut copy = original.clone();
    match random.below(5) {
        0 => {
            let mut letters: Vec<char> = copy.family_name.chars().collect();
            if letters.len() > 3 {
                letters.swap(1, 2);
            }
            copy.family_name = letters.into_iter().collect();
        }
        1 => {
            if let Some(born) = copy.date_of_birth()
                && let Some(swapped) = crate::patients::swapped_day_and_month(born)
            {
                copy.date_of_birth = iso(swapped);
            }
        }
        2 => std::mem::swap(&mut copy.family_name, &mut copy.given_names),
        3 => copy.family_name = copy.family_name.replace('ü', "ue").replace('ö', "oe").replace('ä', "ae"),
        _ => copy.given_names = format!("{}.", copy.given_names.chars().next().unwrap_or('A')),
    }
    copy
}

/// `count` patients, about one in fifty a near-duplicate of an earlier one.
pub fn synthetic_patients(count: u64, seed: u64, today: Date) -> Vec<PatientDetails> {
    let mut random = Synthetic::new(seed);
    let mut patients: Vec<PatientDetails> = Vec::with_capacity(count as usize);
    for index in 0..count {
        let patient = if index > 10 && random.below(50) == 0 {
            let original = &patients[random.below(index) as usize];
            near_duplicate(original, &mut random)
        } else {
            synthetic_patient(&mut random, today)
        };
        patients.push(patient);
    }
    patients
}

/// A patient added by `seed_patients`: enough to give them a plausible chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeededPatient {
    pub id: crate::patients::PatientId,
    pub date_of_birth: String,
}

/// Adds `count` synthetic patients to the practice through the import's bulk path, 20,000 to a
/// transaction, each batch recorded as an import; `progress` hears (added, count) after each.
pub fn seed_patients(
    session: &mut Session,
    count: u64,
    seed: u64,
    progress: &mut dyn FnMut(u64, u64),
) -> ClinicResult<Vec<SeededPatient>> {
    let mut authorized = session.authorize(Permission::ImportPatients, AuditAction::Import)?;
    let today = authorized.now().date();
    let user_id = authorized.user().id.clone();
    let at = timestamp(authorized.now());
    let all = synthetic_patients(count, seed, today);
    let mut seeded = Vec::with_capacity(all.len());
    progress(0, count);
    for batch in all.chunks(20_000) {
        let change = authorized.begin_change()?;
        let stamp = VersionStamp { change: VersionChange::Imported, reason: None, user_id: &user_id, at: &at };
        let ids = store::insert_many(change.connection(), batch, &stamp)?;
        change.commit(
            &AuditEvent::success(AuditAction::Import)
                .category("demographics")
                .reason("synthetic")
                .detail("imported", Detail::Count(batch.len() as u64)),
        )?;
        seeded.extend(
            ids.into_iter()
                .zip(batch)
                .map(|(id, details)| SeededPatient { id, date_of_birth: details.date_of_birth.clone() }),
        );
        progress(seeded.len() as u64, count);
    }
    Ok(seeded)
}

/// Books a day of appointments from `day_start` (UTC): every active clinician, every twenty
/// minutes for eight hours, with random patients, through the booking use case itself. A few
/// are checked in or completed already, as in a real morning.
pub fn seed_day_of_appointments(
    session: &mut Session,
    day_start: time::OffsetDateTime,
    seed: u64,
) -> ClinicResult<u64> {
    let clinicians = session.clinicians()?;
    let numbers: Vec<u64> = {
        let authorized = session.authorize(Permission::ManageAppointments, AuditAction::View)?;
        super::store::living_patient_numbers(authorized.connection())?
    };
    if numbers.is_empty() {
        return Ok(0);
    }
    let mut random = Synthetic::new(seed);
    let reasons =
        ["Check-up", "Follow-up", "Blood pressure review", "Vaccination", "Repeat prescription", "Test results"];
    let mut booked = 0;
    for clinician in &clinicians {
        for slot in 0..24 {
            if random.below(4) == 0 {
                continue;
            }
            let number = numbers[random.below(numbers.len() as u64) as usize];
            let Some(patient_id) = ({
                let authorized = session.authorize(Permission::ManageAppointments, AuditAction::View)?;
                store::by_number(authorized.connection(), number)?.map(|row| row.id)
            }) else {
                continue;
            };
            let new = crate::NewAppointment {
                patient_id,
                clinician_id: clinician.id.clone(),
                starts_at: timestamp(day_start + time::Duration::minutes(20 * slot)),
                minutes: 20,
                reason: reasons[random.below(reasons.len() as u64) as usize].to_owned(),
            };
            let appointment = session.book_appointment(&new, false)?;
            if slot < 4 {
                session.set_appointment_status(&appointment.id, crate::AppointmentStatus::CheckedIn, None)?;
            }
            booked += 1;
        }
    }
    Ok(booked)
}

/// Writes `count` synthetic patients as a Synthea `patients.csv` (the columns the preset maps,
/// plus a few it ignores), with Synthea's digits after names, for the import benchmark.
pub fn write_synthea_csv(path: &std::path::Path, count: u64, seed: u64, today: Date) -> ClinicResult<()> {
    let failed =
        |error: csv::Error| crate::error::ClinicError::invalid("file", format!("Cannot write {path:?}: {error}"));
    let mut writer = csv::Writer::from_path(path).map_err(failed)?;
    let headers =
        ["Id", "BIRTHDATE", "DEATHDATE", "SSN", "FIRST", "MIDDLE", "LAST", "GENDER", "ADDRESS", "CITY", "STATE", "ZIP"];
    writer.write_record(headers).map_err(failed)?;
    let mut random = Synthetic::new(seed ^ 0x5EED);
    for (index, patient) in synthetic_patients(count, seed, today).iter().enumerate() {
        let digits = random.below(1000);
        let row = [
            format!("{index:08x}-synthetic"),
            patient.date_of_birth.clone(),
            String::new(),
            format!("999-{:02}-{:04}", random.below(100), random.below(10_000)),
            format!("{}{digits}", patient.given_names),
            String::new(),
            format!("{}{digits}", patient.family_name),
            if patient.sex == Sex::Female { "F".to_owned() } else { "M".to_owned() },
            patient.address.line1.clone(),
            patient.address.city.clone(),
            String::new(),
            patient.address.postal_code.clone(),
        ];
        writer.write_record(&row).map_err(failed)?;
    }
    writer
        .flush()
        .map_err(|error| crate::error::ClinicError::invalid("file", format!("Cannot write {path:?}: {error}")))?;
    Ok(())
}
