//! The audit trail's integrity as the Owner and the Auditor see it: the latest check of the
//! chain (at unlock, since the anchor; or a full verification), and the integrity alerts raised
//! when the chain disagrees with its anchor or fails verification. Alerts stay until one of them
//! acknowledges it with a comment; the row, and the audit entries, remain.

use rusqlite::Connection;
use serde::Serialize;

use crate::audit::alert_store;
use crate::audit::{
    self, AuditAction, AuditEvent, ChainVerification, CheckScope, Detail, IntegrityAlertCode, IntegrityAlertKind,
    Outcome, UnlockCheck,
};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::{Permission, is_allowed};
use crate::session::{AuditedChange, Session};

const ACKNOWLEDGEMENT_MAX_CHARS: usize = 1000;

/// The latest check of the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChainCheck {
    pub checked_at: String,
    pub scope: CheckScope,
    pub verified_through: Option<i64>,
    pub intact: bool,
}

/// An integrity alert not yet acknowledged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntegrityAlert {
    pub id: String,
    pub detected_at: String,
    pub kind: IntegrityAlertCode,
    pub seq: Option<i64>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IntegrityStatus {
    pub last_check: Option<ChainCheck>,
    pub open_alerts: Vec<IntegrityAlert>,
    /// The chain's last entry now.
    pub head_seq: Option<i64>,
}

/// Records a check inside `change`: the status row, and an alert with its audit entry for each
/// reason the chain cannot be trusted.
pub(crate) fn record_check(change: &mut AuditedChange<'_>, check: &UnlockCheck, now: &str) -> ClinicResult<()> {
    alert_store::save_check(change.connection(), now, check)?;
    for alert in &check.alerts {
        raise_alert(change, *alert, Some(check.scope), now)?;
    }
    Ok(())
}

/// Raises an integrity alert inside `change`, with its audit entry. An alert already open for
/// the same fault is not raised twice.
pub(crate) fn raise_alert(
    change: &mut AuditedChange<'_>,
    alert: IntegrityAlertKind,
    scope: Option<CheckScope>,
    now: &str,
) -> ClinicResult<()> {
    if alert.repeats_when_open() && alert_store::is_open(change.connection(), alert)? {
        return Ok(());
    }
    let id = uuid::Uuid::new_v4().to_string();
    alert_store::insert(change.connection(), &id, now, alert)?;
    let mut event = AuditEvent::new(AuditAction::AuditIntegrityAlert, Outcome::Failed)
        .object("audit_integrity_alert", &id)
        .category("audit_trail")
        .reason(alert.code());
    if let Some(scope) = scope {
        event = event.detail("scope", Detail::Code(scope.as_str()));
    }
    if let Some(seq) = alert.seq() {
        event = event.detail("entry", Detail::Identifier(seq.to_string()));
    }
    change.also_record(&event)?;
    tracing::error!(kind = alert.code(), "an integrity alert was raised");
    Ok(())
}

/// The chain's status in one line, for the head of printed reports.
pub(crate) fn chain_status_line(connection: &Connection, wall_clock: crate::clock::WallClock) -> ClinicResult<String> {
    let alerts = alert_store::open_alerts(connection)?;
    if let Some(first) = alerts.first() {
        return Ok(format!("INTEGRITY ALERT ({} open): {}", alerts.len(), first.description));
    }
    Ok(match alert_store::last_check(connection)? {
        Some(ChainCheck { intact: true, verified_through: Some(seq), checked_at, scope }) => {
            let how = match scope {
                CheckScope::Full => "full verification",
                CheckScope::SinceAnchor | CheckScope::WholeChain => "checked at sign-in",
            };
            format!("Chain verified up to entry {seq} at {} ({how})", wall_clock.show(&checked_at))
        }
        Some(ChainCheck { intact: true, verified_through: None, .. }) => "The audit trail is empty.".to_owned(),
        Some(ChainCheck { intact: false, .. }) => "The last verification found a fault.".to_owned(),
        None => "Not verified yet.".to_owned(),
    })
}

impl Session {
    /// The status line of the audit view: the latest check and the open alerts.
    pub fn audit_integrity_status(&mut self) -> ClinicResult<IntegrityStatus> {
        let authorized = self.authorize(Permission::ViewAudit, AuditAction::View)?;
        Ok(IntegrityStatus {
            last_check: alert_store::last_check(authorized.connection())?,
            open_alerts: alert_store::open_alerts(authorized.connection())?,
            head_seq: audit::chain_head(authorized.connection())?.map(|head| head.seq),
        })
    }

    /// How many integrity alerts wait for this user, for a banner on the home screen: only the
    /// Owner and the Auditor see them, and for anyone else the answer is 0.
    pub fn integrity_alerts_to_show(&mut self) -> ClinicResult<u64> {
        if !is_allowed(&self.user().roles, Permission::ViewAudit) {
            return Ok(0);
        }
        let authorized = self.authorize(Permission::ViewAudit, AuditAction::View)?;
        alert_store::count_open(authorized.connection())
    }

    /// Acknowledges an alert with a comment (what was found, what was done).
    pub fn acknowledge_integrity_alert(&mut self, alert_id: &str, comment: &str) -> ClinicResult<()> {
        let mut authorized = self.authorize(Permission::ViewAudit, AuditAction::AuditIntegrityAlertAcknowledged)?;
        let comment = comment.trim();
        if comment.is_empty() || comment.chars().count() > ACKNOWLEDGEMENT_MAX_CHARS {
            return Err(ClinicError::invalid(
                "comment",
                "Say what was found and what was done (at most 1000 characters).",
            ));
        }
        let user_id = authorized.user().id.clone();
        let now = timestamp(authorized.now());
        let change = authorized.begin_change()?;
        if !alert_store::acknowledge(change.connection(), alert_id, &user_id, &now, comment)? {
            return Err(ClinicError::NotFound("That open integrity alert"));
        }
        change.commit(
            &AuditEvent::success(AuditAction::AuditIntegrityAlertAcknowledged)
                .object("audit_integrity_alert", alert_id)
                .category("audit_trail"),
        )?;
        Ok(())
    }

    /// Verifies the whole audit chain, records that it was verified (and the result), and
    /// raises an alert when it is broken.
    pub fn verify_audit_chain(&mut self) -> ClinicResult<ChainVerification> {
        let mut authorized = self.authorize(Permission::ViewAudit, AuditAction::AuditVerification)?;
        // A second connection verifies half of a long chain on another core; without one, one
        // thread does it all.
        let reader = authorized.vault().reader().ok();
        let verification = audit::verify_chain_in_parallel(authorized.connection(), reader, authorized.audit_key())?;
        let outcome = if verification.is_intact() { Outcome::Success } else { Outcome::Failed };
        let mut event = AuditEvent::new(AuditAction::AuditVerification, outcome).category("audit_trail");
        if let ChainVerification::Broken { seq, .. } = &verification {
            event = event.detail("first_bad_entry", Detail::Identifier(seq.to_string()));
        }
        if let ChainVerification::Intact { entries, .. } = &verification {
            event = event.detail("entries", Detail::Count(*entries));
        }
        let now = timestamp(authorized.now());
        let check = audit::from_verification(CheckScope::Full, verification.clone());
        let mut change = authorized.begin_change()?;
        record_check(&mut change, &check, &now)?;
        change.commit(&event)?;
        Ok(verification)
    }
}
