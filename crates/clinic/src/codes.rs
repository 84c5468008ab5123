//! Codes that cross a boundary (from the UI, the command line, a file or a database row) are
//! read strictly: an unknown value is refused as invalid input, never taken for a default. The
//! enums derive their text with `strum` (`snake_case`, as serde writes them), once.

use std::str::FromStr;

use crate::error::{ClinicError, ClinicResult};

/// Reads `text` as a `T` code, or refuses it naming `field`. The refusal does not repeat the
/// text, which could be anything.
pub(crate) fn parse_code<T: FromStr>(field: &'static str, text: &str) -> ClinicResult<T> {
    text.parse().map_err(|_| ClinicError::invalid(field, format!("That is not a known {}.", field.replace('_', " "))))
}

/// Reads column `index` of a database row as a `T` code. A value no code matches is a conversion
/// failure (reported as invalid input, see `error.rs`), never a default.
pub(crate) fn code_in_row<T: FromStr>(row: &rusqlite::Row<'_>, index: usize) -> rusqlite::Result<T> {
    let text: String = row.get(index)?;
    text.parse().map_err(|_| {
        rusqlite::Error::FromSqlConversionFailure(index, rusqlite::types::Type::Text, "an unknown code".into())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Role;

    #[test]
    fn an_unknown_code_is_refused_never_defaulted() {
        assert_eq!(parse_code::<Role>("role", "front_desk").unwrap(), Role::FrontDesk);
        for unknown in ["", "Front_Desk", "owner ", "superuser"] {
            let refused = parse_code::<Role>("role", unknown).unwrap_err();
            assert!(matches!(refused, ClinicError::InvalidInput { field: "role", .. }), "{unknown:?}");
        }
    }
}
