//! Files the user asks for (exports, reports, printouts) are written beside their destination
//! under a temporary name, owner-only, flushed, and renamed into place only when whole: a
//! failure part-way leaves nothing behind that could be taken for the full file.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::error::{ClinicError, ClinicResult};

/// A file written under a temporary name; removed when dropped unless it was put in place.
#[derive(Debug)]
pub(crate) struct PendingFile {
    temporary: PathBuf,
    destination: PathBuf,
    placed: bool,
}

fn write_error(destination: &Path, error: &std::io::Error) -> ClinicError {
    ClinicError::invalid(
        "destination",
        format!("The file could not be written to {}: {error}. Choose another place.", destination.display()),
    )
}

impl PendingFile {
    /// Writes the whole file with `write` under a temporary name beside `destination`.
    pub(crate) fn write<T>(
        destination: &Path,
        write: impl FnOnce(&mut dyn Write) -> ClinicResult<T>,
    ) -> ClinicResult<(PendingFile, T)> {
        let folder = destination.parent().filter(|folder| !folder.as_os_str().is_empty()).unwrap_or(Path::new("."));
        let name = destination.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
        if name.is_empty() {
            return Err(ClinicError::invalid("destination", "Choose a file name to save to."));
        }
        let temporary = folder.join(format!(".{name}.{}.partial", uuid::Uuid::new_v4()));
        let mut options = OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let file = options.open(&temporary).map_err(|error| write_error(destination, &error))?;
        let pending = PendingFile { temporary, destination: destination.to_path_buf(), placed: false };
        let mut writer = BufWriter::new(file);
        let value = write(&mut writer)?;
        let file: File = writer.into_inner().map_err(|error| write_error(destination, error.error()))?;
        file.sync_all().map_err(|error| write_error(destination, &error))?;
        Ok((pending, value))
    }

    /// Renames the finished file into place (replacing an older file of that name).
    pub(crate) fn put_in_place(mut self) -> ClinicResult<PlacedFile> {
        fs::rename(&self.temporary, &self.destination).map_err(|error| write_error(&self.destination, &error))?;
        self.placed = true;
        Ok(PlacedFile { path: self.destination.clone() })
    }
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

/// Maps an I/O error inside a writer to the destination's plain message.
pub(crate) fn io_error(error: std::io::Error) -> ClinicError {
    ClinicError::invalid("destination", format!("The file could not be written: {error}. Choose another place."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_nothing_and_a_finished_one_is_placed() {
        let folder = tempfile::tempdir().unwrap();
        let destination = folder.path().join("export.csv");
        let failed = PendingFile::write(&destination, |writer| {
            writer.write_all(b"half").map_err(io_error)?;
            Err::<(), _>(ClinicError::Internal("stopped"))
        });
        assert!(failed.is_err());
        assert_eq!(fs::read_dir(folder.path()).unwrap().count(), 0, "no partial file is left");

        let (pending, ()) =
            PendingFile::write(&destination, |writer| writer.write_all(b"whole").map_err(io_error)).unwrap();
        assert!(!destination.exists(), "not in place before it is put there");
        pending.put_in_place().unwrap();
        assert_eq!(fs::read(&destination).unwrap(), b"whole");
    }
}
