-- Chartkeep schema 2: access control. Temporary passwords, per-role policies (idle timeout;
-- the second-factor and emergency-access switches hold their defaults for the features that
-- follow) and the practice-wide emergency-access duration.

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
