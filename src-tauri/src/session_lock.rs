//! Locks Chartkeep when the desktop session locks, where the platform reports it.
//!
//! Covered: Linux desktops that announce their screen lock on the session bus with the
//! ScreenSaver `ActiveChanged(true)` signal (GNOME as `org.gnome.ScreenSaver`; KDE, Xfce, Cinnamon
//! and others as `org.freedesktop.ScreenSaver`). Not covered yet: logind's `Lock` signal on the
//! system bus, Windows (`WTS_SESSION_LOCK`) and macOS (`com.apple.screenIsLocked`); there the
//! idle timeout and Ctrl+L remain the ways to lock.

use std::time::{Duration, Instant};

use tauri::{AppHandle, Emitter, Manager};

use crate::state::AppState;

/// The event that tells the UI to drop what it shows and ask for the status again.
pub const STATUS_CHANGED: &str = "status-changed";

/// The event that asks the UI to lock as Ctrl+L does: drop the screen, save a draft's last
/// typing while the session still accepts it, then lock.
pub const DESKTOP_LOCKED: &str = "desktop-locked";

/// How long the UI has to save and lock before Rust locks anyway. The desktop's own lock screen
/// covers the window meanwhile, and a hung or closed UI never keeps the session open longer.
const TIME_FOR_THE_UI_TO_LOCK: Duration = Duration::from_secs(2);

pub fn follow_desktop_lock(app: AppHandle) {
    #[cfg(target_os = "linux")]
    {
        let spawned = std::thread::Builder::new().name("desktop-lock".into()).spawn(move || {
            if let Err(error) = watch_screen_saver(&app) {
                tracing::info!(%error, "the desktop's screen lock cannot be followed");
            }
        });
        if let Err(error) = spawned {
            tracing::warn!(%error, "could not start following the desktop's screen lock");
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = app;
}

/// Asks the UI to lock as Ctrl+L would; locks here when it has not within a moment (and never
/// after it has, which would lock a session unlocked again meanwhile), and tells the UI.
fn lock_now(app: &AppHandle) {
    let state = app.state::<AppState>();
    match app.emit(DESKTOP_LOCKED, ()) {
        Ok(()) => {
            let asked = Instant::now();
            while state.is_signed_in() && asked.elapsed() < TIME_FOR_THE_UI_TO_LOCK {
                std::thread::sleep(Duration::from_millis(20));
            }
            if !state.is_signed_in() {
                return;
            }
            tracing::info!("the UI did not lock in time; locking without it");
        }
        Err(error) => tracing::error!(%error, "could not ask the UI to lock"),
    }
    if let Err(error) = state.lock() {
        tracing::error!(code = ?error.code, "locking with the desktop failed");
    }
    if let Err(error) = app.emit(STATUS_CHANGED, ()) {
        tracing::error!(%error, "could not tell the UI that the app locked");
    }
}

#[cfg(target_os = "linux")]
fn watch_screen_saver(app: &AppHandle) -> zbus::Result<()> {
    const INTERFACES: [&str; 2] = ["org.gnome.ScreenSaver", "org.freedesktop.ScreenSaver"];
    let connection = zbus::blocking::Connection::session()?;
    let rule = zbus::MatchRule::builder().msg_type(zbus::message::Type::Signal).member("ActiveChanged")?.build();
    let messages = zbus::blocking::MessageIterator::for_match_rule(rule, &connection, None)?;
    for message in messages {
        let Ok(message) = message else { continue };
        let header = message.header();
        let from_a_screen_saver = header.interface().is_some_and(|interface| INTERFACES.contains(&interface.as_str()));
        if from_a_screen_saver && message.body().deserialize::<bool>().unwrap_or(false) {
            tracing::info!("the desktop locked its screen; locking Chartkeep");
            lock_now(app);
        }
    }
    Ok(())
}
