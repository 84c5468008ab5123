//! The SQL of this capability, kept behind the use cases so another storage backend is an
//! addition rather than a rewrite.

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::ClinicResult;
use crate::roles::Role;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UserRecord {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub active: bool,
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
        "INSERT INTO users (id, username, full_name, active, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![user.id, user.username, user.full_name, user.active, created_at],
    )?;
    for role in &user.roles {
        connection
            .execute("INSERT INTO user_roles (user_id, role) VALUES (?1, ?2)", params![user.id, role.as_str()])?;
    }
    Ok(())
}

fn roles_of(connection: &Connection, user_id: &str) -> ClinicResult<Vec<Role>> {
    let mut statement = connection.prepare_cached("SELECT role FROM user_roles WHERE user_id = ?1 ORDER BY role")?;
    let names = statement.query_map([user_id], |row| row.get::<_, String>(0))?.collect::<Result<Vec<_>, _>>()?;
    Ok(names.iter().filter_map(|name| Role::parse(name)).collect())
}

pub fn user_by_username(connection: &Connection, username: &str) -> ClinicResult<Option<UserRecord>> {
    let found = connection
        .query_row("SELECT id, username, full_name, active FROM users WHERE username = ?1", [username], |row| {
            Ok((row.get::<_, String>(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
        })
        .optional()?;
    let Some((id, username, full_name, active)) = found else { return Ok(None) };
    let roles = roles_of(connection, &id)?;
    Ok(Some(UserRecord { id, username, full_name, active, roles }))
}

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
