-- The change log of 0014 also carries the two changes to a reminder that
-- move nothing earlier and stop no run, which the scheduler alone did not
-- need: a paused reminder deleted, and a timed pause shortened or lifted
-- while the reminder stays active. Processes that keep what `list` shows
-- in memory read it again when they hear of them. Both are logged as rows
-- naming no reminder: to a scheduler they only mean that work may be due
-- sooner.

-- Cancelled while paused.
CREATE TRIGGER reminder_changes_deleted_paused AFTER DELETE ON reminders
    FOR EACH ROW WHEN OLD.paused
BEGIN
    INSERT INTO reminder_changes (reminder, at) VALUES ('', unixepoch());
END;

-- A timed pause made shorter, or lifted.
CREATE TRIGGER reminder_changes_pause_shortened AFTER UPDATE OF paused_until ON reminders
    FOR EACH ROW WHEN NOT NEW.paused AND NEW.paused_until < OLD.paused_until
BEGIN
    INSERT INTO reminder_changes (reminder, at) VALUES ('', unixepoch());
END;
