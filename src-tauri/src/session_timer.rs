//! Rust's own clock on the session: every few seconds, whether or not the page calls, a session
//! that ran out is logged off (the database closed, its key wiped) and the page hears
//! "status-changed" (as when the desktop locks) and shows the lock screen. A page that hangs, or
//! stops calling, cannot keep the database open.

use std::time::Duration;

use tauri::{Emitter, Manager};

use crate::state::AppState;

/// How often the timer looks. The idle timeouts are whole minutes, so a session ends at most
/// this much later than its timeout.
pub const TICK: Duration = Duration::from_secs(5);

/// Starts the timer for the app's lifetime.
pub fn start(app: tauri::AppHandle) {
    let spawned = std::thread::Builder::new().name("session-timer".into()).spawn(move || {
        loop {
            std::thread::sleep(TICK);
            if app.state::<AppState>().tick() {
                tracing::info!("an idle or expired session was ended by the session timer");
                let _ = app.emit(crate::session_lock::STATUS_CHANGED, ());
            }
        }
    });
    if let Err(error) = spawned {
        tracing::error!(%error, "the session timer could not start; sessions end at the next command only");
    }
}
