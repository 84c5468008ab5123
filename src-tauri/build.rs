fn main() {
    // WebKitGTK links the system libsqlite3; without this the bundled SQLCipher's sqlite3_*
    // symbols would be exported from the executable and WebKit's calls would bind to them.
    println!("cargo:rustc-link-arg-bins=-Wl,--exclude-libs,ALL");
    // The built UI is embedded in the executable: a new `ui/dist` must rebuild the app.
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::build()
}
