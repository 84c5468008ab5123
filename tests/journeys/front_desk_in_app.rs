//! The front desk end to end in the real app: the Owner sets up the practice and creates a
//! Front desk user and a Clinician; the Front desk user chooses a password, is refused a form
//! with several wrong fields (each message under its field), registers Anna Müller, is warned
//! when starting to register "Mueller Anna 1984-03-07" and opens the existing record from the
//! warning instead; finds her by date of birth and by phone digits written another way (and
//! opens her with the keyboard); books her with the clinician today (an overlapping second
//! booking is warned about) and checks her in. Locking leaves nothing of her in the page. A
//! canary patient is registered through the form too, the disclosure, amendment and
//! appointment texts are canaries, and at the end none of them is anywhere on disk.

use serde_json::json;

use chartkeep_tests::canary_patient::CanaryPatient;
use chartkeep_tests::webdriver::Browser;

use super::access_control_in_app::set_up_practice;
use super::canary_in_app::{assert_no_canary_left, canaries_of, register_in_ui};
use super::in_app::{launch_app, report, screenshots};

const OWNER_PASSWORD: &str = "owner front desk password Hx27";
const DESK_PASSWORD: &str = "front desk journey password Qe58";
const ESCAPE: &str = "\u{E00C}";
const ENTER: &str = "\u{E007}";

pub fn sign_in(browser: &Browser, username: &str, password: &str) {
    browser.wait_for("#screen-login");
    browser.type_into("#login-username", username);
    browser.type_into("#login-password", password);
    browser.click("#login-submit");
}

/// Turns off the Owner's two-step sign-in requirement, so the Owner can sign in again without
/// an authenticator app.
pub fn owner_turns_off_second_factor(browser: &Browser) {
    browser.click("#nav-settings");
    browser.wait_for("#setting-mfa-owner");
    if browser.script("return document.getElementById('setting-mfa-owner').checked;") == json!(true) {
        browser.click("#setting-mfa-owner");
    }
    browser.click("#settings-save");
    browser.wait_for("#settings-saved");
}

/// The Owner creates a user with one role on the Users view; returns the temporary password.
pub fn create_user(browser: &Browser, full_name: &str, username: &str, role: &str) -> String {
    browser.click("#nav-users");
    browser.type_into("#new-user-full-name", full_name);
    browser.type_into("#new-user-username", username);
    browser.click(&format!("#new-user-role-{role}"));
    browser.click("#new-user-submit");
    let temporary_password = browser.text("#issued-password-text").trim().to_owned();
    browser.click("#issued-password-done");
    browser.wait_for(&format!("#user-row-{username}"));
    temporary_password
}

/// First sign-in with a temporary password: choose `password`, arrive at home.
pub fn first_sign_in(browser: &Browser, username: &str, temporary_password: &str, password: &str) {
    sign_in(browser, username, temporary_password);
    browser.wait_for("#screen-change-password");
    browser.type_into("#current-password", temporary_password);
    browser.type_into("#new-password", password);
    browser.type_into("#new-password-repeat", password);
    browser.click("#change-password-submit");
    browser.wait_for("#screen-home");
}

/// Types into a patient search box (`#…-input`) and waits for the result of the patient with
/// `mrn` in that box's own list (`#…-results`); returns the patient's id.
pub fn search_until_found(browser: &Browser, search_box: &str, query: &str, mrn: &str) -> String {
    browser.type_into(search_box, query);
    let results = search_box.strip_suffix("-input").map(|prefix| format!("{prefix}-results")).unwrap();
    let result = format!("{results} li[role=option][data-mrn='{mrn}']");
    browser.wait_for(&result);
    browser
        .script(&format!("return document.querySelector({}).dataset.patientId;", json!(result)))
        .as_str()
        .unwrap()
        .to_owned()
}

fn active_id(browser: &Browser) -> String {
    browser
        .script("return document.activeElement && document.activeElement.id;")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

#[test]
fn the_front_desk_registers_finds_books_and_checks_in_a_patient() {
    let mut patient = CanaryPatient::new();
    let root = tempfile::tempdir().unwrap();
    let (data_dir, temp) = (root.path().join("data"), root.path().join("tmp"));
    std::fs::create_dir_all(&temp).unwrap();
    let browser = launch_app(&data_dir, &temp);
    set_up_practice(&browser, "Front Desk Journey Practice", "Olu Owner", OWNER_PASSWORD);
    browser.set_window_size(1280, 800);
    owner_turns_off_second_factor(&browser);
    let desk_password = create_user(&browser, "Dee Desk", "desk", "front_desk");
    create_user(&browser, "Cleo Clinician", "cleo", "clinician");
    browser.click("#sign-out-button");

    first_sign_in(&browser, "desk", &desk_password, DESK_PASSWORD);
    browser.wait_for("#front-desk");
    browser.wait_until("document.activeElement && document.activeElement.id === 'patient-search-input'");
    browser.wait_for("#day-schedule [id^='clinician-'] h3");
    assert!(browser.text("#day-schedule").contains("Cleo Clinician"), "a column for the clinician");
    browser.screenshot(&screenshots().join("front-desk-1-home.png"));
    register_in_ui(&browser, &mut patient);

    // A form with several wrong fields: each message under its own field.
    browser.click("#register-patient-button");
    browser.wait_for("#register-patient");
    browser.wait_until("document.activeElement && document.activeElement.id === 'register-family-name'");
    browser.type_into("#register-email", "not an address");
    browser.click("#register-submit");
    browser.wait_for("#register-family-name-error");
    assert_eq!(browser.text("#register-family-name-error"), "Enter the family name.");
    assert!(browser.text("#register-date-of-birth-error").starts_with("Enter the date of birth as a date"));
    assert!(browser.text("#register-email-error").contains("name@example.org"));
    assert_eq!(active_id(&browser), "register-family-name", "focus on the first field to fix");
    browser.screenshot(&screenshots().join("front-desk-2-register-errors.png"));

    // Anna Müller, registered.
    browser.type_into("#register-family-name", "Müller");
    browser.type_into("#register-given-names", "Anna");
    browser.type_into("#register-date-of-birth", "07.03.1984");
    browser.type_into("#register-phone-0", "+43 664 1234567");
    browser.type_into("#register-email", "anna.mueller@example.org");
    browser.wait_for("#duplicate-none");
    browser.click("#register-submit");
    browser.wait_for("#patient-record");
    let mrn = browser.text("#patient-mrn").trim().to_owned();
    assert_eq!(browser.text("#patient-name"), "Müller, Anna");
    assert!(browser.text("#patient-notice").contains(&format!("Registered with MRN {mrn}")));
    assert!(browser.text("#patient-born").starts_with("07/03/1984"), "the date in the practice's order");
    report("front desk", &format!("registered MRN {mrn}"));
    browser.screenshot(&screenshots().join("front-desk-3-record.png"));

    // A change is a new version; History shows the field before and after.
    browser.click("#patient-edit");
    browser.wait_for("#edit-patient");
    browser.type_into("#edit-email", "anna@example.org");
    browser.click("#edit-save");
    browser.wait_until("document.getElementById('patient-notice')?.innerText === 'Changes saved.'");
    browser.click("#patient-tab-history");
    let email_change = "#history-version-2 tr[data-field='email']";
    browser.wait_for(email_change);
    let changed = browser.text(email_change);
    assert!(changed.contains("anna.mueller@example.org") && changed.contains("anna@example.org"), "{changed:?}");
    assert!(browser.text("#history-version-2").contains("by Dee Desk (desk)"), "who changed it");
    browser.screenshot(&screenshots().join("front-desk-3a-history.png"));

    // A disclosure, and its correction shown beside it.
    browser.click("#patient-tab-disclosures");
    browser.click("#disclosure-record");
    browser.wait_for("#disclosure-dialog[open]");
    browser.type_into("#disclosure-recipient", &patient.disclosure_recipient);
    browser.type_into("#disclosure-purpose", &patient.disclosure_purpose);
    browser.type_into("#disclosure-information", &patient.disclosure_information);
    browser.click("#disclosure-submit");
    browser.wait_for("#patient-disclosures article");
    let first = browser.script("return document.querySelector('#patient-disclosures article').id;");
    let first = first.as_str().unwrap().replace("disclosure-", "");
    browser.click(&format!("#disclosure-correct-{first}"));
    browser.wait_for("#disclosure-dialog[open]");
    browser.type_into("#disclosure-recipient", "National Insurance");
    browser.type_into("#disclosure-reason", &patient.disclosure_correction);
    browser.click("#disclosure-submit");
    browser.wait_until("document.querySelectorAll('#patient-disclosures .chain article').length === 2");
    assert!(browser.text(&format!("#disclosure-{first}")).contains("corrected"), "the original is marked corrected");
    browser.screenshot(&screenshots().join("front-desk-3b-disclosures.png"));

    // An amendment request, decided.
    browser.click("#patient-tab-amendments");
    browser.click("#amendment-record");
    browser.wait_for("#amendment-dialog[open]");
    browser.type_into("#amendment-requested-change", &patient.amendment_request);
    browser.click("#amendment-submit");
    browser.wait_for("#patient-amendments li[data-decision='open']");
    browser.click("#patient-amendments li[data-decision='open'] button");
    browser.wait_for("#decide-dialog[open]");
    browser.click("#decide-denied");
    browser.type_into("#decide-reason", &patient.amendment_reason);
    browser.click("#decide-submit");
    browser.wait_for("#patient-amendments li[data-decision='denied']");
    browser.screenshot(&screenshots().join("front-desk-3c-amendments.png"));

    // "Mueller Anna 1984-03-07": the warning names her while the form fills.
    browser.click("#patient-back");
    browser.click("#register-patient-button");
    browser.type_into("#register-family-name", "Mueller");
    browser.type_into("#register-given-names", "Anna");
    browser.type_into("#register-date-of-birth", "1984-03-07");
    let candidate = format!("#duplicate-panel li[data-mrn='{mrn}']");
    browser.wait_for(&candidate);
    let warned = browser.text(&candidate);
    assert!(warned.contains("Müller, Anna") && warned.contains("Same date of birth, similar name"), "{warned:?}");
    browser.click("#register-submit");
    browser.wait_for("#duplicate-warning");
    assert!(browser.text("#duplicate-warning").contains(&mrn), "Rust's warning names the MRN");
    assert!(browser.is_present("#duplicate-confirm-new"), "\"This is a new patient\" is offered");
    browser.screenshot(&screenshots().join("front-desk-4-duplicate-warning.png"));
    let patient_id = browser
        .script(&format!("return document.querySelector({}).id.replace('duplicate-candidate-', '');", json!(candidate)))
        .as_str()
        .unwrap()
        .to_owned();
    browser.click(&format!("#duplicate-open-{patient_id}"));
    browser.wait_for("#patient-record");
    assert_eq!(browser.text("#patient-mrn").trim(), mrn, "the existing record opened instead");

    // Found by date of birth; Escape clears; found by phone digits written another way, opened
    // with the keyboard.
    browser.click("#patient-back");
    browser.wait_for("#front-desk");
    let found = search_until_found(&browser, "#patient-search-input", "07/03/1984", &mrn);
    assert_eq!(found, patient_id);
    let result = browser.text(&format!("#patient-search-results li[data-mrn='{mrn}']"));
    assert!(result.contains("Müller, Anna") && result.contains("07/03/1984") && result.contains(&mrn), "{result:?}");
    browser.screenshot(&screenshots().join("front-desk-5-search.png"));
    browser.send_keys("#patient-search-input", ESCAPE);
    browser.wait_until("document.getElementById('patient-search-input').value === ''");
    assert!(!browser.is_present("#patient-search-results li"), "Escape clears the results");
    search_until_found(&browser, "#patient-search-input", "0664 / 123 45-67", &mrn);
    browser.send_keys("#patient-search-input", ENTER);
    browser.wait_for("#patient-record");
    assert_eq!(browser.text("#patient-mrn").trim(), mrn);

    // Booked with the clinician today, then checked in.
    browser.click("#patient-back");
    browser.wait_for("#day-schedule");
    browser.wait_until("!document.getElementById('day-book').disabled");
    browser.click("#day-book");
    browser.wait_for("#book-dialog[open]");
    search_until_found(&browser, "#book-patient-search-input", &mrn, &mrn);
    browser.send_keys("#book-patient-search-input", ENTER);
    browser.wait_for("#book-patient");
    browser.type_into("#book-reason", &patient.appointment_reason);
    browser.click("#book-submit");
    let card = format!("#day-schedule article[data-patient-id='{patient_id}']");
    browser.wait_for(&card);
    browser.wait_until("document.getElementById('book-dialog') === null");
    let appointment_id = browser
        .script(&format!("return document.querySelector({}).id.replace('appointment-', '');", json!(card)))
        .as_str()
        .unwrap()
        .to_owned();
    assert!(browser.text(&card).contains("Booked"), "booked: {}", browser.text(&card));

    // The same time again: Rust warns of the overlap and the dialog offers "Book anyway".
    browser.click("#day-book");
    browser.wait_for("#book-dialog[open]");
    search_until_found(&browser, "#book-patient-search-input", &mrn, &mrn);
    browser.send_keys("#book-patient-search-input", ENTER);
    browser.wait_for("#book-patient");
    browser.click("#book-submit");
    browser.wait_for("#book-overlap");
    assert!(browser.text("#book-overlap").contains("Cleo Clinician already has a booking"));
    assert!(browser.is_present("#book-anyway"));
    browser.screenshot(&screenshots().join("front-desk-6-overlap.png"));
    browser.click("#book-cancel");
    browser.wait_until("document.getElementById('book-dialog') === null");

    browser.click(&format!("#appointment-{appointment_id}-check-in"));
    browser.wait_until(&format!(
        "document.getElementById('appointment-{appointment_id}').dataset.status === 'checked_in'"
    ));
    assert_eq!(browser.text(&format!("#appointment-{appointment_id}-status")).trim(), "Checked in");
    assert!(browser.is_present(&format!("#appointment-{appointment_id}-start")), "Start comes next");
    browser.screenshot(&screenshots().join("front-desk-7-checked-in.png"));

    // A walk-in is checked in at once; cancelling it takes a reason.
    browser.click("#day-walk-in");
    browser.wait_for("#walk-in-dialog[open]");
    search_until_found(&browser, "#walk-in-patient-search-input", &mrn, &mrn);
    browser.send_keys("#walk-in-patient-search-input", ENTER);
    browser.type_into("#walk-in-reason", "Sore throat");
    browser.screenshot(&screenshots().join("front-desk-8-walk-in.png"));
    browser.click("#walk-in-submit");
    browser.wait_until(&format!("document.querySelectorAll(\"{card}\").length === 2"));
    let walk_in_id = browser
        .script(&format!(
            "return [...document.querySelectorAll(\"{card}\")].map((a) => a.id.replace('appointment-', '')).find((id) => id !== {});",
            json!(appointment_id)
        ))
        .as_str()
        .unwrap()
        .to_owned();
    assert!(browser.text(&format!("#appointment-{walk_in_id}")).contains("Walk-in"));
    assert_eq!(browser.text(&format!("#appointment-{walk_in_id}-status")).trim(), "Checked in");
    browser.click(&format!("#appointment-{walk_in_id}-cancel"));
    browser.wait_for("#cancel-dialog[open]");
    browser.click("#cancel-submit");
    browser.wait_for("#cancel-reason-error");
    browser.type_into("#cancel-reason", &patient.cancel_reason);
    browser.screenshot(&screenshots().join("front-desk-9-cancel.png"));
    browser.click("#cancel-submit");
    browser.wait_until(&format!("document.getElementById('appointment-{walk_in_id}').dataset.status === 'cancelled'"));

    // The record lists both, newest first, from the patient's name in the day view.
    browser.click(&format!("#appointment-{appointment_id} .name"));
    browser.wait_for("#patient-record");
    browser.click("#patient-tab-appointments");
    browser.wait_until("document.querySelectorAll('#patient-appointments li[data-status]').length === 2");
    browser.screenshot(&screenshots().join("front-desk-10-record-appointments.png"));
    browser.click("#patient-back");
    browser.wait_for("#front-desk");

    // Locking leaves nothing of the patient in the page.
    browser.click("#lock-button");
    browser.wait_for("#screen-locked");
    let page = browser.script("return document.documentElement.outerHTML;").to_string();
    for shown in ["Müller", mrn.as_str(), &patient.appointment_reason, "Cleo Clinician"] {
        assert!(!page.contains(shown), "the lock screen still holds {shown:?}");
    }
    browser.type_into("#unlock-password", DESK_PASSWORD);
    browser.click("#unlock-submit");
    browser.wait_for("#front-desk");
    assert_eq!(browser.script("return document.getElementById('patient-search-input').value;"), "", "nothing kept");
    browser.quit();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let (canaries, since) = canaries_of(&[&patient], &[]);
    assert_no_canary_left("front desk", root.path(), &canaries, since, &[]);
}
