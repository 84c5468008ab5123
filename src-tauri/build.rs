fn main() {
    // WebKitGTK links the system libsqlite3; without this the bundled SQLCipher's sqlite3_*
    // symbols would be exported from the executable and WebKit's calls would bind to them.
    println!("cargo:rustc-link-arg-bins=-Wl,--exclude-libs,ALL");
    tauri_build::build()
}
