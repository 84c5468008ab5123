CREATE TABLE amendment_decisions (
    request_id         TEXT PRIMARY KEY REFERENCES amendment_requests(id),
    decision           TEXT NOT NULL CHECK (decision IN ('accepted', 'denied')),
    reason             TEXT NOT NULL,
    applied_item_type  TEXT,
    applied_item_id    TEXT,
    decided_by         TEXT NOT NULL REFERENCES users(id),
    decided_at         TEXT NOT NULL
) STRICT;
CREATE TABLE amendment_requests (
    id                TEXT PRIMARY KEY,
    patient_id        TEXT NOT NULL REFERENCES patients(id),
    received_on       TEXT NOT NULL,
    item_type         TEXT NOT NULL
                      CHECK (item_type IN ('demographics', 'allergy', 'medication', 'problem', 'note', 'other')),
    item_id           TEXT,
    requested_change  TEXT NOT NULL,
    recorded_by       TEXT NOT NULL REFERENCES users(id),
    recorded_at       TEXT NOT NULL
) STRICT;
CREATE TABLE appointments (
    id                 TEXT PRIMARY KEY,
    patient_id         TEXT NOT NULL REFERENCES patients(id),
    clinician_id       TEXT NOT NULL REFERENCES users(id),
    starts_at          TEXT NOT NULL,
    minutes            INTEGER NOT NULL CHECK (minutes BETWEEN 5 AND 480),
    reason             TEXT,
    walk_in            INTEGER NOT NULL DEFAULT 0 CHECK (walk_in IN (0, 1)),
    status             TEXT NOT NULL
                       CHECK (status IN ('booked', 'checked_in', 'in_progress', 'completed', 'no_show', 'cancelled')),
    status_changed_at  TEXT NOT NULL,
    cancel_reason      TEXT,
    created_by         TEXT NOT NULL REFERENCES users(id),
    created_at         TEXT NOT NULL
) STRICT;
CREATE TABLE audit_chain_status (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at        TEXT NOT NULL,
    scope             TEXT NOT NULL CHECK (scope IN ('since_anchor', 'whole_chain', 'full')),
    verified_through  INTEGER,
    intact            INTEGER NOT NULL CHECK (intact IN (0, 1))
) STRICT;
CREATE TABLE "audit_integrity_alerts" (
    id               TEXT PRIMARY KEY,
    detected_at      TEXT NOT NULL,
    kind             TEXT NOT NULL
                     CHECK (kind IN ('chain_shorter_than_anchor', 'anchor_entry_differs', 'chain_broken',
                                     'anchor_missing', 'anchor_unreadable',
                                     'key_slot_file_altered', 'key_slot_file_rolled_back',
                                     'key_slot_record_behind_keyring',
                                     'sign_in_events_forged', 'sign_in_events_removed',
                                     'throttle_state_tampered', 'backup_recipients_differ')),
    seq              INTEGER,
    description      TEXT NOT NULL,
    acknowledged_by  TEXT REFERENCES users(id),
    acknowledged_at  TEXT,
    acknowledgement  TEXT
) STRICT;
CREATE TABLE audit_log (
    seq              INTEGER PRIMARY KEY,
    occurred_at      TEXT NOT NULL,
    user_id          TEXT,
    username         TEXT,
    roles            TEXT NOT NULL,
    workstation_id   TEXT NOT NULL,
    action           TEXT NOT NULL,
    patient_id       TEXT,
    object_type      TEXT,
    object_id        TEXT,
    data_category    TEXT,
    outcome          TEXT NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')),
    reason           TEXT,
    emergency_access INTEGER NOT NULL DEFAULT 0 CHECK (emergency_access IN (0, 1)),
    details          TEXT NOT NULL,
    prev_hash        BLOB NOT NULL,
    hash             BLOB NOT NULL
) STRICT;
CREATE TABLE backup_settings (
    id                       INTEGER PRIMARY KEY CHECK (id = 1),
    -- The folder backups are written to (a USB drive, a network share); NULL until chosen.
    destination              TEXT,
    -- A daily backup at this local time ('HH:MM') while the app is unlocked; NULL for none.
    daily_at                 TEXT CHECK (daily_at IS NULL OR daily_at GLOB '[0-2][0-9]:[0-5][0-9]'),
    -- On sign-out or exit, a backup when the last verified one is older than this many hours.
    on_log_off_after_hours   INTEGER CHECK (on_log_off_after_hours IS NULL OR on_log_off_after_hours BETWEEN 1 AND 720),
    keep_daily               INTEGER NOT NULL DEFAULT 7 CHECK (keep_daily BETWEEN 1 AND 366),
    keep_weekly              INTEGER NOT NULL DEFAULT 4 CHECK (keep_weekly BETWEEN 0 AND 260),
    keep_monthly             INTEGER NOT NULL DEFAULT 12 CHECK (keep_monthly BETWEEN 0 AND 120),
    -- Further age recipients (`age1…`), as a JSON list.
    further_recipients       TEXT NOT NULL DEFAULT '[]'
) STRICT;
CREATE TABLE backups (
    id                   TEXT PRIMARY KEY,
    file_name            TEXT NOT NULL,
    folder               TEXT NOT NULL,
    created_at           TEXT NOT NULL,
    created_by           TEXT REFERENCES users(id),
    -- 'restored': the backup this practice was restored from onto this PC (not made here).
    trigger              TEXT NOT NULL CHECK (trigger IN ('manual', 'daily', 'log_off', 'command_line', 'restored')),
    bytes                INTEGER NOT NULL,
    snapshot_sha256      TEXT NOT NULL,
    audit_head_seq       INTEGER,
    verified_at          TEXT,
    verification_passed  INTEGER CHECK (verification_passed IN (0, 1)),
    -- What the verification found wrong, as a JSON list of sentences.
    verification_problems TEXT NOT NULL DEFAULT '[]',
    -- Set when rotation removed the file.
    removed_at           TEXT
) STRICT;
CREATE TABLE chart_item_versions (
    item_id               TEXT NOT NULL REFERENCES chart_items(id),
    version               INTEGER NOT NULL,
    status                TEXT NOT NULL,
    data                  TEXT NOT NULL,
    change                TEXT NOT NULL CHECK (change IN ('recorded', 'updated', 'entered_in_error', 'amended', 'superseded')),
    reason                TEXT,
    amendment_request_id  TEXT REFERENCES amendment_requests(id),
    changed_by            TEXT NOT NULL REFERENCES users(id),
    changed_at            TEXT NOT NULL,
    PRIMARY KEY (item_id, version)
) STRICT;
CREATE TABLE chart_items (
    id                TEXT PRIMARY KEY,
    patient_id        TEXT NOT NULL REFERENCES patients(id),
    kind              TEXT NOT NULL CHECK (kind IN ('allergy', 'medication', 'problem')),
    version           INTEGER NOT NULL,
    status            TEXT NOT NULL,
    entered_in_error  INTEGER NOT NULL DEFAULT 0 CHECK (entered_in_error IN (0, 1)),
    data              TEXT NOT NULL,
    recorded_at       TEXT NOT NULL,
    updated_at        TEXT NOT NULL
) STRICT;
CREATE TABLE database_key_rotation (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    needed_since  TEXT NOT NULL,
    reason        TEXT NOT NULL CHECK (reason IN ('user_deactivated', 'interrupted'))
) STRICT;
CREATE TABLE disclosures (
    id                 TEXT PRIMARY KEY,
    patient_id         TEXT NOT NULL REFERENCES patients(id),
    disclosed_on       TEXT NOT NULL,
    recipient          TEXT NOT NULL,
    purpose            TEXT NOT NULL,
    information        TEXT NOT NULL,
    corrects_id        TEXT REFERENCES disclosures(id),
    correction_reason  TEXT,
    recorded_by        TEXT NOT NULL REFERENCES users(id),
    recorded_at        TEXT NOT NULL,
    CHECK ((corrects_id IS NULL) = (correction_reason IS NULL))
) STRICT;
CREATE TABLE emergency_accesses (
    id              TEXT PRIMARY KEY,
    user_id         TEXT NOT NULL REFERENCES users(id),
    patient_id      TEXT NOT NULL REFERENCES patients(id),
    reason          TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    expires_at      TEXT NOT NULL,
    reviewed_by     TEXT REFERENCES users(id),
    reviewed_at     TEXT,
    review_comment  TEXT
) STRICT;
CREATE TABLE encounter_addenda (
    id                    TEXT PRIMARY KEY,
    encounter_id          TEXT NOT NULL REFERENCES encounters(id),
    author_id             TEXT NOT NULL REFERENCES users(id),
    written_at            TEXT NOT NULL,
    text                  TEXT NOT NULL,
    amendment_request_id  TEXT REFERENCES amendment_requests(id)
) STRICT;
CREATE TABLE encounters (
    id            TEXT PRIMARY KEY,
    patient_id    TEXT NOT NULL REFERENCES patients(id),
    author_id     TEXT NOT NULL REFERENCES users(id),
    occurred_at   TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('visit', 'phone', 'telehealth', 'other')),
    status        TEXT NOT NULL CHECK (status IN ('draft', 'signed')),
    subjective    TEXT NOT NULL DEFAULT '',
    objective     TEXT NOT NULL DEFAULT '',
    assessment    TEXT NOT NULL DEFAULT '',
    plan          TEXT NOT NULL DEFAULT '',
    free_text     TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    signed_by     TEXT REFERENCES users(id),
    signed_at     TEXT,
    -- SHA-256 of the signed content, signer and time, computed when signing.
    content_hash  BLOB,
    CHECK ((status = 'signed') = (signed_at IS NOT NULL))
) STRICT;
CREATE TABLE import_mappings (
    name      TEXT PRIMARY KEY,
    mapping   TEXT NOT NULL,
    saved_by  TEXT NOT NULL REFERENCES users(id),
    saved_at  TEXT NOT NULL
) STRICT;
CREATE TABLE mrn_sequence (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    next_number  INTEGER NOT NULL
) STRICT;
CREATE TABLE patient_merges (
    id           TEXT PRIMARY KEY,
    survivor_id  TEXT NOT NULL REFERENCES patients(id),
    merged_id    TEXT NOT NULL REFERENCES patients(id),
    merged_by    TEXT NOT NULL REFERENCES users(id),
    merged_at    TEXT NOT NULL,
    unmerged_by  TEXT REFERENCES users(id),
    unmerged_at  TEXT
) STRICT;
CREATE TABLE patient_name_pairs (
    -- The first two characters of each token, the smaller first: 'jo ma'.
    pair_key  TEXT NOT NULL,
    -- The family name, char(31) and the given names, as stored in patients: the results' order.
    sort_key  TEXT NOT NULL,
    number    INTEGER NOT NULL,
    token_a   TEXT NOT NULL,
    token_b   TEXT NOT NULL,
    PRIMARY KEY (pair_key, sort_key, number, token_a, token_b)
) STRICT, WITHOUT ROWID;
CREATE TABLE patient_name_tokens (
    token   TEXT NOT NULL,
    number  INTEGER NOT NULL,
    PRIMARY KEY (token, number)
) STRICT, WITHOUT ROWID;
CREATE TABLE patient_phone_keys (
    reversed_digits  TEXT NOT NULL,
    number           INTEGER NOT NULL,
    PRIMARY KEY (reversed_digits, number)
) STRICT, WITHOUT ROWID;
CREATE TABLE patient_versions (
    patient_id  TEXT NOT NULL REFERENCES patients(id),
    version     INTEGER NOT NULL,
    record      TEXT NOT NULL,
    status      TEXT NOT NULL,
    change      TEXT NOT NULL
                CHECK (change IN ('registered', 'updated', 'entered_in_error', 'imported')),
    reason      TEXT,
    changed_by  TEXT NOT NULL REFERENCES users(id),
    changed_at  TEXT NOT NULL,
    PRIMARY KEY (patient_id, version)
) STRICT;
CREATE TABLE patients (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL
, number INTEGER, mrn TEXT, version INTEGER NOT NULL DEFAULT 0, family_name TEXT NOT NULL DEFAULT '', given_names TEXT NOT NULL DEFAULT '', date_of_birth TEXT, status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'inactive', 'deceased')), entered_in_error INTEGER NOT NULL DEFAULT 0 CHECK (entered_in_error IN (0, 1)), record TEXT NOT NULL DEFAULT '{}', merged_into TEXT REFERENCES patients(id), needs_duplicate_review INTEGER NOT NULL DEFAULT 0
    CHECK (needs_duplicate_review IN (0, 1)), updated_at TEXT, probable_duplicate_of TEXT REFERENCES patients(id)) STRICT;
CREATE TABLE practice (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    vault_id    TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
, emergency_access_minutes INTEGER NOT NULL DEFAULT 60
    CHECK (emergency_access_minutes BETWEEN 5 AND 480), date_order TEXT NOT NULL DEFAULT 'dmy' CHECK (date_order IN ('dmy', 'mdy'))) STRICT;
CREATE TABLE practice_keys (
    purpose  TEXT PRIMARY KEY,
    key      BLOB NOT NULL CHECK (length(key) = 32)
) STRICT;
CREATE TABLE retired_database_keys (
    retired_at  TEXT NOT NULL,
    key         BLOB NOT NULL CHECK (length(key) = 32)
) STRICT;
CREATE TABLE role_policies (
    role                      TEXT PRIMARY KEY
                              CHECK (role IN ('owner', 'clinician', 'front_desk', 'auditor')),
    idle_timeout_minutes      INTEGER NOT NULL CHECK (idle_timeout_minutes BETWEEN 1 AND 60),
    mfa_required              INTEGER NOT NULL CHECK (mfa_required IN (0, 1)),
    emergency_access_allowed  INTEGER NOT NULL CHECK (emergency_access_allowed IN (0, 1))
, import_allowed INTEGER NOT NULL DEFAULT 0 CHECK (import_allowed IN (0, 1)), co_sign_allowed INTEGER NOT NULL DEFAULT 0 CHECK (co_sign_allowed IN (0, 1))) STRICT;
CREATE TABLE second_factor_recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users(id),
    code_hash  TEXT NOT NULL,
    used_at    TEXT,
    PRIMARY KEY (user_id, code_hash)
) STRICT;
CREATE TABLE second_factors (
    user_id         TEXT PRIMARY KEY REFERENCES users(id),
    totp_secret     BLOB NOT NULL,
    last_used_step  INTEGER NOT NULL DEFAULT 0,
    enrolled_at     TEXT NOT NULL
) STRICT;
CREATE TABLE user_roles (
    user_id     TEXT NOT NULL REFERENCES users(id),
    role        TEXT NOT NULL CHECK (role IN ('owner', 'clinician', 'front_desk', 'auditor')),
    PRIMARY KEY (user_id, role)
) STRICT;
CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    username    TEXT NOT NULL UNIQUE,
    full_name   TEXT NOT NULL,
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at  TEXT NOT NULL
, must_change_password INTEGER NOT NULL DEFAULT 0
    CHECK (must_change_password IN (0, 1))) STRICT;
CREATE TABLE vault_key_slots (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  INTEGER NOT NULL CHECK (generation >= 1),
    body        TEXT NOT NULL
) STRICT;
CREATE INDEX amendment_requests_by_patient ON amendment_requests (patient_id, received_on);
CREATE INDEX appointments_by_clinician ON appointments (clinician_id, starts_at);
CREATE INDEX appointments_by_patient ON appointments (patient_id, starts_at);
CREATE INDEX appointments_by_time ON appointments (starts_at);
CREATE INDEX audit_integrity_alerts_open ON audit_integrity_alerts (detected_at) WHERE acknowledged_at IS NULL;
CREATE INDEX audit_log_by_action ON audit_log (action, seq);
CREATE INDEX audit_log_by_category ON audit_log (data_category, seq);
CREATE INDEX audit_log_by_outcome ON audit_log (outcome, seq);
CREATE INDEX audit_log_by_patient ON audit_log (patient_id, seq) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_log_by_time ON audit_log (occurred_at, seq);
CREATE INDEX audit_log_by_user ON audit_log (user_id, seq);
CREATE INDEX audit_log_by_user_and_time ON audit_log
    (user_id, occurred_at, action, outcome, data_category, emergency_access, patient_id);
CREATE INDEX audit_log_by_username ON audit_log (username, seq);
CREATE INDEX audit_log_under_emergency_access ON audit_log (seq) WHERE emergency_access = 1;
CREATE INDEX backups_by_time ON backups (created_at);
CREATE INDEX chart_items_by_patient ON chart_items (patient_id, kind);
CREATE INDEX disclosures_by_patient ON disclosures (patient_id, disclosed_on);
CREATE UNIQUE INDEX disclosures_corrected_once ON disclosures (corrects_id) WHERE corrects_id IS NOT NULL;
CREATE INDEX emergency_accesses_by_user_and_patient ON emergency_accesses (user_id, patient_id, expires_at);
CREATE INDEX emergency_accesses_unreviewed ON emergency_accesses (started_at) WHERE reviewed_at IS NULL;
CREATE INDEX encounter_addenda_by_encounter ON encounter_addenda (encounter_id, written_at);
CREATE INDEX encounters_by_patient ON encounters (patient_id, occurred_at);
CREATE INDEX encounters_drafts_by_author ON encounters (author_id, patient_id) WHERE status = 'draft';
CREATE INDEX patient_merges_by_patient ON patient_merges (survivor_id, merged_at);
CREATE INDEX patient_name_tokens_by_number ON patient_name_tokens (number, token);
CREATE INDEX patient_phone_keys_by_number ON patient_phone_keys (number);
CREATE INDEX patients_by_alias ON patients (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX patients_by_date_of_birth ON patients (date_of_birth);
CREATE UNIQUE INDEX patients_by_mrn ON patients (mrn);
CREATE UNIQUE INDEX patients_by_number ON patients (number);
CREATE INDEX patients_for_duplicate_review ON patients (number) WHERE needs_duplicate_review = 1;
CREATE TRIGGER amendment_decisions_are_append_only_delete BEFORE DELETE ON amendment_decisions
BEGIN
    SELECT RAISE(ABORT, 'amendment decisions cannot be removed');
END;
CREATE TRIGGER amendment_decisions_are_append_only_update BEFORE UPDATE ON amendment_decisions
BEGIN
    SELECT RAISE(ABORT, 'amendment decisions cannot be changed');
END;
CREATE TRIGGER amendment_requests_are_append_only_delete BEFORE DELETE ON amendment_requests
BEGIN
    SELECT RAISE(ABORT, 'amendment requests cannot be removed');
END;
CREATE TRIGGER amendment_requests_are_append_only_update BEFORE UPDATE ON amendment_requests
BEGIN
    SELECT RAISE(ABORT, 'amendment requests cannot be changed');
END;
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be removed');
END;
CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit entries cannot be changed');
END;
CREATE TRIGGER chart_item_versions_are_append_only_delete BEFORE DELETE ON chart_item_versions
BEGIN
    SELECT RAISE(ABORT, 'item versions cannot be removed');
END;
CREATE TRIGGER chart_item_versions_are_append_only_update BEFORE UPDATE ON chart_item_versions
BEGIN
    SELECT RAISE(ABORT, 'item versions cannot be changed');
END;
CREATE TRIGGER disclosures_are_append_only_delete BEFORE DELETE ON disclosures
BEGIN
    SELECT RAISE(ABORT, 'disclosures cannot be removed; record a correction');
END;
CREATE TRIGGER disclosures_are_append_only_update BEFORE UPDATE ON disclosures
BEGIN
    SELECT RAISE(ABORT, 'disclosures cannot be changed; record a correction');
END;
CREATE TRIGGER encounter_addenda_are_append_only_delete BEFORE DELETE ON encounter_addenda
BEGIN
    SELECT RAISE(ABORT, 'addenda cannot be removed');
END;
CREATE TRIGGER encounter_addenda_are_append_only_update BEFORE UPDATE ON encounter_addenda
BEGIN
    SELECT RAISE(ABORT, 'addenda cannot be changed');
END;
CREATE TRIGGER encounters_signed_are_immutable BEFORE UPDATE ON encounters WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'a signed note cannot be changed; add an addendum');
END;
CREATE TRIGGER encounters_signed_are_kept BEFORE DELETE ON encounters WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'a signed note cannot be removed');
END;
CREATE TRIGGER patient_versions_are_append_only_delete BEFORE DELETE ON patient_versions
BEGIN
    SELECT RAISE(ABORT, 'patient versions cannot be removed');
END;
CREATE TRIGGER patient_versions_are_append_only_update BEFORE UPDATE ON patient_versions
BEGIN
    SELECT RAISE(ABORT, 'patient versions cannot be changed');
END;
