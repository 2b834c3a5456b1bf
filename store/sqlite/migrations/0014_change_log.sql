-- Processes sharing one file tell each other of changes through this log,
-- which NotifyChanges reads by sequence (SQLite has no LISTEN/NOTIFY). It
-- carries what PostgreSQL's 0007 and 0012 notify: work due sooner than the
-- others knew (a reminder created or resumed, a snooze queued), as a row
-- naming no reminder, and a reminder paused, paused for longer or deleted,
-- as a row naming it, so that a run another process claimed in the second
-- before its time is looked up again before it goes out.
--
-- The triggers look only at the pause, the row's existence and new
-- occurrences' state, never at next_run: claims and deliveries, which move
-- next_run later and record runs, write nothing here and wake nobody.
-- (A run moved earlier is logged by AdvanceReminder itself.)
--
-- seq is AUTOINCREMENT so that it never goes back, even once every row is
-- pruned; at (unix seconds) is what pruning goes by.

CREATE TABLE reminder_changes (
    seq      INTEGER PRIMARY KEY AUTOINCREMENT,
    reminder TEXT    NOT NULL, -- '' when the change only made work due sooner
    at       INTEGER NOT NULL
);

-- Paused, or a timed pause that now lasts longer. A one-shot whose run is
-- claimed has next_run 0, so the next run is no condition here.
CREATE TRIGGER reminder_changes_paused AFTER UPDATE OF paused, paused_until ON reminders
    FOR EACH ROW WHEN (NEW.paused AND NOT OLD.paused)
        OR (NOT NEW.paused AND NEW.paused_until > OLD.paused_until)
BEGIN
    INSERT INTO reminder_changes (reminder, at) VALUES (NEW.id, unixepoch());
END;

-- Cancelled. A paused reminder has no run claimed that could still go out.
CREATE TRIGGER reminder_changes_deleted AFTER DELETE ON reminders
    FOR EACH ROW WHEN NOT OLD.paused
BEGIN
    INSERT INTO reminder_changes (reminder, at) VALUES (OLD.id, unixepoch());
END;

-- Created (a finished one only costs the others a refill).
CREATE TRIGGER reminder_changes_created AFTER INSERT ON reminders
    FOR EACH ROW WHEN NOT NEW.paused
BEGIN
    INSERT INTO reminder_changes (reminder, at) VALUES ('', unixepoch());
END;

-- Resumed.
CREATE TRIGGER reminder_changes_resumed AFTER UPDATE OF paused ON reminders
    FOR EACH ROW WHEN OLD.paused AND NOT NEW.paused
BEGIN
    INSERT INTO reminder_changes (reminder, at) VALUES ('', unixepoch());
END;

-- A snooze (or any occurrence) queued. Claims insert claimed ones.
CREATE TRIGGER reminder_changes_queued AFTER INSERT ON occurrences
    FOR EACH ROW WHEN NEW.state = 'pending'
BEGIN
    INSERT INTO reminder_changes (reminder, at) VALUES ('', unixepoch());
END;
