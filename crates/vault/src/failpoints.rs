//! Named points in the code paths that write, where a test can make the program fail or die, to
//! show that every write leaves the old state or the new one and never a mix. Compiled only with
//! the `failpoints` feature (test builds); without it every point is an empty function.
//!
//! A point fails when a test armed it on the same thread ([`arm`]: tests run side by side in one
//! process, so arming is per thread), or kills the process with
//! `SIGKILL` when the environment names it (`CHARTKEEP_FAILPOINT=<name>`, or `<name>#<n>` for its
//! n-th pass, for the kill tests that run Chartkeep as a child process). Every point a run passes
//! is appended to the file named by `CHARTKEEP_FAILPOINT_LOG`, so a test can show which points a
//! run reached.

use crate::error::{VaultError, VaultResult};

#[cfg(feature = "failpoints")]
mod enabled {
    use std::io::Write as _;
    use std::sync::Mutex;

    /// What an armed point does.
    #[derive(Debug, Clone, Copy, PartialEq, Eq)]
    pub enum Action {
        /// Returns an I/O error, as a full disk or a failing drive would.
        Fail,
        /// Ends the process at once with SIGKILL: no destructor, no flush.
        Kill,
    }

    thread_local! {
        static ARMED: std::cell::RefCell<Vec<(String, Action)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    static PASSES: Mutex<Vec<(String, u64)>> = Mutex::new(Vec::new());

    /// How many times this process has passed `name`, this pass included.
    fn count_pass(name: &str) -> u64 {
        let mut passes = PASSES.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        match passes.iter_mut().find(|(seen, _)| seen == name) {
            Some((_, count)) => {
                *count += 1;
                *count
            }
            None => {
                passes.push((name.to_owned(), 1));
                1
            }
        }
    }

    /// Arms `name` on this thread until [`disarm_all`].
    pub fn arm(name: &str, action: Action) {
        ARMED.with(|armed| armed.borrow_mut().push((name.to_owned(), action)));
    }

    pub fn disarm_all() {
        ARMED.with(|armed| armed.borrow_mut().clear());
    }

    pub(crate) fn action_at(name: &str) -> Option<Action> {
        if let Ok(path) = std::env::var("CHARTKEEP_FAILPOINT_LOG")
            && let Ok(mut log) = std::fs::OpenOptions::new().create(true).append(true).open(path)
        {
            let _ = writeln!(log, "{name}");
        }
        let pass = count_pass(name);
        if let Ok(armed) = std::env::var("CHARTKEEP_FAILPOINT") {
            let (armed_name, armed_pass) = match armed.split_once('#') {
                Some((armed_name, count)) => (armed_name.to_owned(), count.parse().unwrap_or(0)),
                None => (armed, 1),
            };
            if armed_name == name && armed_pass == pass {
                return Some(Action::Kill);
            }
        }
        ARMED.with(|armed| armed.borrow().iter().find(|(armed, _)| armed == name).map(|(_, action)| *action))
    }

    pub(crate) fn kill_this_process() -> ! {
        #[cfg(unix)]
        let _ = rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::KILL);
        std::process::abort()
    }
}

#[cfg(feature = "failpoints")]
pub use enabled::{Action, arm, disarm_all};

/// Passes the point `name`: an error or the end of the process when a test armed it.
#[inline]
pub fn hit(name: &'static str) -> VaultResult<()> {
    #[cfg(feature = "failpoints")]
    match enabled::action_at(name) {
        Some(enabled::Action::Kill) => enabled::kill_this_process(),
        Some(enabled::Action::Fail) => {
            return Err(VaultError::Io {
                path: std::path::PathBuf::from(name),
                source: std::io::Error::other("a failpoint was armed here"),
            });
        }
        None => {}
    }
    let _ = name;
    Ok::<(), VaultError>(())
}
