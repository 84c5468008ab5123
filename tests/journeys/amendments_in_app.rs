//! A patient's right to amend, end to end in the real app. The front desk records a request
//! about an allergy (it cannot read the chart, so it says in the text which one). A clinician
//! accepts it: the allergy's form opens with what it says now; someone else's change meanwhile
//! is explained and reloaded; an empty substance is refused under its field; the corrected
//! allergy is saved as a new version linked to the request, which History marks as made for it,
//! and the request shows "Accepted" with that new version. The clinician names the allergy in a
//! second request (and denies it), and accepts one about a signed note with an amending
//! addendum, marked as made for the request. The front desk sees the request accepted without
//! reading the chart, and accepts one about the patient's details, which then open to be
//! corrected. Dates are shown and typed in the practice's order (day first here), also in the
//! New encounter dialog. The patient is a canary patient the clinician registers through the
//! form, the first request and its decision are canaries too, and at the end none of them is
//! anywhere on disk.

use serde_json::json;

use chartkeep_tests::canary_patient::CanaryPatient;
use chartkeep_tests::webdriver::Browser;

use super::access_control_in_app::set_up_practice;
use super::canary_in_app::{assert_no_canary_left, canaries_of, register_in_ui};
use super::front_desk_in_app::{
    create_user, first_sign_in, owner_turns_off_second_factor, search_until_found, sign_in,
};
use super::in_app::{launch_app, report, screenshots};

const OWNER_PASSWORD: &str = "owner amendment journey password Tg41";
const CLINICIAN_PASSWORD: &str = "clinician amendment journey password Rk77";
const DESK_PASSWORD: &str = "front desk amendment journey password Mv30";
const ENTER: &str = "\u{E007}";
const ESCAPE: &str = "\u{E00C}";
const NOTE_ASKED: &str = "The note says I smoke; I stopped in 2015.";
const NOTE_ADDENDUM: &str = "Amended at the patient's request: ex-smoker, stopped in 2015.";

fn allergy_form(substance: &str, reaction: &str) -> serde_json::Value {
    json!({
        "kind": "allergy", "substance": substance, "reaction": reaction, "severity": "severe", "status": "active",
        "name": "", "dose": "", "route": "", "frequency": "", "start": "", "stop": "",
        "description": "", "icd10": "", "onset": ""
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

/// Empties a text field as a person would (Svelte listens for `input`).
fn empty(browser: &Browser, css: &str) {
    browser.wait_for(css);
    browser.script(&format!(
        "const field = document.querySelector({}); field.value = ''; field.dispatchEvent(new Event('input', {{ bubbles: true }}));",
        json!(css)
    ));
}

fn value_of(browser: &Browser, css: &str) -> String {
    browser.wait_for(css);
    browser
        .script(&format!("return document.querySelector({}).value;", json!(css)))
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

/// Opens the patient's record from the search and its Amendment requests tab.
fn open_amendments(browser: &Browser, mrn: &str) {
    browser.wait_for("#front-desk");
    search_until_found(browser, "#patient-search-input", mrn, mrn);
    browser.send_keys("#patient-search-input", ENTER);
    browser.wait_for("#patient-record");
    browser.click("#patient-tab-amendments");
    browser.wait_for("#patient-amendments");
}

/// The id of the request whose text is `text`, once the list shows it.
fn request_id(browser: &Browser, text: &str) -> String {
    let find = format!(
        "return [...document.querySelectorAll('#patient-amendments li.request')].find((li) => li.innerText.includes({})) ?.id.replace('amendment-', '') ?? null;",
        json!(text)
    );
    browser.wait_until(&format!("(() => {{ {find} }})() !== null"));
    browser.script(&find).as_str().unwrap().to_owned()
}

#[test]
fn an_accepted_amendment_request_amends_the_allergy_and_the_note_it_is_about() {
    let mut patient = CanaryPatient::new();
    let root = tempfile::tempdir().unwrap();
    let (data_dir, temp) = (root.path().join("data"), root.path().join("tmp"));
    std::fs::create_dir_all(&temp).unwrap();
    let browser = launch_app(&data_dir, &temp);
    set_up_practice(&browser, "Amendment Journey Practice", "Olu Owner", OWNER_PASSWORD);
    browser.set_window_size(1280, 800);
    owner_turns_off_second_factor(&browser);
    let clinician_password = create_user(&browser, "Cleo Clinician", "cleo", "clinician");
    let desk_password = create_user(&browser, "Dee Desk", "desk", "front_desk");
    browser.click("#sign-out-button");

    // The clinician's patient: a severe Penicillin allergy and a signed note.
    first_sign_in(&browser, "cleo", &clinician_password, CLINICIAN_PASSWORD);
    browser.wait_for("#front-desk");
    register_in_ui(&browser, &mut patient);
    let mrn = patient.mrn.clone().unwrap();
    let patient_id = search_until_found(&browser, "#patient-search-input", &mrn, &mrn);
    browser.send_keys("#patient-search-input", ESCAPE);
    let allergy = browser
        .invoke("record_chart_item", json!({ "patientId": patient_id, "item": allergy_form("Penicillin", "Rash") }))
        .unwrap();
    let allergy_id = allergy["id"].as_str().unwrap().to_owned();
    let encounter = browser
        .invoke("start_encounter", json!({ "patientId": patient_id, "kind": "visit", "occurredAt": "" }))
        .unwrap();
    let encounter_id = encounter["id"].as_str().unwrap().to_owned();
    let note = json!({ "subjective": "Cough.", "objective": "", "assessment": "Smoker; bronchitis.", "plan": "", "freeText": "" });
    browser.invoke("save_draft_note", json!({ "encounterId": encounter_id, "kind": "visit", "note": note })).unwrap();
    browser.invoke("sign_note", json!({ "encounterId": encounter_id })).unwrap();

    // The New encounter dialog: the date in the practice's order (day first), the time 24-hour.
    search_until_found(&browser, "#patient-search-input", &mrn, &mrn);
    browser.send_keys("#patient-search-input", ENTER);
    browser.click("#patient-chart");
    browser.click("#chart-new-encounter");
    browser.wait_for("#new-encounter-dialog[open]");
    let date = value_of(&browser, "#new-encounter-date");
    let bytes = date.as_bytes();
    assert!(bytes.len() == 10 && bytes[2] == b'/' && bytes[5] == b'/', "day/month/year: {date:?}");
    let today = browser.script("const d = new Date(); return [d.getDate(), d.getMonth() + 1].map((n) => String(n).padStart(2, '0')).join('/');");
    assert!(date.starts_with(today.as_str().unwrap()), "today, day first: {date:?}");
    browser.type_into("#new-encounter-date", "31/02/2026");
    browser.click("#new-encounter-start");
    browser.wait_for("#new-encounter-date-error");
    assert!(browser.text("label[for='new-encounter-date']").contains("day/month/year"), "the practice's order");
    assert!(browser.text("#new-encounter-date-error").contains(&date), "an example: {date:?}");
    assert_eq!(active_id(&browser), "new-encounter-date");
    browser.screenshot(&screenshots().join("amendments-0-new-encounter.png"));
    browser.send_keys("#new-encounter-date", ESCAPE);
    browser.wait_until("document.getElementById('new-encounter-dialog') === null");
    browser.click("#chart-close");
    browser.click("#sign-out-button");

    // The front desk records a request about the allergy: it cannot name it in the chart.
    first_sign_in(&browser, "desk", &desk_password, DESK_PASSWORD);
    open_amendments(&browser, &mrn);
    browser.click("#amendment-record");
    browser.wait_for("#amendment-dialog[open]");
    choose(&browser, "#amendment-item", "allergy");
    browser.wait_for("#amendment-item-hint");
    assert!(!browser.is_present("#amendment-item-id"), "the front desk does not pick from the chart");
    browser.type_into("#amendment-requested-change", &patient.amendment_request);
    browser.screenshot(&screenshots().join("amendments-1-desk-records.png"));
    browser.click("#amendment-submit");
    let request = request_id(&browser, &patient.amendment_request);
    browser.wait_for(&format!("#amendment-{request}[data-decision='open']"));
    assert!(
        !browser.is_present(&format!("#amendment-decide-{request}")),
        "the front desk cannot decide about the chart"
    );
    browser.click("#sign-out-button");

    // The clinician accepts it: the allergy's form with what it says now.
    sign_in(&browser, "cleo", CLINICIAN_PASSWORD);
    open_amendments(&browser, &mrn);
    browser.click(&format!("#amendment-decide-{request}"));
    browser.wait_for("#decide-dialog[open]");
    browser.click("#decide-accepted");
    choose(&browser, "#decide-target", &allergy_id);
    browser.wait_for("#decide-item-substance");
    assert_eq!(value_of(&browser, "#decide-item-substance"), "Penicillin", "prefilled with the current values");
    assert_eq!(value_of(&browser, "#decide-item-reaction"), "Rash");
    browser.type_into("#decide-reason", &patient.amendment_reason);
    browser.type_into("#decide-item-substance", "Amoxicillin");

    // Someone else changes the allergy meanwhile: explained, and reloaded on request.
    browser
        .invoke(
            "update_chart_item",
            json!({ "itemId": allergy_id, "version": 1, "item": allergy_form("Penicillin", "Rash and itching") }),
        )
        .unwrap();
    browser.click("#decide-submit");
    browser.wait_for("#decide-reload");
    assert!(!browser.text("#decide-form-error").is_empty());
    browser.screenshot(&screenshots().join("amendments-2-stale.png"));
    browser.click("#decide-reload");
    browser.wait_for("#decide-notice");
    assert_eq!(value_of(&browser, "#decide-item-reaction"), "Rash and itching", "the form shows the other change");
    assert_eq!(value_of(&browser, "#decide-item-substance"), "Penicillin", "filled afresh from the new version");
    assert_eq!(active_id(&browser), "decide-item-substance");

    // An empty substance is refused under its field.
    empty(&browser, "#decide-item-substance");
    browser.click("#decide-submit");
    browser.wait_for("#decide-item-substance-error");
    assert_eq!(browser.text("#decide-item-substance-error"), "Enter the substance.");
    assert_eq!(active_id(&browser), "decide-item-substance", "focus on the field to fix");
    browser.screenshot(&screenshots().join("amendments-3-field-error.png"));

    // The corrected allergy: a new version linked to the request, and the request accepted.
    browser.type_into("#decide-item-substance", "Amoxicillin");
    browser.screenshot(&screenshots().join("amendments-4-corrected.png"));
    browser.click("#decide-submit");
    browser.wait_until("document.getElementById('decide-dialog') === null");
    browser.wait_for(&format!("#amendment-{request}[data-decision='accepted']"));
    let shown = browser.text(&format!("#amendment-{request}"));
    for expected in ["Accepted by Cleo Clinician (cleo)", &patient.amendment_reason, "a new version of Amoxicillin"] {
        assert!(shown.contains(expected), "the request shows {expected:?}: {shown:?}");
    }
    assert!(browser.text("#amendments-notice").contains("new version"), "says what happened");
    browser.screenshot(&screenshots().join("amendments-5-accepted.png"));
    let history = browser.invoke("chart_item_history", json!({ "itemId": allergy_id })).unwrap();
    let latest = history.as_array().unwrap().iter().max_by_key(|version| version["version"].as_u64()).unwrap();
    assert_eq!(
        (latest["version"].as_u64(), latest["change"].as_str(), latest["amendmentRequestId"].as_str()),
        (Some(3), Some("amended"), Some(request.as_str())),
        "Rust keeps the amended version linked to the request"
    );

    // History marks the version as made for the request.
    browser.click(&format!("#amendment-history-{request}"));
    browser.wait_for("#item-version-3");
    let version = browser.text("#item-version-3");
    for expected in [
        "Amended at the patient's request",
        "Made for the patient's amendment request received",
        &patient.amendment_reason,
        "Amoxicillin",
    ] {
        assert!(version.contains(expected), "History shows {expected:?}: {version:?}");
    }
    let linked = browser.script("return document.getElementById('item-version-3').dataset.amendmentRequest;");
    assert_eq!(linked.as_str(), Some(request.as_str()), "the version names its request");
    browser.screenshot(&screenshots().join("amendments-6-history.png"));
    browser.click("#item-history-close");
    browser.wait_until("document.getElementById('item-history-dialog') === null");

    // A second request names the allergy from the chart, and is denied with a reason.
    browser.click("#amendment-record");
    browser.wait_for("#amendment-dialog[open]");
    choose(&browser, "#amendment-item", "allergy");
    choose(&browser, "#amendment-item-id", &allergy_id);
    browser.type_into("#amendment-requested-change", "Please remove the allergy altogether.");
    browser.screenshot(&screenshots().join("amendments-7-named.png"));
    browser.click("#amendment-submit");
    let second = request_id(&browser, "remove the allergy altogether");
    assert!(browser.text(&format!("#amendment-{second}")).contains("Amoxicillin"), "the request names the allergy");
    browser.click(&format!("#amendment-decide-{second}"));
    browser.wait_for("#decide-dialog[open]");
    browser.click("#decide-denied");
    browser.click("#decide-submit");
    browser.wait_for("#decide-reason-error");
    browser.type_into("#decide-reason", "The reaction in 2019 is documented by the hospital.");
    browser.click("#decide-submit");
    browser.wait_for(&format!("#amendment-{second}[data-decision='denied']"));

    // A request about the signed note, accepted with an amending addendum.
    browser.click("#amendment-record");
    browser.wait_for("#amendment-dialog[open]");
    choose(&browser, "#amendment-item", "note");
    choose(&browser, "#amendment-item-id", &encounter_id);
    browser.type_into("#amendment-requested-change", NOTE_ASKED);
    browser.click("#amendment-submit");
    let about_note = request_id(&browser, NOTE_ASKED);
    browser.click(&format!("#amendment-decide-{about_note}"));
    browser.wait_for("#decide-dialog[open]");
    browser.click("#decide-accepted");
    browser.wait_for("#decide-addendum");
    assert_eq!(value_of(&browser, "#decide-target"), encounter_id, "the note the request names");
    assert!(browser.text("#decide-dialog #signed-note").contains("Smoker; bronchitis."), "the note as signed");
    browser.type_into("#decide-addendum", NOTE_ADDENDUM);
    browser.type_into("#decide-reason", "The patient's history confirms it.");
    browser.screenshot(&screenshots().join("amendments-8-note.png"));
    browser.click("#decide-submit");
    browser.wait_for(&format!("#amendment-{about_note}[data-decision='accepted']"));
    browser.click(&format!("#amendment-note-{about_note}"));
    browser.wait_for("#amended-note-dialog #addenda li");
    let addendum = browser.text("#amended-note-dialog #addenda li");
    assert!(
        addendum.contains(NOTE_ADDENDUM) && addendum.contains("Made for the patient's amendment request received"),
        "the addendum is marked as made for the request: {addendum:?}"
    );
    let linked = browser
        .script("return document.querySelector('#amended-note-dialog #addenda .amendment').dataset.amendmentRequest;");
    assert_eq!(linked.as_str(), Some(about_note.as_str()));
    browser.screenshot(&screenshots().join("amendments-9-addendum.png"));
    browser.click("#amended-note-close");
    browser.click("#sign-out-button");

    // The front desk sees the request accepted and what it changed, without the chart.
    sign_in(&browser, "desk", DESK_PASSWORD);
    open_amendments(&browser, &mrn);
    browser.wait_for(&format!("#amendment-{request}[data-decision='accepted']"));
    let shown = browser.text(&format!("#amendment-applied-{request}"));
    assert!(shown.contains("a new version of the allergy"), "{shown:?}");
    assert!(!browser.is_present(&format!("#amendment-history-{request}")), "no History without the chart");
    browser.screenshot(&screenshots().join("amendments-10-desk-sees.png"));

    // A request about the details, received today (in the practice's order): accepting it opens
    // the details to correct, as the patient asked.
    browser.click("#amendment-record");
    browser.wait_for("#amendment-dialog[open]");
    let received = value_of(&browser, "#amendment-received-on");
    assert!(received.starts_with(today.as_str().unwrap()) && received.len() == 10, "today, day first: {received:?}");
    browser.type_into("#amendment-requested-change", "Please write my given name as Maija.");
    browser.click("#amendment-submit");
    let details = request_id(&browser, "given name as Maija");
    browser.click(&format!("#amendment-decide-{details}"));
    browser.wait_for("#decide-dialog[open]");
    browser.click("#decide-accepted");
    browser.wait_for("#decide-details-hint");
    browser.type_into("#decide-reason", "The passport spells it Maija.");
    browser.click("#decide-submit");
    browser.wait_for("#edit-patient");
    assert!(browser.text("#patient-notice").contains("Correct the details"), "says what to do next");
    browser.screenshot(&screenshots().join("amendments-11-correct-details.png"));
    browser.type_into("#edit-given-names", "Maija");
    browser.click("#edit-save");
    browser.wait_until("document.getElementById('patient-notice')?.innerText === 'Changes saved.'");
    let corrected = format!("{}, Maija", patient.family_name);
    assert!(browser.text("#patient-header").contains(&corrected), "the corrected name");
    browser.click("#patient-tab-amendments");
    browser.wait_for(&format!("#amendment-{details}[data-decision='accepted']"));
    report("amendments", &format!("request {request} accepted as version 3 of the allergy"));
    browser.quit();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let (canaries, since) = canaries_of(&[&patient], &[]);
    assert_no_canary_left("amendments", root.path(), &canaries, since, &[]);
}
