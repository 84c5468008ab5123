//! Following the desktop's lock: Windows sends `WM_WTSSESSION_CHANGE` with `WTS_SESSION_LOCK`
//! to windows registered with `WTSRegisterSessionNotification`. Chartkeep registers a hidden,
//! message-only window of its own on a thread of its own, so the app's windows (Tauri's) are left
//! alone and the callback may block that thread for a moment.

use std::cell::RefCell;
use std::io;
use std::ptr::{null, null_mut};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use windows_sys::Win32::Foundation::{HWND, LPARAM, LRESULT, WPARAM};
use windows_sys::Win32::System::LibraryLoader::GetModuleHandleW;
use windows_sys::Win32::System::RemoteDesktop::{
    NOTIFY_FOR_THIS_SESSION, WTSRegisterSessionNotification, WTSUnRegisterSessionNotification,
};
use windows_sys::Win32::UI::WindowsAndMessaging::{
    CreateWindowExW, DefWindowProcW, DestroyWindow, DispatchMessageW, GetMessageW, HWND_MESSAGE, MSG, PostMessageW,
    PostQuitMessage, RegisterClassW, WM_CLOSE, WM_DESTROY, WM_WTSSESSION_CHANGE, WNDCLASSW, WTS_SESSION_LOCK,
    WTS_SESSION_UNLOCK,
};

/// What happened to the desktop session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SessionChange {
    Locked,
    Unlocked,
}

type Callback = Box<dyn Fn(SessionChange)>;

thread_local! {
    /// The callback of the follower whose window lives on this thread.
    static ON_CHANGE: RefCell<Option<Callback>> = const { RefCell::new(None) };
}

/// Until it is stopped or dropped, calls back on every lock and unlock of this desktop session.
#[derive(Debug)]
pub struct SessionLockFollower {
    /// The message-only window's handle, as an address (a handle is not `Send`).
    window: usize,
    thread: Option<JoinHandle<()>>,
}

/// Starts following the desktop's lock on a thread of its own; `on_change` runs on that thread.
/// Fails when the window cannot be made or the session cannot be followed (the error says why).
pub fn follow(on_change: impl Fn(SessionChange) + Send + 'static) -> io::Result<SessionLockFollower> {
    let (ready, started) = mpsc::channel();
    let thread = std::thread::Builder::new().name("desktop-lock".to_owned()).spawn(move || {
        let window = match message_only_window() {
            Ok(window) => window,
            Err(error) => {
                let _ = ready.send(Err(error));
                return;
            }
        };
        if let Err(error) = register(window) {
            // SAFETY: the window was created on this thread and is destroyed once, here.
            unsafe { DestroyWindow(window) };
            let _ = ready.send(Err(error));
            return;
        }
        ON_CHANGE.with(|slot| *slot.borrow_mut() = Some(Box::new(on_change)));
        let _ = ready.send(Ok(window.expose_provenance()));
        run_messages();
        ON_CHANGE.with(|slot| slot.borrow_mut().take());
    })?;
    match started.recv() {
        Ok(Ok(window)) => Ok(SessionLockFollower { window, thread: Some(thread) }),
        Ok(Err(error)) => {
            let _ = thread.join();
            Err(error)
        }
        Err(_) => Err(io::Error::other("the thread following the desktop's lock ended at once")),
    }
}

impl SessionLockFollower {
    fn window(&self) -> HWND {
        std::ptr::with_exposed_provenance_mut(self.window)
    }

    /// Posts a change to the window exactly as Windows does (for tests, which cannot lock the
    /// desktop they run on).
    pub fn post_as_windows_would(&self, change: SessionChange) -> io::Result<()> {
        let code = match change {
            SessionChange::Locked => WTS_SESSION_LOCK,
            SessionChange::Unlocked => WTS_SESSION_UNLOCK,
        };
        post(self.window(), WM_WTSSESSION_CHANGE, code as WPARAM)
    }

    /// Stops following and waits for the thread to end.
    pub fn stop(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(thread) = self.thread.take()
            && post(self.window(), WM_CLOSE, 0).is_ok()
        {
            let _ = thread.join();
        }
    }
}

impl Drop for SessionLockFollower {
    fn drop(&mut self) {
        self.stop_now();
    }
}

fn post(window: HWND, message: u32, wparam: WPARAM) -> io::Result<()> {
    // SAFETY: posting to a window handle is safe even if the window is gone (the call fails).
    if unsafe { PostMessageW(window, message, wparam, 0) } == 0 { Err(io::Error::last_os_error()) } else { Ok(()) }
}

const CLASS_NAME: &str = "ChartkeepDesktopLock";

fn message_only_window() -> io::Result<HWND> {
    let class_name: Vec<u16> = CLASS_NAME.encode_utf16().chain(std::iter::once(0)).collect();
    // SAFETY: a null name asks for the executable's own module handle, which needs no release.
    let instance = unsafe { GetModuleHandleW(null()) };
    let class = WNDCLASSW {
        lpfnWndProc: Some(window_procedure),
        hInstance: instance,
        lpszClassName: class_name.as_ptr(),
        ..WNDCLASSW::default()
    };
    // SAFETY: the class structure is complete and its name lives past the call. Registering it
    // a second time (a second follower) fails harmlessly and the class already there is used.
    unsafe { RegisterClassW(&class) };
    // SAFETY: the class is registered with this module; HWND_MESSAGE makes a window that is never
    // shown and only receives messages; the name lives past the call.
    let window = unsafe {
        CreateWindowExW(0, class_name.as_ptr(), null(), 0, 0, 0, 0, 0, HWND_MESSAGE, null_mut(), instance, null())
    };
    if window.is_null() { Err(io::Error::last_os_error()) } else { Ok(window) }
}

/// Registers for session notifications. Early in a sign-in the service behind it may not be up
/// yet (`RPC_S_INVALID_BINDING`), so a failure is tried again for a while.
fn register(window: HWND) -> io::Result<()> {
    let mut tries = 0;
    loop {
        // SAFETY: the window is a live window created on this thread.
        if unsafe { WTSRegisterSessionNotification(window, NOTIFY_FOR_THIS_SESSION) } != 0 {
            return Ok(());
        }
        let error = io::Error::last_os_error();
        tries += 1;
        if tries >= 30 {
            return Err(error);
        }
        std::thread::sleep(Duration::from_secs(1));
    }
}

fn run_messages() {
    let mut message = MSG::default();
    loop {
        // SAFETY: `message` is a valid place for the message; a null window takes this thread's.
        let got = unsafe { GetMessageW(&mut message, null_mut(), 0, 0) };
        if got == 0 || got == -1 {
            return;
        }
        // SAFETY: `message` was filled in by GetMessageW just now.
        unsafe { DispatchMessageW(&message) };
    }
}

unsafe extern "system" fn window_procedure(window: HWND, message: u32, wparam: WPARAM, lparam: LPARAM) -> LRESULT {
    match message {
        WM_WTSSESSION_CHANGE => {
            let change = match u32::try_from(wparam) {
                Ok(WTS_SESSION_LOCK) => Some(SessionChange::Locked),
                Ok(WTS_SESSION_UNLOCK) => Some(SessionChange::Unlocked),
                _ => None,
            };
            if let Some(change) = change {
                // A panic must not unwind into Windows.
                let _ = std::panic::catch_unwind(|| {
                    ON_CHANGE.with(|slot| {
                        if let Some(callback) = slot.borrow().as_ref() {
                            callback(change);
                        }
                    });
                });
            }
            0
        }
        WM_DESTROY => {
            // SAFETY: the window is registered (it only exists registered) and is being destroyed
            // on its own thread; unregistering is the documented step before it goes.
            unsafe { WTSUnRegisterSessionNotification(window) };
            // SAFETY: ends this thread's message loop; no pointers involved.
            unsafe { PostQuitMessage(0) };
            0
        }
        // SAFETY: the arguments are exactly those Windows passed to this window procedure.
        _ => unsafe { DefWindowProcW(window, message, wparam, lparam) },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lock_of_the_desktop_calls_back_and_stopping_ends_the_thread() {
        let (sender, changes) = mpsc::channel();
        let follower = follow(move |change| {
            let _ = sender.send(change);
        })
        .unwrap();
        follower.post_as_windows_would(SessionChange::Locked).unwrap();
        follower.post_as_windows_would(SessionChange::Unlocked).unwrap();
        let wait = Duration::from_secs(5);
        assert_eq!(changes.recv_timeout(wait).unwrap(), SessionChange::Locked);
        assert_eq!(changes.recv_timeout(wait).unwrap(), SessionChange::Unlocked);
        follower.stop();
        assert!(changes.recv_timeout(wait).is_err(), "the callback is gone with the thread");
    }
}
