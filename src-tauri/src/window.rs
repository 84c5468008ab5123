//! The main window. It is made in code rather than in `tauri.conf.json` because of two switches.
//!
//! The webview runs incognito (an ephemeral WebKit context, so no page cache, storage or cookies
//! ever reach the disk), except when a WebDriver test asks for automation, which WebKit only
//! allows on a persistent context. The end-to-end tests scan that context's folder for canaries,
//! so the one configuration that writes webview data to disk is also the one proven clean.
//!
//! On Linux the webview draws without hardware acceleration. WebKitGTK's accelerated compositing
//! kept backing stores for composited layers that took the web process from about 187 to 297 MiB
//! on signing in; drawn in software the same screens take about 120 MiB, sign-in paints sooner,
//! and a forms application has no animation that needs the GPU (`make bench-startup` measures
//! both; ARCHITECTURE.md's Performance section has the figures). It also keeps the app away from
//! the GPU drivers behind WebKitGTK's known blank-window failures.

use tauri::{App, WebviewUrl, WebviewWindowBuilder};

pub const MAIN_WINDOW: &str = "main";

fn automation_requested() -> bool {
    std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true")
}

pub fn open_main_window(app: &App) -> tauri::Result<()> {
    let window = WebviewWindowBuilder::new(app, MAIN_WINDOW, WebviewUrl::App("index.html".into()))
        .title("Chartkeep")
        .inner_size(1100.0, 760.0)
        .min_inner_size(800.0, 560.0)
        .center()
        .incognito(!automation_requested())
        .build()?;
    #[cfg(target_os = "linux")]
    window.with_webview(draw_without_hardware_acceleration)?;
    #[cfg(not(target_os = "linux"))]
    let _ = window;
    Ok(())
}

#[cfg(target_os = "linux")]
fn draw_without_hardware_acceleration(webview: tauri::webview::PlatformWebview) {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    if let Some(settings) = webview.inner().settings() {
        settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
    }
}
