//! The audit view end to end in the real app: the Owner sets up a practice and creates a Front
//! desk user; that user signs in, chooses their own password, locks, unlocks, locks again and
//! leaves with "Switch user" from the lock screen (a sign-out recorded at the next sign-in); the
//! Owner opens the audit view, filters by that user and sees exactly that user's entries, opens
//! one in the detail pane, sorts, and verifies the chain. The Front desk user sees no Audit.
//! And when the database is put back to an older copy, the Owner's home shows the integrity
//! alert, which the Owner opens and acknowledges in the audit view. In both, a clinician
//! registers a canary patient first, and at the end none of its canaries is anywhere on disk.

use std::path::Path;

use serde_json::json;

use chartkeep_tests::canary_patient::CanaryPatient;
use chartkeep_tests::webdriver::Browser;

use super::access_control_in_app::set_up_practice;
use super::canary_in_app::{assert_no_canary_left, canaries_of, register_in_ui};
use super::front_desk_in_app::{create_user, first_sign_in};
use super::in_app::{launch_app, report, screenshots};

const OWNER_PASSWORD: &str = "owner audit password Kq39";
const DESK_PASSWORD: &str = "front desk audit password Lw72";

/// The desk user's session, newest first as the view sorts by default. Their home shows today's
/// appointments, a read of patient data, so each arrival there is a view.
const DESK_ACTIONS_NEWEST_FIRST: [&str; 8] =
    ["logout", "lock", "view", "unlock", "lock", "view", "password_changed", "login"];

fn sign_in(browser: &Browser, username: &str, password: &str) {
    browser.wait_for("#screen-login");
    browser.type_into("#login-username", username);
    browser.type_into("#login-password", password);
    browser.click("#login-submit");
}

/// The Owner turns off the two-step sign-in requirement for their role, so that signing in
/// again later needs no authenticator app; then creates the Front desk user, and a Clinician
/// who registers `patient`; returns the Front desk user's temporary password.
fn prepare_practice(browser: &Browser, patient: &mut CanaryPatient) -> String {
    set_up_practice(browser, "Audit Journey Practice", "Olu Owner", OWNER_PASSWORD);
    browser.click("#nav-settings");
    browser.wait_for("#setting-mfa-owner");
    if browser.script("return document.getElementById('setting-mfa-owner').checked;") == json!(true) {
        browser.click("#setting-mfa-owner");
    }
    browser.click("#settings-save");
    browser.wait_for("#settings-saved");

    browser.click("#nav-users");
    browser.type_into("#new-user-full-name", "Dee Desk");
    browser.type_into("#new-user-username", "desk");
    browser.click("#new-user-role-front_desk");
    browser.click("#new-user-submit");
    let temporary_password = browser.text("#issued-password-text").trim().to_owned();
    browser.click("#issued-password-done");
    browser.wait_for("#user-row-desk");
    let clinician_password = create_user(browser, "Cleo Clinician", "cleo", "clinician");
    browser.click("#sign-out-button");
    first_sign_in(browser, "cleo", &clinician_password, "clinician audit password Zp06");
    register_in_ui(browser, patient);
    browser.click("#sign-out-button");
    temporary_password
}

/// The Front desk user's scripted session: sign in, new password, lock, unlock, lock, and
/// "Switch user" from the lock screen.
fn front_desk_session(browser: &Browser, temporary_password: &str) {
    sign_in(browser, "desk", temporary_password);
    browser.wait_for("#screen-change-password");
    browser.type_into("#current-password", temporary_password);
    browser.type_into("#new-password", DESK_PASSWORD);
    browser.type_into("#new-password-repeat", DESK_PASSWORD);
    browser.click("#change-password-submit");
    browser.wait_for("#screen-home");
    assert!(!browser.is_present("#nav-audit"), "no Audit for the Front desk");
    assert!(!browser.is_present("#integrity-alert-banner"), "no integrity banner for the Front desk");

    browser.click("#lock-button");
    browser.wait_for("#screen-locked");
    browser.type_into("#unlock-password", DESK_PASSWORD);
    browser.click("#unlock-submit");
    browser.wait_for("#screen-home");
    browser.click("#lock-button");
    browser.wait_for("#screen-locked");
    browser.click("#lock-sign-out");
    browser.wait_for("#screen-login");
}

/// The rows the table shows: (entry, action code, user id).
fn table_rows(browser: &Browser) -> Vec<(i64, String, String)> {
    let rows = browser.script(
        "return [...document.querySelectorAll('#audit-table tbody tr[data-seq]')]
            .map((row) => [Number(row.dataset.seq), row.dataset.action, row.dataset.userId]);",
    );
    rows.as_array()
        .unwrap()
        .iter()
        .map(|row| (row[0].as_i64().unwrap(), row[1].as_str().unwrap().to_owned(), row[2].as_str().unwrap().to_owned()))
        .collect()
}

#[test]
fn the_owner_filters_the_audit_trail_by_a_front_desk_user_and_sees_exactly_their_session() {
    let mut patient = CanaryPatient::new();
    let root = tempfile::tempdir().unwrap();
    let (data_dir, temp) = (root.path().join("data"), root.path().join("tmp"));
    std::fs::create_dir_all(&temp).unwrap();
    let browser = launch_app(&data_dir, &temp);
    let temporary_password = prepare_practice(&browser, &mut patient);
    front_desk_session(&browser, &temporary_password);

    sign_in(&browser, "owner", OWNER_PASSWORD);
    browser.wait_for("#screen-home");
    browser.set_window_size(1280, 800);
    assert!(!browser.is_present("#integrity-alert-banner"), "an intact chain raises no banner");
    browser.click("#nav-audit");
    browser.wait_for("#view-audit");
    browser.wait_for("#audit-integrity-status");
    let status = browser.text("#audit-integrity-status");
    assert!(status.starts_with("Chain verified up to entry"), "the status line: {status:?}");
    assert!(status.contains("checked at sign-in"), "the status line says how it was checked: {status:?}");
    browser.wait_until("document.querySelectorAll('#audit-table tbody tr[data-seq]').length > 0");
    let everything = browser.text("#audit-page-label");
    report("audit view", &format!("unfiltered: {everything}"));
    browser.screenshot(&screenshots().join("audit-1-view.png"));

    // Filter by the Front desk user, chosen from the list as a person would.
    browser.wait_for("#audit-filter-user option[data-username='desk']");
    let desk_id = browser
        .script("return document.querySelector(\"#audit-filter-user option[data-username='desk']\").value;")
        .as_str()
        .unwrap()
        .to_owned();
    browser.click("#audit-filter-user option[data-username='desk']");
    browser.wait_until(&format!("document.getElementById('audit-filter-user').value === {}", json!(desk_id)));
    browser.click("#audit-filter-apply");
    browser.wait_until(&format!("document.getElementById('audit-page-label').innerText !== {}", json!(everything)));

    let rows = table_rows(&browser);
    let actions: Vec<&str> = rows.iter().map(|(_, action, _)| action.as_str()).collect();
    assert_eq!(actions, DESK_ACTIONS_NEWEST_FIRST, "exactly the desk user's session, newest first: {rows:?}");
    assert!(rows.iter().all(|(_, _, user)| *user == desk_id), "no row of another user: {rows:?}");
    assert!(rows.windows(2).all(|pair| pair[0].0 > pair[1].0), "newest entry first: {rows:?}");
    assert_eq!(browser.text("#audit-page-label"), "Entries 1–8 of 8");
    let first_row = browser.text("#audit-table tbody tr[data-seq]");
    assert!(first_row.contains("Dee Desk (desk)") && first_row.contains("Logout"), "readable row: {first_row:?}");
    let sorted_heading = "return [...document.querySelectorAll('th[aria-sort]:not([aria-sort=none])')].map((th) => th.innerText.replace(/\\s+/g, ' ').trim() + ' ' + th.getAttribute('aria-sort'));";
    assert_eq!(browser.script(sorted_heading), json!(["Entry ▼ descending"]), "only the sorted column says so");

    // Sorting by action turns the order to A to Z, and the heading says so.
    browser.click("#audit-sort-action");
    browser.wait_until("document.querySelector('th[aria-sort=ascending] #audit-sort-action') !== null");
    assert_eq!(browser.script(sorted_heading), json!(["Action ▲ ascending"]));
    browser.wait_until("document.querySelector('#audit-table tbody tr[data-seq]').dataset.action === 'lock'");
    let sorted: Vec<String> = table_rows(&browser).into_iter().map(|(_, action, _)| action).collect();
    assert_eq!(
        sorted,
        ["lock", "lock", "login", "logout", "password_changed", "unlock", "view", "view"],
        "sorted by the action's words"
    );

    // Opening an entry from the keyboard shows every field, and focus moves to it.
    let unlock_seq = rows.iter().find(|(_, action, _)| action == "unlock").unwrap().0;
    browser.send_keys(&format!("#audit-row-{unlock_seq}"), "\u{E007}");
    browser.wait_for("#audit-detail");
    let detail = browser.text("#audit-detail");
    let heading = format!("Entry {unlock_seq}");
    for expected in [heading.as_str(), "Dee Desk (desk)", "Front desk", "Workstation", "Unlock (unlock)"] {
        assert!(detail.contains(expected), "the detail pane shows {expected:?}: {detail:?}");
    }
    assert_eq!(browser.script("return document.activeElement.id;"), "audit-detail-heading", "focus on the entry");
    browser.screenshot(&screenshots().join("audit-2-filtered-detail.png"));
    browser.send_keys("#audit-detail-heading", "\u{E00C}");
    browser.wait_until("document.getElementById('audit-detail') === null");
    assert_eq!(
        browser.script("return document.activeElement.id;"),
        format!("audit-row-{unlock_seq}"),
        "back on the row"
    );

    browser.click("#audit-verify");
    browser.wait_for("#audit-verify-result");
    let verified = browser.text("#audit-verify-result");
    assert!(verified.starts_with("All ") && verified.ends_with(" entries verified."), "verification: {verified:?}");
    browser.wait_until("document.getElementById('audit-integrity-status').innerText.includes('full verification')");
    report("audit view", &verified);

    browser.click("#audit-access-report");
    browser.wait_for("#access-report-dialog[open]");
    browser.screenshot(&screenshots().join("audit-3-access-report.png"));
    browser.click("#access-report-save");
    assert_eq!(browser.text("#access-report-patient-error"), "Enter the patient's MRN.");
    assert_eq!(
        browser.script("return document.activeElement.id;"),
        "access-report-patient",
        "focus on what is missing"
    );
    browser.click("#access-report-cancel");
    browser.wait_until("document.getElementById('access-report-dialog') === null");
    browser.quit();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let (canaries, since) = canaries_of(&[&patient], &[]);
    assert_no_canary_left("audit view", root.path(), &canaries, since, &[]);
}

/// Copies the database files (chartkeep.db and any -wal/-shm beside it) from `from` to `to`,
/// removing those in `to` that `from` does not have.
fn copy_database(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for suffix in ["", "-wal", "-shm"] {
        let name = format!("chartkeep.db{suffix}");
        if from.join(&name).exists() {
            std::fs::copy(from.join(&name), to.join(&name)).unwrap();
        } else if to.join(&name).exists() {
            std::fs::remove_file(to.join(&name)).unwrap();
        }
    }
}

#[test]
fn an_older_copy_of_the_database_raises_an_alert_the_owner_acknowledges_in_the_audit_view() {
    let mut patient = CanaryPatient::new();
    let root = tempfile::tempdir().unwrap();
    let (data_dir, temp, older) = (root.path().join("data"), root.path().join("tmp"), root.path().join("older"));
    std::fs::create_dir_all(&temp).unwrap();
    let browser = launch_app(&data_dir, &temp);
    prepare_practice(&browser, &mut patient);

    // Signed out, the database is closed: keep a copy, sign in and out again (the anchor in the
    // keyring moves on), then put the older copy back, as a restore of an old backup would.
    browser.wait_for("#screen-login");
    copy_database(&data_dir, &older);
    sign_in(&browser, "owner", OWNER_PASSWORD);
    browser.wait_for("#screen-home");
    browser.click("#sign-out-button");
    browser.wait_for("#screen-login");
    copy_database(&older, &data_dir);

    sign_in(&browser, "owner", OWNER_PASSWORD);
    browser.wait_for("#screen-home");
    browser.set_window_size(1280, 800);
    let banner = browser.text("#integrity-alert-banner");
    assert!(banner.contains("Audit integrity alert: open the audit view"), "the banner: {banner:?}");
    browser.screenshot(&screenshots().join("audit-4-home-alert.png"));

    browser.click("#integrity-alert-open");
    browser.wait_for("#view-audit");
    assert_eq!(browser.script("return document.activeElement.id;"), "audit-heading", "focus on the audit view");
    let panel = browser.text("#audit-integrity-alert");
    assert!(panel.contains("Audit integrity alert") && panel.contains("ends at entry"), "the alert: {panel:?}");
    assert!(!browser.is_present("#audit-integrity-status"), "the alert takes the status line's place");
    browser.screenshot(&screenshots().join("audit-5-integrity-alert.png"));

    let comment = "#audit-integrity-alert textarea";
    let acknowledge = "#audit-integrity-alert button";
    browser.click(acknowledge);
    browser.wait_for("#audit-integrity-alert .field-error");
    browser.type_into(comment, "Restored an old copy by mistake during a test; entries since are gone.");
    browser.click(acknowledge);
    browser.wait_for("#audit-integrity-status");
    assert!(!browser.is_present("#audit-integrity-alert"), "no open alert after acknowledging");
    report("audit alert", &browser.text("#audit-integrity-status"));

    browser.click("#nav-home");
    browser.wait_for("#welcome-heading");
    assert!(!browser.is_present("#integrity-alert-banner"), "no banner once acknowledged");
    browser.quit();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let (canaries, since) = canaries_of(&[&patient], &[]);
    assert_no_canary_left("audit alert", root.path(), &canaries, since, &[]);
}
