//! Locks Chartkeep when the desktop session locks, where the platform reports it.
//!
//! Covered on Linux: desktops that announce their screen lock on the session bus with the
//! ScreenSaver `ActiveChanged(true)` signal (GNOME as `org.gnome.ScreenSaver`; KDE, Xfce, Cinnamon
//! and others as `org.freedesktop.ScreenSaver`), and logind's `Lock` signal for this login session
//! on the system bus (`loginctl lock-session`, and what many lock screens and power managers
//! send).
//!
//! Covered on Windows: the session's `WTS_SESSION_LOCK` notification (Windows+L, Ctrl+Alt+Del
//! then Lock, the screen saver's lock, a lock by policy), received through
//! `WTSRegisterSessionNotification` on a hidden window of Chartkeep's own (`chartkeep-windows`).
//!
//! Not covered yet: macOS (`com.apple.screenIsLocked`); there the idle timeout and Ctrl+L remain
//! the ways to lock.

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
        follow_in_background("screen-saver-lock", app.clone(), watch_screen_saver);
        follow_in_background("logind-lock", app, watch_logind_session);
    }
    #[cfg(windows)]
    {
        let handle = app.clone();
        let followed = chartkeep_windows::session_lock::follow(move |change| {
            if change == chartkeep_windows::session_lock::SessionChange::Locked {
                tracing::info!("Windows locked this session; locking Chartkeep");
                lock_now(&handle);
            }
        });
        match followed {
            // Kept for the app's lifetime: dropping it would stop following.
            Ok(follower) => {
                app.manage(WindowsLockFollower { _follower: follower });
            }
            Err(error) => tracing::warn!(%error, "the desktop's lock cannot be followed"),
        }
    }
    #[cfg(not(any(target_os = "linux", windows)))]
    let _ = app;
}

#[cfg(windows)]
struct WindowsLockFollower {
    _follower: chartkeep_windows::session_lock::SessionLockFollower,
}

#[cfg(target_os = "linux")]
fn follow_in_background(name: &str, app: AppHandle, watch: fn(&AppHandle) -> zbus::Result<()>) {
    let thread_name = name.to_owned();
    let spawned = std::thread::Builder::new().name(thread_name).spawn(move || {
        if let Err(error) = watch(&app) {
            tracing::info!(%error, "one of the desktop's lock signals cannot be followed");
        }
    });
    if let Err(error) = spawned {
        tracing::warn!(%error, "could not start following the desktop's screen lock");
    }
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

/// logind's `Lock` signal for the login session this app runs in.
#[cfg(target_os = "linux")]
fn watch_logind_session(app: &AppHandle) -> zbus::Result<()> {
    let connection = zbus::blocking::Connection::system()?;
    let session = own_logind_session(&connection)?;
    let rule = zbus::MatchRule::builder()
        .msg_type(zbus::message::Type::Signal)
        .interface("org.freedesktop.login1.Session")?
        .member("Lock")?
        .path(session.into_inner())?
        .build();
    let messages = zbus::blocking::MessageIterator::for_match_rule(rule, &connection, None)?;
    for message in messages {
        if message.is_ok() {
            tracing::info!("logind locked this session; locking Chartkeep");
            lock_now(app);
        }
    }
    Ok(())
}

/// The object path of this process's login session: asked of logind, or built from
/// `XDG_SESSION_ID` when logind cannot say (as logind itself escapes it).
#[cfg(target_os = "linux")]
fn own_logind_session(connection: &zbus::blocking::Connection) -> zbus::Result<zbus::zvariant::OwnedObjectPath> {
    let asked = connection.call_method(
        Some("org.freedesktop.login1"),
        "/org/freedesktop/login1",
        Some("org.freedesktop.login1.Manager"),
        "GetSessionByPID",
        &(std::process::id(),),
    );
    match asked {
        Ok(reply) => reply.body().deserialize(),
        Err(error) => {
            let id = std::env::var("XDG_SESSION_ID").map_err(|_| error)?;
            let path = format!("/org/freedesktop/login1/session/{}", escape_bus_label(&id));
            Ok(zbus::zvariant::OwnedObjectPath::try_from(path)?)
        }
    }
}

/// logind's escaping of a session id into an object path's last element: letters and digits
/// stay (but a leading digit), every other byte becomes `_` and two hex digits.
#[cfg(any(target_os = "linux", test))]
fn escape_bus_label(id: &str) -> String {
    if id.is_empty() {
        return "_".to_owned();
    }
    id.bytes()
        .enumerate()
        .map(|(index, byte)| {
            if byte.is_ascii_alphabetic() || (byte.is_ascii_digit() && index > 0) {
                char::from(byte).to_string()
            } else {
                format!("_{byte:02x}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::escape_bus_label;

    #[test]
    fn session_ids_are_escaped_as_logind_escapes_them() {
        assert_eq!(escape_bus_label("c1"), "c1");
        assert_eq!(escape_bus_label("3"), "_33");
        assert_eq!(escape_bus_label("12"), "_312");
        assert_eq!(escape_bus_label("a-b"), "a_2db");
        assert_eq!(escape_bus_label(""), "_");
    }
}
