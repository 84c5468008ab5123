//! The clinician's chart end to end in the real app: the Owner creates a Clinician; the
//! clinician signs in, opens a patient's chart (allergies not recorded), starts an encounter,
//! types a SOAP note and sees it autosaved (in Rust, not in the page), signs it (asked once) and
//! can no longer change it (no edit controls, and Rust refuses a direct save); records a severe
//! Penicillin allergy after a refused empty form and sees it in the banner; adds an addendum
//! under the signed note with author and time; changes the allergy and reads its History; prints
//! the summary and exports the FHIR bundle through the system's save dialog (driven with
//! xdotool under Xvfb) and checks both files; Ctrl+L right after typing in a new draft saves the
//! typing before it locks, and locking leaves nothing of the chart in the page.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

use chartkeep_tests::canary::find_canaries;
use chartkeep_tests::native_dialog;
use chartkeep_tests::webdriver::Browser;

use super::access_control_in_app::set_up_practice;
use super::front_desk_in_app::{create_user, first_sign_in, owner_turns_off_second_factor, search_until_found};
use super::in_app::{launch_app, report, screenshots};

const OWNER_PASSWORD: &str = "owner chart journey password Lp93";
const CLINICIAN_PASSWORD: &str = "clinician chart journey password Wd25";
const LAST_TYPED: &str = "Wheeze on forced expiry, typed just before locking";
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";
const ASSESSMENT: &str = "Community-acquired pneumonia, right lower lobe";
const ADDENDUM: &str = "Chest X-ray reported: right lower lobe consolidation, as assessed.";

/// A synthetic patient's form as the registration command takes it.
fn patient_form() -> serde_json::Value {
    json!({
        "familyName": "Okonkwo", "givenNames": "Ifeoma", "preferredName": "",
        "dateOfBirth": "1948-06-19", "sex": "female", "genderIdentity": "", "phones": [], "email": "",
        "address": { "line1": "", "line2": "", "city": "", "region": "", "postalCode": "", "country": "" },
        "emergencyContact": { "name": "", "relationship": "", "phone": "" },
        "insurance": { "payer": "", "memberId": "" },
        "frontDeskNote": "", "status": "active", "deceasedOn": ""
    })
}

fn active_id(browser: &Browser) -> String {
    browser
        .script("return document.activeElement && document.activeElement.id;")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Chooses an option of a <select> as a person would (Svelte listens for `change`).
fn choose(browser: &Browser, css: &str, value: &str) {
    browser.wait_for(css);
    browser.script(&format!(
        "const select = document.querySelector({}); select.value = {}; select.dispatchEvent(new Event('change', {{ bubbles: true }}));",
        json!(css),
        json!(value)
    ));
}

/// Types into a part of the draft note, scrolled to the middle of the window first: the draft's
/// bar (Sign, Discard, the save status) stays at the bottom and would cover a field WebDriver
/// scrolls only just into view.
fn type_into_note(browser: &Browser, css: &str, text: &str) {
    browser.wait_for(css);
    browser.script(&format!("document.querySelector({}).scrollIntoView({{ block: 'center' }});", json!(css)));
    browser.type_into(css, text);
}

/// Waits until a file exists and is no longer growing (Rust renames it into place when done).
fn wait_for_file(path: &Path) {
    let started = Instant::now();
    while !path.exists() {
        assert!(started.elapsed() < Duration::from_secs(30), "{} was not saved", path.display());
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn is_clock_time(text: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 5 && bytes[2] == b':' && text.replace(':', "").chars().all(|c| c.is_ascii_digit())
}

#[test]
fn a_clinician_writes_signs_and_amends_a_note_records_an_allergy_and_prints_the_summary() {
    let root = tempfile::tempdir().unwrap();
    let (data_dir, temp, out) = (root.path().join("data"), root.path().join("tmp"), root.path().join("out"));
    std::fs::create_dir_all(&temp).unwrap();
    std::fs::create_dir_all(&out).unwrap();
    let browser = launch_app(&data_dir, &temp);
    set_up_practice(&browser, "Chart Journey Practice", "Olu Owner", OWNER_PASSWORD);
    browser.set_window_size(1280, 800);
    owner_turns_off_second_factor(&browser);
    let clinician_password = create_user(&browser, "Cleo Clinician", "cleo", "clinician");
    browser.click("#sign-out-button");

    first_sign_in(&browser, "cleo", &clinician_password, CLINICIAN_PASSWORD);
    browser.wait_for("#front-desk");
    let registered =
        browser.invoke("register_patient", json!({ "form": patient_form(), "confirmedNewDespite": [] })).unwrap();
    let (patient_id, mrn) = (registered["id"].as_str().unwrap(), registered["mrn"].as_str().unwrap());
    search_until_found(&browser, "#patient-search-input", mrn, mrn);
    browser.send_keys("#patient-search-input", ENTER);
    browser.wait_for("#patient-record");
    browser.click("#patient-chart");

    // An empty chart: the header and a calm "not recorded" banner.
    browser.wait_for("#chart-page #allergy-banner");
    assert!(!browser.is_present("#emergency-banner"), "a clinician needs no emergency access");
    let header = browser.text("#patient-header");
    assert!(header.contains("Okonkwo, Ifeoma") && header.contains(mrn) && header.contains("19/06/1948"), "{header:?}");
    assert!(browser.text("#allergy-banner").contains("Allergies not recorded"), "nothing recorded yet");
    browser.wait_for("#encounters-none");
    browser.screenshot(&screenshots().join("chart-1-empty.png"));

    // A new encounter: a draft that autosaves while the clinician types.
    browser.click("#chart-new-encounter");
    browser.wait_for("#new-encounter-dialog[open]");
    browser.click("#new-encounter-start");
    browser.wait_for("#draft-note");
    browser.wait_until("document.activeElement && document.activeElement.id === 'note-subjective'");
    let encounter_id = browser
        .script("return document.getElementById('draft-note').dataset.encounterId;")
        .as_str()
        .unwrap()
        .to_owned();
    type_into_note(&browser, "#note-subjective", "Cough and fever for four days, short of breath on stairs.");
    type_into_note(&browser, "#note-objective", "Temperature 38.4, crackles at the right base, SpO2 94%.");
    type_into_note(&browser, "#note-assessment", ASSESSMENT);
    type_into_note(&browser, "#note-plan", "Amoxicillin; chest X-ray; review in 48 hours.");
    browser.wait_until("document.getElementById('note-save-status').dataset.state === 'saved'");
    let status = browser.text("#note-save-status");
    let saved_at = status.trim().strip_prefix("Saved at ").unwrap_or_default();
    assert!(is_clock_time(saved_at), "the draft says when it was saved: {status:?}");
    let stored = browser.invoke("encounter", json!({ "encounterId": encounter_id })).unwrap();
    assert_eq!(stored["note"]["assessment"], ASSESSMENT, "the autosave reached Rust");
    assert_eq!(stored["signed"], false);
    report("chart", &status);
    browser.screenshot(&screenshots().join("chart-2-draft.png"));

    // Signing asks once and says it can no longer change; then the note is read only.
    browser.click("#note-sign");
    browser.wait_for("#sign-dialog[open]");
    assert!(browser.text("#sign-dialog").contains("can no longer change"));
    browser.click("#sign-confirm");
    browser.wait_for("#signed-note");
    let signature = browser.text("#signed-note-by");
    assert!(signature.contains("Signed by Cleo Clinician"), "who signed: {signature:?}");
    assert!(browser.text("#signed-note").contains(ASSESSMENT));
    assert!(
        !browser.is_present("#draft-note")
            && !browser.is_present("#signed-note textarea")
            && !browser.is_present("#note-sign"),
        "no edit controls on a signed note"
    );
    let refused = browser
        .invoke(
            "save_draft_note",
            json!({ "encounterId": encounter_id, "kind": "visit", "note": {
                "subjective": "", "objective": "", "assessment": "Changed after signing", "plan": "", "freeText": "" } }),
        )
        .unwrap_err();
    assert_eq!(
        (refused["code"].as_str(), refused["field"].as_str()),
        (Some("invalid_input"), Some("note")),
        "{refused}"
    );
    let unchanged = browser.invoke("encounter", json!({ "encounterId": encounter_id })).unwrap();
    assert_eq!(unchanged["note"]["assessment"], ASSESSMENT, "the signed note kept its text");

    // An allergy: the empty form is refused at its field; Penicillin, severe, then in the banner.
    browser.click("#allergy-add");
    browser.wait_for("#item-dialog[open]");
    browser.click("#item-save");
    browser.wait_for("#item-substance-error");
    assert_eq!(browser.text("#item-substance-error"), "Enter the substance.");
    assert_eq!(active_id(&browser), "item-substance", "focus on the field to fix");
    browser.screenshot(&screenshots().join("chart-3-allergy-error.png"));
    browser.type_into("#item-substance", "Penicillin");
    browser.type_into("#item-reaction", "Hives and swelling of the lips");
    choose(&browser, "#item-severity", "severe");
    browser.click("#item-save");
    browser.wait_until("document.getElementById('item-dialog') === null");
    browser.wait_until("document.getElementById('allergy-banner').dataset.state === 'allergies'");
    let banner = browser.text("#allergy-banner");
    assert!(banner.contains("Penicillin") && banner.to_lowercase().contains("severe"), "the banner: {banner:?}");
    assert!(browser.is_present("#allergy-banner li.severe"), "a severe allergy is marked as such");
    let chart = browser.invoke("open_chart", json!({ "patientId": patient_id })).unwrap();
    assert_eq!(chart["allergyBanner"]["state"], "allergies", "Rust's banner: {}", chart["allergyBanner"]);

    // An addendum under the signed note, with its own author and time.
    browser.click("#addendum-add");
    browser.type_into("#addendum-text", ADDENDUM);
    browser.click("#addendum-save");
    browser.wait_for("#addenda li");
    let addendum = browser.text("#addenda li");
    assert!(addendum.contains("Addendum by Cleo Clinician") && addendum.contains(ADDENDUM), "{addendum:?}");
    let written_at = addendum.lines().next().unwrap_or_default().rsplit(' ').next().unwrap_or_default().to_owned();
    assert!(is_clock_time(&written_at), "the addendum's time: {addendum:?}");
    assert!(browser.text("#signed-note").contains(ASSESSMENT), "the note itself is unchanged");
    browser.screenshot(&screenshots().join("chart-4-signed-with-addendum.png"));

    // A change to the allergy is a new version; History shows who, when and what changed.
    let allergy_id = browser
        .script("return document.querySelector('#chart-allergies li.item').id.replace('item-', '');")
        .as_str()
        .unwrap()
        .to_owned();
    browser.click(&format!("#item-edit-{allergy_id}"));
    browser.wait_for("#item-dialog[open]");
    browser.type_into("#item-reaction", "Anaphylaxis in 2019");
    browser.click("#item-save");
    browser.wait_until("document.getElementById('item-dialog') === null");
    browser.click(&format!("#item-history-{allergy_id}"));
    browser.wait_for("#item-version-2");
    let history = browser.text("#item-history");
    for expected in ["Version 2", "Changed", "Version 1", "Recorded", "Cleo Clinician (cleo)", "Anaphylaxis in 2019"] {
        assert!(history.contains(expected), "History shows {expected:?}: {history:?}");
    }
    browser.screenshot(&screenshots().join("chart-5-allergy-history.png"));
    browser.send_keys("#item-history-close", ESCAPE);
    browser.wait_until("document.getElementById('item-history-dialog') === null");
    assert_eq!(active_id(&browser), format!("item-history-{allergy_id}"), "focus back on History");

    // The summary PDF through the system's save dialog.
    browser.click("#chart-print");
    browser.wait_for("#print-dialog[open]");
    assert_eq!(browser.script("return document.getElementById('print-count').value;"), "5");
    browser.click("#print-save");
    let summary = out.join("summary.pdf");
    native_dialog::save_as(&browser, "Save the patient summary", &summary);
    browser.wait_for("#chart-notice");
    let notice = browser.text("#chart-notice");
    assert!(notice.contains("1 signed encounter") && notice.contains(&summary.display().to_string()), "{notice:?}");
    wait_for_file(&summary);
    browser.screenshot(&screenshots().join("chart-6-summary-saved.png"));
    let text = Command::new("pdftotext").arg(&summary).arg("-").output().unwrap();
    // Words as printed, whatever the line breaks.
    let text = String::from_utf8_lossy(&text.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in ["Okonkwo, Ifeoma", "Penicillin", ASSESSMENT, ADDENDUM] {
        assert!(text.contains(expected), "the summary holds {expected:?}: {text}");
    }
    assert!(
        text.contains("Printed by") && text.contains("Cleo Clinician (cleo)"),
        "the summary says who printed it: {text}"
    );
    let pages = screenshots().join("chart-7-summary-pdf");
    let rendered =
        Command::new("pdftoppm").args(["-png", "-r", "60", "-f", "1", "-l", "1"]).arg(&summary).arg(&pages).status();
    assert!(rendered.is_ok_and(|status| status.success()), "pdftoppm renders the summary");

    // The FHIR bundle the same way.
    browser.click("#chart-notice button");
    browser.click("#chart-export-fhir");
    let bundle_path = out.join("record.json");
    native_dialog::save_as(&browser, "Export the record as FHIR", &bundle_path);
    browser.wait_for("#chart-notice");
    assert!(browser.text("#chart-notice").contains(&bundle_path.display().to_string()));
    wait_for_file(&bundle_path);
    let bundle: serde_json::Value = serde_json::from_slice(&std::fs::read(&bundle_path).unwrap()).unwrap();
    assert_eq!(bundle["resourceType"], "Bundle");
    let types: Vec<&str> = bundle["entry"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|entry| entry["resource"]["resourceType"].as_str())
        .collect();
    for expected in ["Patient", "AllergyIntolerance", "Encounter"] {
        assert!(types.contains(&expected), "the bundle has a {expected}: {types:?}");
    }
    report(
        "chart",
        &format!(
            "summary {} bytes, FHIR bundle of {} entries",
            std::fs::metadata(&summary).unwrap().len(),
            types.len()
        ),
    );

    // Ctrl+L a moment after typing, before the autosave's pause: what was typed is saved first,
    // and locking leaves nothing of the chart in the page.
    browser.click("#chart-new-encounter");
    browser.wait_for("#new-encounter-dialog[open]");
    browser.click("#new-encounter-start");
    browser.wait_for("#draft-note");
    let last_encounter_id = browser
        .script("return document.getElementById('draft-note').dataset.encounterId;")
        .as_str()
        .unwrap()
        .to_owned();
    browser.script(&format!(
        "const field = document.getElementById('note-subjective');
         field.value = {};
         field.dispatchEvent(new Event('input', {{ bubbles: true }}));
         window.dispatchEvent(new KeyboardEvent('keydown', {{ key: 'l', ctrlKey: true, bubbles: true }}));",
        json!(LAST_TYPED)
    ));
    browser.wait_for("#screen-locked");
    let page = browser.script("return document.documentElement.outerHTML;").to_string();
    for shown in ["Okonkwo", "Penicillin", ASSESSMENT, ADDENDUM, LAST_TYPED, mrn] {
        assert!(!page.contains(shown), "the lock screen still holds {shown:?}");
    }
    browser.type_into("#unlock-password", CLINICIAN_PASSWORD);
    browser.click("#unlock-submit");
    browser.wait_for("#screen-home");
    let draft = browser.invoke("encounter", json!({ "encounterId": last_encounter_id })).unwrap();
    assert_eq!(draft["note"]["subjective"], LAST_TYPED, "the typing just before Ctrl+L was saved before the lock");
    browser.quit();
    std::thread::sleep(Duration::from_millis(500));

    // Nothing of the chart in plaintext on disk outside the files saved on purpose: not in the
    // data folder, the app's temporary folder, or the webview's data and the file chooser's
    // recent files below the private HOME (scripts/with-private-keyring).
    let home = std::path::PathBuf::from(std::env::var_os("HOME").unwrap());
    let leaks = find_canaries(
        &[&data_dir, &temp, &home],
        &[ASSESSMENT, ADDENDUM, LAST_TYPED, "Hives and swelling of the lips"],
    );
    assert_eq!(leaks, [], "chart text found in plaintext on disk");
}
