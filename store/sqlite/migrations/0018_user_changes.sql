-- Processes sharing one file tell each other which users were written, so
-- that what each keeps of a user in memory (settings, last break, the
-- user's own rotation) is read again. NotifyUserChanges reads this log by
-- sequence, as NotifyChanges reads reminder_changes.
--
-- Every column a process keeps in memory is watched, last_break with the
-- settings: `done` credits the last break its process knows of, and a
-- settings change written from a stale copy would put an old last break
-- back. skipped alone is not: it is counted for every run passed over (a
-- whole night of them for users outside working hours), only shown by
-- `stats`, and never written back from memory; a cached count is at most
-- the cache's ttl old. An upsert that changes nothing logs nothing.
--
-- seq is a plain rowid rather than AUTOINCREMENT, which would also write
-- sqlite_sequence on every `break`; pruning keeps the last row so that
-- numbers never go back.

CREATE TABLE user_changes (
    seq     INTEGER PRIMARY KEY,
    tenant  TEXT    NOT NULL,
    user_id TEXT    NOT NULL,
    at      INTEGER NOT NULL -- unix seconds, what pruning goes by
);

CREATE TRIGGER user_changes_inserted AFTER INSERT ON users
BEGIN
    INSERT INTO user_changes (tenant, user_id, at) VALUES (NEW.tenant, NEW.id, unixepoch());
END;

CREATE TRIGGER user_changes_updated AFTER UPDATE OF zone, last_break, last_break_key, hours, quiet,
        away_until, level, level_since, level_offered, prefer ON users
    FOR EACH ROW WHEN OLD.zone IS NOT NEW.zone OR OLD.last_break IS NOT NEW.last_break
        OR OLD.last_break_key IS NOT NEW.last_break_key OR OLD.hours IS NOT NEW.hours
        OR OLD.quiet IS NOT NEW.quiet OR OLD.away_until IS NOT NEW.away_until
        OR OLD.level IS NOT NEW.level OR OLD.level_since IS NOT NEW.level_since
        OR OLD.level_offered IS NOT NEW.level_offered OR OLD.prefer IS NOT NEW.prefer
BEGIN
    INSERT INTO user_changes (tenant, user_id, at) VALUES (NEW.tenant, NEW.id, unixepoch());
END;
