//! Files that only their owner may read: crash reports and the Recovery Kit (mode 0600 on Unix,
//! an owner-only ACL on Windows).

use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

/// Writes `contents` to `path`, creating the file with mode 0600 on Unix (or replacing what an
/// existing file held). An existing file is narrowed to 0600 too where its file system keeps
/// Unix modes; one that does not (a FAT-formatted USB stick) keeps its own rules, and the write
/// goes ahead, because the owner chose that place.
pub fn write_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    chartkeep_vault::narrow_new_file_to_owner(path);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Err(error) = file.set_permissions(std::fs::Permissions::from_mode(0o600)) {
            tracing::warn!(%error, "a private file's permissions could not be narrowed to its owner");
        }
    }
    file.write_all(contents)?;
    file.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode_of(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn new_files_are_the_owners_alone() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("new.txt");
        write_private_file(&path, b"first").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"first");
        #[cfg(unix)]
        assert_eq!(mode_of(&path), 0o600);
    }

    #[test]
    fn an_existing_file_is_replaced_and_narrowed() {
        let folder = tempfile::tempdir().unwrap();
        let path = folder.path().join("existing.txt");
        std::fs::write(&path, b"a longer text than the new one").unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        }
        write_private_file(&path, b"short").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"short");
        #[cfg(unix)]
        assert_eq!(mode_of(&path), 0o600);
    }
}
