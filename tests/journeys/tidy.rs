//! Tidy checks, as rust-analyzer has them: the rules ARCHITECTURE.md states about the code's
//! shape, checked against the code itself so the description cannot drift from it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn repository() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..").canonicalize().unwrap()
}

/// The platform this test runs on, as Cargo names it (`x86_64-unknown-linux-gnu`).
fn host_platform() -> String {
    let output = Command::new("rustc").arg("-vV").output().unwrap();
    let text = String::from_utf8(output.stdout).unwrap();
    text.lines().find_map(|line| line.strip_prefix("host: ")).unwrap().to_owned()
}

/// Every file below `folder`, leaving out build output, installed packages and Git's own files.
fn files_below(folder: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(folder).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if ["target", "node_modules", ".git", "dist"].contains(&name.as_str()) || name.starts_with("target-") {
            continue;
        }
        if entry.file_type().unwrap().is_dir() {
            files.extend(files_below(&entry.path()));
        } else {
            files.push(entry.path());
        }
    }
    files.sort();
    files
}

fn rust_files_below(folder: &Path) -> Vec<PathBuf> {
    files_below(folder).into_iter().filter(|path| path.extension().is_some_and(|extension| extension == "rs")).collect()
}

/// The code of a Rust file without its unit tests: by this project's convention a file's tests
/// are one `#[cfg(test)]` module at its end. Files that are test helpers as a whole (`*_tests.rs`,
/// `tests/` folders) have no production code.
fn production_code(path: &Path) -> String {
    let name = path.file_name().unwrap().to_string_lossy();
    if name.ends_with("_tests.rs") || path.components().any(|part| part.as_os_str() == "tests") {
        return String::new();
    }
    let text = std::fs::read_to_string(path).unwrap();
    match text.find("\n#[cfg(test)]") {
        Some(end) => text[..end].to_owned(),
        None => text,
    }
}

fn relative(path: &Path) -> String {
    path.strip_prefix(repository()).unwrap_or(path).to_string_lossy().into_owned()
}

/// Lines of production code under `folder` that contain any of `needles`, as "path:line: text".
fn lines_with(files: &[PathBuf], needles: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for path in files {
        for (number, line) in production_code(path).lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if needles.iter().any(|needle| code.contains(needle)) {
                found.push(format!("{}:{}: {}", relative(path), number + 1, line.trim()));
            }
        }
    }
    found
}

const DATABASE_CALLS: [&str; 10] = [
    ".execute(",
    ".execute_batch(",
    ".query_row(",
    ".query_map(",
    ".query(",
    ".prepare(",
    ".prepare_cached(",
    ".pragma_query(",
    ".pragma_update(",
    ".query_and_then(",
];

fn is_store(path: &Path) -> bool {
    path.file_name().is_some_and(|name| name == "store.rs") || path.components().any(|part| part.as_os_str() == "store")
}

#[test]
fn the_clinic_crate_runs_sql_only_in_its_store_modules() {
    let files: Vec<PathBuf> =
        rust_files_below(&repository().join("crates/clinic/src")).into_iter().filter(|path| !is_store(path)).collect();
    let outside = lines_with(&files, &DATABASE_CALLS);
    assert!(outside.is_empty(), "database calls outside store modules:\n{}", outside.join("\n"));
}

#[test]
fn only_the_vaults_database_module_opens_a_connection() {
    let files: Vec<PathBuf> = [repository().join("crates"), repository().join("src-tauri/src")]
        .iter()
        .flat_map(|folder| rust_files_below(folder))
        .filter(|path| !path.ends_with("crates/vault/src/database.rs"))
        .collect();
    let opening = lines_with(&files, &["Connection::open"]);
    assert!(opening.is_empty(), "connections opened outside crates/vault/src/database.rs:\n{}", opening.join("\n"));
}

#[test]
fn no_crate_under_crates_depends_on_tauri() {
    let output = Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1", "--offline", "--filter-platform", &host_platform()])
        .arg("--manifest-path")
        .arg(repository().join("Cargo.toml"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let crates = repository().join("crates").canonicalize().unwrap();
    let packages = metadata["packages"].as_array().unwrap();
    let name_of = |id: &str| {
        packages.iter().find(|package| package["id"] == id).and_then(|package| package["name"].as_str()).unwrap()
    };
    let nodes = metadata["resolve"]["nodes"].as_array().unwrap();
    let dependencies_of = |id: &str| -> Vec<String> {
        let node = nodes.iter().find(|node| node["id"] == id).unwrap();
        node["dependencies"].as_array().unwrap().iter().map(|id| id.as_str().unwrap().to_owned()).collect()
    };
    let mut checked = 0;
    for package in packages {
        let manifest = PathBuf::from(package["manifest_path"].as_str().unwrap());
        if !manifest.canonicalize().unwrap().starts_with(&crates) {
            continue;
        }
        checked += 1;
        // Every crate it depends on, directly or not.
        let mut seen = Vec::new();
        let mut next = vec![package["id"].as_str().unwrap().to_owned()];
        while let Some(id) = next.pop() {
            for dependency in dependencies_of(&id) {
                if !seen.contains(&dependency) {
                    next.push(dependency.clone());
                    seen.push(dependency);
                }
            }
        }
        let tauri: Vec<&str> = seen.iter().map(|id| name_of(id)).filter(|name| name.starts_with("tauri")).collect();
        assert!(tauri.is_empty(), "{} depends on {tauri:?}", package["name"]);
    }
    assert!(checked >= 4, "the crates under crates/ were found ({checked})");
}

#[test]
fn no_println_or_dbg_in_production_code() {
    // A build script talks to Cargo on its standard output: it is the one place `println!` is
    // the interface.
    let files: Vec<PathBuf> = [repository().join("crates"), repository().join("src-tauri")]
        .iter()
        .flat_map(|folder| rust_files_below(folder))
        .filter(|path| !path.ends_with("build.rs"))
        .collect();
    let printing = lines_with(&files, &["println!", "print!(", "eprintln!", "eprint!(", "dbg!"]);
    assert!(printing.is_empty(), "printing outside tests:\n{}", printing.join("\n"));
}

/// The names in ARCHITECTURE.md's `code spans` that are paths in this repository: those starting
/// with a top-level folder, and source files named by their trailing path (`session/mod.rs`).
fn paths_named_in(text: &str) -> Vec<String> {
    const TOP: [&str; 9] =
        ["crates/", "src-tauri/", "ui/", "tests/", "migrations/", "scripts/", "icons/", "docs/", ".ci/"];
    const SOURCE: [&str; 7] = [".rs", ".ts", ".svelte", ".toml", ".sql", ".csv", ".md"];
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|span| !span.is_empty() && !span.contains(char::is_whitespace) && !span.contains(['…', '<', '*']))
        .filter(|span| TOP.iter().any(|top| span.starts_with(top)) || SOURCE.iter().any(|end| span.ends_with(end)))
        .map(str::to_owned)
        .collect()
}

#[test]
fn every_path_architecture_md_names_exists() {
    let root = repository();
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let everything: Vec<String> =
        files_below(&root).into_iter().flat_map(|file| file.ancestors().map(relative).collect::<Vec<_>>()).collect();
    let named = paths_named_in(&text);
    assert!(named.len() >= 20, "ARCHITECTURE.md names its files: {named:?}");
    let missing: Vec<&String> = named
        .iter()
        .filter(|name| {
            let name = name.trim_end_matches('/');
            !everything.iter().any(|path| path == name || path.ends_with(&format!("/{name}")))
        })
        .collect();
    assert!(missing.is_empty(), "ARCHITECTURE.md names paths that do not exist: {missing:?}");
}
