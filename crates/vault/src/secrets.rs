//! Secret values held in memory. Each is wiped when dropped and prints `[redacted]`, so a secret
//! cannot reach a log line or an error message by accident.

use std::fmt;

use zeroize::{Zeroize, ZeroizeOnDrop, Zeroizing};

/// Fills a fresh 32-byte array from the operating system's random number generator.
pub(crate) fn random_32() -> Result<Zeroizing<[u8; 32]>, getrandom::Error> {
    let mut bytes = Zeroizing::new([0u8; 32]);
    getrandom::fill(bytes.as_mut())?;
    Ok(bytes)
}

macro_rules! redacted_debug {
    ($ty:ident) => {
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($ty), "([redacted])"))
            }
        }
    };
}

/// The database encryption key (DEK): 32 random bytes used as SQLCipher's raw key.
#[derive(Zeroize, ZeroizeOnDrop, Clone)]
pub struct DatabaseKey([u8; 32]);
redacted_debug!(DatabaseKey);

impl DatabaseKey {
    pub(crate) fn generate() -> Result<Self, getrandom::Error> {
        Ok(Self(*random_32()?))
    }

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The `PRAGMA key` statement for this key, as a raw key (no PBKDF2 on open).
    pub(crate) fn sqlcipher_pragma(&self) -> Zeroizing<String> {
        let mut hex_key = Zeroizing::new(hex::encode(self.0));
        let statement = Zeroizing::new(format!("PRAGMA key = \"x'{}'\";", hex_key.as_str()));
        hex_key.zeroize();
        statement
    }
}

/// The per-vault secret kept in the OS keyring. Together with a user's password it unseals that
/// user's key slot, so a copied disk alone opens nothing.
#[derive(Zeroize, ZeroizeOnDrop, Clone, PartialEq, Eq)]
pub struct DeviceSecret([u8; 32]);
redacted_debug!(DeviceSecret);

impl DeviceSecret {
    pub fn generate() -> Result<Self, getrandom::Error> {
        Ok(Self(*random_32()?))
    }

    pub(crate) fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    pub(crate) fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// A 32-byte key for one purpose, derived from the device secret with HKDF-SHA256: the MAC
    /// keys of the files beside the database that must work while it is closed (the sign-in
    /// throttle, the buffered sign-in events). Someone who can only read and write the data
    /// folder cannot compute them.
    pub fn derive_key(&self, purpose: &str) -> Zeroizing<[u8; 32]> {
        crate::kdf::subkey(&self.0, purpose)
    }
}

/// A password as typed by a person. Never logged, wiped on drop.
#[derive(Zeroize, ZeroizeOnDrop, Clone)]
pub struct Password(String);
redacted_debug!(Password);

impl Password {
    pub fn new(text: impl Into<String>) -> Self {
        Self(text.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// The practice's recovery key: an age X25519 identity (`AGE-SECRET-KEY-1…`). It is shown once
/// at setup and printed into the Recovery Kit; it is never stored on the PC.
#[derive(Zeroize, ZeroizeOnDrop, Clone)]
pub struct RecoveryKey(String);
redacted_debug!(RecoveryKey);

impl RecoveryKey {
    /// Accepts the key as a person would paste or type it: surrounding white space and spaces
    /// between groups are ignored, and lower case is accepted.
    pub fn parse(text: &str) -> Self {
        let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        Self(compact.to_uppercase())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The last characters of the key, which setup asks the owner to type back.
    pub fn last_chars(&self, count: usize) -> &str {
        let start = self.0.len().saturating_sub(count);
        self.0.get(start..).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_never_print_their_value() {
        let password = Password::new("correct horse battery staple");
        let recovery = RecoveryKey::parse("age-secret-key-1qqqq");
        assert_eq!(format!("{password:?}"), "Password([redacted])");
        assert_eq!(format!("{recovery:?}"), "RecoveryKey([redacted])");
        let key = DatabaseKey::from_bytes([7; 32]);
        assert!(!format!("{key:?}").contains('7'));
    }

    #[test]
    fn recovery_key_parsing_forgives_spacing_and_case() {
        let key = RecoveryKey::parse("  age-secret-key-1abcd efgh\n");
        assert_eq!(key.expose(), "AGE-SECRET-KEY-1ABCDEFGH");
        assert_eq!(key.last_chars(6), "CDEFGH");
    }

    #[test]
    fn sqlcipher_pragma_uses_a_raw_hex_key() {
        let key = DatabaseKey::from_bytes([0xab; 32]);
        let pragma = key.sqlcipher_pragma();
        assert!(pragma.starts_with("PRAGMA key = \"x'abab"));
        assert!(pragma.ends_with("'\";"));
    }
}
