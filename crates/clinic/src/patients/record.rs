//! A patient's record: what the front desk types (`PatientDraft`) and what is kept
//! (`PatientDetails`, stored as JSON in the patient row and in every version). Validation checks
//! every field and reports all problems at once, each with its field and a plain message.

use serde::{Deserialize, Serialize};
use time::Date;

use super::dates::{DateOrder, iso, parse_typed_date};
use super::search_keys::phone_digits;
use crate::error::{ClinicError, ClinicResult, FieldError};

/// What the user typed; empty text means "not given".
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PatientDraft {
    pub family_name: String,
    pub given_names: String,
    pub preferred_name: String,
    /// ISO, or the practice's order (07/03/1984), or dotted (7.3.1984).
    pub date_of_birth: String,
    /// "female", "male", "intersex", or empty for unknown.
    pub sex: String,
    pub gender_identity: String,
    pub phones: Vec<PhoneDraft>,
    pub email: String,
    pub address: Address,
    pub emergency_contact: EmergencyContact,
    pub insurance: Insurance,
    pub front_desk_note: String,
    /// "active", "inactive" or "deceased".
    pub status: String,
    pub deceased_on: String,
}

#[derive(Clone, Default, PartialEq, Eq)]
pub struct PhoneDraft {
    /// "mobile", "home", "work" or "other".
    pub kind: String,
    pub number: String,
}

#[derive(Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Debug, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum Sex {
    Female,
    Male,
    Intersex,
    #[default]
    Unknown,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The sex as a draft gives it: female, male, intersex, or empty or "unknown" when not known.
    /// None for anything else (a word from an imported file the mapping did not know).
    pub fn from_draft(text: &str) -> Option<Sex> {
        match text.trim() {
            "female" => Some(Sex::Female),
            "male" => Some(Sex::Male),
            "intersex" => Some(Sex::Intersex),
            "" | "unknown" => Some(Sex::Unknown),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Debug, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum PatientStatus {
    #[default]
    Active,
    Inactive,
    Deceased,
}

impl PatientStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// The status as a draft gives it, empty meaning active; none for anything else.
    pub fn from_draft(text: &str) -> Option<PatientStatus> {
        match text.trim() {
            "" | "active" => Some(PatientStatus::Active),
            "inactive" => Some(PatientStatus::Inactive),
            "deceased" => Some(PatientStatus::Deceased),
            _ => None,
        }
    }
}

/// Why a version of a record was written.
#[derive(Clone, Copy, PartialEq, Eq, Serialize, Debug, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum VersionChange {
    Registered,
    Updated,
    EnteredInError,
    Imported,
}

#[derive(
    Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, Debug, strum::IntoStaticStr, strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum PhoneKind {
    Mobile,
    Home,
    Work,
    #[default]
    Other,
}

#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Phone {
    pub kind: PhoneKind,
    /// As written, trimmed (+43 664 1234567).
    pub number: String,
}

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Address {
    pub line1: String,
    pub line2: String,
    pub city: String,
    pub region: String,
    pub postal_code: String,
    pub country: String,
}

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EmergencyContact {
    pub name: String,
    pub relationship: String,
    pub phone: String,
}

#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Insurance {
    pub payer: String,
    pub member_id: String,
}

/// A valid record, as kept. Empty text means "not given".
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PatientDetails {
    pub family_name: String,
    pub given_names: String,
    pub preferred_name: String,
    /// ISO date.
    pub date_of_birth: String,
    pub sex: Sex,
    pub gender_identity: String,
    pub phones: Vec<Phone>,
    pub email: String,
    pub address: Address,
    pub emergency_contact: EmergencyContact,
    pub insurance: Insurance,
    pub front_desk_note: String,
    pub status: PatientStatus,
    /// ISO date, only when deceased.
    pub deceased_on: String,
}

redacted!(PatientDraft, PhoneDraft, Phone, Address, EmergencyContact, Insurance, PatientDetails);

/// Collects field errors; one pass over the draft reports every problem.
#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.push(FieldError { field, message: message.into() });
    }

    /// Trimmed text of at most `max` characters on one line; `required` refuses it empty.
    fn line(&mut self, field: &'static str, label: &str, text: &str, max: usize, required: bool) -> String {
        let trimmed = text.trim();
        if required && trimmed.is_empty() {
            self.add(field, format!("Enter the {label}."));
        } else if trimmed.chars().count() > max {
            self.add(field, format!("The {label} can be at most {max} characters."));
        } else if trimmed.chars().any(char::is_control) {
            self.add(field, format!("The {label} must fit on one line."));
        }
        trimmed.to_owned()
    }

    fn phone(&mut self, field: &'static str, text: &str) -> String {
        let trimmed = text.trim();
        let allowed = |c: char| c.is_ascii_digit() || " +-()./".contains(c);
        let digits = phone_digits(trimmed).len();
        if !trimmed.is_empty() && (!trimmed.chars().all(allowed) || !(5..=15).contains(&digits)) {
            self.add(field, "A phone number has 5 to 15 digits, written with spaces, +, -, / or brackets.");
        }
        trimmed.to_owned()
    }

    fn date(&mut self, field: &'static str, label: &str, text: &str, order: DateOrder, today: Date) -> Option<Date> {
        let Some(date) = parse_typed_date(text, order) else {
            let example = match order {
                DateOrder::DayFirst => "1984-03-07, 07/03/1984 or 7.3.1984",
                DateOrder::MonthFirst => "1984-03-07, 03/07/1984 or 7.3.1984",
            };
            self.add(field, format!("Enter the {label} as a date, e.g. {example}."));
            return None;
        };
        if date > today {
            self.add(field, format!("The {label} cannot be in the future."));
        } else if date.year() < 1900 {
            self.add(field, format!("The {label} cannot be before 1900."));
        }
        Some(date)
    }
}

fn email_shape_is_right(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else { return false };
    let domain_parts: Vec<&str> = domain.split('.').collect();
    !local.is_empty()
        && local.len() <= 64
        && email.len() <= 254
        && !domain.contains('@')
        && domain_parts.len() >= 2
        && domain_parts.iter().all(|part| !part.is_empty())
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

impl PatientDraft {
    /// Checks every field against the practice's date order and today's date.
    pub fn validate(&self, order: DateOrder, today: Date) -> ClinicResult<PatientDetails> {
        let mut problems = Problems::default();
        let family_name = problems.line("family_name", "family name", &self.family_name, 100, true);
        let given_names = problems.line("given_names", "given names", &self.given_names, 100, false);
        let preferred_name = problems.line("preferred_name", "preferred name", &self.preferred_name, 100, false);
        let born = problems.date("date_of_birth", "date of birth", &self.date_of_birth, order, today);
        let sex = Sex::from_draft(&self.sex).unwrap_or_else(|| {
            problems.add("sex", "Choose female, male, intersex, or leave it unknown.");
            Sex::Unknown
        });
        let gender_identity = problems.line("gender_identity", "gender identity", &self.gender_identity, 100, false);
        if self.phones.len() > 5 {
            problems.add("phones", "Keep at most five phone numbers.");
        }
        let mut phones = Vec::new();
        for draft in self.phones.iter().filter(|phone| !phone.number.trim().is_empty()) {
            let kind = match draft.kind.trim() {
                // A number typed without saying what it is.
                "" => PhoneKind::Other,
                kind => kind.parse().unwrap_or_else(|_| {
                    problems.add("phones", "Say whether each phone is mobile, home, work or other.");
                    PhoneKind::Other
                }),
            };
            phones.push(Phone { kind, number: problems.phone("phones", &draft.number) });
        }
        let email = self.email.trim().to_owned();
        if !email.is_empty() && !email_shape_is_right(&email) {
            problems.add("email", "Enter an email address like name@example.org.");
        }
        let address = Address {
            line1: problems.line("address.line1", "street address", &self.address.line1, 200, false),
            line2: problems.line("address.line2", "second address line", &self.address.line2, 200, false),
            city: problems.line("address.city", "town or city", &self.address.city, 100, false),
            region: problems.line("address.region", "region", &self.address.region, 100, false),
            postal_code: problems.line("address.postal_code", "postal code", &self.address.postal_code, 20, false),
            country: problems.line("address.country", "country", &self.address.country, 100, false),
        };
        let contact = &self.emergency_contact;
        let emergency_contact = EmergencyContact {
            name: problems.line("emergency_contact.name", "emergency contact's name", &contact.name, 100, false),
            relationship: problems.line(
                "emergency_contact.relationship",
                "relationship",
                &contact.relationship,
                50,
                false,
            ),
            phone: problems.phone("emergency_contact.phone", &contact.phone),
        };
        if emergency_contact.name.is_empty()
            && !(emergency_contact.phone.is_empty() && emergency_contact.relationship.is_empty())
        {
            problems.add("emergency_contact.name", "Enter the emergency contact's name.");
        }
        let insurance = Insurance {
            payer: problems.line("insurance.payer", "insurer", &self.insurance.payer, 100, false),
            member_id: problems.line("insurance.member_id", "member number", &self.insurance.member_id, 50, false),
        };
        let front_desk_note = self.front_desk_note.trim().to_owned();
        if front_desk_note.chars().count() > 2000 {
            problems.add("front_desk_note", "The note can be at most 2000 characters.");
        }
        let status = PatientStatus::from_draft(&self.status).unwrap_or_else(|| {
            problems.add("status", "Choose active, inactive or deceased.");
            PatientStatus::Active
        });
        let deceased_on = match status {
            PatientStatus::Deceased => {
                let died = problems.date("deceased_on", "date of death", &self.deceased_on, order, today);
                if let (Some(died), Some(born)) = (died, born)
                    && died < born
                {
                    problems.add("deceased_on", "The date of death cannot be before the date of birth.");
                }
                died.map(iso).unwrap_or_default()
            }
            _ => {
                if !self.deceased_on.trim().is_empty() {
                    problems.add("deceased_on", "A date of death is kept only when the status is deceased.");
                }
                String::new()
            }
        };
        if !problems.0.is_empty() {
            return Err(ClinicError::InvalidFields(problems.0));
        }
        Ok(PatientDetails {
            family_name,
            given_names,
            preferred_name,
            date_of_birth: born.map(iso).unwrap_or_default(),
            sex,
            gender_identity,
            phones,
            email,
            address,
            emergency_contact,
            insurance,
            front_desk_note,
            status,
            deceased_on,
        })
    }
}

impl PatientDetails {
    /// The names of the fields that differ from `earlier`, for History and the audit trail.
    pub fn changed_fields(&self, earlier: &PatientDetails) -> Vec<&'static str> {
        let mut fields = Vec::new();
        let mut compare = |changed: bool, name: &'static str| {
            if changed {
                fields.push(name);
            }
        };
        compare(self.family_name != earlier.family_name, "family_name");
        compare(self.given_names != earlier.given_names, "given_names");
        compare(self.preferred_name != earlier.preferred_name, "preferred_name");
        compare(self.date_of_birth != earlier.date_of_birth, "date_of_birth");
        compare(self.sex != earlier.sex, "sex");
        compare(self.gender_identity != earlier.gender_identity, "gender_identity");
        compare(self.phones != earlier.phones, "phones");
        compare(self.email != earlier.email, "email");
        compare(self.address != earlier.address, "address");
        compare(self.emergency_contact != earlier.emergency_contact, "emergency_contact");
        compare(self.insurance != earlier.insurance, "insurance");
        compare(self.front_desk_note != earlier.front_desk_note, "front_desk_note");
        compare(self.status != earlier.status, "status");
        compare(self.deceased_on != earlier.deceased_on, "deceased_on");
        fields
    }

    pub fn date_of_birth(&self) -> Option<Date> {
        parse_typed_date(&self.date_of_birth, DateOrder::DayFirst)
    }
}
