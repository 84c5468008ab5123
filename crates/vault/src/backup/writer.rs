//! Writing a backup file: the snapshot streamed through age into a file with a temporary name,
//! flushed to disk, then renamed. A half-written backup never carries a backup's name, and a
//! failure or a cancel removes the temporary file.

use std::fs::File;
use std::io::{BufWriter, Read, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

use super::BackupSource;
use super::container::{FORMAT, Trailer, footer, header};
use super::identity::{parse_recipient, practice_identity, seal_key_to};
use super::snapshot::{Snapshot, row_counts};
use super::{BackupManifest, BackupProgress, BackupStep, ManifestChainHead, ProgressCallback};
use crate::error::{VaultError, VaultResult};

const CHUNK: usize = 1024 * 1024;

/// What the caller knows about the backup (the rest is read from the snapshot).
#[derive(Debug, Clone)]
pub struct BackupDescription<'a> {
    pub app_version: &'a str,
    pub created_at: &'a str,
    pub practice_name: &'a str,
    pub audit_head: Option<ManifestChainHead>,
    /// Further age recipients (`age1…`) the Owner added, e.g. an off-site custodian.
    pub further_recipients: &'a [String],
}

/// A backup file written and named.
#[derive(Debug, Clone)]
pub struct WrittenBackup {
    pub path: PathBuf,
    pub bytes: u64,
    pub manifest: BackupManifest,
}

/// A file being written under a temporary name; removed on drop unless it was renamed.
struct PartialFile {
    path: PathBuf,
    done: bool,
}

impl Drop for PartialFile {
    fn drop(&mut self) {
        if !self.done {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Turns a failed write into "the destination is full" when that is what happened.
fn write_error(path: &Path) -> impl Fn(std::io::Error) -> VaultError + '_ {
    move |error| {
        if error.kind() == std::io::ErrorKind::StorageFull || error.raw_os_error() == Some(28) {
            VaultError::DestinationFull(path.parent().unwrap_or(path).to_path_buf())
        } else {
            VaultError::Io { path: path.to_path_buf(), source: error }
        }
    }
}

/// Encrypts `snapshot` into `folder/file_name`.
pub(crate) fn write_backup_file(
    snapshot: &Snapshot,
    source: &BackupSource,
    description: &BackupDescription<'_>,
    folder: &Path,
    file_name: &str,
    progress: ProgressCallback<'_>,
) -> VaultResult<WrittenBackup> {
    let recovery_recipient = source.recovery_recipient().to_owned();
    let mut recipients = vec![recovery_recipient.clone()];
    recipients.extend(description.further_recipients.iter().map(|recipient| recipient.trim().to_owned()));
    let sealed_to = recipients.iter().map(|recipient| parse_recipient(recipient)).collect::<VaultResult<Vec<_>>>()?;
    let practice = practice_identity(&snapshot.key)?.to_public();
    let (schema_version, row_counts) = {
        let connection = snapshot.open_read_only()?;
        let version: u32 = connection.query_row("PRAGMA user_version", [], |row| row.get(0))?;
        (version, row_counts(&connection)?)
    };
    let snapshot_bytes = snapshot.size()?;

    if !folder.is_dir() {
        return Err(VaultError::DestinationUnreachable(folder.to_path_buf()));
    }
    remove_stale_partial_files(folder);
    let final_path = free_path(folder, file_name)?;
    let chosen = final_path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
    let partial = PartialFile { path: folder.join(format!(".{chosen}.partial")), done: false };
    let file = create_private_file(&partial.path).map_err(write_error(&partial.path))?;
    let outer: Vec<&dyn age::Recipient> = std::iter::once(&practice as &dyn age::Recipient)
        .chain(sealed_to.iter().map(|r| r as &dyn age::Recipient))
        .collect();
    let encryptor = age::Encryptor::with_recipients(outer.into_iter())
        .map_err(|_| VaultError::KeyDerivation("the backup has no recipient".into()))?;
    let mut writer =
        encryptor.wrap_output(BufWriter::with_capacity(CHUNK, file)).map_err(write_error(&partial.path))?;
    writer.write_all(&header()).map_err(write_error(&partial.path))?;

    let mut snapshot_file = File::open(snapshot.path()).map_err(VaultError::io(snapshot.path()))?;
    let mut hash = Sha256::new();
    let mut buffer = vec![0u8; CHUNK];
    let mut done = 0u64;
    loop {
        let read = snapshot_file.read(&mut buffer).map_err(VaultError::io(snapshot.path()))?;
        if read == 0 {
            break;
        }
        hash.update(&buffer[..read]);
        writer.write_all(&buffer[..read]).map_err(write_error(&partial.path))?;
        done += read as u64;
        if !progress(BackupProgress { step: BackupStep::Writing, done, total: snapshot_bytes }) {
            return Err(VaultError::Cancelled);
        }
    }
    if done != snapshot_bytes {
        return Err(VaultError::BackupDamaged("the snapshot changed while it was being written".into()));
    }

    let manifest = BackupManifest {
        format: FORMAT,
        app_version: description.app_version.to_owned(),
        schema_version,
        created_at: description.created_at.to_owned(),
        vault_id: source.vault_id().to_owned(),
        practice_name: description.practice_name.to_owned(),
        recovery_recipient,
        recipients,
        row_counts,
        audit_head: description.audit_head.clone(),
        snapshot_bytes,
        snapshot_sha256: hex::encode(hash.finalize()),
    };
    let manifest_text = serde_json::to_string(&manifest)
        .map_err(|_| VaultError::KeyDerivation("the manifest could not be encoded".into()))?;
    let key_slot = seal_key_to(&sealed_to, &snapshot.key)?;
    let trailer = Trailer::seal(&snapshot.key, manifest_text, BASE64.encode(key_slot))?;
    let trailer_text = serde_json::to_vec(&trailer)
        .map_err(|_| VaultError::KeyDerivation("the trailer could not be encoded".into()))?;
    writer.write_all(&trailer_text).map_err(write_error(&partial.path))?;
    writer.write_all(&footer(trailer_text.len() as u64)).map_err(write_error(&partial.path))?;
    let buffered = writer.finish().map_err(write_error(&partial.path))?;
    let file = buffered.into_inner().map_err(|error| write_error(&partial.path)(error.into_error()))?;
    crate::failpoints::hit("backup.encrypted")?;
    file.sync_all().map_err(write_error(&partial.path))?;
    drop(file);
    crate::failpoints::hit("backup.synced")?;
    std::fs::rename(&partial.path, &final_path).map_err(VaultError::io(&final_path))?;
    let mut partial = partial;
    partial.done = true;
    crate::failpoints::hit("backup.renamed")?;
    sync_folder(folder)?;
    let bytes = std::fs::metadata(&final_path).map_err(VaultError::io(&final_path))?.len();
    Ok(WrittenBackup { path: final_path, bytes, manifest })
}

/// `folder/file_name`, or, when a file of that name (or its partial file: a backup being written,
/// or one cut off) is there already, as for two backups in the same second, the first free
/// `name-2.ext`, `name-3.ext`, …: a backup never replaces another.
fn free_path(folder: &Path, file_name: &str) -> VaultResult<PathBuf> {
    let (stem, extension) = file_name.rsplit_once('.').unwrap_or((file_name, ""));
    let dot = if extension.is_empty() { "" } else { "." };
    (1..=99)
        .map(|n| match n {
            1 => folder.join(file_name),
            n => folder.join(format!("{stem}-{n}{dot}{extension}")),
        })
        .find(|path| {
            let name = path.file_name().map(|name| name.to_string_lossy().into_owned()).unwrap_or_default();
            let free = |path: &Path| std::fs::symlink_metadata(path).is_err();
            free(path) && free(&folder.join(format!(".{name}.partial")))
        })
        .ok_or_else(|| VaultError::Io {
            path: folder.join(file_name),
            source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "99 backups already carry this name"),
        })
}

/// Temporary files of backups that were cut off (the program was killed, the PC lost power)
/// are removed once they are an hour old; a younger one may still be being written.
fn remove_stale_partial_files(folder: &Path) {
    let Ok(entries) = std::fs::read_dir(folder) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let ours = name.starts_with('.') && name.ends_with(&format!(".{}.partial", super::BACKUP_EXTENSION));
        let old = entry
            .metadata()
            .and_then(|meta| meta.modified())
            .ok()
            .and_then(|modified| modified.elapsed().ok())
            .is_some_and(|age| age > std::time::Duration::from_secs(3600));
        if ours && old {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

fn create_private_file(path: &Path) -> std::io::Result<File> {
    let mut options = File::options();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let file = options.open(path)?;
    crate::data_dir::narrow_new_file_to_owner(path);
    Ok(file)
}

/// Makes a rename in `folder` durable.
/// Windows has no folder handle to sync: there the rename's durability rests on NTFS's metadata
/// journal, which nothing here can test.
pub(crate) fn sync_folder(folder: &Path) -> VaultResult<()> {
    #[cfg(unix)]
    File::open(folder).and_then(|handle| handle.sync_all()).map_err(VaultError::io(folder))?;
    #[cfg(not(unix))]
    let _ = folder;
    Ok(())
}
