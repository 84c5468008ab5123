//! The main screens at the sizes clinic PCs have (1024×768, 1280×800, 1920×1080), in one launch
//! of the real app: a practice of synthetic patients made with the admin tool (with a backup and
//! a second user), then sign-in, the front desk with search results and the day's appointments,
//! a patient's record and its tabs, the chart, the audit view, users, settings, the Records menu
//! and its Duplicates, and backups. At each size every screen is photographed into
//! `target/e2e-screenshots/screens-*.png` and its layout measured in the page: no part of a
//! search result runs into another, the toolbar's items sit on one line without overlapping, no
//! table's last column is cut off, tabs stay on one line, and nothing makes the page wider than
//! the window. Everything found is said at the end.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::json;

use chartkeep_tests::layout;
use chartkeep_tests::webdriver::Browser;
use chartkeep_tests::workspace_binary;

use super::front_desk_in_app::{create_user, sign_in};
use super::in_app::{launch_app, report, screenshots};

const PASSWORD: &str = "owner screen sizes password Tn64";
const SIZES: [(u32, u32); 3] = [(1024, 768), (1280, 800), (1920, 1080)];
const PATIENTS: &str = "600";
/// What the search box is given: the start of several common family names and of the long one.
const QUERY: &str = "Sch";

fn admin(data_dir: &Path, args: &[&str]) {
    let mut child = Command::new(workspace_binary("chartkeep-admin"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(format!("{PASSWORD}\n").as_bytes()).unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "chartkeep-admin {args:?}: {}", String::from_utf8_lossy(&output.stderr));
}

/// A practice whose Owner is also its clinician, with synthetic patients, today's appointments
/// and one backup in the list.
fn prepare_practice(data_dir: &Path, backups: &Path) {
    let practice = "Praxisgemeinschaft Dr. Schönberger-Nwachukwu & Kolleginnen";
    admin(
        data_dir,
        &[
            "init",
            "--practice",
            practice,
            "--owner-username",
            "owner",
            "--owner-name",
            "Dr. Maximiliane Schönberger-Nwachukwu",
            "--password-stdin",
            "--without-second-factor-policy",
            "--owner-is-clinician",
        ],
    );
    admin(data_dir, &["seed", "--patients", PATIENTS, "--appointments-today", "--password-stdin"]);
    std::fs::create_dir_all(backups).unwrap();
    admin(data_dir, &["backup", "create", "--out", backups.to_str().unwrap(), "--password-stdin"]);
}

/// A patient with a long name, a few months old (an age "under 1 year"), with a chart that
/// holds an allergy, a medication, a problem and a signed note; returns the MRN.
fn long_named_patient(browser: &Browser) -> String {
    let born = browser.script("return new Date(Date.now() - 100 * 86400000).toISOString().slice(0, 10);");
    let form = json!({
        "familyName": "Schönberger-Nwachukwu", "givenNames": "Maximiliane Oluwaseun Katharina",
        "preferredName": "", "dateOfBirth": born, "sex": "female", "genderIdentity": "",
        "phones": [{ "kind": "mobile", "number": "0660 123 4567" }], "email": "",
        "address": { "line1": "", "line2": "", "city": "", "region": "", "postalCode": "", "country": "" },
        "emergencyContact": { "name": "", "relationship": "", "phone": "" },
        "insurance": { "payer": "", "memberId": "" },
        "frontDeskNote": "", "status": "active", "deceasedOn": ""
    });
    let record = browser.invoke("register_patient", json!({ "form": form, "confirmedNewDespite": [] })).unwrap();
    let patient_id = record["id"].as_str().unwrap();
    let item = |kind: &str, fields: serde_json::Value| {
        let mut item = json!({
            "kind": kind, "substance": "", "reaction": "", "severity": null, "status": "active",
            "name": "", "dose": "", "route": "", "frequency": "", "start": "", "stop": "",
            "description": "", "icd10": "", "onset": ""
        });
        item.as_object_mut().unwrap().extend(fields.as_object().unwrap().clone());
        browser.invoke("record_chart_item", json!({ "patientId": patient_id, "item": item })).unwrap();
    };
    item(
        "allergy",
        json!({ "substance": "Amoxicillin-clavulanic acid", "reaction": "Urticaria", "severity": "severe" }),
    );
    item(
        "medication",
        json!({ "name": "Paracetamol oral suspension", "dose": "120 mg", "frequency": "every 6 hours" }),
    );
    item("problem", json!({ "description": "Atopic dermatitis of infancy", "icd10": "L20.83" }));
    let encounter = browser
        .invoke("start_encounter", json!({ "patientId": patient_id, "kind": "visit", "occurredAt": "" }))
        .unwrap();
    let encounter_id = encounter["id"].as_str().unwrap();
    let note = json!({ "subjective": "Itchy rash on both cheeks for two weeks.", "objective": "Dry erythematous patches.",
        "assessment": "Atopic dermatitis.", "plan": "Emollients; review in four weeks.", "freeText": "" });
    browser.invoke("save_draft_note", json!({ "encounterId": encounter_id, "kind": "visit", "note": note })).unwrap();
    browser.invoke("sign_note", json!({ "encounterId": encounter_id })).unwrap();
    record["mrn"].as_str().unwrap().to_owned()
}

/// Everything measured on every screen: the page, the toolbar, search results, tables, tabs.
fn layout_problems(browser: &Browser) -> Vec<String> {
    let parts = ["#toolbar-practice", "#toolbar-user", ".toolbar-nav > *", ".toolbar-end > *"];
    let mut found = layout::wider_than_the_window(browser);
    found.extend(layout::overlapping(browser, "header.toolbar", &parts));
    found.extend(layout::not_on_one_line(
        browser,
        "header.toolbar",
        &["#toolbar-identity", ".toolbar-nav > *", ".toolbar-end > *"],
    ));
    found.extend(layout::overlapping(browser, "[role=listbox] > [role=option]", &[":scope > *"]));
    found.extend(layout::overlapping(browser, "tr", &[":scope > th", ":scope > td"]));
    found.extend(layout::tables_cut_off(browser, "table"));
    found.extend(layout::overlapping(browser, "[role=tablist]", &["[role=tab]"]));
    found.extend(layout::not_on_one_line(browser, "[role=tablist]", &["[role=tab]"]));
    found
}

struct Looking<'a> {
    browser: &'a Browser,
    problems: Vec<String>,
    /// Time spent resizing, measuring and photographing, for the report.
    resizing: Duration,
    measuring: Duration,
    photographing: Duration,
}

impl Looking<'_> {
    /// Shows the screen at each size once `ready` is on it, measures it and photographs it
    /// scrolled to the top, or as far as it takes to bring `shown` into view.
    fn at_each_size(&mut self, screen: &str, ready: &str, shown: Option<&str>) {
        for (width, height) in SIZES {
            let started = Instant::now();
            self.browser.set_window_size(width, height);
            self.browser.wait_until(&format!("window.innerWidth === {width} && window.innerHeight === {height}"));
            self.browser.wait_for(ready);
            let scroll = shown.map_or(String::new(), |css| {
                format!("document.querySelector({}).scrollIntoView({{ block: 'nearest' }});", json!(css))
            });
            self.browser.script(&format!("window.scrollTo(0, 0); {scroll}"));
            let measured = Instant::now();
            self.resizing += measured - started;
            let found = layout_problems(self.browser);
            self.problems.extend(found.into_iter().map(|line| format!("{screen} at {width}×{height}: {line}")));
            let photographed = Instant::now();
            self.measuring += photographed - measured;
            self.browser.screenshot(&screenshots().join(format!("screens-{screen}-{width}x{height}.png")));
            self.photographing += photographed.elapsed();
        }
    }
}

#[test]
fn the_main_screens_fit_at_1024x768_1280x800_and_1920x1080() {
    let started = Instant::now();
    let root = tempfile::tempdir().unwrap();
    let (data_dir, temp) = (root.path().join("data"), root.path().join("tmp"));
    std::fs::create_dir_all(&temp).unwrap();
    prepare_practice(&data_dir, &root.path().join("backups"));
    report("screen sizes", &format!("practice prepared in {:.1} s", started.elapsed().as_secs_f64()));
    let browser = launch_app(&data_dir, &temp);
    let mut look = Looking {
        browser: &browser,
        problems: Vec::new(),
        resizing: Duration::ZERO,
        measuring: Duration::ZERO,
        photographing: Duration::ZERO,
    };

    look.at_each_size("sign-in", "#screen-login #login-submit", None);
    sign_in(&browser, "owner", PASSWORD);
    browser.wait_for("#front-desk");
    create_user(&browser, "Dee Desk-Abernathy", "desk", "front_desk");
    browser.click("#nav-home");
    let mrn = long_named_patient(&browser);

    browser.type_into("#patient-search-input", QUERY);
    let long_one = format!("#patient-search-results li[role=option][data-mrn='{mrn}']");
    browser.wait_for(&long_one);
    browser.wait_for("#day-schedule [id^='clinician-'] h3");
    let shown = browser.script("return document.querySelectorAll('#patient-search-results li[role=option]').length;");
    report("screen sizes", &format!("{shown} search results for {QUERY:?}"));
    look.at_each_size("front-desk", &long_one, None);
    look.at_each_size("front-desk-day", &long_one, Some("#day-schedule"));

    browser.click(&long_one);
    browser.wait_for("#patient-record #patient-tab-panel");
    look.at_each_size("record-details", "#patient-tab-details[aria-selected=true]", None);
    browser.click("#patient-tab-appointments");
    look.at_each_size("record-appointments", "#patient-appointments", None);
    browser.click("#patient-tab-history");
    look.at_each_size("record-history", "#patient-history", None);
    browser.click("#patient-chart");
    browser.wait_for("#chart-page #allergy-banner[data-state='allergies']");
    browser.click("#chart-encounters [id^='encounter-open-']");
    look.at_each_size("chart", "#signed-note", None);

    browser.click("#nav-audit");
    browser.wait_until("document.querySelectorAll('#audit-table tbody tr[data-seq]').length > 0");
    look.at_each_size("audit", "#audit-integrity-status", Some("#audit-table"));
    browser.click("#nav-users");
    look.at_each_size("users", "#user-row-desk", None);
    browser.click("#nav-settings");
    look.at_each_size("settings", "#setting-mfa-owner", None);
    browser.click("#nav-records");
    look.at_each_size("records-menu", "#nav-records-list:not([hidden]) #nav-duplicates", None);
    browser.click("#nav-duplicates");
    look.at_each_size("duplicates", "#duplicates-table, #duplicates-empty", None);
    browser.click("#nav-backups");
    look.at_each_size("backups", "#backup-list tbody tr", Some("#backup-list"));

    let problems = std::mem::take(&mut look.problems);
    let (resizing, measuring, photographing) = (look.resizing, look.measuring, look.photographing);
    browser.quit();
    report(
        "screen sizes",
        &format!(
            "ran in {:.1} s (resizing {:.1} s, measuring {:.1} s, photographing {:.1} s)",
            started.elapsed().as_secs_f64(),
            resizing.as_secs_f64(),
            measuring.as_secs_f64(),
            photographing.as_secs_f64()
        ),
    );
    assert!(problems.is_empty(), "{} layout problems:\n{}", problems.len(), problems.join("\n"));
}
