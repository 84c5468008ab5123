//! What a document draws, recorded page by page (in millimetres from the bottom left corner) and
//! turned into a PDF only at the end, when every character is known, so that each font can be
//! cut down to the glyphs the document uses (see `embed`).

use crate::DocumentError;
use crate::fonts::{Face, Fonts};
use crate::text::printable;

pub(crate) type Rgb = (f32, f32, f32);

pub(crate) const BLACK: Rgb = (0.0, 0.0, 0.0);
pub(crate) const WHITE: Rgb = (1.0, 1.0, 1.0);
pub(crate) const TEAL: Rgb = (0.059, 0.322, 0.341);
pub(crate) const GREY: Rgb = (0.35, 0.35, 0.35);
pub(crate) const WARNING: Rgb = (0.62, 0.09, 0.06);

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Op {
    /// The colour of what follows, filled and stroked.
    Color(Rgb),
    FillRect {
        left: f32,
        bottom: f32,
        right: f32,
        top: f32,
    },
    StrokeRect {
        left: f32,
        bottom: f32,
        right: f32,
        top: f32,
        thickness: f32,
    },
    /// One line of text, its baseline starting at (x, y).
    Text {
        face: Face,
        size: f32,
        x: f32,
        y: f32,
        text: String,
    },
}

#[derive(Debug)]
pub(crate) struct Canvas<'f> {
    fonts: &'f Fonts,
    pub(crate) width: f32,
    pub(crate) height: f32,
    pub(crate) pages: Vec<Vec<Op>>,
    marked: bool,
}

impl<'f> Canvas<'f> {
    /// A document of `width` by `height` millimetres, with one empty page.
    pub(crate) fn new(fonts: &'f Fonts, width: f32, height: f32) -> Self {
        Self { fonts, width, height, pages: vec![Vec::new()], marked: false }
    }

    pub(crate) fn fonts(&self) -> &'f Fonts {
        self.fonts
    }

    /// Whether some text drawn so far has a character its font cannot show, printed as □.
    pub(crate) fn marked(&self) -> bool {
        self.marked
    }

    pub(crate) fn add_page(&mut self) {
        self.pages.push(Vec::new());
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    pub(crate) fn color(&mut self, color: Rgb) {
        self.push(Op::Color(color));
    }

    pub(crate) fn fill_rect(&mut self, left: f32, bottom: f32, right: f32, top: f32) {
        self.push(Op::FillRect { left, bottom, right, top });
    }

    pub(crate) fn stroke_rect(&mut self, left: f32, bottom: f32, right: f32, top: f32, thickness: f32) {
        self.push(Op::StrokeRect { left, bottom, right, top, thickness });
    }

    /// One line of text with its baseline starting at (`x`, `y`). Control characters become
    /// spaces; the caller has already fitted the text to its width.
    pub(crate) fn text(&mut self, face: Face, size: f32, x: f32, y: f32, text: &str) {
        let text = printable(text);
        if text.trim().is_empty() {
            return;
        }
        self.marked |= !self.fonts.get(face).shows_all(&text);
        self.push(Op::Text { face, size, x, y, text });
    }

    /// One line of text ending at `right`.
    pub(crate) fn text_right(&mut self, face: Face, size: f32, right: f32, y: f32, text: &str) {
        let width = self.fonts.get(face).width_mm(&printable(text), size);
        self.text(face, size, right - width, y, text);
    }

    /// The PDF, with `title` in its properties.
    pub(crate) fn finish(self, title: &str) -> Result<Vec<u8>, DocumentError> {
        crate::embed::write_pdf(self.fonts, title, self.width, self.height, &self.pages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_the_font_lacks_marks_the_canvas() {
        let fonts = Fonts::load().unwrap();
        let mut canvas = Canvas::new(&fonts, 210.0, 297.0);
        canvas.text(Face::Bold, 10.0, 10.0, 10.0, "Кузнецова\tАнна");
        assert!(!canvas.marked());
        assert_eq!(
            canvas.pages[0][0],
            Op::Text { face: Face::Bold, size: 10.0, x: 10.0, y: 10.0, text: "Кузнецова Анна".into() }
        );
        canvas.text(Face::Regular, 10.0, 10.0, 20.0, "山田 太郎");
        assert!(canvas.marked());
    }
}
