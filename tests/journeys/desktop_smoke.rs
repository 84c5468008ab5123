//! The end-to-end smoke test of the real app under Xvfb through WebDriver: first-run setup,
//! sign in, a second instance refused, lock (button, the desktop's screen lock announced by the
//! screen saver or by logind, Ctrl+L),
//! unlock, sign out, sign in again enrolling two-step sign-in, then with a code and with a
//! recovery code; a clinician registers a canary patient through the form in between.
//! Afterwards no canary typed into the app (the patient's, the practice's, the password, the
//! second factor's secret and an unused recovery code) is found in any form in the data folder
//! (database, WAL, key slots, logs), the app's TMPDIR and private HOME (the webview's data and
//! caches), /tmp, /var/tmp, /dev/shm or the private keyring's folder.

use std::path::Path;

use chartkeep_tests::canary::{Canary, files_below};
use chartkeep_tests::canary_patient::CanaryPatient;
use chartkeep_tests::webdriver::Browser;
use chartkeep_tests::workspace_binary;

use super::canary_in_app::{assert_no_canary_left, canaries_of, register_in_ui};
use super::front_desk_in_app::{create_user, first_sign_in};
use super::in_app::{self, authenticator_code, launch_app, launch_app_with, private_home, screenshots};

const PRACTICE_CANARY: &str = "Canary Practice Wq83Kd";
const OWNER_CANARY: &str = "Canary Owner Pz51Hn";
const PASSWORD_CANARY: &str = "canary smoke password Rb4x";

fn report(line: &str) {
    in_app::report("desktop smoke", line);
}

/// Username and password; what follows depends on the second factor.
fn sign_in(browser: &Browser) {
    browser.wait_for("#screen-login");
    browser.type_into("#login-username", "owner");
    browser.type_into("#login-password", PASSWORD_CANARY);
    browser.click("#login-submit");
}

/// Signs in with the password and then `code` (from the authenticator app or a recovery code).
fn sign_in_with_code(browser: &Browser, code: &str) {
    sign_in(browser);
    browser.wait_for("#screen-second-factor");
    assert!(!browser.is_present("#screen-home"), "nothing of the practice before the code");
    browser.type_into("#second-factor-code", code);
    browser.click("#second-factor-submit");
    browser.wait_for("#screen-home");
}

/// The owner's role requires two-step sign-in: the first sign-in after setup enrols it.
/// Returns the authenticator's secret and the recovery codes shown once.
fn sign_in_and_enrol_second_factor(browser: &Browser) -> (String, Vec<String>) {
    sign_in(browser);
    browser.wait_for("#screen-enrol-second-factor");
    browser.wait_for("#totp-qr");
    browser.wait_until("document.getElementById('totp-qr').naturalWidth > 0");
    let secret = browser.text("#totp-secret").split_whitespace().collect::<String>();
    browser.screenshot(&screenshots().join("5-enrol-second-factor.png"));
    browser.type_into("#totp-code", "000000");
    browser.click("#totp-confirm");
    browser.wait_for("#totp-error");
    browser.type_into("#totp-code", &authenticator_code(&secret, 0));
    browser.click("#totp-confirm");
    browser.wait_for("#recovery-codes");
    let codes: Vec<String> =
        browser.text("#recovery-codes").split_whitespace().map(str::to_owned).filter(|code| code.len() == 11).collect();
    assert_eq!(codes.len(), 10, "ten recovery codes are shown once");
    browser.screenshot(&screenshots().join("6-recovery-codes.png"));
    browser.click("#recovery-codes-done");
    browser.wait_for("#screen-home");
    (secret, codes)
}

/// Starts the app a second time on the same data folder while the first one runs: the second
/// must hand over to the first (tauri-plugin-single-instance) and exit by itself.
fn assert_a_second_instance_exits(data_dir: &Path, temp: &Path) {
    let mut second = std::process::Command::new("xvfb-run")
        .args(["-a", "-s", "-screen 0 1280x800x24"])
        .arg(workspace_binary("chartkeep"))
        .env("CHARTKEEP_DATA_DIR", data_dir)
        .envs(private_home(temp).env())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let started = std::time::Instant::now();
    loop {
        if let Some(status) = second.try_wait().unwrap() {
            assert!(status.success(), "the second instance exits quietly: {status}");
            report(&format!("a second instance handed over and exited in {} ms", started.elapsed().as_millis()));
            return;
        }
        if started.elapsed() > std::time::Duration::from_secs(30) {
            let _ = second.kill();
            panic!("a second instance of the app kept running");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

fn assert_locked_screen_shows_nothing_of_the_practice(browser: &Browser) {
    browser.wait_for("#screen-locked");
    assert!(!browser.is_present("#screen-home"), "the signed-in screen is gone from the DOM");
    let page = browser.script("return document.documentElement.outerHTML;").to_string();
    assert!(!page.contains(PRACTICE_CANARY), "the lock screen still holds practice data");
    assert_eq!(browser.script("return document.title;"), "Chartkeep");
}

/// A private D-Bus daemon that stands in for the system bus, where logind's signals travel.
struct PrivateSystemBus {
    daemon: std::process::Child,
    address: String,
}

impl PrivateSystemBus {
    fn start() -> PrivateSystemBus {
        let mut daemon = std::process::Command::new("dbus-daemon")
            .args(["--session", "--nofork", "--print-address=1"])
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("dbus-daemon runs");
        let mut address = String::new();
        let stdout = daemon.stdout.take().unwrap();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(stdout), &mut address).unwrap();
        PrivateSystemBus { daemon, address: address.trim().to_owned() }
    }

    /// Sends logind's `Lock` for the login session `id`, as `loginctl lock-session` makes it.
    fn lock_session(&self, id: &str) {
        let sent = std::process::Command::new("dbus-send")
            .arg(format!("--bus={}", self.address))
            .args([
                "--type=signal",
                &format!("/org/freedesktop/login1/session/{id}"),
                "org.freedesktop.login1.Session.Lock",
            ])
            .status()
            .unwrap();
        assert!(sent.success(), "dbus-send could not send logind's Lock");
    }
}

impl Drop for PrivateSystemBus {
    fn drop(&mut self) {
        let _ = self.daemon.kill();
        let _ = self.daemon.wait();
    }
}

#[test]
fn first_run_setup_sign_in_lock_and_sign_in_again_in_the_real_app() {
    let mut patient = CanaryPatient::new();
    let root = tempfile::tempdir().unwrap();
    let data_dir = root.path().join("data");
    let temp = root.path().join("tmp");
    std::fs::create_dir_all(&temp).unwrap();
    let system_bus = PrivateSystemBus::start();
    let launched = std::time::Instant::now();
    let browser = launch_app_with(
        &data_dir,
        &temp,
        &[("DBUS_SYSTEM_BUS_ADDRESS", Path::new(&system_bus.address)), ("XDG_SESSION_ID", Path::new("c7"))],
    );

    browser.wait_for("#screen-setup");
    report(&format!("cold start to the first screen: {} ms", launched.elapsed().as_millis()));
    browser.screenshot(&screenshots().join("1-setup.png"));
    browser.type_into("#setup-practice-name", PRACTICE_CANARY);
    browser.type_into("#setup-owner-name", OWNER_CANARY);
    browser.type_into("#setup-username", "owner");
    browser.type_into("#setup-password", PASSWORD_CANARY);
    browser.type_into("#setup-password-repeat", PASSWORD_CANARY);
    browser.click("#setup-submit");

    browser.wait_for("#screen-recovery-key");
    let key = browser.text("#recovery-key").split_whitespace().collect::<String>();
    assert!(key.starts_with("AGE-SECRET-KEY-1") && key.len() == 74, "a recovery key is shown: {key}");
    browser.screenshot(&screenshots().join("2-recovery-key.png"));
    browser.type_into("#recovery-confirm", "WRONG1");
    browser.click("#recovery-confirm-submit");
    assert!(browser.is_present("#screen-recovery-key"), "a wrong confirmation does not continue");
    browser.type_into("#recovery-confirm", &key[key.len() - 6..]);
    browser.click("#recovery-confirm-submit");

    browser.wait_for("#screen-home");
    browser.screenshot(&screenshots().join("3-home.png"));
    let toolbar = browser.text("#toolbar-practice");
    assert!(toolbar.contains(PRACTICE_CANARY), "the toolbar names the practice: {toolbar:?}");
    assert_eq!(browser.script("return document.title;"), "Chartkeep");

    assert_a_second_instance_exits(&data_dir, &temp);
    assert!(browser.is_present("#screen-home"), "the first instance is still signed in");
    let clinician_password = create_user(&browser, "Cleo Clinician", "cleo", "clinician");

    browser.click("#lock-button");
    assert_locked_screen_shows_nothing_of_the_practice(&browser);
    browser.screenshot(&screenshots().join("4-locked.png"));
    browser.type_into("#unlock-password", "not the right password");
    browser.click("#unlock-submit");
    assert!(!browser.text("#unlock-error").is_empty(), "a wrong password is explained");
    browser.type_into("#unlock-password", PASSWORD_CANARY);
    browser.click("#unlock-submit");
    browser.wait_for("#screen-home");

    // The desktop locks its screen (as GNOME announces it on the session bus): so does Chartkeep.
    let signal = std::process::Command::new("dbus-send")
        .args(["--session", "--type=signal", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver.ActiveChanged"])
        .arg("boolean:true")
        .status()
        .unwrap();
    assert!(signal.success(), "dbus-send could not announce the screen lock");
    assert_locked_screen_shows_nothing_of_the_practice(&browser);
    browser.type_into("#unlock-password", PASSWORD_CANARY);
    browser.click("#unlock-submit");
    browser.wait_for("#screen-home");

    // logind locks this login session (`loginctl lock-session`): so does Chartkeep. Another
    // session's Lock is not ours and changes nothing.
    system_bus.lock_session("c8");
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert!(browser.is_present("#screen-home"), "another login session's lock left this one open");
    system_bus.lock_session("c7");
    assert_locked_screen_shows_nothing_of_the_practice(&browser);
    browser.type_into("#unlock-password", PASSWORD_CANARY);
    browser.click("#unlock-submit");
    browser.wait_for("#screen-home");

    browser.script("window.dispatchEvent(new KeyboardEvent('keydown', { key: 'l', ctrlKey: true, bubbles: true }));");
    assert_locked_screen_shows_nothing_of_the_practice(&browser);
    browser.click("#lock-sign-out");
    first_sign_in(&browser, "cleo", &clinician_password, "clinician smoke password");
    register_in_ui(&browser, &mut patient);
    browser.click("#sign-out-button");
    let (secret, recovery_codes) = sign_in_and_enrol_second_factor(&browser);
    browser.click("#sign-out-button");
    // The enrolment used this time step's code; each code works once, so the next one.
    sign_in_with_code(&browser, &authenticator_code(&secret, 30));
    browser.click("#sign-out-button");
    sign_in_with_code(&browser, &recovery_codes[0]);
    browser.quit();
    std::thread::sleep(std::time::Duration::from_millis(500));

    // A restart finds the practice: the sign-in screen, and the same password opens it.
    let launched = std::time::Instant::now();
    let browser = launch_app(&data_dir, &temp);
    browser.wait_for("#screen-login");
    report(&format!("cold start to the sign-in screen: {} ms", launched.elapsed().as_millis()));
    sign_in_with_code(&browser, &recovery_codes[1]);
    browser.quit();
    std::thread::sleep(std::time::Duration::from_millis(500));

    let logs = files_below(&data_dir.join("logs"));
    assert!(!logs.is_empty(), "the app wrote logs, so the scan below covers them");
    let webview_data = root.path().join("home/.local/share/org.chartkeep.desktop");
    assert!(webview_data.is_dir(), "the webview wrote its data in the private HOME the scan covers");
    let secrets = [
        Canary::new("practice name", PRACTICE_CANARY),
        Canary::new("owner's name", OWNER_CANARY),
        Canary::new("owner's password", PASSWORD_CANARY),
        Canary::new("authenticator secret", secret.as_str()),
        Canary::new("unused recovery code", recovery_codes[9].as_str()),
    ];
    let (canaries, since) = canaries_of(&[&patient], &secrets);
    assert_no_canary_left("desktop smoke", root.path(), &canaries, since, &[]);
}
