-- Chartkeep schema 5: the clinical chart. Encounters with a SOAP note that its author drafts
-- and signs (a signed note never changes; corrections are addenda), and allergies, medications
-- and problems, each item keeping every version.

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

CREATE INDEX encounters_by_patient ON encounters (patient_id, occurred_at);
CREATE INDEX encounters_drafts_by_author ON encounters (author_id, patient_id) WHERE status = 'draft';

-- What was signed stays as it was signed: no change to a signed note, and notes are never
-- removed (a draft may be discarded by its author).
CREATE TRIGGER encounters_signed_are_immutable BEFORE UPDATE ON encounters WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'a signed note cannot be changed; add an addendum');
END;

CREATE TRIGGER encounters_signed_are_kept BEFORE DELETE ON encounters WHEN OLD.status = 'signed'
BEGIN
    SELECT RAISE(ABORT, 'a signed note cannot be removed');
END;

CREATE TABLE encounter_addenda (
    id                    TEXT PRIMARY KEY,
    encounter_id          TEXT NOT NULL REFERENCES encounters(id),
    author_id             TEXT NOT NULL REFERENCES users(id),
    written_at            TEXT NOT NULL,
    text                  TEXT NOT NULL,
    amendment_request_id  TEXT REFERENCES amendment_requests(id)
) STRICT;

CREATE INDEX encounter_addenda_by_encounter ON encounter_addenda (encounter_id, written_at);

CREATE TRIGGER encounter_addenda_are_append_only_update BEFORE UPDATE ON encounter_addenda
BEGIN
    SELECT RAISE(ABORT, 'addenda cannot be changed');
END;

CREATE TRIGGER encounter_addenda_are_append_only_delete BEFORE DELETE ON encounter_addenda
BEGIN
    SELECT RAISE(ABORT, 'addenda cannot be removed');
END;

-- Allergies, medications and problems: the item's current state here, every version in
-- chart_item_versions. "No known allergies" is an allergy item of its own.
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

CREATE INDEX chart_items_by_patient ON chart_items (patient_id, kind);

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

CREATE TRIGGER chart_item_versions_are_append_only_update BEFORE UPDATE ON chart_item_versions
BEGIN
    SELECT RAISE(ABORT, 'item versions cannot be changed');
END;

CREATE TRIGGER chart_item_versions_are_append_only_delete BEFORE DELETE ON chart_item_versions
BEGIN
    SELECT RAISE(ABORT, 'item versions cannot be removed');
END;

-- Whether a role may sign notes it did not write (co-signing), set by the Owner.
ALTER TABLE role_policies ADD COLUMN co_sign_allowed INTEGER NOT NULL DEFAULT 0 CHECK (co_sign_allowed IN (0, 1));
