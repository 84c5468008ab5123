//! The fonts every PDF embeds: DejaVu Sans (regular and bold) for text and DejaVu Sans Mono Bold
//! for the recovery key. They are bundled with the crate (`fonts/LICENSE` holds their licence), so
//! a document never depends on the fonts installed on the PC, and text is measured with their own
//! advance widths.

use ttf_parser::GlyphId;

use crate::DocumentError;

/// The character printed, visibly, in place of a character the font cannot show.
pub(crate) const MARKER: char = '\u{25A1}';

/// Millimetres in a PDF point.
const MM_PER_PT: f32 = 25.4 / 72.0;

/// The typefaces a document can use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Face {
    Regular,
    Bold,
    /// Monospaced, for the recovery key.
    Mono,
}

impl Face {
    fn bytes(self) -> &'static [u8] {
        match self {
            Face::Regular => include_bytes!("../fonts/DejaVuSans.ttf"),
            Face::Bold => include_bytes!("../fonts/DejaVuSans-Bold.ttf"),
            Face::Mono => include_bytes!("../fonts/DejaVuSansMono-Bold.ttf"),
        }
    }
}

/// One font, parsed, with what measuring and embedding need.
#[derive(Debug)]
pub(crate) struct Font {
    face: Face,
    parsed: ttf_parser::Face<'static>,
    /// The glyph for `MARKER`, or the font's own "no glyph" box if it lacks even that.
    marker: GlyphId,
}

impl Font {
    fn load(face: Face) -> Result<Self, DocumentError> {
        let parsed = ttf_parser::Face::parse(face.bytes(), 0)
            .map_err(|error| DocumentError::Pdf(format!("the bundled font {face:?} cannot be read: {error}")))?;
        let marker = parsed.glyph_index(MARKER).unwrap_or(GlyphId(0));
        Ok(Self { face, parsed, marker })
    }

    /// The font file, as it is bundled.
    pub(crate) fn bytes(&self) -> &'static [u8] {
        self.face.bytes()
    }

    /// The glyph that shows `character`, if the font has one.
    pub(crate) fn glyph(&self, character: char) -> Option<GlyphId> {
        self.parsed.glyph_index(character).filter(|glyph| glyph.0 != 0)
    }

    /// The glyph drawn for `character`: its own, or the marker when the font lacks it.
    pub(crate) fn glyph_or_marker(&self, character: char) -> GlyphId {
        self.glyph(character).unwrap_or(self.marker)
    }

    pub(crate) fn marker(&self) -> GlyphId {
        self.marker
    }

    /// Whether the font can show every character of `text`.
    pub(crate) fn shows_all(&self, text: &str) -> bool {
        text.chars().all(|character| self.glyph(character).is_some())
    }

    /// How far a glyph moves the pen, in font units.
    pub(crate) fn advance(&self, glyph: GlyphId) -> u32 {
        u32::from(self.parsed.glyph_hor_advance(glyph).unwrap_or(0))
    }

    /// How wide `character` is drawn, in font units.
    pub(crate) fn char_units(&self, character: char) -> u64 {
        u64::from(self.advance(self.glyph_or_marker(character)))
    }

    /// How wide `text` is drawn, in font units. Glyphs are placed by their advance widths alone
    /// (no kerning), exactly as the PDF draws them. The sum is a u64 so that no text, however
    /// long, can overflow it.
    pub(crate) fn units(&self, text: &str) -> u64 {
        text.chars().map(|character| self.char_units(character)).sum()
    }

    /// How many font units fit in `width_mm` at `size` points.
    pub(crate) fn units_in(&self, width_mm: f32, size: f32) -> f32 {
        width_mm / (size * MM_PER_PT) * f32::from(self.units_per_em())
    }

    /// How wide `text` is drawn at `size` points, in millimetres.
    pub(crate) fn width_mm(&self, text: &str, size: f32) -> f32 {
        self.units(text) as f32 / f32::from(self.units_per_em()) * size * MM_PER_PT
    }

    pub(crate) fn units_per_em(&self) -> u16 {
        self.parsed.units_per_em()
    }

    pub(crate) fn ascender(&self) -> i16 {
        self.parsed.ascender()
    }

    pub(crate) fn descender(&self) -> i16 {
        self.parsed.descender()
    }
}

/// The fonts of one document.
#[derive(Debug)]
pub(crate) struct Fonts {
    regular: Font,
    bold: Font,
    mono: Font,
}

impl Fonts {
    pub(crate) fn load() -> Result<Self, DocumentError> {
        Ok(Self { regular: Font::load(Face::Regular)?, bold: Font::load(Face::Bold)?, mono: Font::load(Face::Mono)? })
    }

    pub(crate) fn get(&self, face: Face) -> &Font {
        match face {
            Face::Regular => &self.regular,
            Face::Bold => &self.bold,
            Face::Mono => &self.mono,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_fonts_show_latin_greek_cyrillic_and_vietnamese_but_not_cjk() {
        let fonts = Fonts::load().unwrap();
        let names = "Wiśniewski, Paweł Mikołaj Öztürk, Çağrı Şükrü İlkay Iğdır Nguyễn Thị Ánh Tuyết Trần Văn Đức \
                     Παπαδόπουλος, Δημήτριος Кузнецова, Анна Сергеевна";
        for face in [Face::Regular, Face::Bold] {
            let font = fonts.get(face);
            assert!(font.shows_all(names), "{face:?}");
            assert!(!font.shows_all("山田 太郎"), "{face:?}");
            assert!(font.shows_all(&MARKER.to_string()), "{face:?} has the marker");
        }
        assert!(fonts.get(Face::Mono).shows_all("AGE-SECRET-KEY-1QYZ7XW3V4K5N6M8P9R0S2T3U4V5W6X7Y8Z9A0C2D"));
    }

    #[test]
    fn widths_come_from_the_font() {
        let fonts = Fonts::load().unwrap();
        let regular = fonts.get(Face::Regular);
        assert!(regular.width_mm("WWWW", 10.0) > 2.5 * regular.width_mm("iiii", 10.0));
        let mono = fonts.get(Face::Mono);
        assert_eq!(mono.units("iiii"), mono.units("WWWW"));
        assert!((regular.width_mm("W", 20.0) - 2.0 * regular.width_mm("W", 10.0)).abs() < 1e-4);
        assert_eq!(
            regular.char_units('山'),
            u64::from(regular.advance(regular.marker())),
            "a missing character is as wide as □"
        );
    }
}
