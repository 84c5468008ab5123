//! The system's file dialogs (GTK) are real windows under Xvfb, outside the page WebDriver
//! drives; these answer them with xdotool as a person would, by typing a path.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::webdriver::Browser;

type Display = (String, std::path::PathBuf);

/// Answers the save dialog titled `title` with `path`: the full path typed over the suggested
/// name, then Return. Waits until the dialog is gone.
pub fn save_as(browser: &Browser, title: &str, path: &Path) {
    answer(browser, title, &["ctrl+a"], &path.display().to_string());
}

/// Answers the open dialog titled `title` with `path`: a file, or a folder when `path` ends with
/// a slash. The dialog may open on "Recent", where a typed path is not followed, so it goes to
/// the home folder first (Alt+Home); then Ctrl+L opens the location field for the path.
pub fn choose(browser: &Browser, title: &str, path: &str) {
    answer(browser, title, &["alt+Home", "ctrl+l"], path);
}

fn answer(browser: &Browser, title: &str, keys_first: &[&str], path: &str) {
    let display = browser.x_display();
    let started = Instant::now();
    let window = loop {
        if let Some(window) = shown_window(&display, title) {
            break window;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "no dialog titled {title:?} appeared");
        std::thread::sleep(Duration::from_millis(100));
    };
    // There is no window manager under Xvfb: give the dialog the keyboard focus explicitly.
    xdotool(&display, &["windowfocus", "--sync", &window]).expect("focus the dialog");
    for key in keys_first {
        xdotool(&display, &["key", "--clearmodifiers", key]).expect("press a key in the dialog");
        std::thread::sleep(Duration::from_millis(200));
    }
    xdotool(&display, &["type", "--delay", "15", path]).expect("type the path");
    xdotool(&display, &["key", "--clearmodifiers", "Return"]).expect("press Return");
    let started = Instant::now();
    while shown_window(&display, title).is_some() {
        assert!(started.elapsed() < Duration::from_secs(30), "the dialog {title:?} did not close");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Runs xdotool on the Xvfb the app is shown on; its output, or None when it failed.
fn xdotool(display: &Display, arguments: &[&str]) -> Option<String> {
    let output = Command::new("xdotool")
        .args(arguments)
        .env("DISPLAY", &display.0)
        .env("XAUTHORITY", &display.1)
        .output()
        .expect("xdotool runs (scripts/install-deps installs it)");
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The first shown window titled exactly `title`. GTK keeps a closed dialog's window around
/// unmapped, so only visible ones count.
fn shown_window(display: &Display, title: &str) -> Option<String> {
    let found = xdotool(display, &["search", "--onlyvisible", "--name", &format!("^{title}$")])?;
    found.lines().next().map(|id| id.trim().to_owned()).filter(|id| !id.is_empty())
}
