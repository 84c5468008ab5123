//! The keys patients are found by: name parts folded to lower-case ASCII (so "mull" finds
//! Müller, and "muell" finds him too), the digits of phone numbers reversed (so the last digits
//! match whatever prefix was written), and medical record numbers with a check digit.

/// Folds a name part for search: ASCII transliteration (Müller to muller, Łukasz to lukasz,
/// 王 to wang), lower case, then split on anything that is not a letter or digit.
pub fn fold_words(text: &str) -> Vec<String> {
    split_words(&deunicode::deunicode(text).to_lowercase())
}

fn split_words(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_ascii_alphanumeric()).filter(|word| !word.is_empty()).map(str::to_owned).collect()
}

/// The German spelling of umlauts (ä to ae, ö to oe, ü to ue), folded, when it differs from
/// the plain folding: people write Müller as Mueller.
fn german_words(text: &str) -> Option<Vec<String>> {
    if !text.chars().any(|c| matches!(c, 'ä' | 'ö' | 'ü' | 'Ä' | 'Ö' | 'Ü')) {
        return None;
    }
    let spelled: String = text
        .chars()
        .map(|c| match c {
            'ä' | 'Ä' => "ae".to_owned(),
            'ö' | 'Ö' => "oe".to_owned(),
            'ü' | 'Ü' => "ue".to_owned(),
            other => other.to_string(),
        })
        .collect();
    Some(fold_words(&spelled))
}

/// Every search token of a patient's names: each folded word, its German spelling, the word
/// joined across punctuation (O'Neil as oneil as well as o and neil), and the lower-case original
/// of words in other scripts (so 佐藤 is found by 佐藤 as well as by zuo).
pub fn name_tokens(names: &[&str]) -> Vec<String> {
    let mut tokens = Vec::new();
    for name in names {
        tokens.extend(fold_words(name));
        if let Some(german) = german_words(name) {
            tokens.extend(german);
        }
        for word in name.split_whitespace() {
            let parts = fold_words(word);
            if parts.len() > 1 {
                tokens.push(parts.concat());
            }
            if !word.is_ascii() {
                tokens.push(word.to_lowercase());
            }
        }
    }
    tokens.sort();
    tokens.dedup();
    tokens
}

/// The ways one typed word can match a token: its folding, its German spelling, and its
/// lower-case original when it is not ASCII. A typed word may fold to several words ("O'Neil").
pub fn query_alternatives(word: &str) -> Vec<String> {
    let mut alternatives = vec![fold_words(word).join("")];
    if let Some(german) = german_words(word) {
        alternatives.push(german.join(""));
    }
    if !word.is_ascii() {
        alternatives.push(word.to_lowercase());
    }
    alternatives.retain(|alternative| !alternative.is_empty());
    alternatives.sort();
    alternatives.dedup();
    alternatives
}

/// The digits of a phone number, whatever its formatting.
pub fn phone_digits(text: &str) -> String {
    text.chars().filter(char::is_ascii_digit).collect()
}

/// How many trailing digits a phone search compares: enough to tell numbers apart, few enough
/// that a country or trunk prefix written differently does not matter.
pub const PHONE_KEY_DIGITS: usize = 9;

/// The key a phone number is stored and searched under: its last digits, reversed.
pub fn phone_key(digits: &str) -> String {
    digits.chars().rev().take(PHONE_KEY_DIGITS).collect()
}

/// The Luhn check digit of `number`'s decimal digits.
fn check_digit(number: u64) -> u64 {
    let mut sum = 0;
    for (index, digit) in number.to_string().bytes().rev().map(|byte| u64::from(byte - b'0')).enumerate() {
        let weighted = if index % 2 == 0 { digit * 2 } else { digit };
        sum += if weighted > 9 { weighted - 9 } else { weighted };
    }
    (10 - sum % 10) % 10
}

/// The medical record number of patient number `number`: the number and a check digit, so a
/// mistyped digit is caught.
pub fn mrn_of(number: u64) -> String {
    format!("{number}{}", check_digit(number))
}

/// The patient number an MRN stands for, if its check digit is right.
pub fn number_of_mrn(mrn: &str) -> Option<u64> {
    let mrn = mrn.trim();
    if mrn.len() < 2 || !mrn.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    let (number, check) = mrn.split_at(mrn.len() - 1);
    let number: u64 = number.parse().ok()?;
    (check.parse::<u64>().ok()? == check_digit(number)).then_some(number)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_fold_for_case_and_accents_in_several_spellings() {
        assert_eq!(name_tokens(&["Müller", "Anna-Lena"]), ["anna", "annalena", "lena", "mueller", "muller", "müller"]);
        assert_eq!(name_tokens(&["Łukasz"]), ["lukasz", "łukasz"]);
        assert_eq!(name_tokens(&["O'Neil"]), ["neil", "o", "oneil"]);
        assert!(name_tokens(&["佐藤"]).contains(&"佐藤".to_owned()));
        assert_eq!(query_alternatives("MÜLL"), ["muell", "mull", "müll"]);
        assert_eq!(query_alternatives("mull"), ["mull"]);
    }

    #[test]
    fn phone_keys_ignore_formatting_and_prefixes() {
        let stored = phone_key(&phone_digits("+43 (664) 123-45 67"));
        let typed = phone_key(&phone_digits("0664 1234567"));
        assert_eq!(stored, typed, "country code or trunk zero, same key");
        assert_eq!(phone_key("1234"), "4321");
    }

    #[test]
    fn mrns_carry_a_check_digit_that_catches_a_mistyped_digit() {
        let mrn = mrn_of(100_042);
        assert_eq!(mrn.len(), 7);
        assert_eq!(number_of_mrn(&mrn), Some(100_042));
        let mut typo = mrn.clone().into_bytes();
        typo[3] = if typo[3] == b'9' { b'0' } else { typo[3] + 1 };
        assert_eq!(number_of_mrn(std::str::from_utf8(&typo).unwrap()), None);
        assert_eq!(number_of_mrn("12a4"), None);
    }
}
