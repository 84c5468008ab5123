//! One automaton over every form of every canary (aho-corasick, ASCII letters compared without
//! regard to case), so a file is read once whatever the number of canaries and forms.

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};

use super::Canary;
use super::base64_text;
use super::forms::forms_of;
use super::streams::inflate_all;

/// A hit in a run of bytes: which canary, and in which form.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Hit {
    pub canary: usize,
    pub form: String,
}

/// Streams and base64 inside each other are followed this deep (a gzip'd file holding a PDF, a
/// JSON bundle holding a base64 attachment, say).
const MAX_DEPTH: usize = 2;

#[derive(Debug)]
pub struct Matcher {
    automaton: AhoCorasick,
    /// For each pattern: its canary and its form's name and bytes.
    patterns: Vec<(usize, String, Vec<u8>)>,
}

impl Matcher {
    pub fn new(canaries: &[Canary]) -> Matcher {
        let mut patterns = Vec::new();
        for (index, canary) in canaries.iter().enumerate() {
            assert!(canary.text.chars().count() >= 6, "a canary this short could occur by chance: {canary:?}");
            for form in forms_of(&canary.text) {
                patterns.push((index, form.name, form.bytes));
            }
        }
        let automaton = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .build(patterns.iter().map(|(_, _, bytes)| bytes))
            .expect("the canaries make an automaton");
        Matcher { automaton, patterns }
    }

    /// Every (canary, form) found in `bytes`, also inside the compressed streams and the base64
    /// text in it.
    pub fn hits(&self, bytes: &[u8]) -> Vec<Hit> {
        let mut hits = Vec::new();
        self.collect(bytes, "", 0, &mut hits);
        hits.sort();
        hits.dedup();
        hits
    }

    fn collect(&self, bytes: &[u8], inside: &str, depth: usize, hits: &mut Vec<Hit>) {
        self.collect_plain(bytes, inside, hits);
        if depth >= MAX_DEPTH {
            return;
        }
        for stream in inflate_all(bytes) {
            let inside = format!("{inside}, inside a {} stream at byte {}", stream.kind.name(), stream.offset);
            self.collect(&stream.bytes, &inside, depth + 1, hits);
        }
        for (skip, decoded) in base64_text::decode_all(bytes).iter().enumerate() {
            if !decoded.is_empty() {
                let inside = format!("{inside}, inside base64 text (alignment {skip})");
                self.collect(decoded, &inside, depth + 1, hits);
            }
        }
    }

    /// The hits in `bytes` as they are, without looking into compressed streams.
    pub fn collect_plain(&self, bytes: &[u8], inside: &str, hits: &mut Vec<Hit>) {
        for found in self.automaton.find_overlapping_iter(bytes) {
            let (canary, name, exact) = &self.patterns[found.pattern().as_usize()];
            let case = if bytes[found.range()] == exact[..] { "" } else { ", case-folded" };
            let hit = Hit { canary: *canary, form: format!("{name}{case}{inside}") };
            if !hits.contains(&hit) {
                hits.push(hit);
            }
        }
    }

    /// The longest pattern, in bytes: chunks of a large file overlap by this much.
    pub fn longest(&self) -> usize {
        self.patterns.iter().map(|(_, _, bytes)| bytes.len()).max().unwrap_or(0)
    }
}
