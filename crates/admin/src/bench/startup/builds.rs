//! The two programs `bench startup` compares: Chartkeep's release build (built by cargo, which
//! reuses what is up to date) and the hello-world Tauri window kept in `bench/hello-world`,
//! built against the workspace's Cargo.lock (so with the same Tauri, wry and WebKitGTK
//! bindings) into the same target folder, and reused while its fingerprint (its sources, the
//! lock file and the compiler's version) is unchanged.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::commands::Failure;

/// Where the workspace and its target folder are.
#[derive(Debug)]
pub(super) struct Workspace {
    pub root: PathBuf,
    pub target: PathBuf,
}

impl Workspace {
    /// The workspace this tool was built from, and `CARGO_TARGET_DIR` (or its `target`).
    pub(super) fn of_this_build() -> Result<Workspace, Failure> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let root = root
            .canonicalize()
            .map_err(|error| format!("The workspace this tool was built from is gone ({}): {error}", root.display()))?;
        let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root.join("target"));
        Ok(Workspace { root, target })
    }

    fn cargo(&self) -> Command {
        let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        command.env("CARGO_TARGET_DIR", &self.target);
        command
    }

    /// Builds Chartkeep in release (the UI must have been built: `make ui`).
    pub(super) fn chartkeep(&self) -> Result<PathBuf, Failure> {
        let status = self
            .cargo()
            .current_dir(&self.root)
            .args(["build", "--release", "--locked", "-p", "chartkeep"])
            .status()
            .map_err(|error| format!("Could not run cargo: {error}"))?;
        if !status.success() {
            return Err("The release build of Chartkeep failed (is the UI built? `make ui`)".to_owned().into());
        }
        Ok(self.target.join("release/chartkeep"))
    }

    /// The hello-world window's release build, built only when its fingerprint changed.
    pub(super) fn hello_world(&self) -> Result<PathBuf, Failure> {
        let source = self.root.join("bench/hello-world");
        let lock = std::fs::read(self.root.join("Cargo.lock")).map_err(|error| format!("No Cargo.lock: {error}"))?;
        let fingerprint = fingerprint(&source, &lock, &compiler_version()?)?;
        let folder = self.target.join("bench-hello-world");
        let binary = self.target.join("release/hello-world");
        let recorded = folder.join("fingerprint");
        if binary.exists() && std::fs::read_to_string(&recorded).is_ok_and(|found| found == fingerprint) {
            return Ok(binary);
        }
        // Built from a copy, so cargo's pruning of the workspace's lock file stays out of the
        // repository.
        let project = folder.join("project");
        let _ = std::fs::remove_dir_all(&project);
        copy_folder(&source, &project)?;
        std::fs::write(project.join("Cargo.lock"), &lock)
            .map_err(|error| format!("Cannot copy Cargo.lock: {error}"))?;
        let status = self
            .cargo()
            .current_dir(&project)
            .args(["build", "--release"])
            .status()
            .map_err(|error| format!("Could not run cargo: {error}"))?;
        if !status.success() {
            return Err("The hello-world build failed".to_owned().into());
        }
        let built = std::fs::read_to_string(project.join("Cargo.lock")).unwrap_or_default();
        let workspace = String::from_utf8_lossy(&lock);
        if locked_version(&built, "tauri") != locked_version(&workspace, "tauri") {
            return Err("The hello-world was not built with the workspace's Tauri version".to_owned().into());
        }
        std::fs::write(&recorded, &fingerprint).map_err(|error| format!("Cannot record the fingerprint: {error}"))?;
        Ok(binary)
    }
}

/// The version of `package` in a Cargo.lock's text (the first entry of that name).
pub(super) fn locked_version(lock: &str, package: &str) -> Option<String> {
    let entry = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&entry)? + entry.len();
    let length = lock.get(start..)?.find('"')?;
    lock.get(start..start + length).map(str::to_owned)
}

fn compiler_version() -> Result<String, Failure> {
    let output = Command::new("rustc")
        .arg("--version")
        .output()
        .map_err(|error| format!("Could not run rustc --version: {error}"))?;
    Ok(String::from_utf8_lossy(&output.stdout).trim().to_owned())
}

/// SHA-256 over every file below `folder` (relative name and contents, in name order), the lock
/// file and the compiler's version.
fn fingerprint(folder: &Path, lock: &[u8], compiler: &str) -> Result<String, Failure> {
    let mut files = Vec::new();
    list_files(folder, folder, &mut files)?;
    files.sort();
    let mut hash = Sha256::new();
    for relative in files {
        let contents =
            std::fs::read(folder.join(&relative)).map_err(|error| format!("Cannot read {relative}: {error}"))?;
        hash.update((relative.len() as u64).to_le_bytes());
        hash.update(relative.as_bytes());
        hash.update((contents.len() as u64).to_le_bytes());
        hash.update(contents);
    }
    hash.update(lock);
    hash.update(compiler.as_bytes());
    Ok(hex::encode(hash.finalize()))
}

fn list_files(root: &Path, folder: &Path, files: &mut Vec<String>) -> Result<(), Failure> {
    let entries = std::fs::read_dir(folder).map_err(|error| format!("Cannot read {}: {error}", folder.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            list_files(root, &path, files)?;
        } else if let Ok(relative) = path.strip_prefix(root) {
            files.push(relative.to_string_lossy().into_owned());
        }
    }
    Ok(())
}

fn copy_folder(from: &Path, to: &Path) -> Result<(), Failure> {
    let mut files = Vec::new();
    list_files(from, from, &mut files)?;
    for relative in files {
        let destination = to.join(&relative);
        if let Some(parent) = destination.parent() {
            std::fs::create_dir_all(parent).map_err(|error| format!("Cannot create {}: {error}", parent.display()))?;
        }
        std::fs::copy(from.join(&relative), &destination)
            .map_err(|error| format!("Cannot copy {relative}: {error}"))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locked_version_is_read_from_the_lock_file() {
        let lock = "[[package]]\nname = \"tauri-build\"\nversion = \"2.7.1\"\n\n[[package]]\nname = \"tauri\"\nversion = \"2.12.5\"\n";
        assert_eq!(locked_version(lock, "tauri").as_deref(), Some("2.12.5"));
        assert_eq!(locked_version(lock, "wry"), None);
    }

    #[test]
    fn the_fingerprint_changes_with_any_source_file() {
        let folder = tempfile::tempdir().unwrap();
        std::fs::create_dir(folder.path().join("src")).unwrap();
        std::fs::write(folder.path().join("src/main.rs"), "fn main() {}").unwrap();
        let of = |compiler: &str| fingerprint(folder.path(), b"lock", compiler).ok();
        let before = of("rustc 1");
        assert!(before.as_ref().is_some_and(|hash| hash.len() == 64));
        assert_eq!(before, of("rustc 1"));
        assert_ne!(before, of("rustc 2"));
        std::fs::write(folder.path().join("src/main.rs"), "fn main() { }").unwrap();
        assert_ne!(before, of("rustc 1"));
    }
}
