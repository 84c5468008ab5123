//! The search benchmark's hooks: the same search (and its result summaries) on any connection,
//! so the encrypted database and a plain copy of the same synthetic data can be compared, and
//! sample queries drawn from the data itself.

use std::path::Path;

use rusqlite::Connection;

use super::Synthetic;
use crate::audit::AuditAction;
use crate::error::{ClinicError, ClinicResult};
use crate::patients::dates::DateOrder;
use crate::patients::{search_keys, store, summary_of};
use crate::permissions::Permission;
use crate::session::Session;

/// Copies the practice's data into an unencrypted SQLite file, for the comparison only. The
/// benchmark's data is synthetic and its folder is removed afterwards.
pub fn export_plain_copy(session: &mut Session, path: &Path) -> ClinicResult<()> {
    let authorized = session.authorize(Permission::ManageBackups, AuditAction::Export)?;
    let target = path.to_str().ok_or(ClinicError::Internal("The benchmark folder's name is not text."))?;
    super::store::export_plain_copy(authorized.connection(), target)
}

/// Searches as the front desk's search box does, summaries included, without the audit entry
/// (which the use case adds); returns how many patients were found.
pub fn search_on(connection: &Connection, query: &str) -> ClinicResult<usize> {
    let hits = crate::patients::search::find(connection, query, DateOrder::DayFirst, 26)?;
    let now = time::OffsetDateTime::now_utc();
    let mut found = 0;
    for number in hits.numbers.into_iter().take(25) {
        if let Some(row) = store::by_number(connection, number)? {
            summary_of(connection, &row, now, None)?;
            found += 1;
        }
    }
    Ok(found)
}

/// Runs `measure` with the session's (encrypted) connection, after one permission check, so
/// the benchmark times the search alone.
pub fn with_connection<T>(session: &mut Session, measure: impl FnOnce(&Connection) -> T) -> ClinicResult<T> {
    let authorized = session.authorize(Permission::ReadDemographics, AuditAction::Search)?;
    Ok(measure(authorized.connection()))
}

/// Queries of each kind, taken from random patients: name prefixes of two to five letters, two
/// names' first three letters (given name first), two names' first two letters in either order
/// ("ma jo", "jo ma"), dates of birth in three forms, phone numbers as typed, and MRNs.
#[derive(Debug, Clone, Default)]
pub struct SampleQueries {
    pub prefixes: Vec<String>,
    pub two_words: Vec<String>,
    pub two_short_words: Vec<String>,
    pub dates_iso: Vec<String>,
    pub dates_local: Vec<String>,
    pub phones: Vec<String>,
    pub mrns: Vec<String>,
}

pub fn sample_queries(session: &mut Session, count: usize, seed: u64) -> ClinicResult<SampleQueries> {
    let authorized = session.authorize(Permission::ReadDemographics, AuditAction::Search)?;
    let (lowest, highest) = super::store::number_range(authorized.connection())?;
    let mut random = Synthetic::new(seed);
    let mut queries = SampleQueries::default();
    while queries.mrns.len() < count {
        let number = lowest.unsigned_abs() + random.below((highest - lowest + 1).unsigned_abs());
        let Some(row) = store::by_number(authorized.connection(), number)? else { continue };
        let details = &row.details;
        let family = search_keys::fold_words(&details.family_name).join("");
        let given = search_keys::fold_words(&details.given_names).join("");
        let length = 2 + random.below(4) as usize;
        queries.prefixes.push(family.chars().take(length).collect());
        queries.two_words.push(format!(
            "{} {}",
            given.chars().take(3).collect::<String>(),
            family.chars().take(3).collect::<String>()
        ));
        let (given_two, family_two): (String, String) =
            (given.chars().take(2).collect(), family.chars().take(2).collect());
        queries.two_short_words.push(if random.below(2) == 0 {
            format!("{given_two} {family_two}")
        } else {
            format!("{family_two} {given_two}")
        });
        queries.dates_iso.push(details.date_of_birth.clone());
        if let Some(born) = details.date_of_birth() {
            let dotted = format!("{}.{}.{}", born.day(), u8::from(born.month()), born.year());
            let slashed = format!("{:02}/{:02}/{}", born.day(), u8::from(born.month()), born.year());
            queries.dates_local.push(if random.below(2) == 0 { dotted } else { slashed });
        }
        if let Some(phone) = details.phones.first() {
            queries.phones.push(phone.number.clone());
        }
        queries.mrns.push(row.mrn.clone());
    }
    Ok(queries)
}
