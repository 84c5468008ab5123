//! `bench startup`: Chartkeep's start-up time and memory beside a hello-world Tauri 2 window
//! (same Tauri, same WebKitGTK), each launched N times the same way, alternately: under a
//! private Xvfb through WebKitWebDriver, on a seeded practice in a temporary folder with a
//! throwaway keyring entry.
//!
//! - **Time to first screen**: from the WebDriver request that starts the app to the moment the
//!   page marks its first screen as painted (`performance.mark("first-screen")`, set in the frame
//!   after the screen is in the DOM: Chartkeep's sign-in screen, not "Opening Chartkeep…";
//!   the hello-world's heading). Split at the page's `performance.timeOrigin`: before it, the
//!   process, Rust's set-up and the webview; after it, the page.
//! - **PSS** (proportional set size, /proc/PID/smaps_rollup), per process and summed over the
//!   app and the WebKit processes it started, 10 s after the first screen and, for Chartkeep,
//!   10 s after signing in (the home screen shown). The hello-world has no sign-in: both of
//!   Chartkeep's figures are compared with its one figure.

mod builds;
mod memory;
mod practice;
mod report;
mod webdriver;

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::commands::{Failure, Report};
use crate::progress::Progress;
use practice::SeededPractice;
use webdriver::{Driver, Session};

/// What one launch of an app measured.
#[derive(Debug, Clone, Default)]
pub(super) struct Launch {
    /// Request to first screen, and the part of it before the page started.
    first_screen_ms: f64,
    before_page_ms: f64,
    /// The page's own marks and navigation points, in ms after the page started.
    page_marks: BTreeMap<String, f64>,
    at_first_screen: BTreeMap<String, f64>,
    /// Chartkeep only: clicking "Sign in" to the home screen, and memory once signed in.
    sign_in_ms: Option<f64>,
    signed_in: Option<BTreeMap<String, f64>>,
}

/// How a launch runs.
struct Plan<'a> {
    settle: Duration,
    env: &'a [(&'a str, OsString)],
}

const FIRST_SCREEN: &str = "const mark = performance.getEntriesByName('first-screen')[0];
    if (!mark) { return null; }
    const marks = {};
    const navigation = performance.getEntriesByType('navigation')[0];
    if (navigation) {
      marks['page received'] = navigation.responseEnd;
      marks['DOM content loaded'] = navigation.domContentLoadedEventEnd;
    }
    for (const entry of performance.getEntriesByType('mark')) { marks[entry.name] = entry.startTime; }
    return [performance.timeOrigin, mark.startTime, marks];";

const HOME_SHOWN: &str = "return document.querySelector('#screen-home') ? performance.now() : null;";

const LIMIT: Duration = Duration::from_secs(60);

/// What `bench startup` is asked to do.
#[derive(Debug, Clone)]
pub struct StartupRequest {
    pub runs: u32,
    pub settle_seconds: u64,
    pub patients: u64,
    /// A Chartkeep binary to measure instead of the release build.
    pub app: Option<PathBuf>,
}

pub fn startup(request: StartupRequest, progress: Progress) -> Result<Report, Failure> {
    let StartupRequest { runs, settle_seconds, patients, app } = request;
    if std::env::var("CHARTKEEP_PRIVATE_KEYRING").as_deref() != Ok("1") {
        return Err("Run it under scripts/with-private-keyring (a throwaway keyring and HOME)".to_owned().into());
    }
    let workspace = builds::Workspace::of_this_build()?;
    let hello_world = workspace.hello_world()?;
    let chartkeep = match app {
        Some(path) => path,
        None => workspace.chartkeep()?,
    };
    let practice = SeededPractice::new(patients, progress)?;
    let env = [
        ("CHARTKEEP_DATA_DIR", practice.data_dir().into_os_string()),
        ("TMPDIR", practice.scratch().as_os_str().to_owned()),
    ];
    let plan = Plan { settle: Duration::from_secs(settle_seconds), env: &env };
    let (mut baseline, mut measured) = (Vec::new(), Vec::new());
    let bar = progress.counter("Launching both apps, alternately", u64::from(runs.max(1)));
    for _ in 1..=runs.max(1) {
        baseline.push(launch(&plan, &hello_world, false)?);
        measured.push(launch(&plan, &chartkeep, true)?);
        bar.advance();
    }
    drop(bar);
    let lock = std::fs::read_to_string(workspace.root.join("Cargo.lock")).unwrap_or_default();
    let versions = report::Versions {
        tauri: builds::locked_version(&lock, "tauri").unwrap_or_default(),
        wry: builds::locked_version(&lock, "wry").unwrap_or_default(),
        webkit: webkit_version(),
    };
    Ok(report::render(&versions, settle_seconds, patients, &baseline, &measured))
}

fn now_ms() -> f64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map(|since| since.as_secs_f64() * 1000.0).unwrap_or_default()
}

/// Starts `app` once, measures it, and closes it.
fn launch(plan: &Plan<'_>, app: &Path, sign_in: bool) -> Result<Launch, Failure> {
    let driver = Driver::start(plan.env)?;
    let requested = now_ms();
    let session = driver.open(app)?;
    let pid = memory::wait_for_app(driver.process_group(), app, LIMIT)?;
    let measured = measure(plan, &driver, &session, app, requested, sign_in);
    session.quit();
    let closing = Instant::now();
    while memory::is_running(pid) && closing.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(driver);
    measured
}

fn measure(
    plan: &Plan<'_>,
    driver: &Driver,
    session: &Session<'_>,
    app: &Path,
    requested: f64,
    sign_in: bool,
) -> Result<Launch, Failure> {
    let mark = session.poll(FIRST_SCREEN, LIMIT)?;
    let number = |value: &Value| value.as_f64().ok_or_else(|| Failure::from(format!("Not a time: {mark}")));
    let (origin, at) = (number(&mark[0])?, number(&mark[1])?);
    let page_marks = mark[2]
        .as_object()
        .map(|marks| marks.iter().filter_map(|(name, at)| Some((name.clone(), at.as_f64()?))).collect())
        .unwrap_or_default();
    let mut launch = Launch {
        first_screen_ms: origin + at - requested,
        before_page_ms: origin - requested,
        page_marks,
        ..Launch::default()
    };
    settle_after(origin + at, plan.settle);
    launch.at_first_screen = memory::pss_by_role(driver.process_group(), app)?;
    if sign_in {
        let shown = session.script("return document.querySelector('#screen-login') !== null;")?;
        if shown != Value::Bool(true) {
            let page = session.script("return document.body.innerText;")?;
            return Err(format!("Chartkeep's first screen is not the sign-in screen: {page}").into());
        }
        session.type_into("#login-username", super::USERNAME)?;
        session.type_into("#login-password", super::PASSWORD)?;
        let clicked = session.script("return performance.now();")?;
        session.click("#login-submit")?;
        let home = session.poll(HOME_SHOWN, LIMIT)?;
        launch.sign_in_ms = Some(number(&home)? - number(&clicked)?);
        settle_after(now_ms(), plan.settle);
        launch.signed_in = Some(memory::pss_by_role(driver.process_group(), app)?);
    }
    Ok(launch)
}

/// Sleeps until `settle` after the wall-clock instant `since_ms`.
fn settle_after(since_ms: f64, settle: Duration) {
    let waited = Duration::from_secs_f64(((now_ms() - since_ms) / 1000.0).max(0.0));
    std::thread::sleep(settle.saturating_sub(waited));
}

/// The WebKitGTK the apps run on, as pkg-config knows it (empty when it cannot tell).
fn webkit_version() -> String {
    std::process::Command::new("pkg-config")
        .args(["--modversion", "webkit2gtk-4.1"])
        .output()
        .map(|output| String::from_utf8_lossy(&output.stdout).trim().to_owned())
        .unwrap_or_default()
}
