//! Canary patients in the real app: registered through the front desk's form as a person would
//! type them, and the scan at the end of a journey of everything the app could have left.

use std::path::Path;

use serde_json::json;

use chartkeep_tests::canary::Canary;
use chartkeep_tests::canary_patient::CanaryPatient;
use chartkeep_tests::leak_check::assert_nothing_leaked;
use chartkeep_tests::webdriver::Browser;

use super::in_app::report;

const ESCAPE: &str = "\u{E00C}";

/// Chooses an option of a <select> as a person would (Svelte listens for `change`).
pub fn choose(browser: &Browser, css: &str, value: &str) {
    browser.wait_for(css);
    browser.script(&format!(
        "const select = document.querySelector({}); select.value = {}; select.dispatchEvent(new Event('change', {{ bubbles: true }}));",
        json!(css),
        json!(value)
    ));
}

/// From the front desk's home (a Clinician or Front desk user signed in): types the patient's
/// search text into the search box, where it finds no one, then registers the patient with
/// every field typed into the form, and comes back to the home. Records the MRN given.
pub fn register_in_ui(browser: &Browser, patient: &mut CanaryPatient) {
    browser.wait_for("#front-desk");
    browser.type_into("#patient-search-input", &patient.search_text);
    browser.wait_until("document.getElementById('patient-search-hint').innerText.includes('No patient found')");
    browser.send_keys("#patient-search-input", ESCAPE);
    browser.click("#register-patient-button");
    browser.wait_for("#register-patient");
    let fields = [
        ("family-name", &patient.family_name),
        ("given-names", &patient.given_names),
        ("preferred-name", &patient.preferred_name),
        ("date-of-birth", &patient.date_of_birth),
        ("gender-identity", &patient.gender_identity),
        ("phone-0", &patient.phone),
        ("email", &patient.email),
        ("address-line1", &patient.address_line1),
        ("address-line2", &patient.address_line2),
        ("address-postal-code", &patient.postal_code),
        ("address-city", &patient.city),
        ("address-region", &patient.region),
        ("address-country", &patient.country),
        ("emergency-contact-name", &patient.contact_name),
        ("emergency-contact-relationship", &patient.contact_relationship),
        ("emergency-contact-phone", &patient.contact_phone),
        ("insurance-payer", &patient.insurer),
        ("insurance-member-id", &patient.member_id),
        ("front-desk-note", &patient.front_desk_note),
    ];
    for (field, text) in fields {
        browser.type_into(&format!("#register-{field}"), text);
    }
    choose(browser, "#register-sex", "female");
    browser.wait_for("#duplicate-none");
    browser.click("#register-submit");
    browser.wait_for("#patient-record");
    let name = browser.text("#patient-name");
    assert!(name.starts_with(&patient.listed_name()), "the record shows the name as typed: {name:?}");
    patient.mrn = Some(browser.text("#patient-mrn").trim().to_owned());
    browser.click("#patient-back");
    browser.wait_for("#front-desk");
}

/// Every canary of `patients` and `more`, and when the first of them was made.
pub fn canaries_of(patients: &[&CanaryPatient], more: &[Canary]) -> (Vec<Canary>, std::time::SystemTime) {
    let mut canaries: Vec<Canary> = patients.iter().flat_map(|patient| patient.canaries()).collect();
    canaries.extend_from_slice(more);
    let since = patients.iter().map(|patient| patient.made_at).min().unwrap_or_else(std::time::SystemTime::now);
    (canaries, since)
}

/// The scan at a journey's end: the test's own folder `root` (data folder and logs, the app's
/// TMPDIR, its private HOME) and the shared folders hold none of the canaries, except the
/// files in `excluded` (saved on purpose by the user, or the test's own input). Reports the
/// scan's figures.
pub fn assert_no_canary_left(
    test: &str,
    root: &Path,
    canaries: &[Canary],
    since: std::time::SystemTime,
    excluded: &[&Path],
) {
    let scanned = assert_nothing_leaked(canaries, since, &[root], excluded);
    report(test, &format!("canary scan of {} canaries: {}", canaries.len(), scanned.figures()));
}
