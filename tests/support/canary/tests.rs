//! Controls for the scanner: each form a canary can take is found, in a file among other bytes;
//! what is not a canary is not; and what cannot be read is reported rather than skipped.

use std::io::Write;
use std::path::Path;
use std::time::{Duration, SystemTime};

use super::{Canary, Scanner, json_string_body, url_escaped};

const NAME: &str = "Mary O'Dálaigh-Qzvbkt";
const NOTE: &str = "Said \"Wxkfpq\" at the door/gate";

fn scanner() -> Scanner {
    Scanner::new(&[Canary::new("name", NAME), Canary::new("note", NOTE)])
}

/// Bytes that are no canary: a little of everything a cache might hold.
fn noise(length: usize) -> Vec<u8> {
    let mut state: u32 = 0x2545_f491;
    (0..length)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            state.to_le_bytes()[0]
        })
        .collect()
}

/// `inner` between two runs of noise, as it would sit in a larger file.
fn buried(inner: &[u8]) -> Vec<u8> {
    let mut bytes = noise(5000);
    bytes.extend_from_slice(inner);
    bytes.extend_from_slice(&noise(3000));
    bytes
}

/// The forms found in `bytes` for the canary `text`.
fn forms_found(bytes: &[u8], text: &str) -> Vec<String> {
    scanner().find_in(bytes).into_iter().filter(|(canary, _)| canary.text == text).map(|(_, form)| form).collect()
}

fn assert_found(bytes: &[u8], text: &str, form: &str) {
    let found = forms_found(&buried(bytes), text);
    assert!(found.iter().any(|name| name.contains(form)), "{text:?} as {form:?}: found {found:?}");
}

#[test]
fn noise_holds_no_canary() {
    assert_eq!(scanner().find_in(&noise(1 << 20)), []);
}

#[test]
fn each_encoding_is_found() {
    assert_found(NAME.as_bytes(), NAME, "UTF-8");
    let little: Vec<u8> = NAME.encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert_found(&little, NAME, "UTF-16LE");
    let big: Vec<u8> = NAME.encode_utf16().flat_map(u16::to_be_bytes).collect();
    assert_found(&big, NAME, "UTF-16BE");
}

#[test]
fn case_folded_forms_are_found() {
    assert_found(NAME.to_uppercase().as_bytes(), NAME, "case-folded");
    assert_found(NAME.to_lowercase().as_bytes(), NAME, "case-folded");
    let upper_utf16: Vec<u8> = NAME.to_uppercase().encode_utf16().flat_map(u16::to_be_bytes).collect();
    assert_found(&upper_utf16, NAME, "UTF-16BE, other case");
}

#[test]
fn url_escaped_forms_are_found() {
    assert_found(b"Mary%20O%27D%C3%A1laigh%2DQzvbkt", NAME, "URL-escaped (%20)");
    assert_found(b"mary+o%27d%c3%a1laigh%2dqzvbkt", NAME, "URL-escaped (+)");
    assert_found(b"Mary%20O'D%C3%A1laigh-Qzvbkt", NAME, "encodeURIComponent");
    assert_eq!(url_escaped("Mary O'Neil", "", false), "Mary%20O%27Neil");
}

#[test]
fn json_escaped_forms_are_found() {
    let serde = serde_json::to_string(NOTE).unwrap();
    assert_found(serde.as_bytes(), NOTE, "JSON-escaped");
    assert_found(NOTE.replace('"', "\\\"").replace('/', "\\/").as_bytes(), NOTE, "JSON-escaped (\\/)");
    let twice = serde_json::json!({ "body": serde }).to_string();
    assert_found(twice.as_bytes(), NOTE, "JSON-escaped twice");
    assert_found(json_string_body(NAME, true).as_bytes(), NAME, "JSON \\u-escaped (beyond ASCII)");
    let every: String = NAME.encode_utf16().map(|unit| format!("\\u{unit:04X}")).collect();
    assert_found(every.as_bytes(), NAME, "JSON \\u-escaped (every character)");
}

#[test]
fn html_escaped_forms_are_found() {
    assert_found(b"Mary O&#39;D\xc3\xa1laigh-Qzvbkt", NAME, "HTML-escaped");
    assert_found(b"Said &quot;Wxkfpq&quot; at the door/gate", NOTE, "HTML-escaped");
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

fn zlib(bytes: &[u8], level: u32) -> Vec<u8> {
    let mut encoder = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::new(level));
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

#[test]
fn compressed_streams_anywhere_in_a_file_are_looked_into() {
    let text = buried(NAME.as_bytes());
    assert_found(&gzip(&text), NAME, "inside a gzip stream at byte 5000");
    for (level, header) in [(0, 0x01), (1, 0x01), (6, 0x9c), (9, 0xda)] {
        let stream = zlib(&text, level);
        assert_eq!(stream[..2], [0x78, header], "level {level}");
        assert_found(&stream, NAME, "inside a zlib stream at byte 5000");
    }
    // A stream cut short still gives what it held before the cut.
    let mut cut = zlib(&[NAME.as_bytes(), &b"a cache entry, ".repeat(4000)].concat(), 6);
    cut.truncate(cut.len() - 12);
    assert_found(&cut, NAME, "inside a zlib stream");
    // Escaped and then compressed, and compressed twice.
    let utf16: Vec<u8> = NOTE.encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert_found(&gzip(&zlib(&utf16, 6)), NOTE, "UTF-16LE, inside a gzip stream at byte 5000, inside a zlib stream");
}

fn base64(bytes: impl AsRef<[u8]>) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn base64_text_is_looked_into_wherever_its_groups_start() {
    // As a FHIR attachment: the canary at each of the three places within a group.
    for before in ["", "a", "ab"] {
        let attachment = base64(format!("{before}Assessment: {NOTE}. Plan: rest."));
        assert_found(format!(r#"{{"data":"{attachment}"}}"#).as_bytes(), NOTE, "inside base64 text");
    }
    // A run found in a larger text need not start where its encoder started.
    let encoded = base64(format!("Name: {NAME}, seen today"));
    for cut in 0..4 {
        assert_found(&encoded.as_bytes()[cut..], NAME, "inside base64 text");
    }
    // URL-safe, and wrapped at 76 characters as MIME writes it.
    let url_safe = encoded.replace('+', "-").replace('/', "_");
    assert_found(url_safe.trim_end_matches('=').as_bytes(), NAME, "inside base64 text");
    let long = base64(format!("{}{NOTE}{}", "x".repeat(70), "y".repeat(70)));
    let wrapped: Vec<String> =
        long.as_bytes().chunks(76).map(|line| String::from_utf8_lossy(line).into_owned()).collect();
    assert_found(wrapped.join("\r\n").as_bytes(), NOTE, "inside base64 text");
    // Compressed, then encoded; encoded as UTF-16.
    let found = forms_found(&buried(base64(gzip(NAME.as_bytes())).as_bytes()), NAME);
    assert!(
        found.iter().any(|form| form.contains("inside base64 text") && form.contains("inside a gzip stream")),
        "{found:?}"
    );
    let utf16: Vec<u8> = NOTE.encode_utf16().flat_map(u16::to_le_bytes).collect();
    assert_found(base64(utf16).as_bytes(), NOTE, "UTF-16LE, inside base64 text");
}

#[test]
fn base64_of_noise_holds_no_canary() {
    assert_eq!(scanner().find_in(base64(noise(1 << 20)).as_bytes()), []);
}

#[test]
fn a_file_holding_a_canary_is_reported_with_its_canary_and_form() {
    let folder = tempfile::tempdir().unwrap();
    let nested = folder.path().join("a/b");
    std::fs::create_dir_all(&nested).unwrap();
    std::fs::write(nested.join("cache.bin"), gzip(NAME.to_uppercase().as_bytes())).unwrap();
    std::fs::write(folder.path().join("clean.txt"), noise(4096)).unwrap();
    std::fs::write(folder.path().join(format!("{NAME}.pdf")), b"").unwrap();
    let report = scanner().scan(&[folder.path()]);
    let mut seen: Vec<(String, String)> = report
        .findings
        .iter()
        .map(|finding| (finding.file.file_name().unwrap().to_string_lossy().into_owned(), finding.form.clone()))
        .collect();
    seen.sort();
    assert_eq!(
        seen,
        [
            (format!("{NAME}.pdf"), "UTF-8, in the file's name".to_owned()),
            ("cache.bin".to_owned(), "UTF-8, other case, case-folded, inside a gzip stream at byte 0".to_owned()),
        ],
        "{}",
        report.problems()
    );
    assert_eq!(report.files_read, 3);
    assert!(!report.is_clean());
}

#[test]
fn excluded_files_are_not_read_and_nothing_else_is_excluded() {
    let folder = tempfile::tempdir().unwrap();
    let (saved, beside) = (folder.path().join("saved.json"), folder.path().join("saved.json.tmp"));
    std::fs::write(&saved, NAME).unwrap();
    std::fs::write(&beside, NAME).unwrap();
    let report = scanner().excluding(&[&saved]).scan(&[folder.path()]);
    assert_eq!(report.excluded, [saved.canonicalize().unwrap()]);
    let files: Vec<&Path> = report.findings.iter().map(|finding| finding.file.as_path()).collect();
    assert_eq!(files, [beside.canonicalize().unwrap()]);
}

#[test]
fn files_unchanged_since_the_canaries_were_made_are_not_read() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::write(folder.path().join("note.txt"), NOTE).unwrap();
    let later = SystemTime::now() + Duration::from_secs(60);
    let report = scanner().changed_since(later).scan(&[folder.path()]);
    assert_eq!((report.unchanged, report.files_read, report.findings.len()), (1, 0, 0));
    let earlier = SystemTime::now() - Duration::from_secs(60);
    let report = scanner().changed_since(earlier).scan(&[folder.path()]);
    assert_eq!((report.unchanged, report.files_read, report.findings.len()), (0, 1, 1));
}

/// Tests run as root, which may read any file whatever its mode; but /proc/self/mem is a regular
/// file whose read at offset 0 fails (EIO) even for root: a real read error.
#[test]
fn a_file_that_cannot_be_read_fails_the_scan() {
    let report = scanner().scan(&[Path::new("/proc/self/mem")]);
    assert_eq!(report.unreadable.len(), 1, "{report:?}");
    assert!(!report.is_clean());
    assert!(report.problems().contains("/mem: unreadable: Input/output error"), "{}", report.problems());
}

#[test]
fn sockets_and_fifos_are_listed_as_not_scanned_and_missing_roots_are_skipped() {
    let folder = tempfile::tempdir().unwrap();
    let _socket = std::os::unix::net::UnixListener::bind(folder.path().join("socket")).unwrap();
    let made = std::process::Command::new("mkfifo").arg(folder.path().join("fifo")).status().unwrap();
    assert!(made.success());
    let report = scanner().scan(&[folder.path(), &folder.path().join("never-made")]);
    let mut kinds: Vec<&str> = report.not_scanned.iter().map(|(_, kind)| kind.as_str()).collect();
    kinds.sort();
    assert_eq!(kinds, ["a FIFO", "a socket"]);
    assert!(report.is_clean(), "{}", report.problems());
}

/// In the shared folders the scan forgives only other users' closed files: a file of this
/// user's that cannot be read still fails it.
#[test]
fn in_shared_folders_this_users_unreadable_file_still_fails_the_scan() {
    let report = scanner().allowing_others_unreadable().scan(&[Path::new("/proc/self/mem")]);
    assert_eq!(report.unreadable.len(), 1, "{report:?}");
    assert!(!report.is_clean());
}

#[test]
fn skipped_folders_are_not_walked() {
    let folder = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(folder.path().join("own")).unwrap();
    std::fs::write(folder.path().join("own/note.txt"), NOTE).unwrap();
    std::fs::write(folder.path().join("other.txt"), NAME).unwrap();
    let report = scanner().skipping(&[&folder.path().join("own")]).scan(&[folder.path()]);
    let found: Vec<&str> = report.findings.iter().map(|finding| finding.canary.text.as_str()).collect();
    assert_eq!((found, report.files_read), (vec![NAME], 1));
}
