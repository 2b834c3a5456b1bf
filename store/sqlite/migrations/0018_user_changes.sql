-- Processes sharing one file tell each other which users' settings changed,
-- so that what each keeps of a user in memory is read again.
-- NotifyUserChanges reads this log by sequence, as NotifyChanges reads
-- reminder_changes.
--
-- A new user and a change to a setting are logged. The last break is not:
-- `break` writes it on every request, and a row here would cost each one
-- about a third more write (a page more to commit). Commands that need the
-- latest last break read it from the file (`done` credits it; a settings
-- change writes it back), so a stale one in memory is never used. Neither
-- is the count of runs passed over: the scheduler bumps it for every run
-- it skips, only `stats` shows it, and nothing writes it back from memory,
-- so it is at most the cache's ttl old. An upsert that changes no setting
-- logs nothing.
--
-- seq is a plain rowid rather than AUTOINCREMENT, which would also write
-- sqlite_sequence; pruning keeps the last row so that numbers never go
-- back.

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

CREATE TRIGGER user_changes_updated AFTER UPDATE OF zone, hours, quiet, away_until, level, level_since,
        level_offered, prefer ON users
    FOR EACH ROW WHEN OLD.zone IS NOT NEW.zone OR OLD.hours IS NOT NEW.hours
        OR OLD.quiet IS NOT NEW.quiet OR OLD.away_until IS NOT NEW.away_until
        OR OLD.level IS NOT NEW.level OR OLD.level_since IS NOT NEW.level_since
        OR OLD.level_offered IS NOT NEW.level_offered OR OLD.prefer IS NOT NEW.prefer
BEGIN
    INSERT INTO user_changes (tenant, user_id, at) VALUES (NEW.tenant, NEW.id, unixepoch());
END;
