//! A synthetic canary patient: every field a person can type about a patient carries its own
//! random canary, so a scan that finds one says which field leaked. Each call of
//! [`CanaryPatient::new`] makes a new one, random for this run, so parallel tests (whose files
//! share /tmp) and other runs on the same machine cannot match each other's files.
//!
//! Two kinds of field cannot be random text: the date of birth is a date (a random one from
//! 1901 to 1939, a range no other test's data uses, never given twice in one run; scanned in
//! its ISO form and as the UI shows it, day or month first, and dotted), and the MRN is given
//! by the practice (patient numbers count up from 100000 with a check digit, so every test's
//! first patient is 1000003). Seven digits could occur by chance in a cache and are the same
//! in every test, so the MRN is scanned where it would be distinctive: after "MRN " as the UI
//! and the logs would write it, as a JSON `"mrn"` member, a URL parameter and a `data-mrn`
//! attribute. Both are [`Canary::local`]: looked for in the test's own folders (data folder,
//! TMPDIR, private HOME, logs) only, since other tests on the machine write the same MRNs and
//! may write the same dates to the shared /tmp; every other field, unique to this run, is
//! looked for in the shared folders too.

use std::collections::HashSet;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use serde_json::{Value, json};

use crate::canary::Canary;

#[derive(Debug, Clone)]
pub struct CanaryPatient {
    pub family_name: String,
    pub given_names: String,
    pub preferred_name: String,
    /// ISO, as the registration form takes it.
    pub date_of_birth: String,
    pub gender_identity: String,
    pub phone: String,
    pub email: String,
    pub address_line1: String,
    pub address_line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
    pub contact_name: String,
    pub contact_relationship: String,
    pub contact_phone: String,
    pub insurer: String,
    pub member_id: String,
    pub front_desk_note: String,
    /// Typed into a search box, where it finds no one.
    pub search_text: String,
    pub subjective: String,
    pub objective: String,
    pub assessment: String,
    pub plan: String,
    pub addendum: String,
    pub allergy_substance: String,
    pub allergy_reaction: String,
    pub medication_name: String,
    pub medication_dose: String,
    pub medication_frequency: String,
    pub problem: String,
    pub emergency_reason: String,
    pub review_comment: String,
    pub amendment_request: String,
    pub amendment_reason: String,
    pub disclosure_recipient: String,
    pub disclosure_purpose: String,
    pub disclosure_information: String,
    pub disclosure_correction: String,
    pub appointment_reason: String,
    pub cancel_reason: String,
    /// Given by the practice at registration.
    pub mrn: Option<String>,
    /// A moment before any of these canaries existed (see `Scanner::changed_since`).
    pub made_at: SystemTime,
}

/// Letters that make no words by chance.
const LETTERS: &[u8] = b"bcdfghjklmnpqrstvwxz";

fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the system's random numbers");
    bytes
}

/// Eight random letters, the first upper case: one canary's own part.
pub fn tag() -> String {
    let letters: String =
        random_bytes::<8>().iter().map(|byte| char::from(LETTERS[usize::from(*byte) % LETTERS.len()])).collect();
    let mut characters = letters.chars();
    characters.next().map(|first| first.to_ascii_uppercase().to_string() + characters.as_str()).unwrap_or_default()
}

fn digits(count: usize) -> String {
    random_bytes::<16>().iter().take(count).map(|byte| char::from(b'0' + byte % 10)).collect()
}

/// A phone number no one has: +99 is no country's code.
fn phone() -> String {
    let digits = digits(10);
    format!("+99 {} {} {}", &digits[..4], &digits[4..7], &digits[7..])
}

/// A date of birth from 1901 to 1939, never the same twice in this run.
fn date_of_birth() -> String {
    static GIVEN: Mutex<Option<HashSet<String>>> = Mutex::new(None);
    let mut given = GIVEN.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
    loop {
        let [year, month, day] = random_bytes::<3>();
        let date = format!("{}-{:02}-{:02}", 1901 + u32::from(year) % 39, 1 + month % 12, 1 + day % 28);
        if given.get_or_insert_with(HashSet::new).insert(date.clone()) {
            return date;
        }
    }
}

impl CanaryPatient {
    pub fn new() -> CanaryPatient {
        let made_at = SystemTime::now() - Duration::from_secs(2);
        let t = tag;
        CanaryPatient {
            family_name: format!("O'Dálaigh-{}", t()),
            given_names: format!("Máire {}", t()),
            preferred_name: format!("Mo {}", t()),
            date_of_birth: date_of_birth(),
            gender_identity: format!("Genderfluid {}", t()),
            phone: phone(),
            email: format!("{}@example.org", t().to_lowercase()),
            address_line1: format!("17 {} Lane", t()),
            address_line2: format!("Flat 3, {} House", t()),
            city: format!("{}ford", t()),
            region: format!("{}shire", t()),
            postal_code: format!("QZ{} {}", digits(2), t()[..5].to_uppercase()),
            country: format!("{}land", t()),
            contact_name: format!("Ciarán {}", t()),
            contact_relationship: format!("cousin {}", t()),
            contact_phone: phone(),
            insurer: format!("{} Mutual", t()),
            member_id: format!("MBR-{}{}", t().to_uppercase(), digits(4)),
            front_desk_note: format!("Interpreter & \"{}\" at the door/gate", t()),
            search_text: format!("{} nobody", t()),
            subjective: format!("Cough for four days, {} on stairs.", t()),
            objective: format!("Crackles at the right base, {} sign.", t()),
            assessment: format!("Pneumonia of the {} lobe", t()),
            plan: format!("Amoxicillin; {} review in 48 hours.", t()),
            addendum: format!("X-ray shows {} consolidation.", t()),
            allergy_substance: format!("{}cillin", t()),
            allergy_reaction: format!("Hives and {} swelling", t()),
            medication_name: format!("{}statin", t()),
            medication_dose: format!("20 mg {}", t()),
            medication_frequency: format!("nightly {}", t()),
            problem: format!("{} syndrome", t()),
            emergency_reason: format!("Ambulance crew asks about {} allergies", t()),
            review_comment: format!("Checked with {}: a real request.", t()),
            amendment_request: format!("Please correct {}: I stopped in 2015.", t()),
            amendment_reason: format!("The {} record confirms it.", t()),
            disclosure_recipient: format!("{} Insurance", t()),
            disclosure_purpose: format!("Claim {} for the check-up", t()),
            disclosure_information: format!("Visit date and {} code", t()),
            disclosure_correction: format!("It went to {} instead", t()),
            appointment_reason: format!("Check-up {}", t()),
            cancel_reason: format!("Went to {} instead", t()),
            mrn: None,
            made_at,
        }
    }

    /// The date of birth as (day, month, year) numbers.
    fn born(&self) -> (&str, &str, &str) {
        let mut parts = self.date_of_birth.split('-');
        let (year, month, day) = (parts.next(), parts.next(), parts.next());
        (day.unwrap_or_default(), month.unwrap_or_default(), year.unwrap_or_default())
    }

    /// The date of birth as the UI shows it with the day first (23/11/1937).
    pub fn date_of_birth_day_first(&self) -> String {
        let (day, month, year) = self.born();
        format!("{day}/{month}/{year}")
    }

    /// The patient as a list shows them: "Family, Given".
    pub fn listed_name(&self) -> String {
        format!("{}, {}", self.family_name, self.given_names)
    }

    /// Every canary of this patient, with what it stands for.
    pub fn canaries(&self) -> Vec<Canary> {
        let fields: [(&str, &str); 42] = [
            ("family name", &self.family_name),
            ("given names", &self.given_names),
            ("preferred name", &self.preferred_name),
            ("gender identity", &self.gender_identity),
            ("phone", &self.phone),
            ("email", &self.email),
            ("address line 1", &self.address_line1),
            ("address line 2", &self.address_line2),
            ("city", &self.city),
            ("region", &self.region),
            ("postal code", &self.postal_code),
            ("country", &self.country),
            ("emergency contact", &self.contact_name),
            ("emergency contact's relationship", &self.contact_relationship),
            ("emergency contact's phone", &self.contact_phone),
            ("insurer", &self.insurer),
            ("insurance member number", &self.member_id),
            ("front desk note", &self.front_desk_note),
            ("search text", &self.search_text),
            ("note (subjective)", &self.subjective),
            ("note (objective)", &self.objective),
            ("note (assessment)", &self.assessment),
            ("note (plan)", &self.plan),
            ("addendum", &self.addendum),
            ("allergy", &self.allergy_substance),
            ("allergy reaction", &self.allergy_reaction),
            ("medication", &self.medication_name),
            ("medication dose", &self.medication_dose),
            ("medication frequency", &self.medication_frequency),
            ("problem", &self.problem),
            ("emergency access reason", &self.emergency_reason),
            ("emergency access review", &self.review_comment),
            ("amendment request", &self.amendment_request),
            ("amendment decision", &self.amendment_reason),
            ("disclosure recipient", &self.disclosure_recipient),
            ("disclosure purpose", &self.disclosure_purpose),
            ("disclosed information", &self.disclosure_information),
            ("disclosure correction", &self.disclosure_correction),
            ("appointment reason", &self.appointment_reason),
            ("cancellation reason", &self.cancel_reason),
            ("date of birth", &self.date_of_birth),
            ("date of birth, day first", &self.date_of_birth_day_first()),
        ];
        let mut canaries: Vec<Canary> = fields.iter().map(|(what, text)| Canary::new(*what, *text)).collect();
        // The date of birth is one of some 13,000 days, which other tests' patients may have.
        for canary in canaries.iter_mut().filter(|canary| canary.what.starts_with("date of birth")) {
            canary.local = true;
        }
        let (day, month, year) = self.born();
        canaries.push(Canary::local("date of birth, month first", format!("{month}/{day}/{year}")));
        canaries.push(Canary::local("date of birth, dotted", format!("{day}.{month}.{year}")));
        for (what, number) in [("phone", &self.phone), ("emergency contact's phone", &self.contact_phone)] {
            let digits: String = number.chars().filter(char::is_ascii_digit).collect();
            canaries.push(Canary::new(format!("{what}, digits only"), digits));
        }
        if let Some(mrn) = &self.mrn {
            for context in [
                format!("MRN {mrn}"),
                format!("\"mrn\":\"{mrn}\""),
                format!("\"mrn\": \"{mrn}\""),
                format!("mrn={mrn}"),
                format!("data-mrn=\"{mrn}\""),
            ] {
                canaries.push(Canary::local("MRN in context", context));
            }
        }
        canaries
    }

    /// The patient as the app's `register_patient` command and the edit form take it.
    pub fn form(&self) -> Value {
        json!({
            "familyName": self.family_name, "givenNames": self.given_names, "preferredName": self.preferred_name,
            "dateOfBirth": self.date_of_birth, "sex": "female", "genderIdentity": self.gender_identity,
            "phones": [{ "kind": "mobile", "number": self.phone }], "email": self.email,
            "address": { "line1": self.address_line1, "line2": self.address_line2, "city": self.city,
                "region": self.region, "postalCode": self.postal_code, "country": self.country },
            "emergencyContact": { "name": self.contact_name, "relationship": self.contact_relationship,
                "phone": self.contact_phone },
            "insurance": { "payer": self.insurer, "memberId": self.member_id },
            "frontDeskNote": self.front_desk_note, "status": "active", "deceasedOn": ""
        })
    }

    /// The patient for the core's registration.
    pub fn draft(&self) -> chartkeep_clinic::patients::PatientDraft {
        use chartkeep_clinic::patients::{Address, EmergencyContact, Insurance, PatientDraft, PhoneDraft};
        PatientDraft {
            family_name: self.family_name.clone(),
            given_names: self.given_names.clone(),
            preferred_name: self.preferred_name.clone(),
            date_of_birth: self.date_of_birth.clone(),
            sex: "female".into(),
            gender_identity: self.gender_identity.clone(),
            phones: vec![PhoneDraft { kind: "mobile".into(), number: self.phone.clone() }],
            email: self.email.clone(),
            address: Address {
                line1: self.address_line1.clone(),
                line2: self.address_line2.clone(),
                city: self.city.clone(),
                region: self.region.clone(),
                postal_code: self.postal_code.clone(),
                country: self.country.clone(),
            },
            emergency_contact: EmergencyContact {
                name: self.contact_name.clone(),
                relationship: self.contact_relationship.clone(),
                phone: self.contact_phone.clone(),
            },
            insurance: Insurance { payer: self.insurer.clone(), member_id: self.member_id.clone() },
            front_desk_note: self.front_desk_note.clone(),
            status: "active".into(),
            deceased_on: String::new(),
        }
    }

    /// The patient as one row of Synthea's `patients.csv`, with its header: the fields that
    /// layout carries (names, date of birth, sex, address).
    pub fn synthea_csv(&self) -> String {
        let quoted = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
        format!(
            "Id,BIRTHDATE,DEATHDATE,SSN,PREFIX,FIRST,LAST,SUFFIX,MAIDEN,MARITAL,RACE,ETHNICITY,GENDER,BIRTHPLACE,ADDRESS,CITY,STATE,COUNTY,ZIP\n\
             canary-1,{},,,,{},{},,,,,,F,,{},{},{},,{}\n",
            self.date_of_birth,
            quoted(&self.given_names),
            quoted(&self.family_name),
            quoted(&self.address_line1),
            quoted(&self.city),
            quoted(&self.region),
            quoted(&self.postal_code),
        )
    }
}

impl Default for CanaryPatient {
    fn default() -> CanaryPatient {
        CanaryPatient::new()
    }
}
