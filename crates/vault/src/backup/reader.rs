//! Reading a backup back. [`open_backup`] reads only the trailer (at the end of the stream, so it
//! is quick for any size): the key slot, the manifest and its HMAC. Only once the HMAC checks
//! out with the database key is the manifest believed. [`OpenedBackup::extract_snapshot`] then
//! decrypts the snapshot into a work folder, hashing it on the way, and reads to the very end so
//! that a cut-off or altered file is always noticed. age authenticates every 64 KiB chunk before
//! releasing it; a snapshot is used only after the whole stream has been read without error.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

use super::container::{FOOTER_BYTES, HEADER_BYTES, Trailer, read_footer, read_header};
use super::identity::{practice_identity, unseal_key};
use super::snapshot::Snapshot;
use super::{BackupManifest, BackupProgress, BackupSource, BackupStep, ProgressCallback};
use crate::data_dir::create_private_dir;
use crate::error::{VaultError, VaultResult};
use crate::migrations;
use crate::secrets::{DatabaseKey, RecoveryKey};
use crate::vault::UnlockedVault;

const CHUNK: usize = 1024 * 1024;

/// What opens a backup.
#[derive(Debug, Clone, Copy)]
pub enum BackupUnlock<'a> {
    /// The practice's recovery key, or the key of a further recipient the Owner added.
    Key(&'a RecoveryKey),
    /// The practice that made the backup (its own backup identity, derived from its key).
    Practice(&'a BackupSource),
}

/// A backup whose trailer was read and whose manifest is authentic.
pub struct OpenedBackup {
    path: PathBuf,
    identity: age::x25519::Identity,
    key: DatabaseKey,
    pub manifest: BackupManifest,
}

impl std::fmt::Debug for OpenedBackup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenedBackup")
            .field("path", &self.path)
            .field("manifest", &self.manifest)
            .finish_non_exhaustive()
    }
}

type Plaintext = age::stream::StreamReader<BufReader<File>>;

/// How every age file begins.
const AGE_MAGIC: &[u8] = b"age-encryption.org/v1\n";

fn decrypting(path: &Path, identities: &[age::x25519::Identity], by_vault: bool) -> VaultResult<Plaintext> {
    let mut file = File::open(path).map_err(|error| match error.kind() {
        std::io::ErrorKind::NotFound => VaultError::BackupFileMissing(path.to_path_buf()),
        _ => VaultError::Io { path: path.to_path_buf(), source: error },
    })?;
    let mut magic = [0u8; AGE_MAGIC.len()];
    if file.read_exact(&mut magic).is_err() || magic != AGE_MAGIC {
        return Err(VaultError::NotABackup);
    }
    file.seek(SeekFrom::Start(0)).map_err(VaultError::io(path))?;
    let decryptor = age::Decryptor::new(BufReader::with_capacity(CHUNK, file)).map_err(|error| match error {
        age::DecryptError::Io(_) => VaultError::BackupDamaged("it ends before its header does".into()),
        age::DecryptError::InvalidHeader | age::DecryptError::UnknownFormat => VaultError::NotABackup,
        _ => VaultError::BackupDamaged("its header does not read".into()),
    })?;
    decryptor.decrypt(identities.iter().map(|identity| identity as &dyn age::Identity)).map_err(|error| match error {
        age::DecryptError::NoMatchingKeys if by_vault => VaultError::BackupOfAnotherPractice,
        age::DecryptError::NoMatchingKeys => VaultError::BackupKeyWrong,
        _ => VaultError::BackupDamaged("its header has been altered".into()),
    })
}

/// What a failed read inside the stream means: damage, or a file cut short.
fn stream_error(error: std::io::Error) -> VaultError {
    match error.kind() {
        std::io::ErrorKind::UnexpectedEof => VaultError::BackupDamaged("it has been cut short".into()),
        _ => VaultError::BackupDamaged("its contents have been altered or damaged".into()),
    }
}

/// Opens the backup at `path` and authenticates its manifest.
pub fn open_backup(path: &Path, unlock: BackupUnlock<'_>) -> VaultResult<OpenedBackup> {
    // The practice opens its backups with its own identity, or with one of a key it had before
    // a rotation; then the manifest's MAC says which key made the backup.
    let (identities, practice_keys) = match unlock {
        BackupUnlock::Key(key) => {
            let identity: age::x25519::Identity = key.expose().parse().map_err(|_| VaultError::RecoveryKeyMalformed)?;
            (vec![identity], Vec::new())
        }
        BackupUnlock::Practice(source) => {
            let keys: Vec<DatabaseKey> =
                std::iter::once(source.key.clone()).chain(source.retired_keys.iter().cloned()).collect();
            let identities = keys.iter().map(practice_identity).collect::<VaultResult<Vec<_>>>()?;
            (identities, keys)
        }
    };
    let by_vault = !practice_keys.is_empty();
    let mut stream = decrypting(path, &identities, by_vault)?;
    let length = stream.seek(SeekFrom::End(0)).map_err(stream_error)?;
    if length < HEADER_BYTES + FOOTER_BYTES {
        return Err(VaultError::BackupDamaged("it is too short to be a backup".into()));
    }
    let mut header = [0u8; HEADER_BYTES as usize];
    stream.seek(SeekFrom::Start(0)).map_err(stream_error)?;
    stream.read_exact(&mut header).map_err(stream_error)?;
    read_header(&header)?;
    let mut footer = [0u8; FOOTER_BYTES as usize];
    stream.seek(SeekFrom::Start(length - FOOTER_BYTES)).map_err(stream_error)?;
    stream.read_exact(&mut footer).map_err(stream_error)?;
    let trailer_bytes = read_footer(&footer)?;
    let trailer_start = (length - FOOTER_BYTES)
        .checked_sub(trailer_bytes)
        .filter(|start| *start >= HEADER_BYTES)
        .ok_or_else(|| VaultError::BackupDamaged("its trailer has an impossible length".into()))?;
    let mut trailer_text = vec![0u8; trailer_bytes as usize];
    stream.seek(SeekFrom::Start(trailer_start)).map_err(stream_error)?;
    stream.read_exact(&mut trailer_text).map_err(stream_error)?;
    let trailer: Trailer = serde_json::from_slice(&trailer_text)
        .map_err(|_| VaultError::BackupDamaged("its trailer does not read".into()))?;

    let (key, identity) = if by_vault {
        let found = practice_keys.into_iter().zip(identities).find(|(key, _)| trailer.verify(key).is_ok());
        found.ok_or(VaultError::BackupForged)?
    } else {
        let identity = identities.into_iter().next().ok_or(VaultError::BackupKeyWrong)?;
        let sealed = BASE64.decode(&trailer.key_slot).map_err(|_| VaultError::BackupForged)?;
        let key = unseal_key(&sealed, &identity).ok_or(VaultError::BackupForged)?;
        (key, identity)
    };
    trailer.verify(&key)?;
    let manifest: BackupManifest = serde_json::from_str(&trailer.manifest)
        .map_err(|_| VaultError::BackupDamaged("its manifest does not read".into()))?;
    if HEADER_BYTES + manifest.snapshot_bytes != trailer_start {
        return Err(VaultError::BackupDamaged("its parts do not add up to its length".into()));
    }
    if let BackupUnlock::Practice(source) = unlock
        && manifest.vault_id != source.vault_id()
    {
        return Err(VaultError::BackupOfAnotherPractice);
    }
    let supported = migrations::latest_version();
    if manifest.schema_version > supported {
        return Err(VaultError::BackupNewerThanApp { found: manifest.schema_version, supported });
    }
    Ok(OpenedBackup { path: path.to_path_buf(), identity, key, manifest })
}

impl OpenedBackup {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Whether the backup's database key is `vault`'s: the backup was made by this practice,
    /// with its database key of now.
    pub fn belongs_to(&self, vault: &UnlockedVault) -> bool {
        self.manifest.vault_id == vault.vault_id() && self.key.as_bytes() == vault.database_key().as_bytes()
    }

    /// Whether the backup was made by `vault`'s practice before a rotation of its database key.
    pub fn made_before_a_rotation_of(&self, vault: &UnlockedVault) -> crate::error::VaultResult<bool> {
        if self.manifest.vault_id != vault.vault_id() {
            return Ok(false);
        }
        let retired = crate::rotation::retired_keys(vault.connection())?;
        Ok(retired.iter().any(|key| key.as_bytes() == self.key.as_bytes()))
    }

    /// Decrypts the snapshot into `work_folder`, checking its hash and reading the whole stream.
    pub fn extract_snapshot(&self, work_folder: &Path, progress: ProgressCallback<'_>) -> VaultResult<Snapshot> {
        create_private_dir(work_folder)?;
        let snapshot = Snapshot::new(work_folder, self.key.clone());
        let mut stream = decrypting(&self.path, std::slice::from_ref(&self.identity), false)?;
        let mut header = [0u8; HEADER_BYTES as usize];
        stream.read_exact(&mut header).map_err(stream_error)?;
        read_header(&header)?;
        let mut target = File::options()
            .write(true)
            .create_new(true)
            .open(snapshot.path())
            .map_err(VaultError::io(snapshot.path()))?;
        let total = self.manifest.snapshot_bytes;
        let mut hash = Sha256::new();
        let mut buffer = vec![0u8; CHUNK];
        let mut done = 0u64;
        while done < total {
            let want = (total - done).min(CHUNK as u64) as usize;
            stream.read_exact(&mut buffer[..want]).map_err(stream_error)?;
            hash.update(&buffer[..want]);
            target.write_all(&buffer[..want]).map_err(VaultError::io(snapshot.path()))?;
            done += want as u64;
            if !progress(BackupProgress { step: BackupStep::Reading, done, total }) {
                return Err(VaultError::Cancelled);
            }
        }
        // The rest (trailer and footer) is read too, so the final chunk's authentication runs.
        std::io::copy(&mut stream, &mut std::io::sink()).map_err(stream_error)?;
        if hex::encode(hash.finalize()) != self.manifest.snapshot_sha256 {
            return Err(VaultError::BackupDamaged("its database does not match the hash in its manifest".into()));
        }
        target.sync_all().map_err(VaultError::io(snapshot.path()))?;
        Ok(snapshot)
    }
}
