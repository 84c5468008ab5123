//! How a table report falls into lines and pages: facts, notes and text blocks wrapped with the
//! font's metrics, tables split across pages with their header repeated.

use crate::fonts::{Face, Fonts};
use crate::metrics::wrap;
use crate::table_report::{Column, Orientation, TableReport};

pub(crate) const MARGIN: f32 = 14.0;
pub(crate) const ROW: f32 = 5.2;
pub(crate) const BODY_SIZE: f32 = 8.0;
pub(crate) const FACT_SIZE: f32 = 9.0;
/// How far a fact's value is from its label.
pub(crate) const FACT_INDENT: f32 = 40.0;

/// Printed under the title when some text has characters the font cannot show.
pub(crate) const MARKED_NOTE: &str = "Some names or words here have characters this font cannot show; each is \
                                      printed as \u{25A1}. Check them against the record in Chartkeep.";

/// One line of a laid-out page.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Line {
    Title,
    /// A line of `MARKED_NOTE`.
    Note(String),
    /// A line of a fact's value; the first line of each fact also shows its label.
    Fact {
        label: Option<usize>,
        value: String,
    },
    Heading(usize),
    Header(usize),
    Row(usize, usize),
    Empty(usize),
    BlockTitle(String),
    Text(String),
    Gap,
}

/// The page's width and height in millimetres.
pub(crate) fn page_size(orientation: Orientation) -> (f32, f32) {
    match orientation {
        Orientation::Portrait => (210.0, 297.0),
        Orientation::Landscape => (297.0, 210.0),
    }
}

/// The width text takes on the page.
pub(crate) fn text_width(report: &TableReport) -> f32 {
    page_size(report.orientation).0 - 2.0 * MARGIN
}

/// The report's lines; with `note`, the title is followed by `MARKED_NOTE`.
pub(crate) fn lines_of(report: &TableReport, fonts: &Fonts, note: bool) -> Vec<Line> {
    let width = text_width(report);
    let regular = fonts.get(Face::Regular);
    let mut lines = vec![Line::Title];
    if note {
        lines.extend(wrap(fonts.get(Face::Bold), MARKED_NOTE, width, FACT_SIZE).into_iter().map(Line::Note));
    }
    lines.push(Line::Gap);
    for (index, (_, value)) in report.facts.iter().enumerate() {
        for (part, value) in wrap(regular, value, width - FACT_INDENT, FACT_SIZE).into_iter().enumerate() {
            lines.push(Line::Fact { label: (part == 0).then_some(index), value });
        }
    }
    for (index, section) in report.sections.iter().enumerate() {
        lines.push(Line::Gap);
        lines.push(Line::Heading(index));
        if section.rows.is_empty() && section.blocks.is_empty() {
            lines.push(Line::Empty(index));
            continue;
        }
        if !section.rows.is_empty() {
            lines.push(Line::Header(index));
            lines.extend((0..section.rows.len()).map(|row| Line::Row(index, row)));
        }
        for block in &section.blocks {
            lines.push(Line::BlockTitle(block.title.clone()));
            for paragraph in &block.paragraphs {
                lines.extend(wrap(regular, paragraph, width, BODY_SIZE).into_iter().map(Line::Text));
            }
            lines.push(Line::Gap);
        }
    }
    lines
}

/// Splits the lines into pages `height` millimetres high; a table continued on a new page
/// repeats its header.
pub(crate) fn paginate(lines: Vec<Line>, height: f32) -> Vec<Vec<Line>> {
    let per_page = (((height - 2.0 * MARGIN - 10.0) / ROW).floor() as usize).max(8);
    let mut pages: Vec<Vec<Line>> = vec![Vec::new()];
    for line in lines {
        let full = pages.last().is_some_and(|page| page.len() >= per_page);
        // A heading never ends a page on its own.
        let orphan = matches!(line, Line::Heading(_)) && pages.last().is_some_and(|page| page.len() + 3 > per_page);
        if full || orphan {
            let continued = match line {
                Line::Row(section, _) => Some(Line::Header(section)),
                _ => None,
            };
            pages.push(continued.into_iter().collect());
        }
        if matches!(line, Line::Gap) && pages.last().is_some_and(Vec::is_empty) {
            continue;
        }
        if let Some(page) = pages.last_mut() {
            page.push(line);
        }
    }
    pages
}

/// Where each column starts and how wide it is.
pub(crate) fn column_edges(columns: &[Column], left: f32, width: f32) -> Vec<(f32, f32)> {
    let total: f32 = columns.iter().map(|column| column.share.max(0.01)).sum();
    let mut x = left;
    columns
        .iter()
        .map(|column| {
            let column_width = width * column.share.max(0.01) / total;
            let edge = (x, column_width);
            x += column_width;
            edge
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table_report::{ReportSection, TextBlock};

    fn report(rows: usize) -> TableReport {
        TableReport {
            title: "Audit trail".into(),
            facts: vec![("Practice".into(), "Riverside".into())],
            sections: vec![ReportSection {
                heading: "Entries".into(),
                columns: vec![Column { title: "When".into(), share: 1.0 }, Column { title: "Who".into(), share: 2.0 }],
                rows: (0..rows).map(|row| vec![format!("2026-11-{row:02}"), format!("user {row}")]).collect(),
                blocks: Vec::new(),
                empty_text: "No entries.".into(),
            }],
            footer: "Generated by Dana at 10:42".into(),
            orientation: Orientation::Landscape,
        }
    }

    #[test]
    fn long_tables_continue_on_new_pages_with_their_header_repeated() {
        let fonts = Fonts::load().unwrap();
        let mut long = report(200);
        long.sections[0].blocks.push(TextBlock { title: "A note".into(), paragraphs: vec!["word ".repeat(400)] });
        let pages = paginate(lines_of(&long, &fonts, false), 210.0);
        assert!(pages.len() > 5);
        let continued_rows = pages[1..].iter().filter(|page| page.iter().any(|line| matches!(line, Line::Row(..))));
        for page in continued_rows {
            assert!(
                matches!(page.first(), Some(Line::Header(0))),
                "each continued page of the table starts with its header"
            );
        }
        let text_lines: usize =
            pages.iter().map(|page| page.iter().filter(|line| matches!(line, Line::Text(_))).count()).sum();
        assert!(text_lines > 5, "a long paragraph wraps onto several lines");
        let rows: usize =
            pages.iter().map(|page| page.iter().filter(|line| matches!(line, Line::Row(..))).count()).sum();
        assert_eq!(rows, 200, "every row is on some page, once");
    }

    #[test]
    fn an_empty_section_says_so() {
        let fonts = Fonts::load().unwrap();
        assert!(matches!(paginate(lines_of(&report(0), &fonts, false), 210.0)[0].last(), Some(Line::Empty(0))));
    }

    #[test]
    fn long_facts_wrap_under_their_value_and_the_note_follows_the_title() {
        let fonts = Fonts::load().unwrap();
        let mut long = report(0);
        long.facts[0].1 = "Кузнецова, Анна Сергеевна ".repeat(12);
        let lines = lines_of(&long, &fonts, true);
        assert!(matches!(&lines[1], Line::Note(text) if text.starts_with("Some names")), "{lines:?}");
        let facts: Vec<&Line> = lines.iter().filter(|line| matches!(line, Line::Fact { .. })).collect();
        assert!(facts.len() > 1, "{facts:?}");
        assert!(matches!(facts[0], Line::Fact { label: Some(0), .. }));
        assert!(facts[1..].iter().all(|line| matches!(line, Line::Fact { label: None, .. })));
        assert!(!lines_of(&long, &fonts, false).iter().any(|line| matches!(line, Line::Note(_))));
    }

    #[test]
    fn columns_share_the_width_in_proportion() {
        let columns = report(1).sections[0].columns.clone();
        let edges = column_edges(&columns, 10.0, 90.0);
        assert_eq!(edges, vec![(10.0, 30.0), (40.0, 60.0)]);
    }
}
