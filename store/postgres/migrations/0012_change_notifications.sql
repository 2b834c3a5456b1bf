-- Instances learn at once that a reminder was paused or deleted, so that a
-- run another instance claimed in the second before its time is looked up
-- again before it goes out, and dropped. The payload is the schema, a
-- space, and the reminder's id: the schema keeps deployments sharing a
-- database apart, the id names the run to check. Claims and deliveries
-- only move next_run later and change neither the pause nor the row's
-- existence, so they still notify nobody; an uninstall pausing a whole
-- tenant sends one notification per reminder it pauses.

CREATE FUNCTION stretchbot_notify_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        PERFORM pg_notify('stretchbot_due', current_schema() || ' ' || OLD.id);
    ELSE
        PERFORM pg_notify('stretchbot_due', current_schema() || ' ' || NEW.id);
    END IF;
    RETURN NULL;
END
$$;

-- Paused, or a timed pause that now lasts longer. A one-shot whose run is
-- claimed has next_run 0, so the next run is no condition here.
CREATE TRIGGER reminders_paused AFTER UPDATE OF paused, paused_until ON reminders
    FOR EACH ROW WHEN ((NEW.paused AND NOT OLD.paused)
        OR (NOT NEW.paused AND NEW.paused_until > OLD.paused_until))
    EXECUTE FUNCTION stretchbot_notify_changed();

-- Cancelled. A paused reminder has no run claimed that could still go out.
CREATE TRIGGER reminders_deleted AFTER DELETE ON reminders
    FOR EACH ROW WHEN (NOT OLD.paused)
    EXECUTE FUNCTION stretchbot_notify_changed();
