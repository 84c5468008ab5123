fn main() {
    // WebKitGTK links the system libsqlite3; without this the bundled SQLCipher's sqlite3_*
    // symbols would be exported from the executable and WebKit's calls would bind to them.
    // (Only for Linux: WebView2 on Windows has no SQLite of its own in the process.)
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        println!("cargo:rustc-link-arg-bins=-Wl,--exclude-libs,ALL");
    }
    // The built UI is embedded in the executable: a new `ui/dist` must rebuild the app.
    println!("cargo:rerun-if-changed=../ui/dist");
    tauri_build::build()
}
