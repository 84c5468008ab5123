//! Backups end to end in the real app. The Owner sets up a practice, chooses the backup folder
//! in the system's folder dialog, backs up now and sees it verified; adds a user (an audited
//! change); then restores the backup with the file chosen in the system's file dialog and the
//! recovery key from setup (refused first at its field when mistyped), confirms, and after
//! signing in again the new user is gone from the Users list and the audit view shows the
//! restore. And on a new PC: with the practice's keyring entry gone and a fresh data folder, the
//! first-run screen restores the backup with the recovery key and a new Owner password, the
//! Owner is signed in and told to reset the other users' passwords, and signs in again with it.
//!
//! The GTK dialogs are real windows under Xvfb, driven with xdotool. In both, a clinician
//! registers a canary patient before the backup, and at the end none of its canaries is
//! anywhere on disk: not in the backup, its work folders, the restore's, or anywhere else.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::json;

use chartkeep_tests::canary_patient::CanaryPatient;
use chartkeep_tests::native_dialog;
use chartkeep_tests::webdriver::Browser;

use super::access_control_in_app::set_up_practice;
use super::canary_in_app::{assert_no_canary_left, canaries_of, register_in_ui};
use super::front_desk_in_app::first_sign_in;
use super::in_app::{launch_app, report, screenshots};

const PRACTICE: &str = "Backup Journey Practice";
const OWNER_PASSWORD: &str = "owner backup password Tz64";
const NEW_PC_PASSWORD: &str = "owner password on the new pc Hq57";
/// A backup, its check and a restore of a new practice take seconds; this leaves room for a slow
/// machine without hiding a hang.
const LONG_WORK: Duration = Duration::from_secs(120);

/// The key as a person pastes it from the Recovery Kit: in groups, with spaces, in lower case.
fn as_pasted(key: &str) -> String {
    let characters: Vec<char> = key.to_lowercase().chars().collect();
    characters.chunks(4).map(|group| group.iter().collect::<String>()).collect::<Vec<_>>().join(" ")
}

/// Turns off the two-step requirement for the Owner, so that signing in again (after the
/// restore) needs no authenticator app; the backup then holds this setting too.
fn owner_without_second_factor(browser: &Browser) {
    browser.click("#nav-settings");
    browser.wait_for("#setting-mfa-owner");
    if browser.script("return document.getElementById('setting-mfa-owner').checked;") == json!(true) {
        browser.click("#setting-mfa-owner");
    }
    browser.click("#settings-save");
    browser.wait_for("#settings-saved");
}

fn sign_in(browser: &Browser, password: &str) {
    browser.wait_for("#screen-login");
    browser.type_into("#login-username", "owner");
    browser.type_into("#login-password", password);
    browser.click("#login-submit");
    browser.wait_for("#screen-home");
}

fn create_user(browser: &Browser, full_name: &str, username: &str) {
    browser.click("#nav-users");
    browser.type_into("#new-user-full-name", full_name);
    browser.type_into("#new-user-username", username);
    browser.click("#new-user-role-front_desk");
    browser.click("#new-user-submit");
    browser.wait_for("#issued-password-text");
    browser.click("#issued-password-done");
    browser.wait_for(&format!("#user-row-{username}"));
}

/// The Owner creates a clinician, who registers `patient`; then the Owner signs in again.
fn a_clinician_registers(browser: &Browser, patient: &mut CanaryPatient, owner_password: &str) {
    let temporary = super::front_desk_in_app::create_user(browser, "Cleo Clinician", "cleo", "clinician");
    browser.click("#sign-out-button");
    first_sign_in(browser, "cleo", &temporary, "clinician backup password Ws38");
    register_in_ui(browser, patient);
    browser.click("#sign-out-button");
    sign_in(browser, owner_password);
}

/// In the Backups screen: the folder chosen in the system's dialog and saved.
fn choose_backup_folder(browser: &Browser, folder: &Path) {
    browser.click("#nav-backups");
    browser.wait_for("#backup-settings");
    browser.wait_for("#backup-no-destination");
    browser.click("#backup-choose-folder");
    native_dialog::choose(browser, "Choose the folder for backups", &format!("{}/", folder.display()));
    browser.wait_until(&format!(
        "document.getElementById('backup-destination').value === {}",
        json!(folder.display().to_string())
    ));
    browser.click("#backup-settings-save");
    browser.wait_for("#backup-settings-saved");
    assert_eq!(browser.text("#backup-destination-shown"), folder.display().to_string());
}

/// Back up now, to the result; returns the file's name from the list.
fn back_up_now(browser: &Browser) -> String {
    browser.click("#backup-now");
    browser.wait_for_within("#backup-result", LONG_WORK);
    let verification = browser.script("return document.getElementById('backup-result').dataset.verification;");
    assert_eq!(verification, json!("passed"), "the backup verified: {}", browser.text("#backup-result"));
    browser.wait_for("#backup-list tbody tr[data-verification='passed']");
    browser
        .script("return document.querySelector('#backup-list tbody tr').dataset.file;")
        .as_str()
        .expect("the newest backup's file name")
        .to_owned()
}

#[test]
fn the_owner_backs_up_adds_a_user_restores_and_the_addition_is_gone_while_the_audit_shows_the_restore() {
    let mut patient = CanaryPatient::new();
    let root = tempfile::tempdir().unwrap();
    let (data_dir, temp, folder) = (root.path().join("data"), root.path().join("tmp"), root.path().join("backups"));
    std::fs::create_dir_all(&temp).unwrap();
    std::fs::create_dir_all(&folder).unwrap();
    let browser = launch_app(&data_dir, &temp);
    let recovery_key = set_up_practice(&browser, PRACTICE, "Olu Owner", OWNER_PASSWORD);
    browser.set_window_size(1280, 800);
    owner_without_second_factor(&browser);
    a_clinician_registers(&browser, &mut patient, OWNER_PASSWORD);

    // The home warns until there is a verified backup.
    browser.click("#nav-home");
    browser.wait_for("#backup-status[data-warning='true']");
    assert_eq!(browser.text("#backup-status-headline"), "No verified backup yet");
    browser.screenshot(&screenshots().join("backup-1-home-warning.png"));

    choose_backup_folder(&browser, &folder);
    browser.screenshot(&screenshots().join("backup-2-folder-chosen.png"));
    let started = Instant::now();
    let file_name = back_up_now(&browser);
    report("backup", &format!("backed up and verified in {} ms: {file_name}", started.elapsed().as_millis()));
    assert!(folder.join(&file_name).is_file(), "the backup is in the folder chosen");
    browser.screenshot(&screenshots().join("backup-3-made.png"));
    browser.click("#nav-home");
    browser.wait_for("#backup-status[data-warning='false']");
    assert!(browser.text("#backup-status-headline").starts_with("Last verified backup: "));

    // An audited change after the backup: a new user.
    create_user(&browser, "Nia Newcomer", "newcomer");

    // Restore: the file from the system's dialog, the key mistyped first, then as pasted.
    browser.click("#nav-backups");
    browser.click("#backups-restore-open");
    browser.wait_for("#view-restore");
    browser.click("#restore-file");
    native_dialog::choose(&browser, "Choose a Chartkeep backup", &folder.join(&file_name).display().to_string());
    assert!(browser.text("#restore-file-chosen").contains(&file_name), "the chosen file is named");
    let mistyped = format!("{}QQQQ", &recovery_key[..recovery_key.len() - 4]);
    browser.type_into("#restore-key", &mistyped);
    browser.click("#restore-inspect");
    browser.wait_for_within("#restore-key-error", LONG_WORK);
    assert!(!browser.is_present("#restore-summary"), "a wrong key shows nothing of the backup");
    browser.screenshot(&screenshots().join("backup-4-wrong-key.png"));
    browser.type_into("#restore-key", &as_pasted(&recovery_key));
    browser.click("#restore-inspect");
    browser.wait_for_within("#restore-summary", LONG_WORK);
    assert_eq!(browser.text("#restore-summary-practice"), PRACTICE);
    let counts = browser.text("#restore-summary-counts");
    assert!(counts.contains("2 users,"), "the backup was made before the new user: {counts:?}");
    browser.screenshot(&screenshots().join("backup-5-restore-confirm.png"));

    // Restoring without ticking the confirmation changes nothing.
    browser.click("#restore-confirm");
    browser.wait_for("#restore-understood-error");
    browser.click("#restore-understood");
    browser.click("#restore-confirm");
    browser.wait_for_within("#screen-login", LONG_WORK);
    let notice = browser.text("#login-notice");
    assert!(notice.contains("restored from the backup of"), "the sign-in screen says what happened: {notice:?}");
    assert!(notice.contains("pre-restore"), "and where the database as it was is kept: {notice:?}");
    browser.screenshot(&screenshots().join("backup-6-restored-sign-in.png"));

    sign_in(&browser, OWNER_PASSWORD);
    browser.click("#nav-users");
    browser.wait_for("#user-row-owner");
    assert!(!browser.is_present("#user-row-newcomer"), "the user added after the backup is gone");
    browser.screenshot(&screenshots().join("backup-7-users-after-restore.png"));

    browser.click("#nav-audit");
    browser.wait_for("#view-audit");
    browser.wait_until("document.querySelector(\"#audit-table tbody tr[data-action='restore']\") !== null");
    let restore_row = browser.text("#audit-table tbody tr[data-action='restore']");
    report("backup", &format!("the audit view's restore entry: {}", restore_row.replace('\n', " | ")));
    browser.screenshot(&screenshots().join("backup-8-audit-restore.png"));
    browser.quit();
    std::thread::sleep(Duration::from_millis(500));
    let (canaries, since) = canaries_of(&[&patient], &[]);
    assert_no_canary_left("backup", root.path(), &canaries, since, &[]);
}

#[test]
fn a_backup_restores_onto_a_new_pc_from_the_first_run_screen() {
    let mut patient = CanaryPatient::new();
    let root = tempfile::tempdir().unwrap();
    let (old_pc, new_pc) = (root.path().join("old-pc"), root.path().join("new-pc"));
    let (temp, folder) = (root.path().join("tmp"), root.path().join("backups"));
    std::fs::create_dir_all(&temp).unwrap();
    std::fs::create_dir_all(&folder).unwrap();

    let browser = launch_app(&old_pc, &temp);
    let recovery_key = set_up_practice(&browser, PRACTICE, "Olu Owner", OWNER_PASSWORD);
    owner_without_second_factor(&browser);
    create_user(&browser, "Dee Desk", "desk");
    a_clinician_registers(&browser, &mut patient, OWNER_PASSWORD);
    choose_backup_folder(&browser, &folder);
    let file_name = back_up_now(&browser);
    browser.quit();

    // The new PC: a fresh data folder, and no keyring entry for the practice.
    let slots: serde_json::Value =
        serde_json::from_slice(&std::fs::read(old_pc.join("keyslots.json")).unwrap()).unwrap();
    let vault_id = slots["body"]["vault_id"].as_str().expect("the practice's vault id").to_owned();
    chartkeep_vault::DeviceSecretStore::delete(&chartkeep_vault::OsKeyring, &vault_id).unwrap();

    let browser = launch_app(&new_pc, &temp);
    browser.set_window_size(1280, 800);
    browser.wait_for("#screen-setup");
    browser.click("#setup-restore");
    browser.wait_for("#screen-new-pc-restore");
    browser.click("#new-pc-restore-file");
    native_dialog::choose(&browser, "Choose a Chartkeep backup", &folder.join(&file_name).display().to_string());
    browser.wait_for("#new-pc-restore-file-chosen");
    browser.type_into("#new-pc-restore-key", &as_pasted(&recovery_key));
    browser.type_into("#new-pc-restore-password", NEW_PC_PASSWORD);
    browser.type_into("#new-pc-restore-password-repeat", NEW_PC_PASSWORD);
    browser.click("#new-pc-restore-inspect");
    browser.wait_for_within("#new-pc-restore-summary", LONG_WORK);
    let counts = browser.text("#new-pc-restore-summary-counts");
    assert!(counts.contains("3 users,"), "the backup holds the Owner, the desk user and the clinician: {counts:?}");
    browser.screenshot(&screenshots().join("backup-9-new-pc-confirm.png"));
    browser.click("#new-pc-restore-confirm");

    browser.wait_for_within("#screen-home", LONG_WORK);
    let notice = browser.text("#home-notice");
    assert!(notice.contains("reset their passwords"), "the Owner is told about the other users: {notice:?}");
    assert!(!browser.is_present("#integrity-alert-banner"), "a restore onto a new PC raises no integrity alert");
    browser.screenshot(&screenshots().join("backup-10-new-pc-home.png"));
    browser.click("#home-notice-users");
    browser.wait_for("#user-row-desk");
    assert!(browser.is_present("#user-reset-desk"), "the desk user's password can be reset");

    // The Owner's new password is the one that opens the practice on this PC now.
    browser.click("#sign-out-button");
    sign_in(&browser, NEW_PC_PASSWORD);
    browser.quit();
    std::thread::sleep(Duration::from_millis(500));
    let (canaries, since) = canaries_of(&[&patient], &[]);
    assert_no_canary_left("backup on a new PC", root.path(), &canaries, since, &[]);
}
