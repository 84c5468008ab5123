-- Chartkeep schema 2: access control. Temporary passwords, per-role policies (idle timeout,
-- second factor, emergency access), the emergency-access duration, second factors, a minimal
-- patient row, and emergency accesses.

ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0
    CHECK (must_change_password IN (0, 1));

CREATE TABLE role_policies (
    role                      TEXT PRIMARY KEY
                              CHECK (role IN ('owner', 'clinician', 'front_desk', 'auditor')),
    idle_timeout_minutes      INTEGER NOT NULL CHECK (idle_timeout_minutes BETWEEN 1 AND 60),
    mfa_required              INTEGER NOT NULL CHECK (mfa_required IN (0, 1)),
    emergency_access_allowed  INTEGER NOT NULL CHECK (emergency_access_allowed IN (0, 1))
) STRICT;

INSERT INTO role_policies (role, idle_timeout_minutes, mfa_required, emergency_access_allowed) VALUES
    ('owner', 10, 1, 1),
    ('clinician', 10, 0, 0),
    ('front_desk', 5, 0, 1),
    ('auditor', 10, 1, 0);

ALTER TABLE practice ADD COLUMN emergency_access_minutes INTEGER NOT NULL DEFAULT 60
    CHECK (emergency_access_minutes BETWEEN 5 AND 480);

-- Second factor: a TOTP secret per enrolled user (inside the encrypted database), the last time
-- step accepted (each code is accepted once), and single-use recovery codes, stored as HMACs.
CREATE TABLE second_factors (
    user_id         TEXT PRIMARY KEY REFERENCES users(id),
    totp_secret     BLOB NOT NULL,
    last_used_step  INTEGER NOT NULL DEFAULT 0,
    enrolled_at     TEXT NOT NULL
) STRICT;

CREATE TABLE second_factor_recovery_codes (
    user_id    TEXT NOT NULL REFERENCES users(id),
    code_hash  TEXT NOT NULL,
    used_at    TEXT,
    PRIMARY KEY (user_id, code_hash)
) STRICT;

-- A minimal patient row, until the patient records capability gives patients their fields.
CREATE TABLE patients (
    id          TEXT PRIMARY KEY,
    created_at  TEXT NOT NULL
) STRICT;

-- Emergency ("break-glass") access: one user, one patient, for a limited time, with the reason
-- they typed. The reason may name the patient's situation, so it lives here (encrypted) and the
-- audit entries refer to the access by its id.
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

CREATE INDEX emergency_accesses_by_user_and_patient ON emergency_accesses (user_id, patient_id, expires_at);
CREATE INDEX emergency_accesses_unreviewed ON emergency_accesses (started_at) WHERE reviewed_at IS NULL;
