//! A hello-world Tauri 2 window: the baseline Chartkeep's start-up and memory are compared with.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    let built = tauri::Builder::default().build(tauri::generate_context!());
    match built {
        Ok(app) => app.run(|_, _| {}),
        Err(error) => {
            eprintln!("hello-world: {error}");
            std::process::exit(1);
        }
    }
}
