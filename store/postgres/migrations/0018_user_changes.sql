-- Instances learn at once which users' settings another instance changed,
-- so that what each keeps of a user in memory is read again. The channel is
-- apart from the scheduler's, which hears nothing of users; the payload is
-- a JSON array of the schema, the tenant and the user's id (ids may hold
-- any character).
--
-- A new user and a change to a setting notify. The last break does not:
-- `break` writes it on every request, and a notification would make every
-- one of those commits take the server's notification queue lock in turn.
-- Commands that need the latest last break read it from the database
-- (`done` credits it; a settings change writes it back), so a stale one in
-- memory is never used. Neither does the count of runs passed over: the
-- scheduler bumps it for every run it skips, only `stats` shows it, and
-- nothing writes it back from memory, so it is at most the cache's ttl
-- old. An upsert that changes no setting notifies nobody.

CREATE FUNCTION stretchbot_notify_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stretchbot_users', json_build_array(current_schema(), NEW.tenant, NEW.id)::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER users_inserted AFTER INSERT ON users
    FOR EACH ROW EXECUTE FUNCTION stretchbot_notify_user();

CREATE TRIGGER users_changed AFTER UPDATE ON users
    FOR EACH ROW WHEN ((OLD.zone, OLD.hours, OLD.quiet, OLD.away_until, OLD.level, OLD.level_since,
            OLD.level_offered, OLD.prefer)
        IS DISTINCT FROM (NEW.zone, NEW.hours, NEW.quiet, NEW.away_until, NEW.level, NEW.level_since,
            NEW.level_offered, NEW.prefer))
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
