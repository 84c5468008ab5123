//! Files the user asks for (exports, reports, printouts) are written beside their destination
//! under a temporary name, owner-only, flushed, and renamed into place only when whole: a
//! failure part-way leaves nothing behind that could be taken for the full file.
//!
//! Where they may go is confined, whoever asks: never inside the practice's data folder (the
//! database, the key slots), never over a symbolic link or anything but a plain file, and over an
//! existing file only when the person chose it in the system's save dialog (which asked them
//! first). Otherwise only as a new file.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{ClinicError, ClinicResult};

/// Where a person asked for a file to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportDestination {
    path: PathBuf,
    may_replace: bool,
}

impl ExportDestination {
    /// A file that must not exist yet (a path typed on the command line, say).
    pub fn new_file(path: impl Into<PathBuf>) -> Self {
        ExportDestination { path: path.into(), may_replace: false }
    }

    /// A file the person chose in the system's save dialog, which asks before it lets them pick
    /// an existing file: such a file may be replaced.
    pub fn chosen_in_save_dialog(path: impl Into<PathBuf>) -> Self {
        ExportDestination { path: path.into(), may_replace: true }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

fn refused(message: impl Into<String>) -> ClinicError {
    ClinicError::invalid("destination", message)
}

fn write_error(destination: &Path, error: &std::io::Error) -> ClinicError {
    refused(format!("The file could not be written to {}: {error}. Choose another place.", destination.display()))
}

/// Checks `destination` against the confinement rules; returns the folder it goes in.
fn confined(destination: &ExportDestination, data_folder: &Path) -> ClinicResult<PathBuf> {
    let path = destination.path();
    let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    if name.is_empty() || name == "." || name == ".." {
        return Err(refused("Choose a file name to save to."));
    }
    let folder = path.parent().filter(|folder| !folder.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let folder = fs::canonicalize(folder).map_err(|_| refused("That folder does not exist. Choose another place."))?;
    let practice = fs::canonicalize(data_folder).unwrap_or_else(|_| data_folder.to_path_buf());
    if folder.starts_with(&practice) {
        return Err(refused(
            "Files cannot be saved inside the practice's own data folder. Choose another place, such as Documents.",
        ));
    }
    match fs::symlink_metadata(folder.join(&name)) {
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
        Err(error) => return Err(write_error(path, &error)),
        Ok(meta) if meta.file_type().is_symlink() => {
            return Err(refused("That name is a link to another file; Chartkeep does not write through links."));
        }
        Ok(meta) if !meta.is_file() => return Err(refused("That name is not a plain file. Choose another name.")),
        Ok(_) if !destination.may_replace => {
            return Err(refused("A file with that name is there already. Choose another name."));
        }
        Ok(_) => {}
    }
    Ok(folder.join(name))
}

/// A file written under a temporary name; removed when dropped unless it was put in place.
#[derive(Debug)]
pub(crate) struct PendingFile {
    temporary: PathBuf,
    destination: PathBuf,
    may_replace: bool,
    placed: bool,
}

impl PendingFile {
    /// Writes the whole file with `write` under a temporary name beside `destination`, which
    /// must pass the confinement rules (`data_folder` is the practice's).
    pub(crate) fn write<T>(
        destination: &ExportDestination,
        data_folder: &Path,
        write: impl FnOnce(&mut dyn Write) -> ClinicResult<T>,
    ) -> ClinicResult<(PendingFile, T)> {
        let target = confined(destination, data_folder)?;
        let folder = target.parent().unwrap_or(Path::new("."));
        let name = target.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        let temporary = folder.join(format!(".{name}.{}.partial", uuid::Uuid::new_v4()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&temporary).map_err(|error| write_error(&target, &error))?;
        chartkeep_vault::narrow_new_file_to_owner(&temporary);
        let pending =
            PendingFile { temporary, destination: target.clone(), may_replace: destination.may_replace, placed: false };
        let mut writer = BufWriter::new(file);
        let value = write(&mut writer)?;
        let file: File = writer.into_inner().map_err(|error| write_error(&target, error.error()))?;
        file.sync_all().map_err(|error| write_error(&target, &error))?;
        Ok((pending, value))
    }

    /// Puts the finished file in place: over the old one only when that was chosen in the save
    /// dialog, otherwise only where no file is (checked atomically, where the disk allows).
    pub(crate) fn put_in_place(mut self) -> ClinicResult<PlacedFile> {
        let placed = if self.may_replace {
            fs::rename(&self.temporary, &self.destination)
        } else {
            rename_without_replacing(&self.temporary, &self.destination)
        };
        placed.map_err(|error| match error.kind() {
            std::io::ErrorKind::AlreadyExists => {
                refused("A file with that name is there already. Choose another name.")
            }
            _ => write_error(&self.destination, &error),
        })?;
        self.placed = true;
        Ok(PlacedFile { path: self.destination.clone() })
    }
}

/// Renames `from` to `to` unless `to` exists: atomically with `RENAME_NOREPLACE` on Linux and
/// `MoveFileExW` without `MOVEFILE_REPLACE_EXISTING` on Windows (NTFS and FAT alike), or a hard
/// link where those are refused; on disks that have neither (FAT on Linux), after checking.
fn rename_without_replacing(from: &Path, to: &Path) -> std::io::Result<()> {
    #[cfg(windows)]
    match chartkeep_windows::rename::rename_without_replacing(from, to) {
        Ok(()) => return Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => return Err(error),
        Err(_) => {}
    }
    #[cfg(target_os = "linux")]
    {
        use rustix::fs::{CWD, RenameFlags, renameat_with};
        match renameat_with(CWD, from, CWD, to, RenameFlags::NOREPLACE) {
            Ok(()) => return Ok(()),
            Err(rustix::io::Errno::EXIST) => return Err(std::io::ErrorKind::AlreadyExists.into()),
            Err(_) => {}
        }
    }
    match fs::hard_link(from, to) {
        Ok(()) => return fs::remove_file(from),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => return Err(error),
        Err(_) => {}
    }
    if fs::symlink_metadata(to).is_ok() {
        return Err(std::io::ErrorKind::AlreadyExists.into());
    }
    fs::rename(from, to)
}

impl Drop for PendingFile {
    fn drop(&mut self) {
        if !self.placed {
            let _ = fs::remove_file(&self.temporary);
        }
    }
}

/// A file in place whose audit entry has not been committed yet: if committing fails, the file
/// is taken away again, so nothing leaves unaudited.
#[derive(Debug)]
pub(crate) struct PlacedFile {
    path: PathBuf,
}

impl PlacedFile {
    pub(crate) fn withdraw(self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Writes `bytes` to `destination` under the same rules, in one go (the Recovery Kit).
pub fn write_confined_file(destination: &ExportDestination, data_folder: &Path, bytes: &[u8]) -> ClinicResult<()> {
    let (pending, ()) =
        PendingFile::write(destination, data_folder, |writer| writer.write_all(bytes).map_err(io_error))?;
    pending.put_in_place().map(drop)
}

/// Maps an I/O error inside a writer to the destination's plain message.
pub(crate) fn io_error(error: std::io::Error) -> ClinicError {
    refused(format!("The file could not be written: {error}. Choose another place."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn practice(folder: &tempfile::TempDir) -> PathBuf {
        let data = folder.path().join("practice");
        fs::create_dir_all(&data).unwrap();
        data
    }

    #[test]
    fn a_failed_write_leaves_nothing_and_a_finished_one_is_placed() {
        let folder = tempfile::tempdir().unwrap();
        let data = practice(&folder);
        let destination = ExportDestination::new_file(folder.path().join("export.csv"));
        let failed = PendingFile::write(&destination, &data, |writer| {
            writer.write_all(b"half").map_err(io_error)?;
            Err::<(), _>(ClinicError::Internal("stopped"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 1, "no partial file is left");

        let (pending, ()) =
            PendingFile::write(&destination, &data, |writer| writer.write_all(b"whole").map_err(io_error)).unwrap();
        assert!(!destination.path().exists(), "not in place before it is put there");
        pending.put_in_place().unwrap();
        assert_eq!(fs::read(destination.path()).unwrap(), b"whole");
    }

    #[test]
    fn a_placed_file_is_the_owners_alone() {
        let folder = tempfile::tempdir().unwrap();
        let data = practice(&folder);
        let path = folder.path().join("summary.pdf");
        write_confined_file(&ExportDestination::new_file(&path), &data, b"whole").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        #[cfg(windows)]
        {
            let access = chartkeep_windows::owner_only::access_of(&path).unwrap();
            assert!(access.is_owner_only().unwrap(), "{access:?}");
        }
    }

    #[test]
    fn a_new_file_never_replaces_and_a_chosen_one_does() {
        let folder = tempfile::tempdir().unwrap();
        let data = practice(&folder);
        let path = folder.path().join("report.pdf");
        fs::write(&path, b"older").unwrap();
        let refused = write_confined_file(&ExportDestination::new_file(&path), &data, b"newer");
        assert!(matches!(refused, Err(ClinicError::InvalidInput { field: "destination", .. })));
        assert_eq!(fs::read(&path).unwrap(), b"older");
        write_confined_file(&ExportDestination::chosen_in_save_dialog(&path), &data, b"newer").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"newer");
    }
}
