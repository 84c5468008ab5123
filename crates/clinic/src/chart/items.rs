//! Allergies, medications and problems: what a clinician types for each, checked field by
//! field, and what is kept (as JSON in the item and in every version).

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::{ClinicError, ClinicResult, FieldError};
use crate::patients::dates::{DateOrder, iso, parse_typed_date};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum ChartItemKind {
    Allergy,
    Medication,
    Problem,
}

impl ChartItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ChartItemKind::Allergy => "allergy",
            ChartItemKind::Medication => "medication",
            ChartItemKind::Problem => "problem",
        }
    }

    pub fn data_category(self) -> &'static str {
        match self {
            ChartItemKind::Allergy => "allergy_list",
            ChartItemKind::Medication => "medication_list",
            ChartItemKind::Problem => "problem_list",
        }
    }
}

/// Why a version of an item was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum ItemChange {
    Recorded,
    Updated,
    EnteredInError,
    Amended,
    Superseded,
}

/// Where an item stands. Allergies and problems are active, inactive or resolved; medications are
/// active, stopped, completed or on hold; "no known allergies" is active until an allergy is
/// recorded. Which statuses a kind takes is checked when a draft is validated.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum ItemStatus {
    #[default]
    Active,
    Inactive,
    Resolved,
    Stopped,
    Completed,
    OnHold,
}

impl ItemStatus {
    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// How severe an allergic reaction is; not given when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum AllergySeverity {
    Mild,
    Moderate,
    Severe,
}

impl AllergySeverity {
    pub const ALL: [AllergySeverity; 3] = [AllergySeverity::Mild, AllergySeverity::Moderate, AllergySeverity::Severe];

    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// A severity kept as text, empty when not given, so items recorded before it was a type read
/// back unchanged.
mod severity_as_text {
    use serde::{Deserialize, Deserializer, Serializer};

    use super::AllergySeverity;

    pub fn serialize<S: Serializer>(severity: &Option<AllergySeverity>, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(severity.map_or("", AllergySeverity::as_str))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<AllergySeverity>, D::Error> {
        let text = String::deserialize(deserializer)?;
        match text.as_str() {
            "" => Ok(None),
            known => known.parse().map(Some).map_err(|_| serde::de::Error::custom("an unknown severity")),
        }
    }
}

/// An item as kept. Text left empty means "not given".
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemData {
    Allergy {
        substance: String,
        reaction: String,
        #[serde(with = "severity_as_text")]
        severity: Option<AllergySeverity>,
        status: ItemStatus,
    },
    /// "No known allergies", recorded as a statement with who and when.
    NoKnownAllergies {
        status: ItemStatus,
    },
    Medication {
        name: String,
        dose: String,
        route: String,
        frequency: String,
        start: String,
        stop: String,
        status: ItemStatus,
    },
    Problem {
        description: String,
        icd10: String,
        onset: String,
        status: ItemStatus,
    },
}

impl std::fmt::Debug for ItemData {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ItemData([redacted])")
    }
}

impl ItemData {
    pub fn kind(&self) -> ChartItemKind {
        match self {
            ItemData::Allergy { .. } | ItemData::NoKnownAllergies { .. } => ChartItemKind::Allergy,
            ItemData::Medication { .. } => ChartItemKind::Medication,
            ItemData::Problem { .. } => ChartItemKind::Problem,
        }
    }

    pub fn status(&self) -> ItemStatus {
        match self {
            ItemData::Allergy { status, .. }
            | ItemData::NoKnownAllergies { status }
            | ItemData::Medication { status, .. }
            | ItemData::Problem { status, .. } => *status,
        }
    }

    /// Whether the item counts as current (shown in the chart's lists and the allergy banner).
    pub fn is_current(&self) -> bool {
        matches!(self.status(), ItemStatus::Active | ItemStatus::OnHold)
    }

    pub(crate) fn with_status(&self, new_status: ItemStatus) -> ItemData {
        let mut changed = self.clone();
        match &mut changed {
            ItemData::Allergy { status, .. }
            | ItemData::NoKnownAllergies { status }
            | ItemData::Medication { status, .. }
            | ItemData::Problem { status, .. } => *status = new_status,
        }
        changed
    }
}

/// What the clinician types. Dates in ISO or the practice's form.
#[derive(Clone, PartialEq, Eq)]
pub enum ItemDraft {
    Allergy {
        substance: String,
        reaction: String,
        severity: Option<AllergySeverity>,
        status: ItemStatus,
    },
    NoKnownAllergies,
    Medication {
        name: String,
        dose: String,
        route: String,
        frequency: String,
        start: String,
        stop: String,
        status: ItemStatus,
    },
    Problem {
        description: String,
        icd10: String,
        onset: String,
        status: ItemStatus,
    },
}

/// The statuses an allergy or a problem takes.
const LIST_STATUSES: &[ItemStatus] = &[ItemStatus::Active, ItemStatus::Inactive, ItemStatus::Resolved];

/// The statuses a medication takes.
const MEDICATION_STATUSES: &[ItemStatus] =
    &[ItemStatus::Active, ItemStatus::Stopped, ItemStatus::Completed, ItemStatus::OnHold];

impl std::fmt::Debug for ItemDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ItemDraft([redacted])")
    }
}

#[derive(Default)]
struct Problems(Vec<FieldError>);

impl Problems {
    fn text(&mut self, field: &'static str, label: &str, value: &str, max: usize, required: bool) -> String {
        let value = value.trim();
        if required && value.is_empty() {
            self.0.push(FieldError { field, message: format!("Enter the {label}.") });
        } else if value.chars().count() > max {
            self.0.push(FieldError { field, message: format!("The {label} can be at most {max} characters.") });
        }
        value.to_owned()
    }

    fn status(&mut self, status: ItemStatus, allowed: &[ItemStatus]) -> ItemStatus {
        if !allowed.contains(&status) {
            let words: Vec<&str> = allowed.iter().map(|allowed| allowed.as_str()).collect();
            self.0.push(FieldError {
                field: "status",
                message: format!("Choose one of: {}.", words.join(", ").replace('_', " ")),
            });
        }
        status
    }

    fn date(
        &mut self,
        field: &'static str,
        label: &str,
        value: &str,
        order: DateOrder,
        today: Date,
    ) -> (String, Option<Date>) {
        let value = value.trim();
        if value.is_empty() {
            return (String::new(), None);
        }
        match parse_typed_date(value, order) {
            Some(date) if date.year() < 1900 => {
                self.0.push(FieldError { field, message: format!("The {label} cannot be before 1900.") });
                (String::new(), None)
            }
            Some(date) if date > today + time::Duration::days(366) => {
                self.0.push(FieldError { field, message: format!("The {label} is too far in the future.") });
                (String::new(), None)
            }
            Some(date) => (iso(date), Some(date)),
            None => {
                self.0.push(FieldError { field, message: format!("Enter the {label} as a date, e.g. 2026-11-25.") });
                (String::new(), None)
            }
        }
    }
}

/// An ICD-10 code's shape: a letter, two digits, optionally a dot and one to four characters.
fn icd10_shape_is_right(code: &str) -> bool {
    let bytes = code.as_bytes();
    let head = bytes.len() >= 3
        && bytes[0].is_ascii_uppercase()
        && bytes[1].is_ascii_digit()
        && bytes[2].is_ascii_alphanumeric();
    let tail = match code.get(3..) {
        None | Some("") => true,
        Some(rest) => {
            rest.starts_with('.')
                && (2..=5).contains(&rest.len())
                && rest[1..].chars().all(|c| c.is_ascii_alphanumeric())
        }
    };
    head && tail
}

impl ItemDraft {
    pub fn validate(&self, order: DateOrder, today: Date) -> ClinicResult<ItemData> {
        let mut problems = Problems::default();
        let data = match self {
            ItemDraft::Allergy { substance, reaction, severity, status } => ItemData::Allergy {
                substance: problems.text("substance", "substance", substance, 200, true),
                reaction: problems.text("reaction", "reaction", reaction, 500, false),
                severity: *severity,
                status: problems.status(*status, LIST_STATUSES),
            },
            ItemDraft::NoKnownAllergies => ItemData::NoKnownAllergies { status: ItemStatus::Active },
            ItemDraft::Medication { name, dose, route, frequency, start, stop, status } => {
                let (start, started) = problems.date("start", "start date", start, order, today);
                let (stop, stopped) = problems.date("stop", "stop date", stop, order, today);
                if let (Some(started), Some(stopped)) = (started, stopped)
                    && stopped < started
                {
                    problems.0.push(FieldError {
                        field: "stop",
                        message: "The stop date comes before the start.".to_owned(),
                    });
                }
                ItemData::Medication {
                    name: problems.text("name", "medication", name, 200, true),
                    dose: problems.text("dose", "dose", dose, 100, false),
                    route: problems.text("route", "route", route, 50, false),
                    frequency: problems.text("frequency", "frequency", frequency, 100, false),
                    start,
                    stop,
                    status: problems.status(*status, MEDICATION_STATUSES),
                }
            }
            ItemDraft::Problem { description, icd10, onset, status } => {
                let code = icd10.trim().to_uppercase();
                if !code.is_empty() && !icd10_shape_is_right(&code) {
                    problems.0.push(FieldError {
                        field: "icd10",
                        message: "An ICD-10 code looks like J45 or J45.909.".to_owned(),
                    });
                }
                ItemData::Problem {
                    description: problems.text("description", "problem", description, 500, true),
                    icd10: code,
                    onset: problems.date("onset", "onset", onset, order, today).0,
                    status: problems.status(*status, LIST_STATUSES),
                }
            }
        };
        if problems.0.is_empty() { Ok(data) } else { Err(ClinicError::InvalidFields(problems.0)) }
    }
}

/// The names of the fields that differ, for History and the audit trail.
pub fn changed_fields(new: &ItemData, old: &ItemData) -> Vec<&'static str> {
    let as_json = |data: &ItemData| serde_json::to_value(data).unwrap_or_default();
    let (new, old) = (as_json(new), as_json(old));
    let names: [&'static str; 14] = [
        "substance",
        "reaction",
        "severity",
        "status",
        "name",
        "dose",
        "route",
        "frequency",
        "start",
        "stop",
        "description",
        "icd10",
        "onset",
        "kind",
    ];
    names.into_iter().filter(|name| new.get(name) != old.get(name)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn items_are_checked_field_by_field() {
        let today = date!(2026 - 11 - 25);
        let bad = ItemDraft::Medication {
            name: " ".into(),
            dose: "5 mg".into(),
            route: "oral".into(),
            frequency: "daily".into(),
            start: "2026-11-01".into(),
            stop: "2026-10-01".into(),
            status: ItemStatus::Resolved,
        };
        let Err(ClinicError::InvalidFields(errors)) = bad.validate(DateOrder::DayFirst, today) else { panic!() };
        let fields: Vec<&str> = errors.iter().map(|error| error.field).collect();
        assert_eq!(fields, ["stop", "name", "status"]);
        assert_eq!(errors[2].message, "Choose one of: active, stopped, completed, on hold.");
        let problem = ItemDraft::Problem {
            description: "Asthma".into(),
            icd10: "j45.909".into(),
            onset: "".into(),
            status: ItemStatus::Active,
        };
        let ItemData::Problem { icd10, status, .. } = problem.validate(DateOrder::DayFirst, today).unwrap() else {
            panic!()
        };
        assert_eq!((icd10.as_str(), status.as_str()), ("J45.909", "active"));
        let wrong_status = ItemDraft::Allergy {
            substance: "Penicillin".into(),
            reaction: String::new(),
            severity: Some(AllergySeverity::Severe),
            status: ItemStatus::OnHold,
        };
        let Err(ClinicError::InvalidFields(errors)) = wrong_status.validate(DateOrder::DayFirst, today) else {
            panic!()
        };
        assert_eq!(errors[0].message, "Choose one of: active, inactive, resolved.");
        assert!(!icd10_shape_is_right("45J") && icd10_shape_is_right("E11") && !icd10_shape_is_right("E11.123456"));
    }

    /// Items are kept as JSON; a severity not given stays the empty text it always was, and a
    /// status or severity the code does not know is refused when read, never taken for another.
    #[test]
    fn items_are_kept_as_the_same_text() {
        let allergy = ItemData::Allergy {
            substance: "Latex".into(),
            reaction: String::new(),
            severity: None,
            status: ItemStatus::OnHold,
        };
        let json = serde_json::to_string(&allergy).unwrap();
        assert_eq!(json, r#"{"kind":"allergy","substance":"Latex","reaction":"","severity":"","status":"on_hold"}"#);
        assert_eq!(serde_json::from_str::<ItemData>(&json).unwrap(), allergy);
        let severe = json.replace(r#""severity":"""#, r#""severity":"severe""#);
        let read: ItemData = serde_json::from_str(&severe).unwrap();
        assert!(matches!(read, ItemData::Allergy { severity: Some(AllergySeverity::Severe), .. }));
        assert!(serde_json::from_str::<ItemData>(&json.replace("on_hold", "paused")).is_err());
        assert!(serde_json::from_str::<ItemData>(&severe.replace("severe", "fatal")).is_err());
    }
}
