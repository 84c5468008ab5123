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

/// An item as kept. Text left empty means "not given".
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ItemData {
    Allergy {
        substance: String,
        reaction: String,
        severity: String,
        status: String,
    },
    /// "No known allergies", recorded as a statement with who and when.
    NoKnownAllergies {
        status: String,
    },
    Medication {
        name: String,
        dose: String,
        route: String,
        frequency: String,
        start: String,
        stop: String,
        status: String,
    },
    Problem {
        description: String,
        icd10: String,
        onset: String,
        status: String,
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

    pub fn status(&self) -> &str {
        match self {
            ItemData::Allergy { status, .. }
            | ItemData::NoKnownAllergies { status }
            | ItemData::Medication { status, .. }
            | ItemData::Problem { status, .. } => status,
        }
    }

    /// Whether the item counts as current (shown in the chart's lists and the allergy banner).
    pub fn is_current(&self) -> bool {
        matches!(self.status(), "active" | "on_hold")
    }

    pub(crate) fn with_status(&self, new_status: &str) -> ItemData {
        let mut changed = self.clone();
        match &mut changed {
            ItemData::Allergy { status, .. }
            | ItemData::NoKnownAllergies { status }
            | ItemData::Medication { status, .. }
            | ItemData::Problem { status, .. } => *status = new_status.to_owned(),
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
        severity: String,
        status: String,
    },
    NoKnownAllergies,
    Medication {
        name: String,
        dose: String,
        route: String,
        frequency: String,
        start: String,
        stop: String,
        status: String,
    },
    Problem {
        description: String,
        icd10: String,
        onset: String,
        status: String,
    },
}

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

    fn choice(&mut self, field: &'static str, value: &str, allowed: &[&str], default: &str) -> String {
        let value = value.trim();
        if value.is_empty() {
            return default.to_owned();
        }
        if !allowed.contains(&value) {
            self.0.push(FieldError {
                field,
                message: format!("Choose one of: {}.", allowed.join(", ").replace('_', " ")),
            });
        }
        value.to_owned()
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
                severity: problems.choice("severity", severity, &["mild", "moderate", "severe"], ""),
                status: problems.choice("status", status, &["active", "inactive", "resolved"], "active"),
            },
            ItemDraft::NoKnownAllergies => ItemData::NoKnownAllergies { status: "active".to_owned() },
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
                    status: problems.choice("status", status, &["active", "stopped", "completed", "on_hold"], "active"),
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
                    status: problems.choice("status", status, &["active", "inactive", "resolved"], "active"),
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
            status: "maybe".into(),
        };
        let Err(ClinicError::InvalidFields(errors)) = bad.validate(DateOrder::DayFirst, today) else { panic!() };
        let fields: Vec<&str> = errors.iter().map(|error| error.field).collect();
        assert_eq!(fields, ["stop", "name", "status"]);
        let problem = ItemDraft::Problem {
            description: "Asthma".into(),
            icd10: "j45.909".into(),
            onset: "".into(),
            status: "".into(),
        };
        let ItemData::Problem { icd10, status, .. } = problem.validate(DateOrder::DayFirst, today).unwrap() else {
            panic!()
        };
        assert_eq!((icd10.as_str(), status.as_str()), ("J45.909", "active"));
        assert!(!icd10_shape_is_right("45J") && icd10_shape_is_right("E11") && !icd10_shape_is_right("E11.123456"));
    }
}
