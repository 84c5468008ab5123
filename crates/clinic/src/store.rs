//! The SQL of this capability, kept behind the use cases so another storage backend is an
//! addition rather than a rewrite.

use crate::patients::PatientId;
use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{ClinicError, ClinicResult};
use crate::roles::Role;
use crate::session::SessionLimits;
use crate::settings::{AccessSettings, RolePolicy};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub active: bool,
    pub must_change_password: bool,
    pub roles: Vec<Role>,
}

pub fn insert_practice(connection: &Connection, vault_id: &str, name: &str, created_at: &str) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO practice (id, vault_id, name, created_at) VALUES (1, ?1, ?2, ?3)",
        params![vault_id, name, created_at],
    )?;
    Ok(())
}

pub fn practice_name(connection: &Connection) -> ClinicResult<Option<String>> {
    Ok(connection.query_row("SELECT name FROM practice WHERE id = 1", [], |row| row.get(0)).optional()?)
}

pub fn insert_user(connection: &Connection, user: &UserRecord, created_at: &str) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO users (id, username, full_name, active, must_change_password, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![user.id, user.username, user.full_name, user.active, user.must_change_password, created_at],
    )?;
    set_roles(connection, &user.id, &user.roles)
}

pub fn set_roles(connection: &Connection, user_id: &str, roles: &[Role]) -> ClinicResult<()> {
    connection.execute("DELETE FROM user_roles WHERE user_id = ?1", [user_id])?;
    for role in roles {
        connection
            .execute("INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)", params![user_id, role.as_str()])?;
    }
    Ok(())
}

pub fn set_active(connection: &Connection, user_id: &str, active: bool) -> ClinicResult<()> {
    connection.execute("UPDATE users SET active = ?2 WHERE id = ?1", params![user_id, active])?;
    Ok(())
}

pub fn set_must_change_password(connection: &Connection, user_id: &str, must_change: bool) -> ClinicResult<()> {
    connection.execute("UPDATE users SET must_change_password = ?2 WHERE id = ?1", params![user_id, must_change])?;
    Ok(())
}

fn roles_of(connection: &Connection, user_id: &str) -> ClinicResult<Vec<Role>> {
    let mut statement = connection.prepare_cached("SELECT role FROM user_roles WHERE user_id = ?1 ORDER BY role")?;
    let names = statement.query_map([user_id], |row| row.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    names.iter().map(|name| crate::codes::parse_code("role", name)).collect()
}

const USER_COLUMNS: &str = "id, username, full_name, active, must_change_password";

fn user_where(connection: &Connection, condition: &str, value: &str) -> ClinicResult<Option<UserRecord>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE {condition} = ?1");
    let found = connection
        .query_row(&sql, [value], |row| {
            Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?, row.get(3)?, row.get(4)?))
        })
        .optional()?;
    let Some((id, username, full_name, active, must_change_password)) = found else { return Ok(None) };
    let roles = roles_of(connection, &id)?;
    Ok(Some(UserRecord { id, username, full_name, active, must_change_password, roles }))
}

pub fn user_by_username(connection: &Connection, username: &str) -> ClinicResult<Option<UserRecord>> {
    user_where(connection, "username", username)
}

pub fn user_by_id(connection: &Connection, user_id: &str) -> ClinicResult<Option<UserRecord>> {
    user_where(connection, "id", user_id)
}

/// Every user, active ones first, then by name.
pub fn all_users(connection: &Connection) -> ClinicResult<Vec<UserRecord>> {
    let mut statement = connection.prepare("SELECT id FROM users ORDER BY active DESC, full_name, username")?;
    let ids = statement.query_map([], |row| row.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    let mut users = Vec::with_capacity(ids.len());
    for id in ids {
        users.extend(user_by_id(connection, &id)?);
    }
    Ok(users)
}

/// How many active users hold the Owner role.
pub fn count_active_owners(connection: &Connection) -> ClinicResult<u64> {
    let count: i64 = connection.query_row(
        "SELECT count(*) FROM users u JOIN user_roles r ON r.user_id = u.id WHERE r.role = 'owner' AND u.active = 1",
        [],
        |row| row.get(0),
    )?;
    Ok(count.unsigned_abs())
}

/// The session limits for a user holding `roles`: the shortest idle timeout among them.
pub fn session_limits(connection: &Connection, roles: &[Role]) -> ClinicResult<SessionLimits> {
    let mut shortest: Option<u32> = None;
    for role in roles {
        let minutes: Option<u32> = connection
            .query_row("SELECT idle_timeout_minutes FROM role_policies WHERE role = ?1", [role.as_str()], |row| {
                row.get(0)
            })
            .optional()?;
        shortest = match (shortest, minutes) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
    }
    Ok(SessionLimits::with_idle_minutes(shortest.unwrap_or(MINIMUM_DEFAULT_IDLE_MINUTES)))
}

/// The idle timeout of a user whose roles have no policy row: the strictest default.
const MINIMUM_DEFAULT_IDLE_MINUTES: u32 = 5;

/// The earliest active owner: the one the recovery key gives a new password.
pub fn first_active_owner(connection: &Connection) -> ClinicResult<Option<UserRecord>> {
    let username: Option<String> = connection
        .query_row(
            "SELECT u.username FROM users u JOIN user_roles r ON r.user_id = u.id
             WHERE r.role = 'owner' AND u.active = 1 ORDER BY u.created_at, u.id LIMIT 1",
            [],
            |row| row.get(0),
        )
        .optional()?;
    match username {
        Some(username) => user_by_username(connection, &username),
        None => Ok(None),
    }
}

pub fn count_users(connection: &Connection) -> ClinicResult<u64> {
    let count: i64 = connection.query_row("SELECT count(*) FROM users", [], |row| row.get(0))?;
    Ok(count.unsigned_abs())
}

/// A role's policy as read, before its role name is checked.
struct RolePolicyRow {
    role: String,
    policy: RolePolicy,
}

pub fn access_settings(connection: &Connection) -> ClinicResult<AccessSettings> {
    let mut statement = connection.prepare(
        "SELECT role, idle_timeout_minutes, mfa_required, emergency_access_allowed, import_allowed, co_sign_allowed
         FROM role_policies",
    )?;
    let rows = statement
        .query_map([], |row| {
            Ok(RolePolicyRow {
                role: row.get(0)?,
                policy: RolePolicy {
                    role: Role::Owner,
                    idle_timeout_minutes: row.get(1)?,
                    mfa_required: row.get(2)?,
                    emergency_access_allowed: row.get(3)?,
                    import_allowed: row.get(4)?,
                    co_sign_allowed: row.get(5)?,
                },
            })
        })?
        .collect::<Result<Vec<RolePolicyRow>, _>>()?;
    let mut role_policies = Vec::new();
    for role in Role::ALL {
        let Some(row) = rows.iter().find(|row| row.role == role.as_str()) else {
            return Err(ClinicError::Internal("A role has no access policy."));
        };
        role_policies.push(RolePolicy { role, ..row.policy });
    }
    let emergency_access_minutes =
        connection.query_row("SELECT emergency_access_minutes FROM practice WHERE id = 1", [], |row| row.get(0))?;
    Ok(AccessSettings { role_policies, emergency_access_minutes })
}

pub fn save_access_settings(connection: &Connection, settings: &AccessSettings) -> ClinicResult<()> {
    for policy in &settings.role_policies {
        connection.execute(
            "UPDATE role_policies SET idle_timeout_minutes = ?2, mfa_required = ?3, emergency_access_allowed = ?4,
                 import_allowed = ?5, co_sign_allowed = ?6
             WHERE role = ?1",
            params![
                policy.role.as_str(),
                policy.idle_timeout_minutes,
                policy.mfa_required,
                policy.emergency_access_allowed,
                policy.import_allowed,
                policy.co_sign_allowed
            ],
        )?;
    }
    connection.execute(
        "UPDATE practice SET emergency_access_minutes = ?1 WHERE id = 1",
        [settings.emergency_access_minutes],
    )?;
    Ok(())
}

/// Whether any of `roles` requires a second factor.
pub fn second_factor_required(connection: &Connection, roles: &[Role]) -> ClinicResult<bool> {
    for role in roles {
        let required: Option<bool> = connection
            .query_row("SELECT mfa_required FROM role_policies WHERE role = ?1", [role.as_str()], |row| row.get(0))
            .optional()?;
        if required == Some(true) {
            return Ok(true);
        }
    }
    Ok(false)
}

pub fn remove_second_factor(connection: &Connection, user_id: &str) -> ClinicResult<()> {
    connection.execute("DELETE FROM second_factor_recovery_codes WHERE user_id = ?1", [user_id])?;
    connection.execute("DELETE FROM second_factors WHERE user_id = ?1", [user_id])?;
    Ok(())
}

pub fn has_second_factor(connection: &Connection, user_id: &str) -> ClinicResult<bool> {
    Ok(connection
        .query_row("SELECT EXISTS (SELECT 1 FROM second_factors WHERE user_id = ?1)", [user_id], |row| row.get(0))?)
}

pub fn patient_exists(connection: &Connection, patient_id: &PatientId) -> ClinicResult<bool> {
    Ok(connection.query_row("SELECT EXISTS (SELECT 1 FROM patients WHERE id = ?1)", [patient_id], |row| row.get(0))?)
}

/// How reports name a patient: "Müller, Anna (MRN 1000009)"; a row without an MRN (made before
/// patients had records) by its id.
pub fn patient_label(connection: &Connection, patient_id: &PatientId) -> ClinicResult<Option<String>> {
    let found: Option<(Option<String>, String, String)> = connection
        .query_row("SELECT mrn, family_name, given_names FROM patients WHERE id = ?1", [patient_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()?;
    Ok(found.map(|(mrn, family, given)| match mrn {
        Some(mrn) => format!("{family}, {given} (MRN {mrn})"),
        None => patient_id.to_string(),
    }))
}

/// Whether a buffered sign-in event already reached the audit trail.
pub fn failed_login_recorded(connection: &Connection, event_id: &str) -> ClinicResult<bool> {
    Ok(connection.query_row(
        "SELECT EXISTS (SELECT 1 FROM audit_log WHERE object_type = 'failed_login' AND object_id = ?1)",
        [event_id],
        |row| row.get(0),
    )?)
}

/// Records that the database key must be rotated (kept until a rotation completes).
pub fn rotation_needed(connection: &Connection, reason: &str, now: &str) -> ClinicResult<()> {
    connection.execute(
        "INSERT INTO database_key_rotation (id, needed_since, reason) VALUES (1, ?1, ?2)
         ON CONFLICT (id) DO NOTHING",
        rusqlite::params![now, reason],
    )?;
    Ok(())
}

/// Since when the database key has needed a rotation, if it does.
pub fn rotation_needed_since(connection: &Connection) -> ClinicResult<Option<String>> {
    Ok(connection
        .query_row("SELECT needed_since FROM database_key_rotation WHERE id = 1", [], |row| row.get(0))
        .optional()?)
}

/// Forgets that a rotation was needed (inside the rotated copy's transaction).
pub fn rotation_done(connection: &Connection) -> ClinicResult<()> {
    connection.execute("DELETE FROM database_key_rotation", [])?;
    Ok(())
}

/// Runs `write` in a transaction of its own on `connection` (one that is not the session's, such
/// as a restored copy being prepared): committed when it succeeds, rolled back when it fails.
pub fn within_transaction<T>(
    connection: &Connection,
    write: impl FnOnce(&Connection) -> ClinicResult<T>,
) -> ClinicResult<T> {
    connection.execute_batch("BEGIN IMMEDIATE")?;
    match write(connection) {
        Ok(value) => {
            connection.execute_batch("COMMIT")?;
            Ok(value)
        }
        Err(error) => {
            let _ = connection.execute_batch("ROLLBACK");
            Err(error)
        }
    }
}

/// The order in which the practice reads typed dates, as stored.
pub fn date_order(connection: &Connection) -> ClinicResult<String> {
    Ok(connection.query_row("SELECT date_order FROM practice WHERE id = 1", [], |row| row.get(0))?)
}

pub fn set_date_order(connection: &Connection, order: &str) -> ClinicResult<()> {
    connection.execute("UPDATE practice SET date_order = ?1 WHERE id = 1", [order])?;
    Ok(())
}
