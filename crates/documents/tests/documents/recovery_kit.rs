//! The Recovery Kit: the practice's name as typed, and the whole key in a monospaced font.

use chartkeep_documents::{RecoveryKit, render_recovery_kit_pdf};

use crate::{MARKED_NOTE, NAMES, read_back};

const KEY: &str = "AGE-SECRET-KEY-1QYZ7XW3V4K5N6M8P9R0S2T3U4V5W6X7Y8Z9A0C2D3E4F5G6H7J8K9L0M2N";

fn kit(practice_name: &str) -> RecoveryKit<'_> {
    RecoveryKit {
        practice_name,
        vault_id: "3f2b9c1e-8d4a-4b6f-9e21-0c5d7a8b9f10",
        recovery_key: KEY,
        created_at: time::macros::datetime!(2026-11-25 09:30 UTC),
    }
}

#[test]
fn the_kit_names_the_practice_and_vault_and_holds_the_whole_key() {
    let kit = kit("Riverside Family Practice");
    let pdf = render_recovery_kit_pdf(&kit).unwrap();
    let text = read_back("kit-riverside", &pdf);
    for expected in ["Chartkeep Recovery Kit", "Riverside Family Practice", kit.vault_id, KEY, "2026-11-25 09:30 UTC"] {
        assert!(text.words.contains(expected), "missing {expected:?} in:\n{}", text.layout);
    }
    for group in ["AGE-SECRET-KEY-1", "QYZ7 XW3V 4K5N 6M8P 9R0S", "2T3U 4V5W 6X7Y 8Z9A 0C2D", "3E4F 5G6H 7J8K 9L0M 2N"]
    {
        assert!(text.layout.lines().any(|line| line.trim() == group), "the key's line {group:?}:\n{}", text.layout);
    }
    assert!(!text.words.contains(MARKED_NOTE));
    assert!(pdf.len() < 45_000, "a one-page kit holds only the glyphs it uses: {} bytes", pdf.len());
}

#[test]
fn the_key_is_printed_in_a_monospaced_font_so_its_groups_line_up() {
    let text = read_back("kit-key", &render_recovery_kit_pdf(&kit("Riverside")).unwrap());
    let boxes = crate::word_boxes(&text.boxes);
    let left_edges: Vec<f32> = ["QYZ7", "2T3U", "3E4F"]
        .iter()
        .map(|word| boxes.iter().find(|(text, ..)| text == word).map(|(_, left, _)| *left).unwrap())
        .collect();
    let right_edges: Vec<f32> = ["9R0S", "0C2D"]
        .iter()
        .map(|word| boxes.iter().find(|(text, ..)| text == word).map(|(_, _, right)| *right).unwrap())
        .collect();
    assert!(left_edges.iter().all(|left| (left - left_edges[0]).abs() < 0.1), "{left_edges:?}");
    assert!((right_edges[0] - right_edges[1]).abs() < 0.1, "five groups of four are as wide on each line");
}

#[test]
fn the_practice_name_prints_as_typed_in_every_script() {
    for (index, name) in NAMES.iter().enumerate() {
        let text = read_back(&format!("kit-name-{index}"), &render_recovery_kit_pdf(&kit(name)).unwrap());
        let line = text.layout.lines().find(|line| line.trim_start().starts_with("Practice"));
        assert!(line.is_some_and(|line| line.trim_end().ends_with(name)), "{name:?} in:\n{}", text.layout);
        assert!(!text.words.contains(MARKED_NOTE), "no note for {name:?}");
    }
}

#[test]
fn a_practice_name_the_font_cannot_show_is_marked_and_the_kit_says_so() {
    let text = read_back("kit-cjk", &render_recovery_kit_pdf(&kit("山田 太郎 Klinik Łódź")).unwrap());
    assert!(text.words.contains(MARKED_NOTE), "{}", text.layout);
    // The characters are drawn as □ but copy and extract as typed.
    assert!(text.words.contains("山田 太郎 Klinik Łódź"), "{}", text.layout);
    assert!(!text.words.contains("Yamada") && !text.words.contains("Shan"), "nothing is transliterated");
    assert!(text.words.contains(KEY));
}

#[test]
fn control_characters_in_the_practice_name_become_spaces() {
    let text = read_back("kit-control", &render_recovery_kit_pdf(&kit("Riverside\nFamily\tPractice")).unwrap());
    assert!(text.layout.contains("Riverside Family Practice"), "{}", text.layout);
    assert!(!text.words.contains(MARKED_NOTE));
}

#[test]
fn a_long_practice_name_is_shortened_to_fit_the_page() {
    let name = "Przychodnia Rodzinna Wiśniewski i Wspólnicy, Kraków – Nowa Huta, Osiedle Centrum ".repeat(2);
    let text = read_back("kit-long", &render_recovery_kit_pdf(&kit(&name)).unwrap());
    let boxes = crate::word_boxes(&text.boxes);
    assert!(boxes.iter().all(|(_, _, right)| *right <= 195.0), "nothing reaches past the right margin");
    assert!(text.words.contains("Przychodnia Rodzinna Wiśniewski i Wspólnicy"));
    assert!(text.words.contains('…'), "{}", text.layout);
}
