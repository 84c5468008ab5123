//! Compressed streams hidden inside a file: gzip members (1f 8b 08) and zlib streams (78 01,
//! 78 5e, 78 9c, 78 da), wherever they start (a PDF's page streams, a cache entry, a gzip'd
//! log). Each is inflated up to a bound, and what a cut-off or damaged stream gave before it
//! broke is kept: it is scanned like any other bytes.

use std::io::{BufRead, Read};

/// At most this much is inflated from one stream, and from all the streams of one file.
pub const MAX_INFLATED_PER_STREAM: usize = 64 << 20;
pub const MAX_INFLATED_PER_FILE: usize = 256 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Gzip,
    Zlib,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Gzip => "gzip",
            Kind::Zlib => "zlib",
        }
    }
}

/// A stream found in `bytes`: where it starts, its kind, and what it inflated to.
#[derive(Debug)]
pub struct Inflated {
    pub offset: usize,
    pub kind: Kind,
    pub bytes: Vec<u8>,
}

/// Every stream that inflates to at least one byte, in order of where it starts; a stream that
/// ended cleanly is skipped over, so its inside is not tried again as streams of its own.
pub fn inflate_all(bytes: &[u8]) -> Vec<Inflated> {
    let mut found = Vec::new();
    let mut budget = MAX_INFLATED_PER_FILE;
    let mut resume_at = 0;
    for offset in memchr::memchr2_iter(0x1f, 0x78, bytes) {
        if offset < resume_at || budget == 0 {
            continue;
        }
        let kind = match bytes.get(offset..offset + 3) {
            Some([0x1f, 0x8b, 0x08]) => Kind::Gzip,
            Some([0x78, 0x01 | 0x5e | 0x9c | 0xda, _]) => Kind::Zlib,
            _ => continue,
        };
        let (inflated, consumed, ended) = inflate(kind, &bytes[offset..], budget.min(MAX_INFLATED_PER_STREAM));
        if inflated.is_empty() {
            continue;
        }
        budget = budget.saturating_sub(inflated.len());
        if ended {
            resume_at = offset + consumed;
        }
        found.push(Inflated { offset, kind, bytes: inflated });
    }
    found
}

/// Inflates the stream at the start of `input`: what it gave (up to `limit`), the bytes of
/// `input` it used, and whether it ended cleanly.
fn inflate(kind: Kind, input: &[u8], limit: usize) -> (Vec<u8>, usize, bool) {
    let mut trickle = Trickle { input, at: 0 };
    let mut inflated = Vec::new();
    let ended = match kind {
        Kind::Gzip => read_up_to(flate2::bufread::GzDecoder::new(&mut trickle), &mut inflated, limit),
        Kind::Zlib => read_up_to(flate2::bufread::ZlibDecoder::new(&mut trickle), &mut inflated, limit),
    };
    (inflated, trickle.at, ended)
}

/// Gives the decoder its input a little at a time: flate2 drops what the call that meets a
/// stream's damage or end of input inflated, so small steps keep nearly all of a cut stream.
struct Trickle<'a> {
    input: &'a [u8],
    at: usize,
}

impl Read for Trickle<'_> {
    fn read(&mut self, into: &mut [u8]) -> std::io::Result<usize> {
        let available = self.fill_buf()?;
        let count = available.len().min(into.len());
        into[..count].copy_from_slice(&available[..count]);
        self.consume(count);
        Ok(count)
    }
}

impl BufRead for Trickle<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let end = self.input.len().min(self.at + 256);
        Ok(&self.input[self.at..end])
    }

    fn consume(&mut self, count: usize) {
        self.at = (self.at + count).min(self.input.len());
    }
}

/// Reads until the end, an error or `limit`; true when the stream ended cleanly.
fn read_up_to(mut reader: impl Read, into: &mut Vec<u8>, limit: usize) -> bool {
    let mut buffer = [0u8; 4 * 1024];
    loop {
        let room = limit.saturating_sub(into.len()).min(buffer.len());
        if room == 0 {
            return false;
        }
        match reader.read(&mut buffer[..room]) {
            Ok(0) => return true,
            Ok(read) => into.extend_from_slice(&buffer[..read]),
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(_) => return false,
        }
    }
}
