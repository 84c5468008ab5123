//! Cross-crate journeys: the admin CLI as a real process, the canary scan through the core API,
//! and the end-to-end smoke test of the real desktop app through WebDriver.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod access_control_in_app;
mod admin_cli;
mod amendments_in_app;
mod audit_view_in_app;
mod backup_cli;
mod backup_in_app;
mod canary_in_app;
mod canary_scan;
mod chart_in_app;
mod crash_points;
mod desktop_smoke;
mod emergency_access_in_app;
mod front_desk_in_app;
mod in_app;
mod release_in_app;
mod screen_sizes_in_app;
mod seed_cli;
mod tamper_cli;
mod tidy;
mod torture;
