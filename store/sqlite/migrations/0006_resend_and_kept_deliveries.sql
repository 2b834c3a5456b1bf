-- What a delivery carried, so a snooze sends the same routine again, and
-- the delivered runs of deleted reminders, so Done and Join on them count.

-- The routine of the latest delivery (bot.RoutineSpec: "id:seconds …").
ALTER TABLE reminders ADD COLUMN last_routine TEXT NOT NULL DEFAULT '';
-- A snooze names the run it repeats and the routine it sends again.
ALTER TABLE occurrences ADD COLUMN repeats INTEGER NOT NULL DEFAULT 0;
ALTER TABLE occurrences ADD COLUMN routine TEXT NOT NULL DEFAULT '';

-- Delivered runs of deleted reminders, copied when the reminder is deleted
-- (its occurrences go with it), with whose they were and where posted.
CREATE TABLE kept_deliveries (
    reminder TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    tenant   TEXT    NOT NULL,
    platform TEXT    NOT NULL DEFAULT '',
    kind     TEXT    NOT NULL,
    owner    TEXT    NOT NULL DEFAULT '',
    channel  TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (reminder, at)
) WITHOUT ROWID;
