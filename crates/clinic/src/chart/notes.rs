//! Encounters and their notes: a SOAP note (subjective, objective, assessment, plan) plus free
//! text, drafted by its author (the draft autosaves into the encrypted database and only the
//! author sees it), then signed. What was signed never changes: the database refuses it, and
//! the content hash taken at signing shows it; later corrections are addenda.

use crate::patients::PatientId;
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::store;
use super::store::encounters;
use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::permissions::{Permission, is_allowed};
use crate::session::Session;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum EncounterKind {
    Visit,
    Phone,
    Telehealth,
    Other,
}

impl EncounterKind {
    pub fn as_str(self) -> &'static str {
        self.into()
    }

    pub fn parse(text: &str) -> crate::ClinicResult<EncounterKind> {
        crate::codes::parse_code("kind", text)
    }
}

#[derive(Clone, Default, PartialEq, Eq, Serialize)]
pub struct SoapNote {
    pub subjective: String,
    pub objective: String,
    pub assessment: String,
    pub plan: String,
    pub free_text: String,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Addendum {
    pub id: String,
    pub author_id: String,
    pub author_name: String,
    pub written_at: String,
    pub text: String,
    /// The amendment request this addendum answers, if any.
    pub amendment_request_id: Option<String>,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Encounter {
    pub id: String,
    pub patient_id: PatientId,
    pub author_id: String,
    pub author_name: String,
    pub occurred_at: String,
    pub kind: EncounterKind,
    pub signed: bool,
    pub note: SoapNote,
    pub created_at: String,
    pub updated_at: String,
    pub signed_by: Option<String>,
    pub signed_by_name: Option<String>,
    pub signed_at: Option<String>,
    pub addenda: Vec<Addendum>,
}

redacted!(SoapNote, Addendum, Encounter);

const NOTE_FIELD_MAX: usize = 20_000;

pub(crate) fn checked_note(note: &SoapNote) -> ClinicResult<SoapNote> {
    let fields = [
        ("subjective", &note.subjective),
        ("objective", &note.objective),
        ("assessment", &note.assessment),
        ("plan", &note.plan),
        ("free_text", &note.free_text),
    ];
    for (field, text) in fields {
        if text.chars().count() > NOTE_FIELD_MAX {
            return Err(ClinicError::invalid(
                field,
                format!("This part of the note can be at most {NOTE_FIELD_MAX} characters."),
            ));
        }
    }
    Ok(note.clone())
}

/// When an encounter took place, as the clinician chose it (RFC 3339), or now when not chosen.
pub(crate) fn checked_occurred_at(text: &str, now: time::OffsetDateTime) -> ClinicResult<String> {
    match text.trim() {
        "" => Ok(timestamp(now)),
        text => time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
            .map(timestamp)
            .map_err(|_| ClinicError::invalid("occurred_at", "Choose the date and time of the encounter.")),
    }
}

pub(crate) fn checked_addendum(text: &str) -> ClinicResult<String> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > NOTE_FIELD_MAX {
        return Err(ClinicError::invalid("text", format!("Write the addendum (at most {NOTE_FIELD_MAX} characters).")));
    }
    Ok(text.to_owned())
}

/// The hash a signature covers: the note's content, the signer and the time, length-prefixed.
pub(crate) fn content_hash(encounter: &Encounter, signer: &str, signed_at: &str) -> Vec<u8> {
    let mut hash = Sha256::new();
    let note = &encounter.note;
    for part in [
        encounter.id.as_str(),
        encounter.patient_id.as_str(),
        encounter.occurred_at.as_str(),
        encounter.kind.as_str(),
        &note.subjective,
        &note.objective,
        &note.assessment,
        &note.plan,
        &note.free_text,
        signer,
        signed_at,
    ] {
        hash.update((part.len() as u64).to_be_bytes());
        hash.update(part.as_bytes());
    }
    hash.finalize().to_vec()
}

fn note_event(action: AuditAction, encounter: &Encounter) -> AuditEvent {
    AuditEvent::success(action)
        .patient(&encounter.patient_id)
        .object("encounter", &encounter.id)
        .category("encounter_note")
}

impl Session {
    /// Starts an encounter with an empty draft note, for the signed-in clinician.
    pub fn start_encounter(
        &mut self,
        patient_id: &PatientId,
        kind: EncounterKind,
        occurred_at: &str,
    ) -> ClinicResult<Encounter> {
        let mut authorized = self.authorize_for_patient(Permission::WriteChart, patient_id, AuditAction::Create)?;
        super::chartable_patient(authorized.connection(), patient_id)?;
        let occurred_at = checked_occurred_at(occurred_at, authorized.now())?;
        let id = uuid::Uuid::new_v4().to_string();
        let author = authorized.user().id.clone();
        let now = timestamp(authorized.now());
        let change = authorized.begin_change()?;
        encounters::insert_draft(change.connection(), &id, patient_id, &author, &occurred_at, kind, &now)?;
        let encounter = store::encounter_by_id(change.connection(), &id)?
            .ok_or(ClinicError::Internal("The encounter was not saved."))?;
        change.commit(
            &note_event(AuditAction::Create, &encounter).reason("draft").detail("kind", Detail::Code(kind.as_str())),
        )?;
        Ok(encounter)
    }

    /// A draft the signed-in user wrote, for changing.
    fn own_draft(&mut self, encounter_id: &str, attempted: AuditAction) -> ClinicResult<Encounter> {
        let patient_id = self.encounter_patient(encounter_id, Permission::WriteChart, attempted)?;
        let authorized = self.authorize_for_patient(Permission::WriteChart, &patient_id, attempted)?;
        let encounter = store::encounter_by_id(authorized.connection(), encounter_id)?
            .ok_or(ClinicError::NotFound("That encounter"))?;
        if encounter.signed {
            return Err(ClinicError::invalid(
                "note",
                "This note is signed and can no longer change. Add an addendum instead.",
            ));
        }
        if encounter.author_id != authorized.user().id {
            // Someone else's draft is theirs alone: as if it were not there.
            return Err(ClinicError::NotFound("That encounter"));
        }
        Ok(encounter)
    }

    /// The patient an encounter belongs to, to know which patient's permission to check. An
    /// unknown encounter is "not found" only to someone who holds `permission` at all; anyone
    /// else is refused (and the refusal recorded), so ids cannot be probed.
    fn encounter_patient(
        &mut self,
        encounter_id: &str,
        permission: Permission,
        attempted: AuditAction,
    ) -> ClinicResult<PatientId> {
        let found: Option<PatientId> = {
            let authorized = self.authorize(Permission::OwnAccount, AuditAction::View)?;
            encounters::patient_of(authorized.connection(), encounter_id)?
        };
        match found {
            Some(patient_id) => Ok(patient_id),
            None => {
                self.authorize(permission, attempted)?;
                Err(ClinicError::NotFound("That encounter"))
            }
        }
    }

    /// Saves the draft as it stands (the UI autosaves while the clinician types).
    pub fn save_draft_note(
        &mut self,
        encounter_id: &str,
        kind: EncounterKind,
        note: &SoapNote,
    ) -> ClinicResult<Encounter> {
        let draft = self.own_draft(encounter_id, AuditAction::Update)?;
        let note = checked_note(note)?;
        let mut authorized =
            self.authorize_for_patient(Permission::WriteChart, &draft.patient_id, AuditAction::Update)?;
        let now = timestamp(authorized.now());
        let change = authorized.begin_change()?;
        encounters::save_draft(change.connection(), encounter_id, kind, &note, &now)?;
        let saved = store::encounter_by_id(change.connection(), encounter_id)?
            .ok_or(ClinicError::NotFound("That encounter"))?;
        change.commit(&note_event(AuditAction::Update, &saved).reason("draft_saved"))?;
        Ok(saved)
    }

    /// Throws a draft away (its author only); signed notes are never removed.
    pub fn discard_draft_note(&mut self, encounter_id: &str) -> ClinicResult<()> {
        let draft = self.own_draft(encounter_id, AuditAction::EnteredInError)?;
        let mut authorized =
            self.authorize_for_patient(Permission::WriteChart, &draft.patient_id, AuditAction::EnteredInError)?;
        let change = authorized.begin_change()?;
        encounters::delete_draft(change.connection(), encounter_id)?;
        change.commit(&note_event(AuditAction::EnteredInError, &draft).reason("draft_discarded"))?;
        Ok(())
    }

    /// Signs a note: its author, with the Clinician role; or, where the Owner allows co-signing
    /// for their role, another clinician. From then on nothing of it changes.
    pub fn sign_note(&mut self, encounter_id: &str) -> ClinicResult<Encounter> {
        let patient_id = self.encounter_patient(encounter_id, Permission::SignNotes, AuditAction::Update)?;
        let mut authorized = self.authorize_for_patient(Permission::SignNotes, &patient_id, AuditAction::Update)?;
        let encounter = store::encounter_by_id(authorized.connection(), encounter_id)?
            .ok_or(ClinicError::NotFound("That encounter"))?;
        if encounter.signed {
            return Err(ClinicError::invalid("note", "This note is signed already."));
        }
        let signer = authorized.user().id.clone();
        if encounter.author_id != signer {
            let roles = authorized.user().roles.clone();
            let settings = crate::store::access_settings(authorized.connection())?;
            let may_co_sign = is_allowed(&roles, Permission::SignNotes)
                && settings.role_policies.iter().any(|policy| roles.contains(&policy.role) && policy.co_sign_allowed);
            if !may_co_sign {
                return Err(ClinicError::NotFound("That encounter"));
            }
        }
        if encounter.note == SoapNote::default() {
            return Err(ClinicError::invalid("note", "Write the note before signing it."));
        }
        let signed_at = timestamp(authorized.now());
        let hash = content_hash(&encounter, &signer, &signed_at);
        let change = authorized.begin_change()?;
        encounters::sign(change.connection(), encounter_id, &signer, &signed_at, &hash)?;
        let signed = store::encounter_by_id(change.connection(), encounter_id)?
            .ok_or(ClinicError::NotFound("That encounter"))?;
        let co_signed = encounter.author_id != signer;
        change.commit(&note_event(AuditAction::Update, &signed).reason(if co_signed {
            "co_signed"
        } else {
            "signed"
        }))?;
        Ok(signed)
    }

    /// Adds an addendum under a signed note, with its own author and time.
    pub fn add_addendum(&mut self, encounter_id: &str, text: &str) -> ClinicResult<Encounter> {
        let patient_id = self.encounter_patient(encounter_id, Permission::WriteChart, AuditAction::Create)?;
        let mut authorized = self.authorize_for_patient(Permission::WriteChart, &patient_id, AuditAction::Create)?;
        let encounter = store::encounter_by_id(authorized.connection(), encounter_id)?
            .ok_or(ClinicError::NotFound("That encounter"))?;
        if !encounter.signed {
            return Err(ClinicError::invalid("text", "A draft is still open: change the note itself."));
        }
        let text = checked_addendum(text)?;
        let id = uuid::Uuid::new_v4().to_string();
        let author = authorized.user().id.clone();
        let now = timestamp(authorized.now());
        let change = authorized.begin_change()?;
        store::insert_addendum(change.connection(), &id, encounter_id, &author, &now, &text, None)?;
        let updated = store::encounter_by_id(change.connection(), encounter_id)?
            .ok_or(ClinicError::NotFound("That encounter"))?;
        change.commit(
            &AuditEvent::success(AuditAction::Create)
                .patient(&patient_id)
                .object("encounter_addendum", &id)
                .category("encounter_note")
                .detail("encounter", Detail::Identifier(encounter_id.to_owned())),
        )?;
        Ok(updated)
    }

    /// One encounter with its addenda (a draft only for its author).
    pub fn encounter(&mut self, encounter_id: &str) -> ClinicResult<Encounter> {
        let patient_id = self.encounter_patient(encounter_id, Permission::ReadChart, AuditAction::View)?;
        let mut authorized = self.authorize_for_patient(Permission::ReadChart, &patient_id, AuditAction::View)?;
        let encounter = store::encounter_by_id(authorized.connection(), encounter_id)?
            .ok_or(ClinicError::NotFound("That encounter"))?;
        if !encounter.signed && encounter.author_id != authorized.user().id {
            return Err(ClinicError::NotFound("That encounter"));
        }
        authorized.record(&note_event(AuditAction::View, &encounter))?;
        Ok(encounter)
    }
}

/// Checks that a signed note still has the content it was signed with.
pub fn signed_content_is_intact(connection: &rusqlite::Connection, encounter_id: &str) -> ClinicResult<bool> {
    let Some(encounter) = store::encounter_by_id(connection, encounter_id)? else { return Ok(false) };
    let stored = encounters::content_hash(connection, encounter_id)?;
    match (&encounter.signed_by, &encounter.signed_at, stored) {
        (Some(signer), Some(signed_at), Some(stored)) => Ok(content_hash(&encounter, signer, signed_at) == stored),
        _ => Ok(false),
    }
}
