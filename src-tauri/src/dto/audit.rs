//! The audit view's shapes at the boundary: the filter and sort the UI sends, the pages, the
//! integrity status and verification it receives. Sequence numbers cross as plain numbers.

use chartkeep_clinic::audit::query::{AuditFilter, AuditRow, AuditSort, AuditSortColumn};
use chartkeep_clinic::audit::{AuditAction, ChainVerification, CheckScope, Outcome};
use chartkeep_clinic::patients::PatientId;
use chartkeep_clinic::{AuditPage, ChainCheck, IntegrityAlert, IntegrityStatus, StaffChoice};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::CommandError;

#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditFilterView {
    /// From this instant (inclusive), RFC 3339.
    pub from: Option<String>,
    /// Until this instant (exclusive), RFC 3339.
    pub to: Option<String>,
    pub user_id: Option<String>,
    pub patient_id: Option<String>,
    /// An action code from `audit_action_choices`.
    pub action: Option<String>,
    pub outcome: Option<OutcomeView>,
    pub emergency_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(rename = "AuditOutcome")]
pub enum OutcomeView {
    Success,
    Denied,
    Failed,
}

impl TryFrom<AuditFilterView> for AuditFilter {
    type Error = CommandError;

    fn try_from(view: AuditFilterView) -> Result<Self, CommandError> {
        let action = match view.action.as_deref().filter(|code| !code.is_empty()) {
            Some(code) => Some(
                AuditAction::parse(code)
                    .ok_or_else(|| CommandError::invalid("action", "Choose an action from the list."))?,
            ),
            None => None,
        };
        let blank_to_none = |text: Option<String>| text.filter(|text| !text.trim().is_empty());
        Ok(AuditFilter {
            from: blank_to_none(view.from),
            to: blank_to_none(view.to),
            user_id: blank_to_none(view.user_id),
            patient_id: blank_to_none(view.patient_id).map(PatientId::new),
            action,
            outcome: view.outcome.map(|outcome| match outcome {
                OutcomeView::Success => Outcome::Success,
                OutcomeView::Denied => Outcome::Denied,
                OutcomeView::Failed => Outcome::Failed,
            }),
            emergency_only: view.emergency_only,
        })
    }
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AuditSortColumnView {
    Entry,
    Time,
    User,
    Action,
    Patient,
    Category,
    Outcome,
    Emergency,
}

#[derive(Debug, Clone, Copy, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditSortView {
    pub column: AuditSortColumnView,
    pub descending: bool,
}

impl From<AuditSortView> for AuditSort {
    fn from(view: AuditSortView) -> Self {
        let column = match view.column {
            AuditSortColumnView::Entry => AuditSortColumn::Entry,
            AuditSortColumnView::Time => AuditSortColumn::Time,
            AuditSortColumnView::User => AuditSortColumn::User,
            AuditSortColumnView::Action => AuditSortColumn::Action,
            AuditSortColumnView::Patient => AuditSortColumn::Patient,
            AuditSortColumnView::Category => AuditSortColumn::Category,
            AuditSortColumnView::Outcome => AuditSortColumn::Outcome,
            AuditSortColumnView::Emergency => AuditSortColumn::Emergency,
        };
        AuditSort { column, descending: view.descending }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditRowView {
    #[ts(type = "number")]
    pub seq: i64,
    pub occurred_at: String,
    pub user_id: Option<String>,
    pub username: Option<String>,
    pub roles: String,
    pub workstation_id: String,
    pub action: String,
    /// The action in words, e.g. "Emergency access started".
    pub action_label: String,
    pub patient_id: Option<String>,
    /// "Family, Given (MRN 1000009)", when the entry is about a patient with a record.
    pub patient_label: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub data_category: Option<String>,
    /// Written by the core from its `Outcome`, so always one of these.
    #[ts(as = "OutcomeView")]
    pub outcome: String,
    pub reason: Option<String>,
    pub emergency_access: bool,
    /// JSON of field names, counts, codes and identifiers.
    pub details: String,
}

impl From<AuditRow> for AuditRowView {
    fn from(row: AuditRow) -> Self {
        AuditRowView {
            action_label: AuditAction::label_of(&row.action),
            seq: row.seq,
            occurred_at: row.occurred_at,
            user_id: row.user_id,
            username: row.username,
            roles: row.roles,
            workstation_id: row.workstation_id,
            action: row.action,
            patient_id: row.patient_id,
            patient_label: row.patient_label,
            object_type: row.object_type,
            object_id: row.object_id,
            data_category: row.data_category,
            outcome: row.outcome,
            reason: row.reason,
            emergency_access: row.emergency_access,
            details: row.details,
        }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AuditPageView {
    pub rows: Vec<AuditRowView>,
    #[ts(type = "number")]
    pub total: u64,
    pub total_is_capped: bool,
}

impl From<AuditPage> for AuditPageView {
    fn from(page: AuditPage) -> Self {
        AuditPageView {
            rows: page.rows.into_iter().map(AuditRowView::from).collect(),
            total: page.total,
            total_is_capped: page.total_is_capped,
        }
    }
}

/// A choice in a filter's list: a code and its words.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ChoiceView {
    pub code: String,
    pub label: String,
}

pub fn audit_action_choices() -> Vec<ChoiceView> {
    AuditAction::ALL
        .iter()
        .map(|action| ChoiceView { code: action.as_str().to_owned(), label: action.label() })
        .collect()
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct StaffChoiceView {
    pub id: String,
    pub username: String,
    pub full_name: String,
    pub active: bool,
}

impl From<StaffChoice> for StaffChoiceView {
    fn from(choice: StaffChoice) -> Self {
        StaffChoiceView { id: choice.id, username: choice.username, full_name: choice.full_name, active: choice.active }
    }
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ChainCheckView {
    pub checked_at: String,
    pub scope: CheckScope,
    #[ts(type = "number | null")]
    pub verified_through: Option<i64>,
    pub intact: bool,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IntegrityAlertView {
    pub id: String,
    pub detected_at: String,
    pub kind: chartkeep_clinic::audit::IntegrityAlertCode,
    #[ts(type = "number | null")]
    pub seq: Option<i64>,
    pub description: String,
}

#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct IntegrityStatusView {
    pub last_check: Option<ChainCheckView>,
    pub open_alerts: Vec<IntegrityAlertView>,
    #[ts(type = "number | null")]
    pub head_seq: Option<i64>,
}

impl From<IntegrityStatus> for IntegrityStatusView {
    fn from(status: IntegrityStatus) -> Self {
        IntegrityStatusView {
            last_check: status.last_check.map(|ChainCheck { checked_at, scope, verified_through, intact }| {
                ChainCheckView { checked_at, scope, verified_through, intact }
            }),
            open_alerts: status
                .open_alerts
                .into_iter()
                .map(|IntegrityAlert { id, detected_at, kind, seq, description }| IntegrityAlertView {
                    id,
                    detected_at,
                    kind,
                    seq,
                    description,
                })
                .collect(),
            head_seq: status.head_seq,
        }
    }
}

/// The result of "Verify integrity": whether the whole chain verified, and if not, the first
/// bad entry and what is wrong with it, in words.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct VerificationView {
    pub intact: bool,
    #[ts(type = "number")]
    pub entries: u64,
    #[ts(type = "number | null")]
    pub first_bad_entry: Option<i64>,
    pub description: String,
}

impl From<ChainVerification> for VerificationView {
    fn from(verification: ChainVerification) -> Self {
        let description = verification.describe();
        match verification {
            ChainVerification::Intact { entries, .. } => {
                VerificationView { intact: true, entries, first_bad_entry: None, description }
            }
            ChainVerification::Broken { seq, .. } => {
                VerificationView { intact: false, entries: 0, first_bad_entry: Some(seq), description }
            }
        }
    }
}
