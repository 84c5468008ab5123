//! Random codes people read and type. One-time passwords the Owner hands to a new or reset user, who must replace it at first
//! sign-in: 16 characters from an alphabet without look-alikes (about 79 bits), in groups of
//! four so it can be read out and typed without mistakes.

use chartkeep_vault::{Password, VaultError};

use crate::error::ClinicResult;

const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const GROUPS: usize = 4;
const GROUP_LENGTH: usize = 4;

pub fn generate_temporary_password() -> ClinicResult<Password> {
    Ok(Password::new(random_grouped_code(GROUPS, GROUP_LENGTH)?))
}

/// `groups` groups of `group_length` random characters from the alphabet, joined by dashes.
pub fn random_grouped_code(groups: usize, group_length: usize) -> ClinicResult<String> {
    let mut random = vec![0u8; groups * group_length];
    getrandom::fill(&mut random).map_err(|_| VaultError::Randomness)?;
    let mut text = String::with_capacity(groups * (group_length + 1));
    for (index, byte) in random.iter().enumerate() {
        if index > 0 && index % group_length == 0 {
            text.push('-');
        }
        // 256 is a multiple of the alphabet's 32 letters, so every letter is equally likely.
        text.push(char::from(ALPHABET[usize::from(*byte) % ALPHABET.len()]));
    }
    random.fill(0);
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn temporary_passwords_are_long_grouped_and_pass_the_password_policy() {
        let first = generate_temporary_password().unwrap();
        let second = generate_temporary_password().unwrap();
        assert_eq!(first.expose().len(), 19);
        assert_eq!(first.expose().matches('-').count(), 3);
        assert_ne!(first.expose(), second.expose());
        assert!(crate::validation::check_new_password(&first, None).is_ok());
    }
}
