//! Appointments and check-in, the front desk's day: each clinician's day (booked, checked in,
//! in progress, completed, no-show, cancelled), booking with a warning when a clinician's
//! bookings overlap, rescheduling, cancelling, check-in and walk-ins. Clinicians are users who
//! hold the Clinician role.

use crate::patients::PatientId;
use rusqlite::Connection;
use serde::Serialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::audit::{AuditAction, AuditEvent, Detail};
use crate::clock::timestamp;
use crate::error::{ClinicError, ClinicResult};
use crate::patients::store as patient_store;
use crate::permissions::Permission;
use crate::roles::Role;
use crate::session::{Authorized, Session};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, strum::IntoStaticStr, strum::EnumString)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum AppointmentStatus {
    Booked,
    CheckedIn,
    InProgress,
    Completed,
    NoShow,
    Cancelled,
}

impl AppointmentStatus {
    pub const ALL: [AppointmentStatus; 6] = [
        AppointmentStatus::Booked,
        AppointmentStatus::CheckedIn,
        AppointmentStatus::InProgress,
        AppointmentStatus::Completed,
        AppointmentStatus::NoShow,
        AppointmentStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        self.into()
    }

    /// Where an appointment may go from here.
    fn may_become(self, next: AppointmentStatus) -> bool {
        use AppointmentStatus::*;
        matches!(
            (self, next),
            (Booked, CheckedIn | NoShow | Cancelled)
                | (CheckedIn, InProgress | Completed | Cancelled | Booked)
                | (InProgress, Completed)
                | (NoShow, Booked)
        )
    }

    /// Whether the appointment still holds its time in the clinician's day.
    fn holds_time(self) -> bool {
        !matches!(self, AppointmentStatus::Cancelled | AppointmentStatus::NoShow)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewAppointment {
    pub patient_id: PatientId,
    pub clinician_id: String,
    /// RFC 3339.
    pub starts_at: String,
    pub minutes: u32,
    /// Why the patient comes (may be clinical): kept in the encrypted database only.
    pub reason: String,
}

#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct Appointment {
    pub id: String,
    pub patient_id: PatientId,
    pub patient_mrn: String,
    pub patient_name: String,
    pub patient_date_of_birth: String,
    pub clinician_id: String,
    pub clinician_name: String,
    pub starts_at: String,
    pub minutes: u32,
    pub reason: String,
    pub walk_in: bool,
    pub status: AppointmentStatus,
    pub status_changed_at: String,
}

impl std::fmt::Debug for Appointment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Appointment").field("id", &self.id).field("status", &self.status).finish_non_exhaustive()
    }
}

/// One clinician's part of a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ClinicianDay {
    pub clinician_id: String,
    pub clinician_name: String,
    pub appointments: Vec<Appointment>,
}

mod store;

use store::by_id;

fn instant(field: &'static str, text: &str) -> ClinicResult<OffsetDateTime> {
    OffsetDateTime::parse(text.trim(), &Rfc3339)
        .map_err(|_| ClinicError::invalid(field, "Choose a day and a time for the appointment."))
}

fn checked_minutes(minutes: u32) -> ClinicResult<u32> {
    if !(5..=480).contains(&minutes) {
        return Err(ClinicError::invalid("minutes", "An appointment lasts 5 minutes to 8 hours."));
    }
    Ok(minutes)
}

/// The clinician must be an active user holding the Clinician role.
fn clinician_name(connection: &Connection, clinician_id: &str) -> ClinicResult<String> {
    match crate::store::user_by_id(connection, clinician_id)? {
        Some(user) if user.active && user.roles.contains(&Role::Clinician) => Ok(user.full_name),
        _ => Err(ClinicError::invalid("clinician", "Choose a clinician from the list.")),
    }
}

/// The patient must have a record of their own (not entered in error, not merged away).
fn bookable_patient(connection: &Connection, patient_id: &PatientId) -> ClinicResult<()> {
    match patient_store::by_id(connection, patient_id)? {
        Some(row) if !row.entered_in_error && row.merged_into.is_none() => Ok(()),
        Some(row) if row.merged_into.is_some() => {
            Err(ClinicError::invalid("patient", "This record was merged into another; book on that one."))
        }
        _ => Err(ClinicError::NotFound("That patient")),
    }
}

/// The clinician's appointments that still hold time between `starts` and `starts + minutes`,
/// leaving out `itself`.
fn overlapping(
    connection: &Connection,
    clinician_id: &str,
    starts: OffsetDateTime,
    minutes: u32,
    itself: Option<&str>,
) -> ClinicResult<Vec<Appointment>> {
    let ends = starts + time::Duration::minutes(i64::from(minutes));
    let earliest = timestamp(starts - time::Duration::minutes(480));
    let candidates = store::of_clinician_starting_between(connection, clinician_id, &earliest, &timestamp(ends))?;
    Ok(candidates
        .into_iter()
        .filter(|other| Some(other.id.as_str()) != itself && other.status.holds_time())
        .filter(|other| {
            let Ok(other_starts) = OffsetDateTime::parse(&other.starts_at, &Rfc3339) else { return false };
            other_starts < ends && starts < other_starts + time::Duration::minutes(i64::from(other.minutes))
        })
        .collect())
}

/// The warning names no times: the core stores instants in UTC and does not know the clock the
/// reader goes by; the day view beside the dialog shows the clashing bookings.
fn overlap_warning(clinician: &str, clashes: &[Appointment]) -> ClinicError {
    let bookings = match clashes.len() {
        1 => "a booking".to_owned(),
        count => format!("{count} bookings"),
    };
    ClinicError::NeedsConfirmation {
        field: "starts_at",
        message: format!("{clinician} already has {bookings} overlapping this time. Book anyway?"),
    }
}

fn appointment_event(action: AuditAction, appointment: &Appointment) -> AuditEvent {
    AuditEvent::success(action)
        .patient(&appointment.patient_id)
        .object("appointment", &appointment.id)
        .category("appointments")
}

fn authorize_desk(session: &mut Session, attempted: AuditAction) -> ClinicResult<Authorized<'_>> {
    session.authorize(Permission::ManageAppointments, attempted)
}

impl Session {
    /// The active clinicians, to book with.
    pub fn clinicians(&mut self) -> ClinicResult<Vec<crate::StaffChoice>> {
        let authorized = authorize_desk(self, AuditAction::View)?;
        Ok(crate::store::all_users(authorized.connection())?
            .into_iter()
            .filter(|user| user.active && user.roles.contains(&Role::Clinician))
            .map(|user| crate::StaffChoice {
                id: user.id,
                username: user.username,
                full_name: user.full_name,
                active: true,
            })
            .collect())
    }

    /// Each clinician's appointments between two instants (a day in the practice's time zone).
    pub fn day_schedule(&mut self, from: &str, to: &str) -> ClinicResult<Vec<ClinicianDay>> {
        let mut authorized = authorize_desk(self, AuditAction::View)?;
        let (from, to) = (timestamp(instant("from", from)?), timestamp(instant("to", to)?));
        let appointments = store::starting_between(authorized.connection(), &from, &to)?;
        let mut days: Vec<ClinicianDay> = Vec::new();
        for user in crate::store::all_users(authorized.connection())? {
            if user.active && user.roles.contains(&Role::Clinician) {
                days.push(ClinicianDay {
                    clinician_id: user.id,
                    clinician_name: user.full_name,
                    appointments: Vec::new(),
                });
            }
        }
        for appointment in appointments {
            match days.iter_mut().find(|day| day.clinician_id == appointment.clinician_id) {
                Some(day) => day.appointments.push(appointment),
                None => days.push(ClinicianDay {
                    clinician_id: appointment.clinician_id.clone(),
                    clinician_name: appointment.clinician_name.clone(),
                    appointments: vec![appointment],
                }),
            }
        }
        let count: usize = days.iter().map(|day| day.appointments.len()).sum();
        authorized.record(
            &AuditEvent::success(AuditAction::View)
                .category("appointments")
                .detail("count", Detail::Count(count as u64)),
        )?;
        Ok(days)
    }

    /// Books an appointment. An overlap with another booking of the same clinician needs
    /// `accept_overlap`; otherwise nothing is saved and the answer says what clashes.
    pub fn book_appointment(&mut self, new: &NewAppointment, accept_overlap: bool) -> ClinicResult<Appointment> {
        self.add_appointment(new, accept_overlap, false)
    }

    /// A walk-in: an appointment from now, already checked in.
    pub fn register_walk_in(
        &mut self,
        patient_id: &PatientId,
        clinician_id: &str,
        minutes: u32,
        reason: &str,
    ) -> ClinicResult<Appointment> {
        let starts_at = timestamp(self.clock().now());
        let new = NewAppointment {
            patient_id: patient_id.to_owned(),
            clinician_id: clinician_id.to_owned(),
            starts_at,
            minutes,
            reason: reason.to_owned(),
        };
        self.add_appointment(&new, true, true)
    }

    fn add_appointment(
        &mut self,
        new: &NewAppointment,
        accept_overlap: bool,
        walk_in: bool,
    ) -> ClinicResult<Appointment> {
        let mut authorized = authorize_desk(self, AuditAction::Create)?;
        let starts = instant("starts_at", &new.starts_at)?;
        let minutes = checked_minutes(new.minutes)?;
        let reason = new.reason.trim();
        if reason.chars().count() > 500 {
            return Err(ClinicError::invalid("reason", "The reason can be at most 500 characters."));
        }
        let clinician = clinician_name(authorized.connection(), &new.clinician_id)?;
        bookable_patient(authorized.connection(), &new.patient_id)?;
        let clashes = overlapping(authorized.connection(), &new.clinician_id, starts, minutes, None)?;
        if !clashes.is_empty() && !accept_overlap {
            return Err(overlap_warning(&clinician, &clashes));
        }
        let id = uuid::Uuid::new_v4().to_string();
        let now = timestamp(authorized.now());
        let status = if walk_in { AppointmentStatus::CheckedIn } else { AppointmentStatus::Booked };
        let user_id = authorized.user().id.clone();
        let change = authorized.begin_change()?;
        let row = store::NewRow {
            id: &id,
            patient_id: &new.patient_id,
            clinician_id: &new.clinician_id,
            starts_at: &timestamp(starts),
            minutes,
            reason,
            walk_in,
            status,
            created_by: &user_id,
            created_at: &now,
        };
        store::insert(change.connection(), &row)?;
        let appointment = by_id(change.connection(), &id)?;
        change.commit(
            &appointment_event(AuditAction::Create, &appointment)
                .reason(if walk_in { "walk_in" } else { "booked" })
                .detail("overlap_accepted", Detail::Flag(!clashes.is_empty())),
        )?;
        Ok(appointment)
    }

    /// Moves a booked appointment to another time, length or clinician.
    pub fn reschedule_appointment(
        &mut self,
        appointment_id: &str,
        starts_at: &str,
        minutes: u32,
        clinician_id: &str,
        accept_overlap: bool,
    ) -> ClinicResult<Appointment> {
        let mut authorized = authorize_desk(self, AuditAction::Update)?;
        let current = by_id(authorized.connection(), appointment_id)?;
        if current.status != AppointmentStatus::Booked {
            return Err(ClinicError::invalid("status", "Only a booked appointment can be moved."));
        }
        let starts = instant("starts_at", starts_at)?;
        let minutes = checked_minutes(minutes)?;
        let clinician = clinician_name(authorized.connection(), clinician_id)?;
        let clashes = overlapping(authorized.connection(), clinician_id, starts, minutes, Some(appointment_id))?;
        if !clashes.is_empty() && !accept_overlap {
            return Err(overlap_warning(&clinician, &clashes));
        }
        let change = authorized.begin_change()?;
        store::reschedule(change.connection(), appointment_id, &timestamp(starts), minutes, clinician_id)?;
        let moved = by_id(change.connection(), appointment_id)?;
        change.commit(&appointment_event(AuditAction::Update, &moved).reason("rescheduled"))?;
        Ok(moved)
    }

    /// Checks in, starts, completes, marks a no-show, cancels (with a reason) or undoes a
    /// check-in or no-show, where the appointment's status allows it.
    pub fn set_appointment_status(
        &mut self,
        appointment_id: &str,
        next: AppointmentStatus,
        cancel_reason: Option<&str>,
    ) -> ClinicResult<Appointment> {
        let mut authorized = authorize_desk(self, AuditAction::Update)?;
        let current = by_id(authorized.connection(), appointment_id)?;
        if !current.status.may_become(next) {
            return Err(ClinicError::invalid(
                "status",
                format!("An appointment that is {} cannot become {}.", label(current.status), label(next)),
            ));
        }
        let reason = cancel_reason.map(str::trim).filter(|reason| !reason.is_empty());
        if next == AppointmentStatus::Cancelled && reason.is_none_or(|reason| reason.chars().count() > 500) {
            return Err(ClinicError::invalid(
                "cancel_reason",
                "Say why the appointment is cancelled (at most 500 characters).",
            ));
        }
        let now = timestamp(authorized.now());
        let change = authorized.begin_change()?;
        store::set_status(change.connection(), appointment_id, next, &now, reason)?;
        let changed = by_id(change.connection(), appointment_id)?;
        change.commit(
            &appointment_event(AuditAction::Update, &changed)
                .reason(next.as_str())
                .detail("from", Detail::Code(current.status.as_str())),
        )?;
        Ok(changed)
    }

    /// A patient's appointments (and those of records merged into theirs), newest first.
    pub fn patient_appointments(&mut self, patient_id: &PatientId) -> ClinicResult<Vec<Appointment>> {
        let mut authorized = authorize_desk(self, AuditAction::View)?;
        let ids = patient_store::ids_with_aliases(authorized.connection(), patient_id)?;
        let mut appointments = Vec::new();
        for id in &ids {
            appointments.extend(store::of_patient(authorized.connection(), id, 200)?);
        }
        appointments.sort_by(|a, b| b.starts_at.cmp(&a.starts_at));
        authorized.record(
            &AuditEvent::success(AuditAction::View)
                .patient(patient_id)
                .category("appointments")
                .detail("count", Detail::Count(appointments.len() as u64)),
        )?;
        Ok(appointments)
    }
}

fn label(status: AppointmentStatus) -> &'static str {
    match status {
        AppointmentStatus::Booked => "booked",
        AppointmentStatus::CheckedIn => "checked in",
        AppointmentStatus::InProgress => "in progress",
        AppointmentStatus::Completed => "completed",
        AppointmentStatus::NoShow => "a no-show",
        AppointmentStatus::Cancelled => "cancelled",
    }
}
