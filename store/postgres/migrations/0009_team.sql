-- Team wellbeing: each channel's holiday calendar and weekly summary, every
-- run of a team break (held, or passed over with the reason) for stats and
-- summaries, and the people who agreed to be named in them. at is BIGINT
-- unix nanoseconds (UTC).

CREATE TABLE channel_settings (
    tenant   TEXT NOT NULL,
    channel  TEXT NOT NULL,
    holidays TEXT NOT NULL DEFAULT '',
    summary  TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant, channel)
);

CREATE TABLE team_runs (
    reminder TEXT    NOT NULL,
    at       BIGINT NOT NULL,
    tenant   TEXT    NOT NULL,
    channel  TEXT    NOT NULL,
    skipped  TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (reminder, at)
);
CREATE INDEX team_runs_channel ON team_runs (tenant, channel, at);

CREATE TABLE public_users (
    tenant  TEXT NOT NULL,
    user_id TEXT NOT NULL,
    name    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (tenant, user_id)
);
