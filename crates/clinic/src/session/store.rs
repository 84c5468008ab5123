//! The SQL of a session's own records: the user's second factor and the schema's version.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::ClinicResult;

pub(super) fn schema_version(connection: &Connection) -> ClinicResult<i64> {
    Ok(connection.query_row("PRAGMA user_version", [], |row| row.get(0))?)
}

/// The user's TOTP secret and the last time step accepted, if they enrolled.
pub(super) fn totp_secret(connection: &Connection, user_id: &str) -> ClinicResult<Option<(Vec<u8>, i64)>> {
    Ok(connection
        .query_row("SELECT totp_secret, last_used_step FROM second_factors WHERE user_id = ?1", [user_id], |row| {
            Ok((row.get(0)?, row.get(1)?))
        })
        .optional()?)
}

pub(super) fn set_last_used_step(connection: &Connection, user_id: &str, step: i64) -> ClinicResult<()> {
    connection.execute("UPDATE second_factors SET last_used_step = ?2 WHERE user_id = ?1", params![user_id, step])?;
    Ok(())
}

pub(super) fn recovery_code_unused(connection: &Connection, user_id: &str, code_hash: &str) -> ClinicResult<bool> {
    Ok(connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM second_factor_recovery_codes
                        WHERE user_id = ?1 AND code_hash = ?2 AND used_at IS NULL)",
        params![user_id, code_hash],
        |row| row.get(0),
    )?)
}

pub(super) fn use_recovery_code(
    connection: &Connection,
    user_id: &str,
    code_hash: &str,
    now: &str,
) -> ClinicResult<()> {
    connection.execute(
        "UPDATE second_factor_recovery_codes SET used_at = ?3 WHERE user_id = ?1 AND code_hash = ?2",
        params![user_id, code_hash, now],
    )?;
    Ok(())
}

/// Stores a new TOTP secret (replacing any earlier one) with a fresh set of recovery codes.
pub(super) fn replace_second_factor(
    connection: &Connection,
    user_id: &str,
    secret: &[u8],
    step: i64,
    now: &str,
    recovery_code_hashes: &[String],
) -> ClinicResult<()> {
    connection.execute("DELETE FROM second_factor_recovery_codes WHERE user_id = ?1", [user_id])?;
    connection.execute(
        "INSERT INTO second_factors (user_id, totp_secret, last_used_step, enrolled_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (user_id) DO UPDATE SET totp_secret = ?2, last_used_step = ?3, enrolled_at = ?4",
        params![user_id, secret, step, now],
    )?;
    for hash in recovery_code_hashes {
        connection.execute(
            "INSERT INTO second_factor_recovery_codes (user_id, code_hash) VALUES (?1, ?2)",
            params![user_id, hash],
        )?;
    }
    Ok(())
}
