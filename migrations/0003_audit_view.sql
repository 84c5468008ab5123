-- Chartkeep schema 3: the audit view. Indexes for its filters and sort orders, integrity alerts
-- raised when the chain disagrees with its anchor outside the database, the latest verification
-- for the status line, and the accounting of disclosures and amendment requests (append-only).

CREATE INDEX audit_log_by_time ON audit_log (occurred_at, seq);
CREATE INDEX audit_log_by_action ON audit_log (action, seq);
CREATE INDEX audit_log_by_outcome ON audit_log (outcome, seq);
CREATE INDEX audit_log_by_username ON audit_log (username, seq);
CREATE INDEX audit_log_by_category ON audit_log (data_category, seq);
CREATE INDEX audit_log_under_emergency_access ON audit_log (seq) WHERE emergency_access = 1;
-- One user's entries in a period, sorted by any column, without reading the entries themselves.
CREATE INDEX audit_log_by_user_and_time ON audit_log
    (user_id, occurred_at, action, outcome, data_category, emergency_access, patient_id);

-- An alert stays until the Owner or Auditor acknowledges it; acknowledging keeps the row.
CREATE TABLE audit_integrity_alerts (
    id               TEXT PRIMARY KEY,
    detected_at      TEXT NOT NULL,
    kind             TEXT NOT NULL
                     CHECK (kind IN ('chain_shorter_than_anchor', 'anchor_entry_differs', 'chain_broken')),
    seq              INTEGER,
    description      TEXT NOT NULL,
    acknowledged_by  TEXT REFERENCES users(id),
    acknowledged_at  TEXT,
    acknowledgement  TEXT
) STRICT;

CREATE INDEX audit_integrity_alerts_open ON audit_integrity_alerts (detected_at) WHERE acknowledged_at IS NULL;

-- The latest check of the chain, for the audit view's status line. The audit trail itself
-- records every verification; this row only saves searching for the latest.
CREATE TABLE audit_chain_status (
    id                INTEGER PRIMARY KEY CHECK (id = 1),
    checked_at        TEXT NOT NULL,
    scope             TEXT NOT NULL CHECK (scope IN ('since_anchor', 'whole_chain', 'full')),
    verified_through  INTEGER,
    intact            INTEGER NOT NULL CHECK (intact IN (0, 1))
) STRICT;

-- Accounting of disclosures: what left the practice, to whom and why. Rows are never changed:
-- a correction is a new row that names the row it corrects and says why.
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

CREATE INDEX disclosures_by_patient ON disclosures (patient_id, disclosed_on);
CREATE UNIQUE INDEX disclosures_corrected_once ON disclosures (corrects_id) WHERE corrects_id IS NOT NULL;

CREATE TRIGGER disclosures_are_append_only_update BEFORE UPDATE ON disclosures
BEGIN
    SELECT RAISE(ABORT, 'disclosures cannot be changed; record a correction');
END;

CREATE TRIGGER disclosures_are_append_only_delete BEFORE DELETE ON disclosures
BEGIN
    SELECT RAISE(ABORT, 'disclosures cannot be removed; record a correction');
END;

-- Amendment requests: a patient asks for a correction of their record. The request and the
-- decision are each kept as they were made; a request is decided once.
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

CREATE INDEX amendment_requests_by_patient ON amendment_requests (patient_id, received_on);

-- An accepted amendment names what it was appended to (the item's new version or addendum).
CREATE TABLE amendment_decisions (
    request_id         TEXT PRIMARY KEY REFERENCES amendment_requests(id),
    decision           TEXT NOT NULL CHECK (decision IN ('accepted', 'denied')),
    reason             TEXT NOT NULL,
    applied_item_type  TEXT,
    applied_item_id    TEXT,
    decided_by         TEXT NOT NULL REFERENCES users(id),
    decided_at         TEXT NOT NULL
) STRICT;

CREATE TRIGGER amendment_requests_are_append_only_update BEFORE UPDATE ON amendment_requests
BEGIN
    SELECT RAISE(ABORT, 'amendment requests cannot be changed');
END;

CREATE TRIGGER amendment_requests_are_append_only_delete BEFORE DELETE ON amendment_requests
BEGIN
    SELECT RAISE(ABORT, 'amendment requests cannot be removed');
END;

CREATE TRIGGER amendment_decisions_are_append_only_update BEFORE UPDATE ON amendment_decisions
BEGIN
    SELECT RAISE(ABORT, 'amendment decisions cannot be changed');
END;

CREATE TRIGGER amendment_decisions_are_append_only_delete BEFORE DELETE ON amendment_decisions
BEGIN
    SELECT RAISE(ABORT, 'amendment decisions cannot be removed');
END;
