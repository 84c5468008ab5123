//! The roles a user can hold. The permission matrix over them arrives with access control.

use serde::{Deserialize, Serialize};

#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    Owner,
    Clinician,
    FrontDesk,
    Auditor,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Owner, Role::Clinician, Role::FrontDesk, Role::Auditor];

    pub fn as_str(self) -> &'static str {
        self.into()
    }
}

/// The roles as stored in an audit entry: sorted, comma-separated.
pub fn roles_text(roles: &[Role]) -> String {
    let mut sorted = roles.to_vec();
    sorted.sort();
    sorted.iter().map(|role| role.as_str()).collect::<Vec<_>>().join(",")
}
