-- Chartkeep schema 8: what the vault trusts outside this database, recorded inside it, so that
-- a file in the data folder changed by someone without the database key is noticed at unlock.

-- The key-slot file as the vault last wrote it: its generation and its authenticated body (the
-- recovery recipient and each user's public recipient among it). Backups take the recovery
-- recipient from here, never from the file alone.
CREATE TABLE vault_key_slots (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    generation  INTEGER NOT NULL CHECK (generation >= 1),
    body        TEXT NOT NULL
) STRICT;

-- Keys the practice keeps across a rotation of the database key (the audit chain's HMAC key, the
-- second factor's recovery codes' key). They were derived from the database key before schema
-- 8, and are recorded with that same value at the first unlock, so nothing written before
-- changes meaning.
CREATE TABLE practice_keys (
    purpose  TEXT PRIMARY KEY,
    key      BLOB NOT NULL CHECK (length(key) = 32)
) STRICT;

-- Database keys replaced by a rotation, so the backups made before it can still be verified
-- from the list. Reading them takes the current key, which opens everything they open.
CREATE TABLE retired_database_keys (
    retired_at  TEXT NOT NULL,
    key         BLOB NOT NULL CHECK (length(key) = 32)
) STRICT;

-- A rotation of the database key that was asked for (a user was deactivated) and has not been
-- completed: the Owner is told until it is.
CREATE TABLE database_key_rotation (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    needed_since  TEXT NOT NULL,
    reason        TEXT NOT NULL CHECK (reason IN ('user_deactivated', 'interrupted'))
) STRICT;

-- Integrity alerts about what lies outside the database, beside those about the audit chain:
-- the anchor missing or unreadable, the key-slot file altered or rolled back, the buffered
-- sign-in events forged or removed, the sign-in throttle's state tampered with, and a backup
-- sealed to recipients the database did not record.
CREATE TABLE audit_integrity_alerts_8 (
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

INSERT INTO audit_integrity_alerts_8 SELECT * FROM audit_integrity_alerts;
DROP TABLE audit_integrity_alerts;
ALTER TABLE audit_integrity_alerts_8 RENAME TO audit_integrity_alerts;
CREATE INDEX audit_integrity_alerts_open ON audit_integrity_alerts (detected_at) WHERE acknowledged_at IS NULL;
