//! How the columns of a CSV file become a patient's fields: a mapping names, for each column
//! used, the field it fills and (for dates) how the file writes them. A preset reads Synthea's
//! `patients.csv`; the Owner can save mappings of their own by name.

use serde::{Deserialize, Serialize};

use super::dates::{DateOrder, iso, parse_typed_date};
use super::record::{PatientDraft, PhoneDraft};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum ImportField {
    FamilyName,
    GivenNames,
    /// Added after the given names.
    MiddleName,
    PreferredName,
    DateOfBirth,
    Sex,
    GenderIdentity,
    MobilePhone,
    HomePhone,
    WorkPhone,
    Email,
    AddressLine1,
    AddressLine2,
    City,
    Region,
    PostalCode,
    Country,
    EmergencyContactName,
    EmergencyContactRelationship,
    EmergencyContactPhone,
    InsurancePayer,
    InsuranceMemberId,
    Note,
    /// A date of death makes the record "deceased".
    DateOfDeath,
}

/// How a column writes its dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum ColumnDateFormat {
    /// 1984-03-07
    Iso,
    /// 07/03/1984 or 7.3.1984
    DayFirst,
    /// 03/07/1984
    MonthFirst,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnMapping {
    /// The column's header, compared without regard to case or surrounding spaces.
    pub column: String,
    pub field: ImportField,
    #[serde(default)]
    pub date_format: Option<ColumnDateFormat>,
    /// A file without this column is still read (versions of a layout differ).
    #[serde(default)]
    pub optional: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportMapping {
    pub columns: Vec<ColumnMapping>,
    /// Synthea appends digits to names (Anna357); take them off.
    #[serde(default)]
    pub strip_name_digits: bool,
}

impl ImportMapping {
    /// The layout of Synthea's `patients.csv` (all versions: MIDDLE and the later columns are
    /// used when present).
    pub fn synthea() -> ImportMapping {
        let column = |column: &str, field, date_format, optional| ColumnMapping {
            column: column.to_owned(),
            field,
            date_format,
            optional,
        };
        let iso = Some(ColumnDateFormat::Iso);
        ImportMapping {
            columns: vec![
                column("LAST", ImportField::FamilyName, None, false),
                column("FIRST", ImportField::GivenNames, None, false),
                column("MIDDLE", ImportField::MiddleName, None, true),
                column("BIRTHDATE", ImportField::DateOfBirth, iso, false),
                column("DEATHDATE", ImportField::DateOfDeath, iso, true),
                column("GENDER", ImportField::Sex, None, false),
                column("ADDRESS", ImportField::AddressLine1, None, true),
                column("CITY", ImportField::City, None, true),
                column("STATE", ImportField::Region, None, true),
                column("ZIP", ImportField::PostalCode, None, true),
            ],
            strip_name_digits: true,
        }
    }

    /// The required columns of the mapping that the file lacks.
    pub fn missing_columns(&self, headers: &[String]) -> Vec<String> {
        self.columns
            .iter()
            .filter(|mapped| !mapped.optional && !headers.iter().any(|header| same_column(header, &mapped.column)))
            .map(|mapped| mapped.column.clone())
            .collect()
    }
}

pub fn same_column(header: &str, column: &str) -> bool {
    header.trim().eq_ignore_ascii_case(column.trim())
}

/// Takes off the digits Synthea appends to names ("José Eduardo181" becomes "José Eduardo").
pub fn strip_name_digits(name: &str) -> String {
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
    let digits = name.len() - base.len();
    if base.is_empty() || !(1..=3).contains(&digits) { name.to_owned() } else { base.trim_end().to_owned() }
}

/// A date from a column written as `format`, as ISO; text that is no date is kept as it is, so
/// validation names the row and the field.
fn date_of(value: &str, format: Option<ColumnDateFormat>) -> String {
    let parsed = match format.unwrap_or(ColumnDateFormat::Iso) {
        ColumnDateFormat::Iso => parse_typed_date(value, DateOrder::DayFirst).filter(|_| value.trim().contains('-')),
        ColumnDateFormat::DayFirst => parse_typed_date(value, DateOrder::DayFirst),
        ColumnDateFormat::MonthFirst => parse_typed_date(value, DateOrder::MonthFirst),
    };
    parsed.map(iso).unwrap_or_else(|| value.trim().to_owned())
}

fn sex_of(value: &str) -> String {
    match value.trim().to_ascii_lowercase().as_str() {
        "f" | "female" | "w" | "weiblich" => "female".to_owned(),
        "m" | "male" | "männlich" => "male".to_owned(),
        "x" | "i" | "intersex" | "divers" | "d" => "intersex".to_owned(),
        "" | "u" | "unknown" => String::new(),
        other => other.to_owned(),
    }
}

fn append(target: &mut String, value: &str) {
    if !value.is_empty() {
        if !target.is_empty() {
            target.push(' ');
        }
        target.push_str(value);
    }
}

/// One CSV record as a draft, through the mapping. `headers` are the file's headers.
pub fn draft_from(mapping: &ImportMapping, headers: &[String], record: &csv::StringRecord) -> PatientDraft {
    let mut draft = PatientDraft::default();
    let mut middle = String::new();
    for mapped in &mapping.columns {
        let Some(index) = headers.iter().position(|header| same_column(header, &mapped.column)) else { continue };
        let raw = record.get(index).unwrap_or_default().trim();
        if raw.is_empty() {
            continue;
        }
        let name = |text: &str| if mapping.strip_name_digits { strip_name_digits(text) } else { text.to_owned() };
        let phone = |kind: &str| PhoneDraft { kind: kind.to_owned(), number: raw.to_owned() };
        match mapped.field {
            ImportField::FamilyName => draft.family_name = name(raw),
            ImportField::GivenNames => append(&mut draft.given_names, &name(raw)),
            ImportField::MiddleName => append(&mut middle, &name(raw)),
            ImportField::PreferredName => draft.preferred_name = name(raw),
            ImportField::DateOfBirth => draft.date_of_birth = date_of(raw, mapped.date_format),
            ImportField::Sex => draft.sex = sex_of(raw),
            ImportField::GenderIdentity => draft.gender_identity = raw.to_owned(),
            ImportField::MobilePhone => draft.phones.push(phone("mobile")),
            ImportField::HomePhone => draft.phones.push(phone("home")),
            ImportField::WorkPhone => draft.phones.push(phone("work")),
            ImportField::Email => draft.email = raw.to_owned(),
            ImportField::AddressLine1 => {
                // A spreadsheet cell may hold the whole address on several lines.
                let mut lines = raw.lines().map(str::trim).filter(|line| !line.is_empty());
                draft.address.line1 = lines.next().unwrap_or_default().to_owned();
                let rest: Vec<&str> = lines.collect();
                if !rest.is_empty() && draft.address.line2.is_empty() {
                    draft.address.line2 = rest.join(", ");
                }
            }
            ImportField::AddressLine2 => draft.address.line2 = raw.to_owned(),
            ImportField::City => draft.address.city = raw.to_owned(),
            ImportField::Region => draft.address.region = raw.to_owned(),
            ImportField::PostalCode => draft.address.postal_code = raw.to_owned(),
            ImportField::Country => draft.address.country = raw.to_owned(),
            ImportField::EmergencyContactName => draft.emergency_contact.name = raw.to_owned(),
            ImportField::EmergencyContactRelationship => draft.emergency_contact.relationship = raw.to_owned(),
            ImportField::EmergencyContactPhone => draft.emergency_contact.phone = raw.to_owned(),
            ImportField::InsurancePayer => draft.insurance.payer = raw.to_owned(),
            ImportField::InsuranceMemberId => draft.insurance.member_id = raw.to_owned(),
            ImportField::Note => draft.front_desk_note = raw.to_owned(),
            ImportField::DateOfDeath => {
                draft.deceased_on = date_of(raw, mapped.date_format);
                draft.status = "deceased".to_owned();
            }
        }
    }
    append(&mut draft.given_names, &middle);
    draft
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn synthea_names_lose_their_digits_and_dates_their_format() {
        assert_eq!(strip_name_digits("José Eduardo181"), "José Eduardo");
        assert_eq!(strip_name_digits("Müller916"), "Müller");
        assert_eq!(strip_name_digits("Louis XIV"), "Louis XIV");
        assert_eq!(strip_name_digits("2024"), "2024", "digits alone stay");
        assert_eq!(date_of("07/03/1984", Some(ColumnDateFormat::DayFirst)), "1984-03-07");
        assert_eq!(date_of("03/07/1984", Some(ColumnDateFormat::MonthFirst)), "1984-03-07");
        assert_eq!(date_of("1984-03-07", Some(ColumnDateFormat::Iso)), "1984-03-07");
        assert_eq!(date_of("7.3.84", Some(ColumnDateFormat::DayFirst)), "7.3.84", "kept for validation to name");
    }

    #[test]
    fn a_synthea_row_becomes_a_draft() {
        let headers: Vec<String> = "Id,BIRTHDATE,DEATHDATE,FIRST,MIDDLE,LAST,GENDER,ADDRESS,CITY,STATE,ZIP"
            .split(',')
            .map(str::to_owned)
            .collect();
        let record = csv::StringRecord::from(vec![
            "x",
            "1941-11-23",
            "2019-06-02",
            "José Eduardo181",
            "",
            "Ortega866",
            "M",
            "1060 Kuhic Crossroad",
            "Springfield",
            "Massachusetts",
            "01104",
        ]);
        let draft = draft_from(&ImportMapping::synthea(), &headers, &record);
        assert_eq!((draft.family_name.as_str(), draft.given_names.as_str()), ("Ortega", "José Eduardo"));
        assert_eq!((draft.date_of_birth.as_str(), draft.deceased_on.as_str()), ("1941-11-23", "2019-06-02"));
        assert_eq!((draft.sex.as_str(), draft.status.as_str()), ("male", "deceased"));
        assert_eq!(draft.address.postal_code, "01104", "leading zeros stay");
    }
}
