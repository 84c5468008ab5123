//! A minimal W3C WebDriver client that drives the real app through WebKitWebDriver under Xvfb
//! (talking to the driver directly: measured to be reliable here, unlike tauri-driver).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// The Xvfb screen's size in pixels: the largest window size the tests use.
const SCREEN: (u32, u32) = (1920, 1080);

/// The driver process group (xvfb-run, Xvfb, WebKitWebDriver); killed whole on drop.
struct DriverProcess {
    child: Child,
}

impl Drop for DriverProcess {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        std::thread::sleep(Duration::from_millis(300));
        let _ = Command::new("kill").args(["-KILL", "--", &group]).status();
        let _ = self.child.wait();
    }
}

pub struct Browser {
    agent: ureq::Agent,
    base: String,
    session: String,
    _driver: DriverProcess,
    /// One app at a time: the app is single-instance per OS session (a second one hands over to
    /// the first and exits), so end-to-end tests in the same run take turns.
    _one_app_at_a_time: std::sync::MutexGuard<'static, ()>,
}

static ONE_APP_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// The app's turn: held while a test's app runs, by every test that starts the app, WebDriver or
/// not (a release app started beside another one handed over to it and never showed a window).
pub fn app_turn() -> std::sync::MutexGuard<'static, ()> {
    ONE_APP_AT_A_TIME.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The display and `-auth` file of the Xvfb in process group `group`, from /proc.
fn xvfb_of_group(group: u32) -> Option<(String, PathBuf)> {
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // "pid (comm) state ppid pgrp ...": the name may hold spaces, so split after the ')'.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else { continue };
        let fields: Vec<&str> = stat[close + 1..].split_whitespace().collect();
        if &stat[open + 1..close] != "Xvfb" || fields.get(2).and_then(|pgrp| pgrp.parse::<u32>().ok()) != Some(group) {
            continue;
        }
        let Ok(command_line) = std::fs::read(entry.path().join("cmdline")) else { continue };
        let arguments: Vec<String> =
            command_line.split(|byte| *byte == 0).map(|part| String::from_utf8_lossy(part).into_owned()).collect();
        let display = arguments.iter().find(|argument| argument.starts_with(':'))?.clone();
        let authority =
            arguments.iter().position(|argument| argument == "-auth").and_then(|at| arguments.get(at + 1))?;
        return Some((display, PathBuf::from(authority)));
    }
    None
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|listener| listener.local_addr()).map(|address| address.port()).unwrap()
}

impl std::fmt::Debug for Browser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Browser").field("base", &self.base).field("session", &self.session).finish()
    }
}

impl Browser {
    /// Starts Xvfb and WebKitWebDriver, then a session that launches `app` with `env`.
    pub fn launch(app: &Path, env: &[(&str, &Path)]) -> Browser {
        let turn = app_turn();
        let port = free_port();
        let mut command = Command::new("xvfb-run");
        command
            .args([
                "-a",
                "-s",
                &format!("-screen 0 {}x{}x24", SCREEN.0, SCREEN.1),
                "WebKitWebDriver",
                &format!("--port={port}"),
            ])
            .env("TAURI_WEBVIEW_AUTOMATION", "true");
        for (key, value) in env {
            command.env(key, value);
        }
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let driver = DriverProcess { child: command.spawn().expect("start xvfb-run WebKitWebDriver") };
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(90)))
            .build()
            .into();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while agent.get(&format!("{base}/status")).call().is_err() {
            assert!(started.elapsed() < Duration::from_secs(30), "WebKitWebDriver did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "webkitgtk:browserOptions": { "binary": app, "args": [] } } } });
        let mut browser = Browser { agent, base, session: String::new(), _driver: driver, _one_app_at_a_time: turn };
        let created = browser.send("POST", "/session", Some(capabilities)).expect("create a WebDriver session");
        browser.session = created["sessionId"].as_str().expect("a session id").to_owned();
        browser
    }

    fn send(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, String> {
        let url = format!("{}{path}", self.base);
        let response = match (method, body) {
            ("POST", body) => self.agent.post(&url).send_json(body.unwrap_or_else(|| json!({}))),
            ("DELETE", _) => self.agent.delete(&url).call(),
            _ => self.agent.get(&url).call(),
        };
        let mut response = response.map_err(|error| error.to_string())?;
        let status = response.status();
        let value: Value = response.body_mut().read_json().map_err(|error| error.to_string())?;
        if status.is_success() { Ok(value["value"].clone()) } else { Err(value["value"].to_string()) }
    }

    fn session_path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.session)
    }

    /// Waits until an element matching `css` exists and returns its id.
    pub fn wait_for(&self, css: &str) -> String {
        self.wait_for_within(css, Duration::from_secs(30))
    }

    /// Waits up to `limit` until an element matching `css` exists and returns its id.
    pub fn wait_for_within(&self, css: &str, limit: Duration) -> String {
        let started = Instant::now();
        loop {
            let found = self.send(
                "POST",
                &self.session_path("/element"),
                Some(json!({ "using": "css selector", "value": css })),
            );
            if let Ok(element) = found
                && let Some(id) = element[ELEMENT_KEY].as_str()
            {
                return id.to_owned();
            }
            if started.elapsed() > limit {
                self.explain_timeout(css);
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Fails the test with what the page showed, and keeps a screenshot of it.
    fn explain_timeout(&self, css: &str) -> ! {
        let shown = self.send(
            "POST",
            &self.session_path("/execute/sync"),
            Some(json!({
            "script": "return location.href + '\\n' + document.body.innerText;", "args": [] })),
        );
        let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/e2e-screenshots");
        let _ = std::fs::create_dir_all(&folder);
        let _ = self.capture_window(&folder.join("timeout.png"));
        panic!("timed out waiting for {css}; the page showed: {shown:?} (see target/e2e-screenshots/timeout.png)");
    }

    /// Waits until `condition` (a JavaScript expression) is true; fails after 30 seconds.
    pub fn wait_until(&self, condition: &str) {
        let started = Instant::now();
        while self.script(&format!("return !!({condition});")) != json!(true) {
            assert!(started.elapsed() < Duration::from_secs(30), "timed out waiting until {condition}");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub fn is_present(&self, css: &str) -> bool {
        self.script(&format!("return document.querySelector({}) !== null;", json!(css))) == json!(true)
    }

    pub fn type_into(&self, css: &str, text: &str) {
        let element = self.wait_for(css);
        self.send("POST", &self.session_path(&format!("/element/{element}/clear")), None).unwrap();
        self.send("POST", &self.session_path(&format!("/element/{element}/value")), Some(json!({ "text": text })))
            .unwrap();
    }

    /// Sends keys to an element without clearing it first, e.g. `"\u{E007}"` for Enter.
    pub fn send_keys(&self, css: &str, keys: &str) {
        let element = self.wait_for(css);
        self.send("POST", &self.session_path(&format!("/element/{element}/value")), Some(json!({ "text": keys })))
            .unwrap();
    }

    /// Clicks the element as a person would: when something lies over it (the chart's header that
    /// stays in view, a notice) or it is not yet where it can be clicked (a form still growing as
    /// text is typed above it), it is scrolled to the middle of the window and clicked again, for
    /// up to five seconds.
    pub fn click(&self, css: &str) {
        let element = self.wait_for(css);
        let click = self.session_path(&format!("/element/{element}/click"));
        let started = Instant::now();
        loop {
            match self.send("POST", &click, None) {
                Ok(_) => return,
                Err(error)
                    if (error.contains("click intercepted") || error.contains("element not interactable"))
                        && started.elapsed() < Duration::from_secs(5) =>
                {
                    let centre = "arguments[0].scrollIntoView({ block: 'center', inline: 'center' });";
                    let target = json!({ "element-6066-11e4-a52e-4f735466cecf": element });
                    let body = json!({ "script": centre, "args": [target] });
                    let _ = self.send("POST", &self.session_path("/execute/sync"), Some(body));
                    std::thread::sleep(Duration::from_millis(250));
                }
                Err(error) => panic!("clicking {css}: {error}"),
            }
        }
    }

    /// The rendered text of the first element matching `css`, once it exists.
    pub fn text(&self, css: &str) -> String {
        self.wait_for(css);
        let source = format!("return document.querySelector({}).innerText;", json!(css));
        self.script(&source).as_str().unwrap_or_default().to_owned()
    }

    pub fn script(&self, source: &str) -> Value {
        self.send("POST", &self.session_path("/execute/sync"), Some(json!({ "script": source, "args": [] }))).unwrap()
    }

    /// Calls a Rust command directly through the app's IPC bridge, as a script in the page could,
    /// bypassing the UI: `Ok(value)` or `Err(the {code, message} error)`.
    pub fn invoke(&self, command: &str, args: Value) -> Result<Value, Value> {
        let script = "const [command, args, done] = arguments;
            window.__TAURI_INTERNALS__.invoke(command, args)
                .then((value) => done({ ok: value ?? null }), (error) => done({ error }));";
        let answer = self
            .send(
                "POST",
                &self.session_path("/execute/async"),
                Some(json!({ "script": script, "args": [command, args] })),
            )
            .unwrap();
        match answer.get("error") {
            Some(error) => Err(error.clone()),
            None => Ok(answer["ok"].clone()),
        }
    }

    /// Saves a screenshot once the page has painted what the DOM holds now (a WebDriver
    /// screenshot can otherwise show the frame before).
    pub fn screenshot(&self, path: &Path) {
        let painted = "const done = arguments[arguments.length - 1];
            requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
        let _ = self.send("POST", &self.session_path("/execute/async"), Some(json!({ "script": painted, "args": [] })));
        std::thread::sleep(Duration::from_millis(150));
        self.capture(path);
    }

    fn capture(&self, path: &Path) {
        if let Err(problem) = self.capture_window(path) {
            panic!("a screenshot to {}: {problem}", path.display());
        }
    }

    /// Saves the window as the X display shows it. WebDriver's own screenshot is not used: with
    /// the app's webview drawing without hardware acceleration (src-tauri/src/window.rs),
    /// WebKitWebDriver's snapshot sometimes never answered.
    fn capture_window(&self, path: &Path) -> Result<(), String> {
        let rect = self.send("GET", &self.session_path("/window/rect"), None)?;
        let number = |key: &str| rect[key].as_f64().map(|value| value.max(0.0).round() as u32);
        let (Some(x), Some(y), Some(width), Some(height)) =
            (number("x"), number("y"), number("width"), number("height"))
        else {
            return Err(format!("no window rectangle in {rect}"));
        };
        if x + width > SCREEN.0 || y + height > SCREEN.1 {
            return Err(format!("the window ({width}x{height}+{x}+{y}) is partly off the screen"));
        }
        let (display, authority) = self.x_display();
        let taken = Command::new("import")
            .args(["-display", &display, "-window", "root", "-crop", &format!("{width}x{height}+{x}+{y}"), "+repage"])
            .arg(path)
            .env("XAUTHORITY", authority)
            .output()
            .map_err(|error| format!("import (imagemagick) did not run: {error}"))?;
        if taken.status.success() { Ok(()) } else { Err(String::from_utf8_lossy(&taken.stderr).into_owned()) }
    }

    /// Resizes the app's window and moves it to the top left corner, so the whole of it is on
    /// the screen that screenshots are taken from.
    pub fn set_window_size(&self, width: u32, height: u32) {
        let rect = json!({ "x": 0, "y": 0, "width": width, "height": height });
        self.send("POST", &self.session_path("/window/rect"), Some(rect)).unwrap();
    }

    /// The X display (such as ":99") of the Xvfb this browser runs on, and its authority file,
    /// for tools that drive the app's native windows (a save dialog) with xdotool.
    pub fn x_display(&self) -> (String, PathBuf) {
        let group = self._driver.child.id();
        let started = Instant::now();
        loop {
            if let Some(found) = xvfb_of_group(group) {
                return found;
            }
            assert!(started.elapsed() < Duration::from_secs(10), "no Xvfb in the driver's process group");
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Ends the session, which closes the app the way a person closing the window would.
    pub fn quit(self) {
        let _ = self.send("DELETE", &self.session_path(""), None);
    }
}
