//! The main window. It is made in code rather than in `tauri.conf.json` because of one switch:
//! the webview runs incognito (an ephemeral WebKit context, so no page cache, storage or cookies
//! ever reach the disk), except when a WebDriver test asks for automation, which WebKit only
//! allows on a persistent context. The end-to-end tests scan that context's folder for canaries,
//! so the one configuration that writes webview data to disk is also the one proven clean.

use tauri::{App, WebviewUrl, WebviewWindowBuilder};

pub const MAIN_WINDOW: &str = "main";

fn automation_requested() -> bool {
    std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true")
}

pub fn open_main_window(app: &App) -> tauri::Result<()> {
    WebviewWindowBuilder::new(app, MAIN_WINDOW, WebviewUrl::App("index.html".into()))
        .title("Chartkeep")
        .inner_size(1100.0, 760.0)
        .min_inner_size(800.0, 560.0)
        .center()
        .incognito(!automation_requested())
        .build()?;
    Ok(())
}
