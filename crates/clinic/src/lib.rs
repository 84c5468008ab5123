//! The use cases of a practice. Each takes the acting [`Session`] (or, before anyone is signed
//! in, the [`Workstation`]), checks what it must, makes its change and writes its audit entry in
//! the same transaction.

pub mod audit;
mod clock;
mod error;
pub mod failed_logins;
mod phi;
mod roles;
mod session;
mod setup;
mod sign_in;
mod store;
mod validation;
mod workstation;

pub use clock::{Clock, SystemClock, timestamp};
pub use error::{ClinicError, ClinicResult, ErrorCode};
pub use phi::Phi;
pub use roles::Role;
pub use session::{AuditedChange, LockedSession, Session, SignedInUser};
pub use setup::{NewPractice, PracticeSetup};
pub use validation::{PASSWORD_MAX_CHARS, PASSWORD_MIN_CHARS, check_new_password, normalise_username};
pub use workstation::{PracticeState, Workstation};
