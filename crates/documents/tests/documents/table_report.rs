//! Table reports: names as typed in the title, facts, headings, cells and wrapped text, and
//! every cell inside its column.

use chartkeep_documents::{Column, Orientation, ReportSection, TableReport, TextBlock, render_table_report_pdf};

use crate::{MARKED_NOTE, NAMES, read_back, word_boxes};

fn column(title: &str, share: f32) -> Column {
    Column { title: title.to_owned(), share }
}

fn report(name: &str) -> TableReport {
    TableReport {
        title: format!("Patient summary: {name}"),
        facts: vec![
            ("Practice".into(), format!("Practice {name}")),
            ("Patient".into(), name.to_owned()),
            ("Printed by".into(), "Staff drlee (drlee)".into()),
        ],
        sections: vec![
            ReportSection {
                heading: format!("Contacts of {name}"),
                columns: vec![column("Name", 2.0), column("Relation", 1.0), column("Phone", 1.0)],
                rows: NAMES
                    .iter()
                    .map(|other| vec![other.to_string(), "next of kin".into(), "+48 600 100 200".into()])
                    .collect(),
                blocks: Vec::new(),
                empty_text: "No contacts.".into(),
            },
            ReportSection {
                heading: "Recent encounters".into(),
                columns: Vec::new(),
                rows: Vec::new(),
                blocks: vec![TextBlock {
                    title: format!("2026-11-03 - visit - {name} (signed by {name})"),
                    paragraphs: vec![
                        format!("Subjective: {name} reports a cough for a week. ").repeat(8),
                        format!("Plan: review {name}."),
                    ],
                }],
                empty_text: "No signed encounters.".into(),
            },
        ],
        footer: format!("Confidential - printed for {name}"),
        orientation: Orientation::Portrait,
    }
}

#[test]
fn names_print_as_typed_in_the_title_facts_headings_cells_and_wrapped_text() {
    for (index, name) in NAMES.iter().enumerate() {
        let text = read_back(&format!("report-name-{index}"), &render_table_report_pdf(&report(name)).unwrap());
        for expected in [
            format!("Patient summary: {name}"),
            format!("Practice Practice {name}"),
            format!("Patient {name}"),
            format!("Contacts of {name}"),
            format!("visit - {name} (signed by {name})"),
            format!("Subjective: {name} reports a cough for a week."),
            format!("Plan: review {name}."),
            format!("Confidential - printed for {name}"),
        ] {
            assert!(text.words.contains(&expected), "missing {expected:?} in:\n{}", text.layout);
        }
        for other in NAMES {
            assert!(text.words.contains(other), "the table's cell {other:?}");
        }
        assert!(text.words.contains("Staff drlee (drlee)") && text.words.contains("Page 1 of 1"));
        assert!(!text.words.contains(MARKED_NOTE), "no note for {name:?}");
    }
}

#[test]
fn the_note_appears_exactly_when_a_character_cannot_be_shown() {
    let plain = read_back("report-plain", &render_table_report_pdf(&report(NAMES[0])).unwrap());
    assert!(!plain.words.contains(MARKED_NOTE));

    let mut marked = report(NAMES[6]);
    marked.sections[0].rows.push(vec!["山田 太郎".into(), "Ehefrau".into(), "-".into()]);
    let text = read_back("report-cjk-cell", &render_table_report_pdf(&marked).unwrap());
    assert!(text.words.contains(MARKED_NOTE), "{}", text.layout);
    let first_lines: Vec<&str> = text.layout.lines().filter(|line| !line.trim().is_empty()).take(3).collect();
    assert!(
        first_lines[1].contains("Some names or words here have characters"),
        "right under the title: {first_lines:?}"
    );
    assert!(text.words.contains("山田 太郎"), "drawn as □ but extracted as typed:\n{}", text.layout);
    assert!(!text.words.contains("Yamada") && !text.words.contains("Shan Tian"), "nothing is transliterated");
    for name in NAMES {
        assert!(text.words.contains(name), "{name:?} still prints as typed");
    }

    let mut bold = report(NAMES[3]);
    bold.sections[1].heading = "Notes from 東京".into();
    let text = read_back("report-cjk-heading", &render_table_report_pdf(&bold).unwrap());
    assert!(text.words.contains(MARKED_NOTE) && text.words.contains("Notes from 東京"), "{}", text.layout);
}

#[test]
fn every_cell_stays_inside_its_column_and_keeps_what_fits() {
    let shares = [1.0, 3.0, 1.0, 1.0];
    let cells = ["W".repeat(40), "Ж".repeat(80), "i".repeat(120), "Wiśniewski,Paweł,Mikołaj".repeat(3)];
    let report = TableReport {
        title: "Widths".into(),
        facts: Vec::new(),
        sections: vec![ReportSection {
            heading: "Cells".into(),
            columns: shares.iter().map(|share| column("Column", *share)).collect(),
            rows: vec![cells.to_vec()],
            blocks: Vec::new(),
            empty_text: String::new(),
        }],
        footer: String::new(),
        orientation: Orientation::Portrait,
    };
    let text = read_back("report-widths", &render_table_report_pdf(&report).unwrap());
    let boxes = word_boxes(&text.boxes);
    let (margin, width) = (14.0, 210.0 - 28.0);
    let mut left = margin;
    for (share, cell) in shares.iter().zip(&cells) {
        let column_width = width * share / shares.iter().sum::<f32>();
        let first: String = cell.chars().take(4).collect();
        let (shown, start, end) = boxes.iter().find(|(text, ..)| text.starts_with(&first)).unwrap();
        assert!((start - left).abs() < 0.5, "{shown} starts its column");
        assert!(
            *end <= left + column_width - 1.0,
            "{shown} ends at {end} mm, inside its column ending at {}",
            left + column_width
        );
        assert!(shown.ends_with('…') && cell.starts_with(shown.trim_end_matches('…')), "{shown}");
        left += column_width;
    }
    let narrow = boxes.iter().find(|(text, ..)| text.starts_with("iiii")).unwrap();
    let wide = boxes.iter().find(|(text, ..)| text.starts_with("WWWW")).unwrap();
    assert!(narrow.0.chars().count() > 2 * wide.0.chars().count(), "more narrow letters fit: {narrow:?} {wide:?}");
}

#[test]
fn a_long_report_pages_its_rows_and_stays_small() {
    let mut long = report(NAMES[0]);
    long.sections[0].rows =
        (0..600).map(|row| vec![NAMES[row % NAMES.len()].to_string(), format!("row {row}"), "-".into()]).collect();
    let pdf = render_table_report_pdf(&long).unwrap();
    let text = read_back("report-long", &pdf);
    let pages = text.layout.matches('\u{c}').count();
    assert!(pages > 10, "{pages} pages");
    assert!(text.words.contains(&format!("Page {pages} of {pages}")));
    assert!(text.words.contains("row 599"));
    assert!(pdf.len() < 120_000, "{pages} pages in {} bytes", pdf.len());

    let one_page = render_table_report_pdf(&report(NAMES[0])).unwrap();
    assert!(one_page.len() < 40_000, "a one-page report holds only the glyphs it uses: {} bytes", one_page.len());
}

#[test]
fn control_characters_in_cells_become_spaces_and_line_breaks_in_text_are_kept() {
    let mut report = report(NAMES[2]);
    report.sections[0].rows[0][1] = "next\tof\u{7}kin".into();
    report.sections[1].blocks[0].paragraphs = vec!["First line\nSecond line".into()];
    let text = read_back("report-control", &render_table_report_pdf(&report).unwrap());
    assert!(text.layout.contains("next of kin"), "{}", text.layout);
    let lines: Vec<&str> = text.layout.lines().map(str::trim).collect();
    assert!(lines.contains(&"First line") && lines.contains(&"Second line"), "{}", text.layout);
}

#[test]
fn a_landscape_report_uses_the_wider_page_up_to_its_margins() {
    let mut wide = report(NAMES[5]);
    wide.orientation = Orientation::Landscape;
    let text = read_back("report-landscape", &render_table_report_pdf(&wide).unwrap());
    let right = word_boxes(&text.boxes).iter().map(|(_, _, right)| *right).fold(0.0, f32::max);
    assert!(right > 250.0 && right <= 297.0 - 14.0 + 0.1, "the text reaches {right} mm");
    assert!(text.words.contains(&format!("Subjective: {} reports a cough for a week.", NAMES[5])));
    assert!(text.words.contains("Page 1 of 1"));
}
