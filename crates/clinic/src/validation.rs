//! Input rules for the fields of this capability, each with a plain-language message.

use std::collections::HashSet;
use std::sync::OnceLock;

use chartkeep_vault::Password;

use crate::error::{ClinicError, ClinicResult};

pub const PASSWORD_MIN_CHARS: usize = 12;
pub const PASSWORD_MAX_CHARS: usize = 256;

static COMMON_PASSWORDS_TEXT: &str = include_str!("../data/common-passwords.txt");

fn common_passwords() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| COMMON_PASSWORDS_TEXT.lines().map(str::trim).filter(|line| !line.is_empty()).collect())
}

/// Checks a new password: 12 to 256 characters, not one of the 10,000 most common passwords,
/// not the username. No composition rules, and nothing is ever truncated.
pub fn check_new_password(password: &Password, username: Option<&str>) -> ClinicResult<()> {
    let text = password.expose();
    let length = text.chars().count();
    if length < PASSWORD_MIN_CHARS {
        return Err(ClinicError::invalid(
            "password",
            format!("Use at least {PASSWORD_MIN_CHARS} characters. A few unrelated words make a strong password."),
        ));
    }
    if length > PASSWORD_MAX_CHARS {
        return Err(ClinicError::invalid("password", format!("Use at most {PASSWORD_MAX_CHARS} characters.")));
    }
    let lowered = text.to_lowercase();
    if common_passwords().contains(lowered.as_str()) {
        return Err(ClinicError::invalid("password", "This password is one of the most common ones. Choose another."));
    }
    if username.is_some_and(|name| name.to_lowercase() == lowered) {
        return Err(ClinicError::invalid("password", "The password must not be the username."));
    }
    Ok(())
}

/// Usernames are 3 to 32 characters: lower-case letters, digits, dot, dash and underscore.
pub fn normalise_username(text: &str) -> ClinicResult<String> {
    let username = text.trim().to_lowercase();
    let allowed = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '_');
    if username.len() < 3 || username.len() > 32 || !username.chars().all(allowed) {
        return Err(ClinicError::invalid(
            "username",
            "A username has 3 to 32 characters: letters, digits, dot, dash or underscore.",
        ));
    }
    Ok(username)
}

/// A required line of text (a name): trimmed, 1 to `max` characters, no control characters.
pub fn required_text(field: &'static str, label: &str, text: &str, max: usize) -> ClinicResult<String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(ClinicError::invalid(field, format!("Enter the {label}.")));
    }
    if trimmed.chars().count() > max {
        return Err(ClinicError::invalid(field, format!("The {label} can be at most {max} characters.")));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(ClinicError::invalid(field, format!("The {label} cannot contain line breaks or tabs.")));
    }
    Ok(trimmed.to_owned())
}

/// A calendar day in ISO form (`YYYY-MM-DD`), not after `today` and not before 1900.
pub fn past_date(field: &'static str, label: &str, text: &str, today: time::Date) -> ClinicResult<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    let date = time::Date::parse(text.trim(), &format)
        .map_err(|_| ClinicError::invalid(field, format!("Enter the {label} as a date, e.g. 2026-11-25.")))?;
    if date > today {
        return Err(ClinicError::invalid(field, format!("The {label} cannot be in the future.")));
    }
    if date.year() < 1900 {
        return Err(ClinicError::invalid(field, format!("The {label} cannot be before 1900.")));
    }
    date.format(&format).map_err(|_| ClinicError::Internal("A date could not be written."))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn password_error(text: &str) -> Option<String> {
        check_new_password(&Password::new(text), Some("drsmith")).err().map(|error| error.to_string())
    }

    #[test]
    fn password_policy_follows_length_and_the_common_list_only() {
        assert!(password_error("short").is_some());
        assert!(password_error("q1w2e3r4t5y6").is_some(), "on the common list");
        assert!(password_error("Q1W2E3R4T5Y6").is_some(), "the list check ignores case");
        assert!(password_error("all lower case words are fine").is_none(), "no composition rules");
        assert!(password_error(&"x".repeat(128)).is_none(), "128 characters are allowed");
        assert!(password_error(&"x".repeat(257)).is_some());
        assert!(password_error("ünïcødé pässwörd").is_none());
    }

    #[test]
    fn past_dates_are_checked_and_written_in_iso_form() {
        let today = time::macros::date!(2026 - 11 - 25);
        assert_eq!(past_date("d", "date", " 2026-11-25 ", today).unwrap(), "2026-11-25");
        assert_eq!(past_date("d", "date", "2026-11-26", today).unwrap_err().field(), Some("d"));
        assert!(past_date("d", "date", "1899-12-31", today).is_err());
        assert!(past_date("d", "date", "25.11.2026", today).is_err());
    }

    #[test]
    fn the_shipped_list_has_ten_thousand_entries() {
        assert_eq!(common_passwords().len(), 10_000);
    }

    #[test]
    fn usernames_are_normalised_and_checked() {
        assert_eq!(normalise_username("  DrSmith ").unwrap(), "drsmith");
        assert!(normalise_username("a b").is_err());
        assert!(normalise_username("ab").is_err());
    }
}
