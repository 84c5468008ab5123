//! Canary scanning: distinctive synthetic strings are written through the app, then every file
//! that could leak them is searched byte for byte.

use std::path::{Path, PathBuf};

/// Every regular file below `root` (symbolic links are not followed).
pub fn files_below(root: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let Ok(entries) = std::fs::read_dir(root) else { return files };
    for entry in entries.flatten() {
        let Ok(kind) = entry.file_type() else { continue };
        if kind.is_dir() {
            files.extend(files_below(&entry.path()));
        } else if kind.is_file() {
            files.push(entry.path());
        }
    }
    files
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && haystack.windows(needle.len()).any(|window| window == needle)
}

/// The files under `roots` that contain any canary, in UTF-8 or UTF-16LE, as (file, canary).
pub fn find_canaries(roots: &[&Path], canaries: &[&str]) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for root in roots {
        for file in files_below(root) {
            let Ok(bytes) = std::fs::read(&file) else { continue };
            for canary in canaries {
                let utf16: Vec<u8> = canary.encode_utf16().flat_map(u16::to_le_bytes).collect();
                if contains(&bytes, canary.as_bytes()) || contains(&bytes, &utf16) {
                    found.push((file.clone(), (*canary).to_owned()));
                }
            }
        }
    }
    found
}
