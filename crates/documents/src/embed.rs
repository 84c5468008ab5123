//! Writes a recorded document as a PDF with printpdf. Each font is cut down to the glyphs the
//! document uses (with typst's `subsetter`) and embedded as a CID font whose ToUnicode map gives
//! back the characters as typed, so text copied or extracted from the PDF is exact. A character
//! its font lacks is drawn as □ inside a marked-content span whose ActualText holds the
//! character itself, so copying the text still gives the name as it was typed.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use printpdf::lopdf::content::Operation;
use printpdf::lopdf::{Dictionary, Object};
use printpdf::path::PaintMode;
use printpdf::{
    Color, FontData, FontMetrics, GlyphMetrics, IndirectFontRef, Mm, PdfDocument, PdfLayerReference, Rect,
    Rgb as PdfRgb,
};
use subsetter::GlyphRemapper;
use ttf_parser::GlyphId;

use crate::DocumentError;
use crate::canvas::{Op, Rgb};
use crate::fonts::{Face, Font, Fonts, MARKER};
use crate::pdf_file::{compact, text_string};

fn pdf_error(error: impl std::fmt::Display) -> DocumentError {
    DocumentError::Pdf(error.to_string())
}

/// A font cut down to the glyphs one document uses, as printpdf embeds it.
#[derive(Debug, Clone)]
struct Subset {
    metrics: FontMetrics,
    /// By glyph id in the subset: the glyph's advance width in font units and the character it
    /// shows (for the ToUnicode map).
    glyphs: Vec<(u32, Option<char>)>,
    /// The subset's glyph for each character drawn with this font that the font has.
    by_char: BTreeMap<char, u16>,
    /// The subset's glyph for □.
    marker: u16,
}

impl FontData for Subset {
    fn font_metrics(&self) -> FontMetrics {
        self.metrics
    }

    fn glyph_id(&self, character: char) -> Option<u16> {
        self.by_char.get(&character).copied()
    }

    fn glyph_ids(&self) -> HashMap<u16, char> {
        (0u16..)
            .zip(&self.glyphs)
            .filter_map(|(glyph, (_, character))| character.map(|character| (glyph, character)))
            .collect()
    }

    fn glyph_count(&self) -> u16 {
        u16::try_from(self.glyphs.len()).unwrap_or(u16::MAX)
    }

    fn glyph_metrics(&self, glyph: u16) -> Option<GlyphMetrics> {
        let (width, _) = self.glyphs.get(usize::from(glyph))?;
        Some(GlyphMetrics { width: *width, height: u32::from(self.metrics.units_per_em) })
    }
}

/// The subset of `font` that shows `characters`, and the font file holding it.
fn subset(font: &Font, characters: &BTreeSet<char>) -> Result<(Vec<u8>, Subset), DocumentError> {
    let mut remapper = GlyphRemapper::new();
    let marker = remapper.remap(font.marker().0);
    let mut shows = HashMap::new();
    if font.glyph(MARKER).is_some() {
        shows.insert(marker, MARKER);
    }
    let mut by_char = BTreeMap::new();
    for &character in characters {
        if let Some(glyph) = font.glyph(character) {
            let new = remapper.remap(glyph.0);
            by_char.insert(character, new);
            shows.entry(new).or_insert(character);
        }
    }
    let glyphs = (0u16..)
        .zip(remapper.remapped_gids())
        .map(|(new, old)| (font.advance(GlyphId(old)), shows.get(&new).copied()))
        .collect();
    let bytes = subsetter::subset(font.bytes(), 0, &remapper)
        .map_err(|error| DocumentError::Pdf(format!("the font could not be subset: {error}")))?;
    let metrics = FontMetrics { ascent: font.ascender(), descent: font.descender(), units_per_em: font.units_per_em() };
    Ok((bytes, Subset { metrics, glyphs, by_char, marker }))
}

/// `text` split into runs the font shows (true) and runs it lacks (false), in order.
fn runs(text: &str, shows: impl Fn(char) -> bool) -> Vec<(bool, String)> {
    let mut runs: Vec<(bool, String)> = Vec::new();
    for character in text.chars() {
        let shown = shows(character);
        match runs.last_mut() {
            Some((kind, run)) if *kind == shown => run.push(character),
            _ => runs.push((shown, character.to_string())),
        }
    }
    runs
}

/// The marked-content properties that give `text` as the actual text of what they enclose.
fn actual_text(text: &str) -> Dictionary {
    Dictionary::from_iter(vec![("ActualText", text_string(text))])
}

fn draw_text(layer: &PdfLayerReference, font: &(IndirectFontRef, Subset), size: f32, x: f32, y: f32, text: &str) {
    let (reference, subset) = font;
    layer.begin_text_section();
    layer.set_font(reference, size);
    layer.set_text_cursor(Mm(x), Mm(y));
    for (shown, run) in runs(text, |character| subset.by_char.contains_key(&character)) {
        if shown {
            layer.write_codepoints(run.chars().filter_map(|character| subset.glyph_id(character)));
        } else {
            layer.add_operation(Operation::new(
                "BDC",
                vec![Object::Name(b"Span".to_vec()), Object::Dictionary(actual_text(&run))],
            ));
            layer.write_codepoints(run.chars().map(|_| subset.marker));
            layer.add_operation(Operation::new("EMC", Vec::new()));
        }
    }
    layer.end_text_section();
}

fn set_color(layer: &PdfLayerReference, (r, g, b): Rgb) {
    layer.set_fill_color(Color::Rgb(PdfRgb::new(r, g, b, None)));
    layer.set_outline_color(Color::Rgb(PdfRgb::new(r, g, b, None)));
}

fn draw(layer: &PdfLayerReference, op: &Op, fonts: &BTreeMap<Face, (IndirectFontRef, Subset)>) {
    match op {
        Op::Color(color) => set_color(layer, *color),
        Op::FillRect { left, bottom, right, top } => {
            layer.add_rect(Rect::new(Mm(*left), Mm(*bottom), Mm(*right), Mm(*top)).with_mode(PaintMode::Fill));
        }
        Op::StrokeRect { left, bottom, right, top, thickness } => {
            layer.set_outline_thickness(*thickness);
            layer.add_rect(Rect::new(Mm(*left), Mm(*bottom), Mm(*right), Mm(*top)).with_mode(PaintMode::Stroke));
        }
        Op::Text { face, size, x, y, text } => {
            if let Some(font) = fonts.get(face) {
                draw_text(layer, font, *size, *x, *y, text);
            }
        }
    }
}

/// The PDF of `pages`, each `width` by `height` millimetres, with `title` in its properties.
pub(crate) fn write_pdf(
    fonts: &Fonts,
    title: &str,
    width: f32,
    height: f32,
    pages: &[Vec<Op>],
) -> Result<Vec<u8>, DocumentError> {
    let (document, first_page, first_layer) = PdfDocument::new(title, Mm(width), Mm(height), "Page");
    let mut used: BTreeMap<Face, BTreeSet<char>> = BTreeMap::new();
    for op in pages.iter().flatten() {
        if let Op::Text { face, text, .. } = op {
            used.entry(*face).or_default().extend(text.chars());
        }
    }
    let mut embedded = BTreeMap::new();
    for (face, characters) in &used {
        let (bytes, subset) = subset(fonts.get(*face), characters)?;
        let reference = document.add_external_font_data(bytes, subset.clone()).map_err(pdf_error)?;
        embedded.insert(*face, (reference, subset));
    }
    for (number, ops) in pages.iter().enumerate() {
        let layer = if number == 0 {
            document.get_page(first_page).get_layer(first_layer)
        } else {
            let (page, layer) = document.add_page(Mm(width), Mm(height), "Page");
            document.get_page(page).get_layer(layer)
        };
        for op in ops {
            draw(&layer, op, &embedded);
        }
    }
    compact(&document.save_to_bytes().map_err(pdf_error)?, title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_characters_are_runs_of_their_own() {
        let fonts = Fonts::load().unwrap();
        let font = fonts.get(Face::Regular);
        let split = runs("Yamada 山田 太郎 Łukasz", |character| font.glyph(character).is_some());
        let expected = [(true, "Yamada "), (false, "山田"), (true, " "), (false, "太郎"), (true, " Łukasz")];
        assert_eq!(split, expected.map(|(shown, run)| (shown, run.to_owned())));
    }

    #[test]
    fn a_subset_holds_only_the_glyphs_used_and_maps_them_back_to_their_characters() {
        let fonts = Fonts::load().unwrap();
        let font = fonts.get(Face::Regular);
        let characters: BTreeSet<char> = "Кузнецова 山".chars().collect();
        let (bytes, subset) = subset(font, &characters).unwrap();
        assert!(bytes.len() < 20_000, "{} bytes", bytes.len());
        assert_eq!(subset.glyph_id('山'), None);
        let shown = subset.glyph_ids();
        for character in "Кузнецова".chars() {
            let glyph = subset.glyph_id(character).unwrap();
            assert_eq!(shown.get(&glyph), Some(&character));
        }
        assert_eq!(shown.get(&subset.marker), Some(&MARKER));
        let advance = font.advance(font.glyph('К').unwrap());
        let glyph = subset.glyph_id('К').unwrap();
        assert_eq!(subset.glyph_metrics(glyph).map(|metrics| metrics.width), Some(advance));
    }
}
