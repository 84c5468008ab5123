-- Chartkeep schema 4: patients and the front desk. The patient row holds the record's current
-- state; every change also keeps a full copy in patient_versions. The search keys (name tokens,
-- phone digits) live in their own indexed tables inside this encrypted database.

-- Every patient has a number (the key of the search tables) and a medical record number made
-- from it with a check digit. Numbers only ever grow, so an MRN is never reused.
ALTER TABLE patients ADD COLUMN number INTEGER;
ALTER TABLE patients ADD COLUMN mrn TEXT;
ALTER TABLE patients ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
ALTER TABLE patients ADD COLUMN family_name TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN given_names TEXT NOT NULL DEFAULT '';
ALTER TABLE patients ADD COLUMN date_of_birth TEXT;
ALTER TABLE patients ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'inactive', 'deceased'));
ALTER TABLE patients ADD COLUMN entered_in_error INTEGER NOT NULL DEFAULT 0 CHECK (entered_in_error IN (0, 1));
-- The record as a whole (names, contact, address, emergency contact, insurance, note), as JSON.
ALTER TABLE patients ADD COLUMN record TEXT NOT NULL DEFAULT '{}';
-- A merged duplicate becomes an alias of the record it was merged into.
ALTER TABLE patients ADD COLUMN merged_into TEXT REFERENCES patients(id);
-- Flagged by an import (or a registration made despite a warning) for the Owner to look at.
ALTER TABLE patients ADD COLUMN needs_duplicate_review INTEGER NOT NULL DEFAULT 0
    CHECK (needs_duplicate_review IN (0, 1));
ALTER TABLE patients ADD COLUMN updated_at TEXT;

CREATE UNIQUE INDEX patients_by_number ON patients (number);
CREATE UNIQUE INDEX patients_by_mrn ON patients (mrn);
CREATE INDEX patients_by_date_of_birth ON patients (date_of_birth);
CREATE INDEX patients_by_alias ON patients (merged_into) WHERE merged_into IS NOT NULL;
CREATE INDEX patients_for_duplicate_review ON patients (number) WHERE needs_duplicate_review = 1;

CREATE TABLE mrn_sequence (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    next_number  INTEGER NOT NULL
) STRICT;

INSERT INTO mrn_sequence (id, next_number) VALUES (1, 100000);

-- Every version of every record, as it was saved, with who and when. Never changed.
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

CREATE TRIGGER patient_versions_are_append_only_update BEFORE UPDATE ON patient_versions
BEGIN
    SELECT RAISE(ABORT, 'patient versions cannot be changed');
END;

CREATE TRIGGER patient_versions_are_append_only_delete BEFORE DELETE ON patient_versions
BEGIN
    SELECT RAISE(ABORT, 'patient versions cannot be removed');
END;

-- Name search: each name part folded to lower-case ASCII (Müller -> muller, and the German
-- spelling mueller too), scanned by prefix in alphabetical order.
CREATE TABLE patient_name_tokens (
    token   TEXT NOT NULL,
    number  INTEGER NOT NULL,
    PRIMARY KEY (token, number)
) STRICT, WITHOUT ROWID;

CREATE INDEX patient_name_tokens_by_number ON patient_name_tokens (number, token);

-- Phone search: the digits of each number, reversed, so that the last digits (which do not
-- depend on how the country or area code was written) can be found by prefix.
CREATE TABLE patient_phone_keys (
    reversed_digits  TEXT NOT NULL,
    number           INTEGER NOT NULL,
    PRIMARY KEY (reversed_digits, number)
) STRICT, WITHOUT ROWID;

CREATE INDEX patient_phone_keys_by_number ON patient_phone_keys (number);

-- Merges and unmerges, for History and for undoing a merge exactly.
CREATE TABLE patient_merges (
    id           TEXT PRIMARY KEY,
    survivor_id  TEXT NOT NULL REFERENCES patients(id),
    merged_id    TEXT NOT NULL REFERENCES patients(id),
    merged_by    TEXT NOT NULL REFERENCES users(id),
    merged_at    TEXT NOT NULL,
    unmerged_by  TEXT REFERENCES users(id),
    unmerged_at  TEXT
) STRICT;

CREATE INDEX patient_merges_by_patient ON patient_merges (survivor_id, merged_at);

-- How the practice writes dates (for search and import): day first or month first.
ALTER TABLE practice ADD COLUMN date_order TEXT NOT NULL DEFAULT 'dmy' CHECK (date_order IN ('dmy', 'mdy'));

-- Importing patients is the Owner's by default; the Owner may allow it to other roles.
ALTER TABLE role_policies ADD COLUMN import_allowed INTEGER NOT NULL DEFAULT 0 CHECK (import_allowed IN (0, 1));
UPDATE role_policies SET import_allowed = 1 WHERE role = 'owner';

-- Appointments: one patient with one clinician (a user holding the Clinician role).
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

CREATE INDEX appointments_by_clinician ON appointments (clinician_id, starts_at);
CREATE INDEX appointments_by_patient ON appointments (patient_id, starts_at);
CREATE INDEX appointments_by_time ON appointments (starts_at);

-- Column mappings for importing patients from CSV, saved by name.
CREATE TABLE import_mappings (
    name      TEXT PRIMARY KEY,
    mapping   TEXT NOT NULL,
    saved_by  TEXT NOT NULL REFERENCES users(id),
    saved_at  TEXT NOT NULL
) STRICT;
