//! The final pass over a saved PDF: every stream is compressed, the font files included (printpdf
//! leaves them uncompressed, and compresses nothing in debug builds), and the title in the
//! document's properties is stored as a Unicode text string, which printpdf does not do.

use printpdf::lopdf::{Document, Object, StringFormat};

use crate::DocumentError;

fn pdf_error(error: impl std::fmt::Display) -> DocumentError {
    DocumentError::Pdf(error.to_string())
}

/// `text` as a PDF text string: UTF-16BE after a byte order mark, so any character survives.
pub(crate) fn text_string(text: &str) -> Object {
    let mut bytes = vec![0xFE, 0xFF];
    bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    Object::String(bytes, StringFormat::Hexadecimal)
}

/// The PDF in `bytes`, compressed, with `title` as its title.
pub(crate) fn compact(bytes: &[u8], title: &str) -> Result<Vec<u8>, DocumentError> {
    let mut document = Document::load_mem(bytes).map_err(pdf_error)?;
    for object in document.objects.values_mut() {
        if let Object::Stream(stream) = object {
            stream.compress().map_err(pdf_error)?;
        }
    }
    let info = document.trailer.get(b"Info").and_then(Object::as_reference);
    if let Ok(Object::Dictionary(info)) = info.and_then(|id| document.get_object_mut(id)) {
        info.set("Title", text_string(title));
    }
    let mut compact = Vec::new();
    document.save_to(&mut compact).map_err(pdf_error)?;
    Ok(compact)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_strings_are_utf_16_with_a_byte_order_mark() {
        let Object::String(bytes, _) = text_string("山a") else { panic!("not a string") };
        assert_eq!(bytes, [0xFE, 0xFF, 0x5C, 0x71, 0x00, 0x61]);
    }
}
