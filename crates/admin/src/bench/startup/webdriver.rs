//! The little of W3C WebDriver that `bench startup` needs, spoken to WebKitWebDriver directly
//! under a private Xvfb (the way the end-to-end tests drive the app: measured reliable here).

use std::ffi::OsString;
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::commands::Failure;

const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";

/// xvfb-run, its Xvfb and WebKitWebDriver in a process group of their own, ended whole on drop
/// (with the app and its WebKit processes, which the driver started).
pub(super) struct Driver {
    child: Child,
    agent: ureq::Agent,
    base: String,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let group = format!("-{}", self.child.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).stderr(Stdio::null()).status();
        std::thread::sleep(Duration::from_millis(300));
        let _ = Command::new("kill").args(["-KILL", "--", &group]).stderr(Stdio::null()).status();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<u16, Failure> {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .map_err(|error| Failure::from(format!("No free local port for WebKitWebDriver: {error}")))
}

impl Driver {
    /// Starts Xvfb and WebKitWebDriver; `env` reaches the app the driver starts.
    pub(super) fn start(env: &[(&str, OsString)]) -> Result<Driver, Failure> {
        let port = free_port()?;
        let mut command = Command::new("xvfb-run");
        command
            .args(["-a", "-s", "-screen 0 1280x800x24", "WebKitWebDriver", &format!("--port={port}")])
            .env("TAURI_WEBVIEW_AUTOMATION", "true")
            .stdout(Stdio::null())
            .stderr(Stdio::null());
        for (key, value) in env {
            command.env(key, value);
        }
        std::os::unix::process::CommandExt::process_group(&mut command, 0);
        let child = command
            .spawn()
            .map_err(|error| format!("Could not start xvfb-run WebKitWebDriver (make deps installs them): {error}"))?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(90)))
            .build()
            .into();
        let driver = Driver { child, agent, base: format!("http://127.0.0.1:{port}") };
        let started = Instant::now();
        while driver.agent.get(&format!("{}/status", driver.base)).call().is_err() {
            if started.elapsed() > Duration::from_secs(30) {
                return Err("WebKitWebDriver did not start within 30 s".to_owned().into());
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        Ok(driver)
    }

    /// The driver's process group: the app it starts is in it.
    pub(super) fn process_group(&self) -> u32 {
        self.child.id()
    }

    /// Asks the driver for a session, which starts `app`.
    pub(super) fn open(&self, app: &Path) -> Result<Session<'_>, Failure> {
        let capabilities = json!({ "capabilities": { "alwaysMatch": {
            "webkitgtk:browserOptions": { "binary": app, "args": [] } } } });
        let created = self.send("POST", "/session", Some(capabilities))?;
        let id = created["sessionId"].as_str().ok_or_else(|| format!("WebDriver gave no session id: {created}"))?;
        Ok(Session { driver: self, id: id.to_owned() })
    }

    fn send(&self, method: &str, path: &str, body: Option<Value>) -> Result<Value, Failure> {
        let url = format!("{}{path}", self.base);
        let response = match method {
            "POST" => self.agent.post(&url).send_json(body.unwrap_or_else(|| json!({}))),
            "DELETE" => self.agent.delete(&url).call(),
            _ => self.agent.get(&url).call(),
        };
        let mut response = response.map_err(|error| format!("WebDriver {method} {path}: {error}"))?;
        let status = response.status();
        let value: Value =
            response.body_mut().read_json().map_err(|error| format!("WebDriver {method} {path}: {error}"))?;
        if status.is_success() {
            Ok(value["value"].clone())
        } else {
            Err(format!("WebDriver {method} {path} answered {status}: {}", value["value"]).into())
        }
    }
}

/// A WebDriver session: one running app.
pub(super) struct Session<'a> {
    driver: &'a Driver,
    id: String,
}

impl Session<'_> {
    fn path(&self, rest: &str) -> String {
        format!("/session/{}{rest}", self.id)
    }

    /// Runs `source` in the page and returns what it returns.
    pub(super) fn script(&self, source: &str) -> Result<Value, Failure> {
        self.driver.send("POST", &self.path("/execute/sync"), Some(json!({ "script": source, "args": [] })))
    }

    /// Polls `source` every 20 ms until it returns something other than null.
    pub(super) fn poll(&self, source: &str, limit: Duration) -> Result<Value, Failure> {
        let started = Instant::now();
        loop {
            let value = self.script(source)?;
            if !value.is_null() {
                return Ok(value);
            }
            if started.elapsed() > limit {
                return Err(format!("Nothing after {} s from: {source}", limit.as_secs()).into());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn element(&self, css: &str) -> Result<String, Failure> {
        let found =
            self.driver.send("POST", &self.path("/element"), Some(json!({ "using": "css selector", "value": css })))?;
        found[ELEMENT_KEY].as_str().map(str::to_owned).ok_or_else(|| format!("No element {css}").into())
    }

    pub(super) fn type_into(&self, css: &str, text: &str) -> Result<(), Failure> {
        let element = self.element(css)?;
        self.driver.send("POST", &self.path(&format!("/element/{element}/value")), Some(json!({ "text": text })))?;
        Ok(())
    }

    pub(super) fn click(&self, css: &str) -> Result<(), Failure> {
        let element = self.element(css)?;
        self.driver.send("POST", &self.path(&format!("/element/{element}/click")), None)?;
        Ok(())
    }

    /// Ends the session, which closes the app as closing its window would.
    pub(super) fn quit(self) {
        let _ = self.driver.send("DELETE", &self.path(""), None);
    }
}
