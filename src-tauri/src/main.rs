//! The Chartkeep desktop app: Tauri setup, the app state, and thin commands over the core crates.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod dto;
mod logging;
mod private_file;
mod session_lock;
mod state;
#[cfg(test)]
mod state_tests;
mod window;

use std::sync::Arc;

use chartkeep_clinic::{SystemClock, Workstation};
use chartkeep_vault::{DataDir, OsKeyring};
use tauri::Manager;

fn main() {
    let data_dir = DataDir::from_environment();
    let _log_guard = data_dir.as_ref().ok().and_then(logging::start);
    let workstation = data_dir
        .map_err(chartkeep_clinic::ClinicError::from)
        .and_then(|data_dir| Workstation::open(&data_dir, Box::new(OsKeyring), Arc::new(SystemClock)));
    let app = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _arguments, _folder| {
            if let Some(window) = app.get_webview_window(window::MAIN_WINDOW) {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_dialog::init())
        .manage(state::AppState::new(workstation))
        .setup(|app| {
            window::open_main_window(app)?;
            session_lock::follow_desktop_lock(app.handle().clone());
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![
            commands::app_status,
            commands::set_up_practice,
            commands::pending_recovery_key,
            commands::save_recovery_kit,
            commands::confirm_recovery_key,
            commands::log_in,
            commands::unlock,
            commands::lock,
            commands::log_out,
            commands::recover,
            commands::access::touch,
            commands::access::list_users,
            commands::access::create_user,
            commands::access::change_roles,
            commands::access::deactivate_user,
            commands::access::reactivate_user,
            commands::access::reset_password,
            commands::access::unlock_account,
            commands::access::change_own_password,
            commands::access::access_settings,
            commands::access::update_access_settings,
            commands::access::verify_second_factor,
            commands::access::begin_second_factor_enrolment,
            commands::access::confirm_second_factor_enrolment,
            commands::access::reset_second_factor,
            commands::access::unreviewed_emergency_accesses,
            commands::access::review_emergency_access,
            commands::audit::audit_entries,
            commands::audit::audit_action_choices,
            commands::audit::audit_staff_choices,
            commands::audit::audit_integrity_status,
            commands::audit::integrity_alerts_to_show,
            commands::audit::verify_audit_chain,
            commands::audit::acknowledge_integrity_alert,
            commands::audit::export_audit_csv,
            commands::audit::export_audit_pdf,
            commands::audit::patient_access_report,
        ])
        .build(tauri::generate_context!());
    let app = match app {
        Ok(app) => app,
        Err(error) => {
            tracing::error!(%error, "the window could not be created");
            std::process::exit(1);
        }
    };
    app.run(|handle, event| {
        if let tauri::RunEvent::Exit = event {
            handle.state::<state::AppState>().shut_down();
        }
    });
}
