//! The keyring daemon dying under the vault. gnome-keyring 42 aborts now and then on a GLib
//! error, and its session starts it again; the vault's keyring calls wait for the new daemon
//! (`device_keyring::RETRY_PAUSES_MS`) instead of failing. Here it is killed on purpose.

use std::process::Command;
use std::time::Instant;

use super::{PASSWORD, create, fixture, unlock};

/// The process that owns the Secret Service name on this session bus.
fn secret_service_pid() -> Option<u32> {
    let reply = Command::new("dbus-send")
        .args(["--session", "--print-reply", "--dest=org.freedesktop.DBus", "/org/freedesktop/DBus"])
        .args(["org.freedesktop.DBus.GetConnectionUnixProcessID", "string:org.freedesktop.secrets"])
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&reply.stdout);
    text.split_whitespace().skip_while(|word| *word != "uint32").nth(1)?.parse().ok()
}

/// It kills the keyring daemon, so it runs only in the throwaway session of
/// `scripts/with-private-keyring` (as `make test` runs it), whose loop starts the daemon again
/// on the same keyring file, as a desktop session does.
#[test]
fn the_vault_unlocks_while_a_killed_keyring_daemon_is_started_again() {
    assert_eq!(
        std::env::var("CHARTKEEP_PRIVATE_KEYRING").as_deref(),
        Ok("1"),
        "this test kills the keyring daemon: run it through scripts/with-private-keyring"
    );
    let fixture = fixture();
    let created = create(&fixture);
    created.vault.lock().unwrap();

    let killed = secret_service_pid().expect("a keyring daemon owns the Secret Service name");
    let status = Command::new("kill").args(["-KILL", &killed.to_string()]).status().unwrap();
    assert!(status.success());
    let started = Instant::now();
    let vault = unlock(&fixture, PASSWORD).expect("unlocked once the keyring daemon is back");
    let waited = started.elapsed();
    vault.lock().unwrap();

    let answering = secret_service_pid().expect("a keyring daemon owns the name again");
    assert_ne!(answering, killed, "a new daemon answered");
    eprintln!("unlocked {} ms after the keyring daemon was killed", waited.as_millis());
}
