//! The Chartkeep desktop app: Tauri setup, the app state, and thin commands over the core crates.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

#[cfg(test)]
mod boundary_tests;
mod commands;
mod dto;
mod logging;
mod private_file;
mod save_dialog;
mod session_lock;
mod session_timer;
mod state;
#[cfg(test)]
mod state_tests;
mod window;

use std::sync::Arc;

use chartkeep_clinic::{SystemClock, Workstation};
use chartkeep_vault::{DataDir, OsKeyring};
use tauri::Manager;

fn main() {
    chartkeep_vault::restrict_new_files_to_owner();
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
            // Handed to the page with the window, which saves the first command's round trip.
            let first_status = app.state::<state::AppState>().status().ok();
            window::open_main_window(app, first_status.as_ref())?;
            session_lock::follow_desktop_lock(app.handle().clone());
            session_timer::start(app.handle().clone());
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
            commands::access::rotate_database_key,
            commands::access::database_key_rotation_needed,
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
            commands::audit::audit_patient_by_mrn,
            commands::audit::audit_integrity_status,
            commands::audit::integrity_alerts_to_show,
            commands::audit::verify_audit_chain,
            commands::audit::acknowledge_integrity_alert,
            commands::audit::export_audit_csv,
            commands::audit::export_audit_pdf,
            commands::audit::patient_access_report,
            commands::patients::search_patients,
            commands::patients::check_for_duplicates,
            commands::patients::register_patient,
            commands::patients::open_patient,
            commands::patients::update_patient,
            commands::patients::mark_patient_entered_in_error,
            commands::patients::patient_history,
            commands::patients::entered_in_error_patients,
            commands::patients::duplicate_review_queue,
            commands::patients::dismiss_duplicate_review,
            commands::patients::merge_preview,
            commands::patients::merge_patients,
            commands::patients::unmerge_patients,
            commands::patients::patient_merges,
            commands::patients::patient_for_merge,
            commands::front_desk::clinicians,
            commands::front_desk::day_schedule,
            commands::front_desk::book_appointment,
            commands::front_desk::register_walk_in,
            commands::front_desk::reschedule_appointment,
            commands::front_desk::set_appointment_status,
            commands::front_desk::patient_appointments,
            commands::front_desk::import_fields,
            commands::front_desk::import_mapping_names,
            commands::front_desk::import_mapping,
            commands::front_desk::save_import_mapping,
            commands::front_desk::preview_import,
            commands::front_desk::dry_run_import,
            commands::front_desk::import_patients,
            commands::front_desk::cancel_import,
            commands::front_desk::record_disclosure,
            commands::front_desk::correct_disclosure,
            commands::front_desk::patient_disclosures,
            commands::front_desk::record_amendment_request,
            commands::front_desk::decide_amendment_request,
            commands::front_desk::patient_amendment_requests,
            commands::front_desk::request_emergency_access,
            commands::backups::backup_settings,
            commands::backups::update_backup_settings,
            commands::backups::backups,
            commands::backups::backup_status,
            commands::backups::back_up_now,
            commands::backups::cancel_backup,
            commands::backups::verify_backup,
            commands::backups::inspect_backup,
            commands::backups::restore_backup,
            commands::backups::inspect_backup_for_new_pc,
            commands::backups::restore_onto_this_pc,
            commands::backups::backup_tick,
            commands::chart::open_chart,
            commands::chart::start_encounter,
            commands::chart::save_draft_note,
            commands::chart::discard_draft_note,
            commands::chart::sign_note,
            commands::chart::add_addendum,
            commands::chart::encounter,
            commands::chart::record_chart_item,
            commands::chart::update_chart_item,
            commands::chart::mark_chart_item_entered_in_error,
            commands::chart::chart_item_history,
            commands::chart::accept_amendment_to_item,
            commands::chart::accept_amendment_to_note,
            commands::chart::print_patient_summary,
            commands::chart::export_patient_fhir,
            commands::front_desk::date_order,
            commands::front_desk::set_date_order,
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
