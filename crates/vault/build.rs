//! Embeds the numbered SQL files of `migrations/` at build time, so the binary carries its own
//! schema and a missing or misnumbered file is a build error rather than a surprise at run time.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::{env, fs};

fn main() {
    let manifest_dir = PathBuf::from(env::var("CARGO_MANIFEST_DIR").unwrap_or_default());
    let folder = manifest_dir.join("../../migrations");
    println!("cargo:rerun-if-changed={}", folder.display());
    let mut files: Vec<PathBuf> = fs::read_dir(&folder)
        .unwrap_or_else(|error| panic!("cannot read {}: {error}", folder.display()))
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "sql"))
        .collect();
    files.sort();
    let mut code = String::from("pub(crate) static MIGRATIONS: &[Migration] = &[\n");
    for (index, path) in files.iter().enumerate() {
        println!("cargo:rerun-if-changed={}", path.display());
        let name = path.file_stem().and_then(|stem| stem.to_str()).unwrap_or_default().to_owned();
        let number: u32 = name.split('_').next().and_then(|digits| digits.parse().ok()).unwrap_or(0);
        let expected = u32::try_from(index + 1).unwrap_or(u32::MAX);
        assert_eq!(number, expected, "migration {name} should be numbered {expected:04}");
        let absolute = fs::canonicalize(path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let _ = writeln!(
            code,
            "    Migration {{ version: {number}, name: {name:?}, sql: include_str!({:?}) }},",
            absolute.display().to_string()
        );
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").unwrap_or_default()).join("migrations.rs");
    fs::write(&out, code).unwrap_or_else(|error| panic!("cannot write {}: {error}", out.display()));
}
