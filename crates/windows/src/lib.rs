//! The only place in Chartkeep with `unsafe` code: the Win32 calls that no well-kept crate wraps
//! in a safe API, each behind a small safe function.
//!
//! - [`owner_only`]: narrowing a file or folder to its owner with a protected ACL (the Windows
//!   equivalent of mode 0700/0600) and reading an ACL back to check it.
//! - [`session_lock`]: following the desktop's lock (`WTSRegisterSessionNotification`,
//!   `WM_WTSSESSION_CHANGE` with `WTS_SESSION_LOCK`) on a message-only window of its own.
//! - [`rename`]: moving a finished file into place only where no file is (`MoveFileExW` without
//!   `MOVEFILE_REPLACE_EXISTING`), the Windows equivalent of Linux's `RENAME_NOREPLACE`.
//!
//! The workspace forbids unsafe code; this crate denies it in its manifest and allows it here,
//! explicitly, because Win32 has no other way in. Every `unsafe` block carries a `// SAFETY:`
//! comment (clippy's `undocumented_unsafe_blocks` is denied), and nothing but these calls lives
//! here. On other systems the crate is empty.
#![allow(unsafe_code)]

#[cfg(windows)]
pub mod owner_only;
#[cfg(windows)]
pub mod rename;
#[cfg(windows)]
pub mod session_lock;

#[cfg(windows)]
fn wide(text: &std::ffi::OsStr) -> Vec<u16> {
    use std::os::windows::ffi::OsStrExt;
    text.encode_wide().chain(std::iter::once(0)).collect()
}
