-- Initial schema. Every time column is BIGINT unix nanoseconds (UTC); 0
-- stands for the zero time.Time ("never", "not set"). TIMESTAMPTZ would
-- round to microseconds and break compare-and-set on NextRun.

CREATE TABLE users (
    tenant         TEXT   NOT NULL,
    id             TEXT   NOT NULL,
    zone           TEXT   NOT NULL DEFAULT '',
    last_break     BIGINT NOT NULL DEFAULT 0,
    last_break_key TEXT   NOT NULL DEFAULT '',
    PRIMARY KEY (tenant, id)
);

CREATE TABLE completions (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- insertion order breaks ties on at
    tenant   TEXT   NOT NULL,
    user_id  TEXT   NOT NULL,
    channel  TEXT   NOT NULL DEFAULT '',
    key      TEXT   NOT NULL,
    kind     TEXT   NOT NULL,
    reminder TEXT   NOT NULL DEFAULT '',
    at       BIGINT NOT NULL DEFAULT 0,
    UNIQUE (tenant, key, kind, user_id) -- also serves CountCompletions
);
CREATE INDEX completions_user_at ON completions (tenant, user_id, at);

CREATE TABLE rotations (
    tenant TEXT NOT NULL,
    scope  TEXT NOT NULL,
    used   TEXT NOT NULL DEFAULT '[]', -- JSON array of exercise ids
    PRIMARY KEY (tenant, scope)
);

CREATE TABLE reminders (
    id               TEXT    PRIMARY KEY,
    tenant           TEXT    NOT NULL,
    platform         TEXT    NOT NULL DEFAULT '',
    kind             TEXT    NOT NULL,
    owner            TEXT    NOT NULL DEFAULT '',
    channel          TEXT    NOT NULL DEFAULT '',
    channel_name     TEXT    NOT NULL DEFAULT '',
    rule             TEXT    NOT NULL DEFAULT '',
    zone             TEXT    NOT NULL DEFAULT '',
    note             TEXT    NOT NULL DEFAULT '',
    routine_minutes  INTEGER NOT NULL DEFAULT 0,
    routine_place    TEXT    NOT NULL DEFAULT '',
    routine_category TEXT    NOT NULL DEFAULT '',
    paused           BOOLEAN NOT NULL DEFAULT FALSE,
    paused_until     BIGINT  NOT NULL DEFAULT 0,
    next_run         BIGINT  NOT NULL DEFAULT 0,
    last_run         BIGINT  NOT NULL DEFAULT 0,
    last_message     TEXT    NOT NULL DEFAULT '',
    created_at       BIGINT  NOT NULL DEFAULT 0
);
-- DueReminders is a range scan of this partial index, stopped by LIMIT.
CREATE INDEX reminders_due ON reminders (next_run, id) WHERE next_run > 0 AND NOT paused;
-- Reminders (the list commands) is a union of two scans of these.
CREATE INDEX reminders_owner ON reminders (tenant, owner, kind);
CREATE INDEX reminders_channel ON reminders (tenant, channel, kind);

CREATE TABLE occurrences (
    reminder     TEXT    NOT NULL REFERENCES reminders (id) ON DELETE CASCADE,
    tenant       TEXT    NOT NULL,
    at           BIGINT  NOT NULL,
    kind         TEXT    NOT NULL,
    state        TEXT    NOT NULL,
    owner        TEXT    NOT NULL DEFAULT '',
    lease_until  BIGINT  NOT NULL DEFAULT 0,
    attempts     INTEGER NOT NULL DEFAULT 0,
    late         BOOLEAN NOT NULL DEFAULT FALSE,
    message_id   TEXT    NOT NULL DEFAULT '',
    delivered_at BIGINT  NOT NULL DEFAULT 0,
    last_error   TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (reminder, at, kind)
);
-- OpenOccurrences scans only the open ones, in lease order.
CREATE INDEX occurrences_open ON occurrences (lease_until) WHERE state IN ('pending', 'claimed');
