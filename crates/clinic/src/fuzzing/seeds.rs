//! The seeds of the clinic's fuzz targets.

use chartkeep_vault::fuzzing::device_secret;
use time::OffsetDateTime;

use crate::clock::timestamp;
use crate::sign_in_guard::{SignInGuard, UNKNOWN_ACCOUNT};

use super::{EPOCH, SignInFiles, VAULT_ID};

/// Writes the seed corpus of the clinic's targets into `corpus/<target>/`: the sign-in files as
/// the app writes them (with the fixed device secret), old workstation files, and synthetic CSV
/// files, dates and charts.
pub fn write_seeds(corpus: &std::path::Path) -> std::io::Result<()> {
    let put = |target: &str, name: &str, bytes: &[u8]| -> std::io::Result<()> {
        let folder = corpus.join(target);
        std::fs::create_dir_all(&folder)?;
        std::fs::write(folder.join(name), bytes)
    };
    let at = |seconds: i64| OffsetDateTime::from_unix_timestamp(EPOCH + seconds).unwrap_or(OffsetDateTime::UNIX_EPOCH);

    // The failed-sign-in buffer: three numbered events and one written without the secret.
    let files = SignInFiles::new(|_| {});
    let data_dir = files.data_dir();
    let guard = SignInGuard::new(&data_dir, &files.keyring, VAULT_ID, device_secret());
    use crate::sign_in_guard::FailureReason;
    for (seconds, reason, user) in [
        (0, FailureReason::WrongCredentials, Some("dana")),
        (30, FailureReason::Throttled, None),
        (60, FailureReason::SignedOutFromLockScreen, Some("dana")),
    ] {
        guard.buffer(reason, user, at(seconds)).map_err(std::io::Error::other)?;
    }
    let event = crate::sign_in_guard::SignInEvent {
        id: "5eed5eed-0000-4000-8000-00000000e001".into(),
        at: timestamp(at(90)),
        username: None,
        reason: FailureReason::DeviceSecretMissing,
    };
    crate::sign_in_guard::events::record_unauthenticated(&data_dir.failed_logins(), event);
    let buffer = std::fs::read(data_dir.failed_logins())?;
    // Three numbers given out, none recorded yet: raw, and vouched for line by line.
    put("sign_in_events", "buffer", &[&[0x10u8][..], &buffer].concat())?;
    put("sign_in_events", "buffer-vouched", &[&[0x11u8][..], &buffer].concat())?;

    // The throttle file after failures of two accounts, and its state alone (vouched for).
    let files = SignInFiles::new(|_| {});
    let data_dir = files.data_dir();
    let guard = SignInGuard::new(&data_dir, &files.keyring, VAULT_ID, device_secret());
    for seconds in [0, 10, 20, 40, 80] {
        guard.record_failure("dana", at(seconds)).map_err(std::io::Error::other)?;
    }
    guard.record_failure(UNKNOWN_ACCOUNT, at(5)).map_err(std::io::Error::other)?;
    let file = std::fs::read(data_dir.sign_in_throttle())?;
    put("throttle_file", "file", &[&[0u8][..], &file].concat())?;
    let state = serde_json::from_slice::<serde_json::Value>(&file)
        .ok()
        .and_then(|value| value.get("state").map(serde_json::Value::to_string))
        .unwrap_or_default();
    put("throttle_file", "state-vouched", &[&[1u8][..], state.as_bytes()].concat())?;
    let locked =
        r#"{"accounts":{"dana":{"failures":[],"locked_until":1767226500}},"everyone_locked_until":1767226000}"#;
    put("throttle_file", "locked-vouched", &[&[3u8][..], locked.as_bytes()].concat())?;

    // workstation.json as older Chartkeeps wrote it, in each form a UUID may take, and one
    // that is no UUID.
    for (name, text) in [
        ("written", r#"{"id":"5eed5eed-0000-4000-8000-00000000bbbb"}"#),
        ("braced", r#"{"id":"{5EED5EED-0000-4000-8000-00000000CCCC}"}"#),
        ("no-uuid", r#"{"id":"PC-7 at the front desk"}"#),
    ] {
        put("workstation_file", name, text.as_bytes())?;
    }

    // CSV files: Synthea's layout, and a practice's own with a mapping (three bytes a column).
    let synthea = "Id,BIRTHDATE,DEATHDATE,SSN,FIRST,MIDDLE,LAST,GENDER,ADDRESS,CITY,STATE,ZIP\r\n\
        1,1941-11-23,2019-06-02,999-1,José Eduardo181,,Ortega866,M,1060 Kuhic Crossroad,Springfield,Massachusetts,01104\r\n\
        2,1984-03-07,,999-2,Amara12,Ngozi,Okafor34,F,\"12 Harbour Lane\nFlat 3\",Boston,Massachusetts,02108\r\n\
        3,2031-01-01,,999-3,Future,,Person,X,,,,\r\n";
    put("csv_import", "synthea", &[&[0xffu8][..], synthea.as_bytes()].concat())?;
    let own = "\u{feff}Surname;Given;Born;Mobile;Email\n\
        Müller;Jonas;07/03/1990;0664 7654321;jonas@example.org\n\
        \"Okafor, Amara\";Amara;1984-03-07;+43 664 1234567;\n\
        Okafor;Amara;7.3.1984;;not-an-email\n";
    let own = own.replace(';', ",");
    let spec: [u8; 15] = [0, 0, 0, 1, 1, 0, 2, 4, 2, 3, 7, 4, 4, 10, 0];
    put("csv_import", "own-mapping", &[&[spec.len() as u8 | 0x80][..], &spec, own.as_bytes()].concat())?;

    // Typed dates in each accepted form.
    for (name, mode, text) in [
        ("iso", 0u8, "1984-03-07"),
        ("slashed-day-first", 0, "07/03/1984"),
        ("slashed-month-first", 1, "03/07/1984"),
        ("dotted", 0, " 7.3.1984 "),
        ("leap-day", 1, "02/29/2024"),
    ] {
        put("typed_date", name, &[&[mode][..], text.as_bytes()].concat())?;
    }

    // A chart: a patient with every part, items of each kind, a signed note with an addendum,
    // a draft, and items and an encounter that the checks refuse.
    let chart = [
        "848880000",
        "dmy",
        "Okafor",
        "Amara Ngozi",
        "Amy",
        "07/03/1984",
        "female",
        "woman",
        "mobile:+43 664 1234567;home:01 234 5678",
        "amara@example.org",
        "12 Harbour Lane",
        "Flat 3",
        "Boston",
        "MA",
        "02108",
        "USA",
        "Chidi Okafor",
        "brother",
        "+1 555 0100 200",
        "Synthetic Health",
        "SH-123",
        "prefers mornings",
        "active",
        "",
        "allergy",
        "Penicillin",
        "hives",
        "moderate",
        "active",
        "nka",
        "medication",
        "Metformin",
        "500 mg",
        "oral",
        "twice daily",
        "2024-01-15",
        "",
        "on_hold",
        "problem",
        "Type 2 diabetes",
        "e11.9",
        "15/01/2024",
        "active",
        "problem",
        "Asthma",
        "J45",
        "",
        "resolved",
        "encounter",
        "visit",
        "2026-11-20T09:30:00+01:00",
        "Tired for two weeks",
        "BP 128/82",
        "Review of diabetes",
        "HbA1c in 3 months",
        "",
        "signed",
        "addendum",
        "HbA1c result 6.9%",
        "encounter",
        "phone",
        "",
        "Draft only",
        "",
        "",
        "",
        "",
        "draft",
        "medication",
        "",
        "",
        "",
        "",
        "2024-02-30",
        "",
        "maybe",
    ]
    .join("\u{1e}");
    put("fhir_bundle", "chart", chart.as_bytes())?;
    Ok(())
}
