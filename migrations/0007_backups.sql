-- Chartkeep schema 7: encrypted backups. The Owner's settings (where backups go, when they are
-- made, how many are kept, further recipients) and the list of backups made, each with the
-- result of its verification.

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

INSERT INTO backup_settings (id, on_log_off_after_hours) VALUES (1, 24);

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

CREATE INDEX backups_by_time ON backups (created_at);
