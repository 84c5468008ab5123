CREATE TABLE audit_log ( seq INTEGER PRIMARY KEY, occurred_at TEXT NOT NULL, user_id TEXT, username TEXT, roles TEXT NOT NULL, workstation_id TEXT NOT NULL, action TEXT NOT NULL, patient_id TEXT, object_type TEXT, object_id TEXT, data_category TEXT, outcome TEXT NOT NULL CHECK (outcome IN ('success', 'denied', 'failed')), reason TEXT, emergency_access INTEGER NOT NULL DEFAULT 0 CHECK (emergency_access IN (0, 1)), details TEXT NOT NULL, prev_hash BLOB NOT NULL, hash BLOB NOT NULL ) STRICT;
CREATE TABLE practice ( id INTEGER PRIMARY KEY CHECK (id = 1), vault_id TEXT NOT NULL, name TEXT NOT NULL, created_at TEXT NOT NULL ) STRICT;
CREATE TABLE user_roles ( user_id TEXT NOT NULL REFERENCES users(id), role TEXT NOT NULL CHECK (role IN ('owner', 'clinician', 'front_desk', 'auditor')), PRIMARY KEY (user_id, role) ) STRICT;
CREATE TABLE users ( id TEXT PRIMARY KEY, username TEXT NOT NULL UNIQUE, full_name TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)), created_at TEXT NOT NULL ) STRICT;
CREATE INDEX audit_log_by_patient ON audit_log (patient_id, seq) WHERE patient_id IS NOT NULL;
CREATE INDEX audit_log_by_user ON audit_log (user_id, seq);
CREATE TRIGGER audit_log_is_append_only_delete BEFORE DELETE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit entries cannot be removed'); END;
CREATE TRIGGER audit_log_is_append_only_update BEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit entries cannot be changed'); END;
