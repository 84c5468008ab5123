//! The PDFs read back with pdftotext and drawn with pdftoppm (poppler-utils, installed by `make
//! test`). Set `CHARTKEEP_KEEP_PDFS` to a folder to keep every PDF the tests make there, with
//! its pages as PNG images, to look at them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod recovery_kit;
mod table_report;

use std::path::{Path, PathBuf};
use std::process::Command;

/// Synthetic names in Polish, Turkish, Vietnamese, Greek and Cyrillic.
pub const NAMES: [&str; 7] = [
    "Wiśniewski, Paweł Mikołaj",
    "Öztürk, Çağrı Şükrü",
    "İlkay Iğdır",
    "Nguyễn Thị Ánh Tuyết",
    "Trần Văn Đức",
    "Παπαδόπουλος, Δημήτριος",
    "Кузнецова, Анна Сергеевна",
];

/// The start of the line a document prints when some characters cannot be shown.
pub const MARKED_NOTE: &str = "characters this font cannot show; each is printed as □";

/// A PDF as pdftotext reads it.
#[derive(Debug)]
pub struct ReadBack {
    /// The text with every run of white space made one space, so wrapped lines read on.
    pub words: String,
    /// The text as pdftotext lays it out.
    pub layout: String,
    /// pdftotext's words with their boxes (`-bbox`), as HTML.
    pub boxes: String,
}

fn run(command: &mut Command) -> String {
    let output = command.output().expect("poppler-utils is installed");
    assert!(output.status.success(), "{command:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).unwrap()
}

/// Writes `pdf` to a file named after `name`, draws its pages and reads its text back.
pub fn read_back(name: &str, pdf: &[u8]) -> ReadBack {
    assert!(pdf.starts_with(b"%PDF"));
    let temporary = tempfile::tempdir().unwrap();
    let folder = std::env::var_os("CHARTKEEP_KEEP_PDFS").map_or_else(|| temporary.path().to_owned(), PathBuf::from);
    std::fs::create_dir_all(&folder).unwrap();
    let path = folder.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    run(Command::new("pdftoppm").args(["-png", "-r", "60"]).arg(&path).arg(folder.join(name)));
    let text = |args: &[&str], path: &Path| run(Command::new("pdftotext").args(args).arg(path).arg("-"));
    let plain = text(&[], &path);
    ReadBack {
        words: plain.split_whitespace().collect::<Vec<_>>().join(" "),
        layout: text(&["-layout"], &path),
        boxes: text(&["-bbox"], &path),
    }
}

/// Each word pdftotext finds, with its left and right edges in millimetres.
pub fn word_boxes(boxes: &str) -> Vec<(String, f32, f32)> {
    let attribute = |line: &str, name: &str| -> f32 {
        let start = line.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        let end = start + line[start..].find('"').unwrap();
        line[start..end].parse::<f32>().unwrap() * 25.4 / 72.0
    };
    boxes
        .lines()
        .filter(|line| line.trim_start().starts_with("<word "))
        .map(|line| {
            let text = line[line.find('>').unwrap() + 1..line.rfind("</word>").unwrap()].to_owned();
            (text, attribute(line, "xMin"), attribute(line, "xMax"))
        })
        .collect()
}
