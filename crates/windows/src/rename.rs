//! Putting a finished file in place without replacing one that is there.

use std::io;
use std::path::Path;

use windows_sys::Win32::Storage::FileSystem::{MOVEFILE_WRITE_THROUGH, MoveFileExW};

/// Renames `from` to `to` unless `to` exists, in one step: `MoveFileExW` without
/// `MOVEFILE_REPLACE_EXISTING` fails with `ERROR_ALREADY_EXISTS` (an [`io::ErrorKind::AlreadyExists`])
/// when something is there, on NTFS and FAT alike. Both must be on the same volume.
pub fn rename_without_replacing(from: &Path, to: &Path) -> io::Result<()> {
    let from = crate::wide(from.as_os_str());
    let to = crate::wide(to.as_os_str());
    // SAFETY: both are NUL-terminated UTF-16 strings that live until after the call.
    let moved = unsafe { MoveFileExW(from.as_ptr(), to.as_ptr(), MOVEFILE_WRITE_THROUGH) };
    if moved == 0 { Err(io::Error::last_os_error()) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rename_never_replaces_a_file_that_is_there() {
        let folder = tempfile::tempdir().unwrap();
        let (from, to) = (folder.path().join("new.partial"), folder.path().join("report.pdf"));
        std::fs::write(&from, b"newer").unwrap();
        std::fs::write(&to, b"older").unwrap();
        let refused = rename_without_replacing(&from, &to).unwrap_err();
        assert_eq!(refused.kind(), io::ErrorKind::AlreadyExists, "{refused}");
        assert_eq!(std::fs::read(&to).unwrap(), b"older");
        std::fs::remove_file(&to).unwrap();
        rename_without_replacing(&from, &to).unwrap();
        assert_eq!(std::fs::read(&to).unwrap(), b"newer");
        assert!(!from.exists());
    }
}
