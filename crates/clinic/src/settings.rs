//! The practice's access settings, set by the Owner: per role the idle timeout, whether a
//! second factor is required and whether emergency access is allowed; and how long an
//! emergency access lasts.

use serde::Serialize;

use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::error::{ClinicError, ClinicResult};
use crate::patients::DateOrder;
use crate::permissions::Permission;
use crate::roles::Role;
use crate::session::Session;
use crate::store;

pub const IDLE_TIMEOUT_MINUTES: std::ops::RangeInclusive<u32> = 1..=60;
pub const EMERGENCY_ACCESS_MINUTES: std::ops::RangeInclusive<u32> = 5..=480;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct RolePolicy {
    pub role: Role,
    pub idle_timeout_minutes: u32,
    pub mfa_required: bool,
    pub emergency_access_allowed: bool,
    /// Whether this role may import patients from a file (the Owner's by default).
    pub import_allowed: bool,
    /// Whether this role may sign notes written by someone else (off by default).
    pub co_sign_allowed: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AccessSettings {
    /// One policy per role, in the order of [`Role::ALL`].
    pub role_policies: Vec<RolePolicy>,
    pub emergency_access_minutes: u32,
}

fn check(settings: &AccessSettings) -> ClinicResult<()> {
    for role in Role::ALL {
        let count = settings.role_policies.iter().filter(|policy| policy.role == role).count();
        if count != 1 {
            return Err(ClinicError::invalid("role_policies", "Give exactly one policy for each role."));
        }
    }
    if settings.role_policies.iter().any(|policy| !IDLE_TIMEOUT_MINUTES.contains(&policy.idle_timeout_minutes)) {
        return Err(ClinicError::invalid(
            "idle_timeout_minutes",
            format!("An idle timeout is {} to {} minutes.", IDLE_TIMEOUT_MINUTES.start(), IDLE_TIMEOUT_MINUTES.end()),
        ));
    }
    if settings
        .role_policies
        .iter()
        .any(|policy| policy.co_sign_allowed && !crate::permissions::is_allowed(&[policy.role], Permission::SignNotes))
    {
        return Err(ClinicError::invalid(
            "co_sign_allowed",
            "Only a role that signs notes (Clinician) can be allowed to co-sign them.",
        ));
    }
    if !EMERGENCY_ACCESS_MINUTES.contains(&settings.emergency_access_minutes) {
        return Err(ClinicError::invalid(
            "emergency_access_minutes",
            format!(
                "Emergency access lasts {} to {} minutes.",
                EMERGENCY_ACCESS_MINUTES.start(),
                EMERGENCY_ACCESS_MINUTES.end()
            ),
        ));
    }
    Ok(())
}

/// How many settings a role's policy has; the names below and the comparison in
/// `changed_fields` must both have exactly this many, or the build fails.
const POLICY_FIELDS: usize = 5;

/// The audit trail's names of each role's settings, in the order of [`Role::ALL`].
const POLICY_FIELD_NAMES: [[&str; POLICY_FIELDS]; 4] = [
    ["owner.idle_timeout", "owner.mfa_required", "owner.emergency_access", "owner.import", "owner.co_sign"],
    [
        "clinician.idle_timeout",
        "clinician.mfa_required",
        "clinician.emergency_access",
        "clinician.import",
        "clinician.co_sign",
    ],
    [
        "front_desk.idle_timeout",
        "front_desk.mfa_required",
        "front_desk.emergency_access",
        "front_desk.import",
        "front_desk.co_sign",
    ],
    ["auditor.idle_timeout", "auditor.mfa_required", "auditor.emergency_access", "auditor.import", "auditor.co_sign"],
];

/// The names of the settings that differ, for the audit entry (names only, never values).
fn changed_fields(old: &AccessSettings, new: &AccessSettings) -> Vec<&'static str> {
    let mut fields = Vec::new();
    for new_policy in &new.role_policies {
        let Some(old_policy) = old.role_policies.iter().find(|policy| policy.role == new_policy.role) else {
            continue;
        };
        let names = &POLICY_FIELD_NAMES[Role::ALL.iter().position(|role| *role == new_policy.role).unwrap_or(0)];
        let differences: [bool; POLICY_FIELDS] = [
            old_policy.idle_timeout_minutes != new_policy.idle_timeout_minutes,
            old_policy.mfa_required != new_policy.mfa_required,
            old_policy.emergency_access_allowed != new_policy.emergency_access_allowed,
            old_policy.import_allowed != new_policy.import_allowed,
            old_policy.co_sign_allowed != new_policy.co_sign_allowed,
        ];
        fields.extend(names.iter().zip(differences).filter(|(_, differs)| *differs).map(|(name, _)| *name));
    }
    if old.emergency_access_minutes != new.emergency_access_minutes {
        fields.push("emergency_access_minutes");
    }
    fields
}

impl Session {
    pub fn access_settings(&mut self) -> ClinicResult<AccessSettings> {
        let authorized = self.authorize(Permission::ManageSettings, AuditAction::SettingsViewed)?;
        store::access_settings(authorized.connection())
    }

    pub fn update_access_settings(&mut self, settings: &AccessSettings) -> ClinicResult<AccessSettings> {
        let mut authorized = self.authorize(Permission::ManageSettings, AuditAction::SettingsChanged)?;
        check(settings)?;
        let old = store::access_settings(authorized.connection())?;
        let fields = changed_fields(&old, settings);
        if fields.is_empty() {
            return Ok(old);
        }
        let change = authorized.begin_change()?;
        store::save_access_settings(change.connection(), settings)?;
        change.commit(
            &AuditEvent::success(AuditAction::SettingsChanged)
                .category("practice_settings")
                .detail("changed", Detail::Fields(fields)),
        )?;
        store::access_settings(authorized.connection())
    }

    /// How the practice writes dates (day or month first), for reading typed dates.
    pub fn date_order(&mut self) -> ClinicResult<DateOrder> {
        let authorized = self.authorize(Permission::OwnAccount, AuditAction::SettingsViewed)?;
        crate::patients::date_order_of(authorized.connection())
    }

    pub fn set_date_order(&mut self, order: DateOrder) -> ClinicResult<()> {
        let mut authorized = self.authorize(Permission::ManageSettings, AuditAction::SettingsChanged)?;
        let change = authorized.begin_change()?;
        store::set_date_order(change.connection(), order.as_str())?;
        change.commit(
            &AuditEvent::success(AuditAction::SettingsChanged)
                .category("practice_settings")
                .detail("changed", Detail::Fields(vec!["date_order"])),
        )?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings() -> AccessSettings {
        AccessSettings {
            role_policies: Role::ALL
                .iter()
                .map(|role| RolePolicy {
                    role: *role,
                    idle_timeout_minutes: 10,
                    mfa_required: false,
                    emergency_access_allowed: false,
                    import_allowed: false,
                    co_sign_allowed: false,
                })
                .collect(),
            emergency_access_minutes: 60,
        }
    }

    #[test]
    fn every_setting_of_every_role_is_noticed_when_it_changes() {
        let old = settings();
        for (index, role) in Role::ALL.iter().enumerate() {
            let change = |adjust: fn(&mut RolePolicy)| {
                let mut new = old.clone();
                adjust(&mut new.role_policies[index]);
                changed_fields(&old, &new)
            };
            assert_eq!(change(|policy| policy.idle_timeout_minutes = 5), [POLICY_FIELD_NAMES[index][0]]);
            assert_eq!(change(|policy| policy.mfa_required = true), [POLICY_FIELD_NAMES[index][1]]);
            assert_eq!(change(|policy| policy.emergency_access_allowed = true), [POLICY_FIELD_NAMES[index][2]]);
            assert_eq!(change(|policy| policy.import_allowed = true), [POLICY_FIELD_NAMES[index][3]]);
            assert_eq!(change(|policy| policy.co_sign_allowed = true), [POLICY_FIELD_NAMES[index][4]]);
            assert!(POLICY_FIELD_NAMES[index][0].starts_with(role.as_str()));
        }
    }
}
