-- Instances learn at once of work that became due sooner than they knew:
-- a new or resumed reminder, a next run moved earlier, a snooze. Claims and
-- deliveries move work later and notify nobody. The payload is the schema,
-- so that databases shared by several deployments (or tests) can tell
-- their own notifications apart.

CREATE FUNCTION stretchbot_notify_due() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stretchbot_due', current_schema());
    RETURN NULL;
END
$$;

CREATE TRIGGER reminders_due_insert AFTER INSERT ON reminders
    FOR EACH ROW WHEN (NEW.next_run > 0 AND NOT NEW.paused)
    EXECUTE FUNCTION stretchbot_notify_due();

CREATE TRIGGER reminders_due_update AFTER UPDATE OF next_run, paused ON reminders
    FOR EACH ROW WHEN (NEW.next_run > 0 AND NOT NEW.paused
        AND (OLD.paused OR OLD.next_run = 0 OR NEW.next_run < OLD.next_run))
    EXECUTE FUNCTION stretchbot_notify_due();

CREATE TRIGGER occurrences_due_insert AFTER INSERT ON occurrences
    FOR EACH ROW WHEN (NEW.state = 'pending')
    EXECUTE FUNCTION stretchbot_notify_due();
