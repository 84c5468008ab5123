-- Chartkeep schema 2: access control. Temporary passwords, per-role policies (idle timeout,
-- second factor; the emergency-access switch holds its default for that feature, as does the
-- practice-wide emergency-access duration), and second factors.

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
