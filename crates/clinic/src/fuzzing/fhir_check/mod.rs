//! A structural check of the FHIR R4 (4.0.1) Bundle the export writes, written from the
//! specification, not from the exporter: the resource types and their elements (nothing
//! unknown), ids, `urn:uuid:` full URLs that are unique and equal the resources' ids, references
//! that resolve to an entry of the right type, required elements, codes from their required
//! value sets, primitives in FHIR's formats (id, code, uri, date, dateTime, instant, base64Binary),
//! no empty values (ele-1), and the invariants that apply (ait-1/2, con-3/5, per-1, att-1,
//! cpt-2, pat-1). It returns every problem found, as text naming where it is.

mod resources;

use std::collections::HashMap;

use base64::Engine as _;
use serde_json::{Map, Value};

const ALLERGY_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical";
const ALLERGY_VERIFICATION: &str = "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification";
const CONDITION_CLINICAL: &str = "http://terminology.hl7.org/CodeSystem/condition-clinical";
const CONDITION_VERIFICATION: &str = "http://terminology.hl7.org/CodeSystem/condition-ver-status";

/// Every problem of `bundle`; empty when it is a valid collection Bundle of what the export holds.
pub fn check_bundle(bundle: &Value) -> Vec<String> {
    let mut check = Checker::default();
    check.no_empty_values("Bundle", bundle);
    check.bundle(bundle);
    check.problems
}

#[derive(Default)]
struct Checker {
    problems: Vec<String>,
    /// Full URL → resource type, of every entry.
    entries: HashMap<String, String>,
}

pub fn is_id(text: &str) -> bool {
    (1..=64).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// FHIR's `code`: `[^\s]+( [^\s]+)*`.
pub fn is_code(text: &str) -> bool {
    !text.is_empty() && text.split(' ').all(|part| !part.is_empty() && !part.chars().any(char::is_whitespace))
}

pub fn is_uri(text: &str) -> bool {
    !text.is_empty() && !text.chars().any(|c| c.is_whitespace() || c.is_control())
}

fn digits(text: &str, n: usize) -> Option<u32> {
    (text.len() == n && text.bytes().all(|b| b.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

/// FHIR's `date`: YYYY, YYYY-MM or YYYY-MM-DD, a real day, years 0001 to 9999.
pub fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    let Some(year) = parts.first().and_then(|year| digits(year, 4)) else { return false };
    if year == 0 || parts.len() > 3 {
        return false;
    }
    let Some(month) = parts.get(1).map(|month| digits(month, 2)) else { return true };
    let Some(month) = month.filter(|month| (1..=12).contains(month)) else { return false };
    let Some(day) = parts.get(2).map(|day| digits(day, 2)) else { return true };
    let (Some(day), Ok(month)) = (day, time::Month::try_from(month as u8)) else { return false };
    i32::try_from(year).is_ok_and(|year| time::Date::from_calendar_date(year, month, day as u8).is_ok())
}

/// The time and zone of a `dateTime` or `instant`: hh:mm:ss(.s+)(Z|±hh:mm).
fn is_time_and_zone(text: &str) -> bool {
    let (time, zone) = match text.find(['Z', '+', '-']) {
        Some(at) => text.split_at(at),
        None => return false,
    };
    let zone_ok = zone == "Z" || {
        let hours_minutes = &zone[1..];
        let parts: Vec<&str> = hours_minutes.split(':').collect();
        match parts.as_slice() {
            [hours, minutes] => match (digits(hours, 2), digits(minutes, 2)) {
                (Some(hours), Some(minutes)) => (hours < 14 && minutes < 60) || (hours == 14 && minutes == 0),
                _ => false,
            },
            _ => false,
        }
    };
    let (clock, fraction) = time.split_once('.').map_or((time, None), |(clock, fraction)| (clock, Some(fraction)));
    let fraction_ok =
        fraction.is_none_or(|fraction| !fraction.is_empty() && fraction.bytes().all(|b| b.is_ascii_digit()));
    let parts: Vec<&str> = clock.split(':').collect();
    let clock_ok = match parts.as_slice() {
        [hours, minutes, seconds] => matches!(
            (digits(hours, 2), digits(minutes, 2), digits(seconds, 2)),
            (Some(hours), Some(minutes), Some(seconds)) if hours < 24 && minutes < 60 && seconds <= 60
        ),
        _ => false,
    };
    zone_ok && fraction_ok && clock_ok
}

/// FHIR's `dateTime`: a `date`, or a full date with a time and a zone.
pub fn is_date_time(text: &str) -> bool {
    match text.split_once('T') {
        None => is_date(text),
        Some((date, rest)) => date.len() == 10 && is_date(date) && is_time_and_zone(rest),
    }
}

/// FHIR's `instant`: a full date, time with seconds, and zone.
pub fn is_instant(text: &str) -> bool {
    text.split_once('T').is_some_and(|(date, rest)| date.len() == 10 && is_date(date) && is_time_and_zone(rest))
}

impl Checker {
    fn problem(&mut self, at: &str, what: impl std::fmt::Display) {
        self.problems.push(format!("{at}: {what}"));
    }

    /// ele-1: every element has a value or children; JSON has no null, "", [] or {}.
    fn no_empty_values(&mut self, at: &str, value: &Value) {
        match value {
            Value::Null => self.problem(at, "null"),
            Value::String(text) if text.is_empty() => self.problem(at, "an empty string"),
            Value::Array(items) if items.is_empty() => self.problem(at, "an empty array"),
            Value::Object(fields) if fields.is_empty() => self.problem(at, "an empty object"),
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    self.no_empty_values(&format!("{at}[{index}]"), item);
                }
            }
            Value::Object(fields) => {
                for (key, item) in fields {
                    self.no_empty_values(&format!("{at}.{key}"), item);
                }
            }
            _ => {}
        }
    }

    fn object<'a>(
        &mut self,
        at: &str,
        value: &'a Value,
        allowed: &[&str],
        required: &[&str],
    ) -> Option<&'a Map<String, Value>> {
        let Some(fields) = value.as_object() else {
            self.problem(at, "not an object");
            return None;
        };
        for key in fields.keys() {
            if !allowed.contains(&key.as_str()) {
                self.problem(at, format_args!("unknown element {key}"));
            }
        }
        for key in required {
            if !fields.contains_key(*key) {
                self.problem(at, format_args!("{key} is required"));
            }
        }
        Some(fields)
    }

    fn array<'a>(&mut self, at: &str, value: Option<&'a Value>) -> &'a [Value] {
        match value {
            None => &[],
            Some(Value::Array(items)) => items,
            Some(_) => {
                self.problem(at, "not an array");
                &[]
            }
        }
    }

    fn string(&mut self, at: &str, value: Option<&Value>) -> Option<String> {
        match value? {
            Value::String(text) => Some(text.clone()),
            _ => {
                self.problem(at, "not a string");
                None
            }
        }
    }

    fn primitive(&mut self, at: &str, value: Option<&Value>, kind: &str, valid: fn(&str) -> bool) -> Option<String> {
        let text = self.string(at, value)?;
        if !valid(&text) {
            self.problem(at, format_args!("{text:?} is not a FHIR {kind}"));
        }
        Some(text)
    }

    fn code_in(&mut self, at: &str, value: Option<&Value>, allowed: &[&str]) -> Option<String> {
        let code = self.primitive(at, value, "code", is_code)?;
        if !allowed.contains(&code.as_str()) {
            self.problem(at, format_args!("{code:?} is not one of {allowed:?}"));
        }
        Some(code)
    }

    fn coding(&mut self, at: &str, value: &Value) -> Option<(Option<String>, Option<String>)> {
        let fields = self.object(at, value, &["system", "code", "display"], &[])?;
        let system = self.primitive(&format!("{at}.system"), fields.get("system"), "uri", is_uri);
        let code = self.primitive(&format!("{at}.code"), fields.get("code"), "code", is_code);
        self.string(&format!("{at}.display"), fields.get("display"));
        Some((system, code))
    }

    /// A CodeableConcept; returns its codings' (system, code).
    fn concept(&mut self, at: &str, value: Option<&Value>) -> Vec<(Option<String>, Option<String>)> {
        let Some(value) = value else { return Vec::new() };
        let Some(fields) = self.object(at, value, &["coding", "text"], &[]) else { return Vec::new() };
        self.string(&format!("{at}.text"), fields.get("text"));
        let codings = self.array(&format!("{at}.coding"), fields.get("coding"));
        codings
            .iter()
            .enumerate()
            .filter_map(|(index, coding)| self.coding(&format!("{at}.coding[{index}]"), coding))
            .collect()
    }

    /// A status concept bound to `system` with codes from `allowed`; returns the code.
    fn status_concept(&mut self, at: &str, value: Option<&Value>, system: &str, allowed: &[&str]) -> Option<String> {
        value?;
        let codings = self.concept(at, value);
        let mut found = None;
        for (coding_system, code) in codings {
            if coding_system.as_deref() == Some(system) {
                if let Some(code) = &code
                    && !allowed.contains(&code.as_str())
                {
                    self.problem(at, format_args!("{code:?} is not one of {allowed:?}"));
                }
                found = code;
            }
        }
        if found.is_none() {
            self.problem(at, format_args!("no coding from {system}"));
        }
        found
    }

    fn reference(&mut self, at: &str, value: Option<&Value>, target: &str) {
        let Some(value) = value else { return };
        let Some(fields) = self.object(at, value, &["reference"], &["reference"]) else { return };
        let Some(reference) = self.string(&format!("{at}.reference"), fields.get("reference")) else { return };
        match self.entries.get(&reference).cloned() {
            Some(kind) if kind == target => {}
            Some(kind) => self.problem(at, format_args!("refers to a {kind}, not a {target}")),
            None => self.problem(at, format_args!("{reference} is not an entry of the bundle")),
        }
    }

    fn contact_point(&mut self, at: &str, value: &Value) {
        let Some(fields) = self.object(at, value, &["system", "value", "use"], &[]) else { return };
        let system = ["phone", "fax", "email", "pager", "url", "sms", "other"];
        self.code_in(&format!("{at}.system"), fields.get("system"), &system);
        self.string(&format!("{at}.value"), fields.get("value"));
        self.code_in(&format!("{at}.use"), fields.get("use"), &["home", "work", "temp", "old", "mobile"]);
        if fields.contains_key("value") && !fields.contains_key("system") {
            self.problem(at, "cpt-2: a value without a system");
        }
    }

    fn bundle(&mut self, bundle: &Value) {
        let allowed = ["resourceType", "id", "type", "timestamp", "entry"];
        let Some(fields) = self.object("Bundle", bundle, &allowed, &["resourceType", "type"]) else { return };
        if fields.get("resourceType") != Some(&Value::from("Bundle")) {
            self.problem("Bundle.resourceType", "not Bundle");
        }
        self.primitive("Bundle.id", fields.get("id"), "id", is_id);
        self.code_in("Bundle.type", fields.get("type"), &["collection"]);
        self.primitive("Bundle.timestamp", fields.get("timestamp"), "instant", is_instant);
        let entries = self.array("Bundle.entry", fields.get("entry"));
        let mut resources = Vec::new();
        for (index, entry) in entries.iter().enumerate() {
            let at = format!("Bundle.entry[{index}]");
            let Some(entry) = self.object(&at, entry, &["fullUrl", "resource"], &["fullUrl", "resource"]) else {
                continue;
            };
            let (Some(full_url), Some(resource)) =
                (self.string(&format!("{at}.fullUrl"), entry.get("fullUrl")), entry.get("resource"))
            else {
                continue;
            };
            let uuid = full_url.strip_prefix("urn:uuid:").unwrap_or_default();
            if uuid::Uuid::parse_str(uuid).map(|parsed| parsed.to_string()).ok().as_deref() != Some(uuid) {
                self.problem(&at, format_args!("{full_url:?} is not a urn:uuid: full URL"));
            }
            if resource.get("id").and_then(Value::as_str) != Some(uuid) {
                self.problem(&at, "the resource's id is not its full URL's");
            }
            let kind = resource.get("resourceType").and_then(Value::as_str).unwrap_or_default().to_owned();
            if self.entries.insert(full_url.clone(), kind.clone()).is_some() {
                self.problem(&at, format_args!("bdl-7: {full_url} is not unique"));
            }
            resources.push((format!("{at}.resource"), kind, resource));
        }
        let patients = resources.iter().filter(|(_, kind, _)| kind == "Patient").count();
        if patients != 1 {
            self.problem("Bundle", format_args!("{patients} Patient resources, not one"));
        }
        for (at, kind, resource) in resources {
            match kind.as_str() {
                "Patient" => self.patient(&at, resource),
                "AllergyIntolerance" => self.allergy(&at, resource),
                "MedicationStatement" => self.medication(&at, resource),
                "Condition" => self.condition(&at, resource),
                "Encounter" => self.encounter(&at, resource),
                "DocumentReference" => self.document(&at, resource),
                other => self.problem(&at, format_args!("an unexpected resource type {other:?}")),
            }
        }
    }

    fn resource<'a>(
        &mut self,
        at: &str,
        resource: &'a Value,
        allowed: &[&str],
        required: &[&str],
    ) -> Option<&'a Map<String, Value>> {
        let fields = self.object(at, resource, allowed, required)?;
        self.primitive(&format!("{at}.id"), fields.get("id"), "id", is_id);
        Some(fields)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_primitives_follow_fhirs_formats() {
        assert!(is_date("1984") && is_date("1984-03") && is_date("1984-03-07"));
        assert!(!is_date("0000-01-01") && !is_date("1984-02-30") && !is_date("1984-3-7") && !is_date("-001-01-01"));
        assert!(is_date_time("2026-11-25T08:00:00.000Z") && is_date_time("2026-11-25T08:00:00+14:00"));
        assert!(!is_date_time("2026-11-25T08:00Z") && !is_date_time("2026-11-25T24:00:00Z"));
        assert!(!is_date_time("2026-11-25T08:00:00") && !is_date_time("2026-11-25T08:00:00+14:30"));
        assert!(is_instant("2026-11-25T08:00:00Z") && !is_instant("2026-11-25"));
        assert!(is_code("a b") && !is_code("a  b") && !is_code(" a") && !is_code(""));
        assert!(is_id("0b4c5d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e") && !is_id(&"a".repeat(65)) && !is_id("a_b"));
    }

    #[test]
    fn a_broken_bundle_is_caught() {
        let bundle = serde_json::json!({
            "resourceType": "Bundle", "id": "b", "type": "collection", "timestamp": "2026-11-25T08:00:00.000Z",
            "entry": [
                { "fullUrl": "urn:uuid:0b4c5d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e",
                  "resource": { "resourceType": "Patient", "id": "0b4c5d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e", "gender": "f" } },
                { "fullUrl": "urn:uuid:1b4c5d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e",
                  "resource": { "resourceType": "Condition", "id": "1b4c5d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e",
                      "subject": { "reference": "urn:uuid:2b4c5d9e-1f2a-4b3c-8d4e-5f6a7b8c9d0e" }, "note": "" } }
            ]
        });
        let problems = check_bundle(&bundle);
        let said = |part: &str| problems.iter().any(|problem| problem.contains(part));
        assert!(said("an empty string") && said("unknown element note") && said("not an entry of the bundle"));
        assert!(said("\"f\" is not one of"), "{problems:#?}");
    }
}
