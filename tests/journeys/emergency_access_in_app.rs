//! Emergency access end to end in the real app: a Front desk user opens a patient's record and
//! asks for the chart; the role cannot read charts, so Rust refuses (also when called directly)
//! and the UI offers emergency access instead: what it means, a reason of at least 10
//! characters; then the chart opens under a banner that says when the access ends and stays in
//! view while scrolling. The Owner then sees the access in the review queue on the home screen
//! and marks it reviewed with a comment. The patient is a canary patient the Front desk user
//! registers through the form; the reason and the review's comment are canaries too, and at the
//! end none of them is anywhere on disk.

use serde_json::json;

use chartkeep_tests::canary_patient::CanaryPatient;

use super::access_control_in_app::set_up_practice;
use super::canary_in_app::{assert_no_canary_left, canaries_of, register_in_ui};
use super::front_desk_in_app::{
    create_user, first_sign_in, owner_turns_off_second_factor, search_until_found, sign_in,
};
use super::in_app::{launch_app, report, screenshots};

const OWNER_PASSWORD: &str = "owner emergency password Vt61";
const DESK_PASSWORD: &str = "front desk emergency password Mz40";
const ENTER: &str = "\u{E007}";

#[test]
fn a_front_desk_user_opens_a_chart_under_emergency_access_and_the_owner_reviews_it() {
    let mut patient = CanaryPatient::new();
    let root = tempfile::tempdir().unwrap();
    let (data_dir, temp) = (root.path().join("data"), root.path().join("tmp"));
    std::fs::create_dir_all(&temp).unwrap();
    let browser = launch_app(&data_dir, &temp);
    set_up_practice(&browser, "Emergency Journey Practice", "Olu Owner", OWNER_PASSWORD);
    browser.set_window_size(1280, 800);
    owner_turns_off_second_factor(&browser);
    let desk_password = create_user(&browser, "Dee Desk", "desk", "front_desk");
    browser.click("#sign-out-button");

    first_sign_in(&browser, "desk", &desk_password, DESK_PASSWORD);
    register_in_ui(&browser, &mut patient);
    let mrn = patient.mrn.clone().unwrap();

    // The record, found by MRN; the Chart button is refused and offers emergency access.
    let patient_id = search_until_found(&browser, "#patient-search-input", &mrn, &mrn);
    let (patient_id, mrn) = (patient_id.as_str(), mrn.as_str());
    browser.send_keys("#patient-search-input", ENTER);
    browser.wait_for("#patient-record");
    browser.click("#patient-chart");
    browser.wait_for("#emergency-dialog[open]");
    assert!(!browser.is_present("#chart-page"), "no chart without emergency access");
    let refused = browser.invoke("open_chart", json!({ "patientId": patient_id })).unwrap_err();
    assert_eq!(refused["code"], "forbidden", "Rust refuses the chart: {refused}");
    let explanation = browser.text("#emergency-dialog");
    for expected in
        [patient.given_names.as_str(), "only this one", "limited time", "recorded", "practice owner reviews"]
    {
        assert!(explanation.contains(expected), "the dialog says {expected:?}: {explanation:?}");
    }
    assert_eq!(browser.script("return document.activeElement.id;"), "emergency-reason", "focus on the reason");

    // Too short a reason is refused at the field; a real one opens the chart.
    browser.type_into("#emergency-reason", "allergy");
    browser.click("#emergency-submit");
    browser.wait_for("#emergency-reason-error");
    assert!(browser.text("#emergency-reason-error").contains("at least 10 characters"));
    browser.screenshot(&screenshots().join("emergency-1-dialog.png"));
    browser.type_into("#emergency-reason", &patient.emergency_reason);
    browser.click("#emergency-submit");
    browser.wait_for("#chart-page");
    let banner = browser.text("#emergency-banner");
    let ends_at = banner.trim().strip_prefix("Emergency access — recorded and reviewed — ends at ").unwrap_or_default();
    assert!(
        ends_at.len() == 5
            && ends_at.as_bytes()[2] == b':'
            && ends_at.replace(':', "").chars().all(|c| c.is_ascii_digit()),
        "the banner says when it ends (HH:MM): {banner:?}"
    );
    assert!(browser.text("#patient-header").contains(mrn), "the patient header on the chart");
    report("emergency access", &banner);
    browser.screenshot(&screenshots().join("emergency-2-chart.png"));

    // The banner stays in view while the page scrolls.
    browser.script("document.getElementById('chart-sections').style.minHeight = '3000px'; window.scrollTo(0, 1500);");
    browser.wait_until("window.scrollY > 1000");
    let top = browser.script("return document.getElementById('emergency-banner').getBoundingClientRect().top;");
    assert!(top.as_f64().is_some_and(|top| (0.0..80.0).contains(&top)), "banner in view after scrolling: {top}");
    browser.screenshot(&screenshots().join("emergency-3-chart-scrolled.png"));
    let opened = browser.invoke("open_chart", json!({ "patientId": patient_id })).unwrap();
    assert!(opened["emergencyAccess"]["id"].is_string(), "now under emergency access: {opened}");

    // The Owner reviews it from the home screen.
    browser.click("#sign-out-button");
    sign_in(&browser, "owner", OWNER_PASSWORD);
    browser.wait_for("#screen-home");
    browser.wait_for("#emergency-review-queue li[id^='emergency-access-']");
    let access_id = browser
        .script("return document.querySelector(\"#emergency-review-queue li[id^='emergency-access-']\").id.replace('emergency-access-', '');")
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(access_id, opened["emergencyAccess"]["id"].as_str().unwrap());
    let queued = browser.text(&format!("#emergency-access-{access_id}"));
    assert!(queued.contains("Dee Desk") && queued.contains(&patient.emergency_reason), "{queued:?}");
    browser.type_into(&format!("#emergency-comment-{access_id}"), &patient.review_comment);
    browser.screenshot(&screenshots().join("emergency-4-review-queue.png"));
    browser.click(&format!("#emergency-review-{access_id}"));
    browser.wait_for("#emergency-review-empty");
    assert!(!browser.is_present(&format!("#emergency-access-{access_id}")), "reviewed, so no longer waiting");
    browser.quit();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let (canaries, since) = canaries_of(&[&patient], &[]);
    assert_no_canary_left("emergency access", root.path(), &canaries, since, &[]);
}
