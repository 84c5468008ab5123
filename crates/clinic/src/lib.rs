//! The use cases of a practice. Each takes the acting [`Session`] (or, before anyone is signed
//! in, the [`Workstation`]), checks what it must, makes its change and writes its audit entry in
//! the same transaction.

/// `Debug` that prints only the type's name, for types that carry patient data: a value that
/// reaches a log line, a panic or an error message by accident gives nothing away.
macro_rules! redacted {
    ($($type:ty),*) => {$(
        impl std::fmt::Debug for $type {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(concat!(stringify!($type), "([redacted])"))
            }
        }
    )*};
}

mod amendments;
mod appointments;
pub mod audit;
mod audit_integrity;
mod audit_reports;
mod audit_view;
pub mod backups;
#[cfg(feature = "bench")]
pub mod bench_support;
pub mod chart;
mod clock;
mod codes;
mod disclosures;
mod emergency_access;
mod error;
mod export_file;
#[cfg(any(test, feature = "fuzzing"))]
#[doc(hidden)]
pub mod fuzzing;
mod key_rotation;
pub mod patients;
mod permissions;
mod phi;
mod roles;
mod session;
mod settings;
mod setup;
mod sign_in;
pub mod sign_in_guard;
mod store;
mod temporary_password;
mod users;
mod validation;
mod workstation;

pub use amendments::{AmendmentDecision, AmendmentItem, AmendmentOutcome, AmendmentRequest, NewAmendmentRequest};
pub use appointments::{Appointment, AppointmentStatus, ClinicianDay, NewAppointment};
pub use audit_integrity::{ChainCheck, IntegrityAlert, IntegrityStatus};
pub use audit_view::{AUDIT_COUNT_CAP, AUDIT_CSV_LIMIT, AUDIT_PAGE_LIMIT, AUDIT_PDF_LIMIT, AuditPage, StaffChoice};
pub use clock::{Clock, SystemClock, WallClock, timestamp};
pub use disclosures::{Disclosure, NewDisclosure};
pub use emergency_access::{EmergencyAccess, EmergencyAccessForReview};
pub use error::{ClinicError, ClinicResult, ErrorCode, FieldError};
pub use export_file::{ExportDestination, write_confined_file};
pub use key_rotation::KeyRotation;
pub use permissions::{EMERGENCY_ACCESS_PERMISSIONS, PERMISSION_MATRIX, Permission, is_allowed, permissions_of};
pub use phi::Phi;
pub use roles::Role;
pub use session::{
    ABSOLUTE_SESSION_LIMIT, ANCHOR_EVERY, ANCHOR_EVERY_ENTRIES, AuditedChange, Expiry, LockedSession, SecondFactorGate,
    Session, SessionLimits, SignedInUser, TotpEnrolment,
};
pub use settings::{AccessSettings, EMERGENCY_ACCESS_MINUTES, IDLE_TIMEOUT_MINUTES, RolePolicy};
pub use setup::{NewPractice, PracticeSetup};
pub use sign_in_guard::{FAILURE_WINDOW, FREE_FAILURES, LOCKOUT, LOCKOUT_FAILURES};
pub use users::{IssuedPassword, NewUser, UserSummary};
pub use validation::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, check_new_password, normalise_username};
pub use workstation::{PracticeState, Workstation};
