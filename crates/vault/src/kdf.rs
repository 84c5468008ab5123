//! Password hashing for key slots: Argon2id, calibrated on this PC, then HKDF-SHA256 with the
//! device secret to give the key-encryption key (KEK) of a slot.

use std::time::{Duration, Instant};

use argon2::{Algorithm, Argon2, Params, Version};
use hkdf::Hkdf;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use zeroize::Zeroizing;

use crate::error::{VaultError, VaultResult};
use crate::secrets::{DeviceSecret, Password};

/// Argon2id cost parameters, stored with each key slot so a slot can always be opened with the
/// parameters it was sealed with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    pub memory_kib: u32,
    pub iterations: u32,
    pub parallelism: u32,
}

impl KdfParams {
    /// The floor for every vault made for real use: 64 MiB of memory, 3 passes.
    pub const FLOOR: KdfParams = KdfParams { memory_kib: 64 * 1024, iterations: 3, parallelism: 1 };

    /// The time one unseal should take on the PC that sets the vault up.
    pub const CALIBRATION_TARGET: Duration = Duration::from_millis(500);

    /// Cheap parameters for tests only. A vault made with them is as weak as its password, so
    /// only test code passes them, explicitly, through `KdfChoice::Explicit`.
    pub const INSECURE_FOR_TESTS: KdfParams = KdfParams { memory_kib: 1024, iterations: 1, parallelism: 1 };

    /// Measures one hash at the floor and scales the number of passes so that one unseal takes
    /// about `CALIBRATION_TARGET` on this PC. Never returns less than the floor.
    pub fn calibrate() -> VaultResult<KdfParams> {
        let started = Instant::now();
        hash_password(&Password::new("calibration"), &[0u8; 16], KdfParams::FLOOR)?;
        let one_run = started.elapsed().max(Duration::from_millis(1));
        let scale = Self::CALIBRATION_TARGET.as_secs_f64() / one_run.as_secs_f64();
        let iterations = (f64::from(Self::FLOOR.iterations) * scale).round();
        // The cast is safe: the value is clamped to a small positive range first.
        let iterations = iterations.clamp(f64::from(Self::FLOOR.iterations), 64.0) as u32;
        Ok(KdfParams { iterations, ..Self::FLOOR })
    }

    pub fn meets_floor(&self) -> bool {
        self.memory_kib >= Self::FLOOR.memory_kib && self.iterations >= Self::FLOOR.iterations
    }

    /// The most a slot may ask for: 4 GiB of memory, 256 passes, 16 lanes. Parameters are read
    /// from the slot file, which anyone who can write the folder can change; beyond these
    /// limits a slot is refused as damaged instead of exhausting the PC.
    pub const CEILING: KdfParams = KdfParams { memory_kib: 4 * 1024 * 1024, iterations: 256, parallelism: 16 };

    pub fn within_ceiling(&self) -> bool {
        self.memory_kib <= Self::CEILING.memory_kib
            && self.iterations <= Self::CEILING.iterations
            && self.parallelism <= Self::CEILING.parallelism
    }

    fn to_argon2(self) -> VaultResult<Params> {
        if !self.within_ceiling() {
            return Err(VaultError::KeySlotFileDamaged("a key slot asks for an unreasonable amount of work"));
        }
        Params::new(self.memory_kib, self.iterations, self.parallelism, Some(32))
            .map_err(|error| VaultError::KeyDerivation(error.to_string()))
    }
}

/// How the cost parameters of new key slots are chosen.
#[derive(Debug, Clone, Copy)]
pub enum KdfChoice {
    /// Calibrate on this PC (at least the floor). Every real vault uses this.
    Calibrated,
    /// Use these parameters as given. Tests pass cheap ones to stay fast.
    Explicit(KdfParams),
}

impl KdfChoice {
    pub fn resolve(self) -> VaultResult<KdfParams> {
        match self {
            KdfChoice::Calibrated => KdfParams::calibrate(),
            KdfChoice::Explicit(params) => Ok(params),
        }
    }
}

fn hash_password(password: &Password, salt: &[u8], params: KdfParams) -> VaultResult<Zeroizing<[u8; 32]>> {
    let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params.to_argon2()?);
    let mut output = Zeroizing::new([0u8; 32]);
    argon
        .hash_password_into(password.expose().as_bytes(), salt, output.as_mut())
        .map_err(|error| VaultError::KeyDerivation(error.to_string()))?;
    Ok(output)
}

/// KEK = HKDF-SHA256(ikm = Argon2id(password, salt), salt = device secret).
pub(crate) fn key_encryption_key(
    password: &Password,
    slot_salt: &[u8],
    params: KdfParams,
    device_secret: &DeviceSecret,
) -> VaultResult<Zeroizing<[u8; 32]>> {
    let stretched = hash_password(password, slot_salt, params)?;
    let hkdf = Hkdf::<Sha256>::new(Some(device_secret.as_bytes()), stretched.as_ref());
    let mut kek = Zeroizing::new([0u8; 32]);
    hkdf.expand(b"chartkeep/key-slot/v1", kek.as_mut())
        .map_err(|error| VaultError::KeyDerivation(error.to_string()))?;
    Ok(kek)
}

/// Derives a purpose-bound 32-byte key from a root key (used for the audit chain's HMAC key and
/// the device-secret check).
pub(crate) fn subkey(root: &[u8; 32], purpose: &str) -> Zeroizing<[u8; 32]> {
    let hkdf = Hkdf::<Sha256>::new(Some(b"chartkeep"), root);
    let mut key = Zeroizing::new([0u8; 32]);
    // Expanding 32 bytes from SHA-256 cannot fail: the limit is 255 * 32 bytes.
    #[allow(clippy::expect_used)]
    hkdf.expand(purpose.as_bytes(), key.as_mut()).expect("32 bytes is a valid HKDF-SHA256 output length");
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_kek_depends_on_password_salt_and_device_secret() {
        let params = KdfParams::INSECURE_FOR_TESTS;
        let device = DeviceSecret::from_bytes([1; 32]);
        let other_device = DeviceSecret::from_bytes([2; 32]);
        let password = Password::new("a long enough password");
        let base = key_encryption_key(&password, b"salt-salt-salt-1", params, &device).unwrap();
        let again = key_encryption_key(&password, b"salt-salt-salt-1", params, &device).unwrap();
        assert_eq!(*base, *again);
        let other_salt = key_encryption_key(&password, b"salt-salt-salt-2", params, &device).unwrap();
        let other_secret = key_encryption_key(&password, b"salt-salt-salt-1", params, &other_device).unwrap();
        let other_password =
            key_encryption_key(&Password::new("another long password"), b"salt-salt-salt-1", params, &device).unwrap();
        assert_ne!(*base, *other_salt);
        assert_ne!(*base, *other_secret);
        assert_ne!(*base, *other_password);
    }

    #[test]
    fn calibration_never_goes_below_the_floor() {
        let params = KdfParams::calibrate().unwrap();
        assert!(params.meets_floor());
        assert!(!KdfParams::INSECURE_FOR_TESTS.meets_floor());
    }

    #[test]
    fn subkeys_are_bound_to_their_purpose() {
        let root = [9u8; 32];
        assert_ne!(*subkey(&root, "audit"), *subkey(&root, "device-check"));
        assert_eq!(*subkey(&root, "audit"), *subkey(&root, "audit"));
    }
}
