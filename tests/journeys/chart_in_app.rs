//! The clinician's chart end to end in the real app: the Owner creates a Clinician; the
//! clinician signs in, opens a patient's chart (allergies not recorded), starts an encounter,
//! types a SOAP note and sees it autosaved (in Rust, not in the page), signs it (asked once) and
//! can no longer change it (no edit controls, and Rust refuses a direct save); records a severe
//! Penicillin allergy after a refused empty form and sees it in the banner; adds an addendum
//! under the signed note with author and time; changes the allergy and reads its History; prints
//! the summary and exports the FHIR bundle through the system's save dialog (driven with
//! xdotool under Xvfb) and checks both files; Ctrl+L right after typing in a new draft saves the
//! typing before it locks, and locking leaves nothing of the chart in the page. The patient is a
//! canary patient registered through the form, with a medication and a problem added through
//! the chart too; at the end none of the canaries is anywhere on disk but in the two files
//! saved on purpose (where, as a control, the scan finds them).

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::json;

use chartkeep_tests::canary::{Canary, Scanner};
use chartkeep_tests::canary_patient::{CanaryPatient, tag};
use chartkeep_tests::native_dialog;
use chartkeep_tests::webdriver::Browser;

use super::access_control_in_app::set_up_practice;
use super::canary_in_app::{assert_no_canary_left, canaries_of, choose, register_in_ui};
use super::front_desk_in_app::{create_user, first_sign_in, owner_turns_off_second_factor, search_until_found};
use super::in_app::{launch_app, report, screenshots};

const OWNER_PASSWORD: &str = "owner chart journey password Lp93";
const CLINICIAN_PASSWORD: &str = "clinician chart journey password Wd25";
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";

fn active_id(browser: &Browser) -> String {
    browser
        .script("return document.activeElement && document.activeElement.id;")
        .as_str()
        .unwrap_or_default()
        .to_owned()
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
    let mut patient = CanaryPatient::new();
    let last_typed = format!("Wheeze on forced expiry {}, typed just before locking", tag());
    let (assessment, addendum) = (patient.assessment.clone(), patient.addendum.clone());
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
    register_in_ui(&browser, &mut patient);
    let mrn = patient.mrn.clone().unwrap();
    let patient_id = search_until_found(&browser, "#patient-search-input", &mrn, &mrn);
    let (patient_id, mrn) = (patient_id.as_str(), mrn.as_str());
    browser.send_keys("#patient-search-input", ENTER);
    browser.wait_for("#patient-record");
    browser.click("#patient-chart");

    // An empty chart: the header and a calm "not recorded" banner.
    browser.wait_for("#chart-page #allergy-banner");
    assert!(!browser.is_present("#emergency-banner"), "a clinician needs no emergency access");
    let header = browser.text("#patient-header");
    assert!(
        header.contains(&patient.listed_name())
            && header.contains(mrn)
            && header.contains(&patient.date_of_birth_day_first()),
        "{header:?}"
    );
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
    type_into_note(&browser, "#note-subjective", &patient.subjective);
    type_into_note(&browser, "#note-objective", &patient.objective);
    type_into_note(&browser, "#note-assessment", &assessment);
    type_into_note(&browser, "#note-plan", &patient.plan);
    browser.wait_until("document.getElementById('note-save-status').dataset.state === 'saved'");
    let status = browser.text("#note-save-status");
    let saved_at = status.trim().strip_prefix("Saved at ").unwrap_or_default();
    assert!(is_clock_time(saved_at), "the draft says when it was saved: {status:?}");
    let stored = browser.invoke("encounter", json!({ "encounterId": encounter_id })).unwrap();
    assert_eq!(stored["note"]["assessment"], assessment.as_str(), "the autosave reached Rust");
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
    assert!(browser.text("#signed-note").contains(&assessment));
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
    assert_eq!(unchanged["note"]["assessment"], assessment.as_str(), "the signed note kept its text");

    // An allergy: the empty form is refused at its field; Penicillin, severe, then in the banner.
    browser.click("#allergy-add");
    browser.wait_for("#item-dialog[open]");
    browser.click("#item-save");
    browser.wait_for("#item-substance-error");
    assert_eq!(browser.text("#item-substance-error"), "Enter the substance.");
    assert_eq!(active_id(&browser), "item-substance", "focus on the field to fix");
    browser.screenshot(&screenshots().join("chart-3-allergy-error.png"));
    browser.type_into("#item-substance", &patient.allergy_substance);
    browser.type_into("#item-reaction", &patient.allergy_reaction);
    choose(&browser, "#item-severity", "severe");
    browser.click("#item-save");
    browser.wait_until("document.getElementById('item-dialog') === null");
    browser.wait_until("document.getElementById('allergy-banner').dataset.state === 'allergies'");
    let banner = browser.text("#allergy-banner");
    assert!(
        banner.contains(&patient.allergy_substance) && banner.to_lowercase().contains("severe"),
        "the banner: {banner:?}"
    );
    assert!(browser.is_present("#allergy-banner li.severe"), "a severe allergy is marked as such");
    let chart = browser.invoke("open_chart", json!({ "patientId": patient_id })).unwrap();
    assert_eq!(chart["allergyBanner"]["state"], "allergies", "Rust's banner: {}", chart["allergyBanner"]);

    // A medication and a problem, through the same dialog.
    browser.click("#medication-add");
    browser.wait_for("#item-dialog[open]");
    browser.type_into("#item-name", &patient.medication_name);
    browser.type_into("#item-dose", &patient.medication_dose);
    browser.type_into("#item-frequency", &patient.medication_frequency);
    browser.click("#item-save");
    browser.wait_until("document.getElementById('item-dialog') === null");
    browser.click("#problem-add");
    browser.wait_for("#item-dialog[open]");
    browser.type_into("#item-description", &patient.problem);
    browser.click("#item-save");
    browser.wait_until("document.getElementById('item-dialog') === null");
    let chart = browser.text("#chart-page");
    assert!(chart.contains(&patient.medication_name) && chart.contains(&patient.problem), "both listed: {chart:?}");

    // An addendum under the signed note, with its own author and time.
    browser.click("#addendum-add");
    browser.type_into("#addendum-text", &addendum);
    browser.click("#addendum-save");
    browser.wait_for("#addenda li");
    let shown = browser.text("#addenda li");
    assert!(shown.contains("Addendum by Cleo Clinician") && shown.contains(&addendum), "{shown:?}");
    let written_at = shown.lines().next().unwrap_or_default().rsplit(' ').next().unwrap_or_default().to_owned();
    assert!(is_clock_time(&written_at), "the addendum's time: {shown:?}");
    assert!(browser.text("#signed-note").contains(&assessment), "the note itself is unchanged");
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
    for expected in [&patient.listed_name(), &patient.allergy_substance, &assessment, &addendum] {
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
        json!(last_typed)
    ));
    browser.wait_for("#screen-locked");
    let page = browser.script("return document.documentElement.outerHTML;").to_string();
    for shown in [&patient.family_name, &patient.allergy_substance, &assessment, &addendum, &last_typed, mrn] {
        assert!(!page.contains(shown), "the lock screen still holds {shown:?}");
    }
    browser.type_into("#unlock-password", CLINICIAN_PASSWORD);
    browser.click("#unlock-submit");
    browser.wait_for("#screen-home");
    let draft = browser.invoke("encounter", json!({ "encounterId": last_encounter_id })).unwrap();
    assert_eq!(draft["note"]["subjective"], last_typed.as_str(), "the typing just before Ctrl+L was saved first");
    browser.quit();
    std::thread::sleep(Duration::from_millis(500));

    // Nothing of the patient on disk outside the two files saved on purpose; as a control, the
    // scan finds the canaries in the FHIR bundle saved on purpose (its fields as text; the note
    // base64-encoded, as a FHIR attachment).
    let (canaries, since) = canaries_of(&[&patient], &[Canary::new("typed before locking", last_typed.as_str())]);
    let saved = Scanner::new(&canaries).scan(&[&bundle_path]);
    let found: Vec<&str> = saved.findings.iter().map(|finding| finding.canary.what.as_str()).collect();
    for expected in ["family name", "date of birth", "allergy", "problem", "note (assessment)"] {
        assert!(found.contains(&expected), "the control finds the {expected} in the saved bundle: {found:?}");
    }
    let assessment_forms: Vec<&str> = saved
        .findings
        .iter()
        .filter(|finding| finding.canary.what == "note (assessment)")
        .map(|finding| finding.form.as_str())
        .collect();
    assert!(assessment_forms.iter().any(|form| form.contains("inside base64 text")), "{assessment_forms:?}");
    assert_no_canary_left("chart", root.path(), &canaries, since, &[&summary, &bundle_path]);
}
