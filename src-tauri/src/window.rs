//! The main window. It is made in code rather than in `tauri.conf.json` because of two switches
//! and the status it starts with.
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
//!
//! The status Rust has as it makes the window goes into the page before the page loads, as
//! `window.__CHARTKEEP_FIRST_STATUS__` (taken once, on the first load, by
//! `ui/src/lib/session/statusSource.ts`): the first screen then does not wait for a command's
//! round trip. At that moment no one is signed in, so it holds no patient data.

use tauri::{App, WebviewUrl, WebviewWindowBuilder};

use crate::dto::AppStatus;

pub const MAIN_WINDOW: &str = "main";

fn automation_requested() -> bool {
    std::env::var("TAURI_WEBVIEW_AUTOMATION").as_deref() == Ok("true")
}

pub fn open_main_window(app: &App, first_status: Option<&AppStatus>) -> tauri::Result<()> {
    let mut builder = WebviewWindowBuilder::new(app, MAIN_WINDOW, WebviewUrl::App("index.html".into()))
        .title("Chartkeep")
        .inner_size(1100.0, 760.0)
        .min_inner_size(800.0, 560.0)
        .center()
        .incognito(!automation_requested());
    if let Some(script) = first_status.and_then(first_status_script) {
        builder = builder.initialization_script(script);
    }
    let window = builder.build()?;
    #[cfg(target_os = "linux")]
    window.with_webview(draw_without_hardware_acceleration)?;
    #[cfg(not(target_os = "linux"))]
    let _ = window;
    Ok(())
}

/// The script that hands `status` to the page. JSON is a JavaScript expression, so whatever text
/// a message holds (quotes, `</script>`, line separators) stays data.
fn first_status_script(status: &AppStatus) -> Option<String> {
    let json = serde_json::to_string(status).ok()?;
    Some(format!("window.{FIRST_STATUS_GLOBAL} = {json};"))
}

/// The global `ui/src/lib/session/statusSource.ts` reads.
const FIRST_STATUS_GLOBAL: &str = "__CHARTKEEP_FIRST_STATUS__";

#[cfg(target_os = "linux")]
fn draw_without_hardware_acceleration(webview: tauri::webview::PlatformWebview) {
    use webkit2gtk::{HardwareAccelerationPolicy, SettingsExt, WebViewExt};
    if let Some(settings) = webview.inner().settings() {
        settings.set_hardware_acceleration_policy(HardwareAccelerationPolicy::Never);
    }
}

#[cfg(test)]
mod tests {
    use super::{AppStatus, FIRST_STATUS_GLOBAL, first_status_script};

    #[test]
    fn the_first_status_reaches_the_page_as_the_json_the_command_answers() {
        let status = AppStatus::Damaged { message: "a \"quoted\" </script> \u{2028} message".into() };
        let script = first_status_script(&status).unwrap();
        let prefix = format!("window.{FIRST_STATUS_GLOBAL} = ");
        let json = script.strip_prefix(&prefix).and_then(|rest| rest.strip_suffix(';')).unwrap();
        let handed: serde_json::Value = serde_json::from_str(json).unwrap();
        assert_eq!(handed, serde_json::to_value(&status).unwrap());
        assert_eq!(handed["state"], "damaged");
    }

    #[test]
    fn the_page_reads_the_global_this_side_sets() {
        let reader = include_str!("../../ui/src/lib/session/statusSource.ts");
        assert!(reader.contains(&format!("'{FIRST_STATUS_GLOBAL}'")), "statusSource.ts reads {FIRST_STATUS_GLOBAL}");
    }
}
