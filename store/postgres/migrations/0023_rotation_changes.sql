-- Instances learn at once which rotations of exercises another instance
-- wrote, so that what each keeps of a rotation in memory is read again
-- rather than drawn from, and written back over, for up to the cache's
-- ttl. The channel is apart from the users' (a listener of one hears
-- nothing of the other); the payload is a JSON array of the schema, the
-- tenant, the scope and the rotation as written (its JSON text), with
-- which the instance that wrote it keeps its copy rather than read it
-- back: a break writes its rotation every time. A rotation too long for a
-- notification's payload is left out of it, and every instance reads it
-- again.
--
-- Unlike the last break, which 0018 leaves unreported, a rotation is
-- drawn from and written back: an instance drawing from an older copy
-- gives exercises just done on another instance again, and its write
-- drops them from the rotation. A write that changes nothing notifies
-- nobody.

CREATE FUNCTION stretchbot_notify_rotation() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    payload TEXT := json_build_array(current_schema(), NEW.tenant, NEW.scope, NEW.used)::text;
BEGIN
    IF octet_length(payload) >= 8000 THEN
        payload := json_build_array(current_schema(), NEW.tenant, NEW.scope)::text;
    END IF;
    PERFORM pg_notify('stretchbot_rotations', payload);
    RETURN NULL;
END
$$;

CREATE TRIGGER rotations_inserted AFTER INSERT ON rotations
    FOR EACH ROW EXECUTE FUNCTION stretchbot_notify_rotation();

CREATE TRIGGER rotations_changed AFTER UPDATE ON rotations
    FOR EACH ROW WHEN (OLD.used IS DISTINCT FROM NEW.used)
    EXECUTE FUNCTION stretchbot_notify_rotation();
