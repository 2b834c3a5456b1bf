-- Processes sharing one file tell each other which rotations of exercises
-- changed, so that what each keeps of a rotation in memory is read again
-- rather than drawn from, and written back over, for up to the cache's
-- ttl. NotifyRotationChanges reads this log by sequence, as
-- NotifyUserChanges reads user_changes. Each row holds the rotation as
-- written, with which the process that wrote it keeps its copy rather
-- than read it back: a break writes its rotation every time.
--
-- Unlike the last break, which 0018 leaves out, a rotation is drawn from
-- and written back: a process drawing from an older copy gives exercises
-- just done through another process again, and its write drops them from
-- the rotation. A write that changes nothing logs nothing.
--
-- seq is a plain rowid, as user_changes' is: pruning keeps the last row.

CREATE TABLE rotation_changes (
    seq    INTEGER PRIMARY KEY,
    tenant TEXT    NOT NULL,
    scope  TEXT    NOT NULL,
    used   TEXT    NOT NULL, -- as rotations.used
    at     INTEGER NOT NULL -- unix seconds, what pruning goes by
);

CREATE TRIGGER rotation_changes_inserted AFTER INSERT ON rotations
BEGIN
    INSERT INTO rotation_changes (tenant, scope, used, at) VALUES (NEW.tenant, NEW.scope, NEW.used, unixepoch());
END;

CREATE TRIGGER rotation_changes_updated AFTER UPDATE OF used ON rotations
    FOR EACH ROW WHEN OLD.used IS NOT NEW.used
BEGIN
    INSERT INTO rotation_changes (tenant, scope, used, at) VALUES (NEW.tenant, NEW.scope, NEW.used, unixepoch());
END;
