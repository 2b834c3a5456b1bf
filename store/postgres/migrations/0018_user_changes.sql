-- Instances learn at once which users another instance wrote, so that what
-- each keeps of a user in memory (settings, last break, the user's own
-- rotation) is read again. The channel is apart from the scheduler's, which
-- hears nothing of users; the payload is a JSON array of the schema, the
-- tenant and the user's id (ids may hold any character).
--
-- Every column an instance keeps in memory is watched, last_break with the
-- settings: `done` credits the last break its instance knows of, and a
-- settings change written from a stale copy would put an old last break
-- back. skipped alone is not: it is counted for every run passed over (a
-- whole night of them for users outside working hours), only shown by
-- `stats`, and never written back from memory; a cached count is at most
-- the cache's ttl old. An upsert that changes nothing notifies nobody.

CREATE FUNCTION stretchbot_notify_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stretchbot_users', json_build_array(current_schema(), NEW.tenant, NEW.id)::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER users_inserted AFTER INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION stretchbot_notify_user();

CREATE TRIGGER users_changed AFTER UPDATE ON users
    FOR EACH ROW WHEN ((OLD.zone, OLD.last_break, OLD.last_break_key, OLD.hours, OLD.quiet, OLD.away_until,
            OLD.level, OLD.level_since, OLD.level_offered, OLD.prefer)
        IS DISTINCT FROM (NEW.zone, NEW.last_break, NEW.last_break_key, NEW.hours, NEW.quiet, NEW.away_until,
            NEW.level, NEW.level_since, NEW.level_offered, NEW.prefer))
    EXECUTE FUNCTION stretchbot_notify_user();

-- What `list` shows is also kept in memory now, as on SQLite, whose 0016
-- logs the two changes to a reminder that move nothing earlier and stop no
-- run: a paused reminder deleted, and a timed pause shortened or lifted
-- while the reminder stays active. They notify as work due sooner (the
-- schema alone): the scheduler only refills, and the lists are read again.

CREATE TRIGGER reminders_deleted_paused AFTER DELETE ON reminders
    FOR EACH ROW WHEN (OLD.paused)
    EXECUTE FUNCTION stretchbot_notify_due();

CREATE TRIGGER reminders_pause_shortened AFTER UPDATE OF paused_until ON reminders
    FOR EACH ROW WHEN (NOT NEW.paused AND NEW.paused_until < OLD.paused_until)
    EXECUTE FUNCTION stretchbot_notify_due();
