-- Instances learn at once which rotations of exercises another instance
-- wrote, so that what each keeps of a rotation in memory is read again
-- rather than drawn from, and written back over, for up to the cache's
-- ttl. The channel is apart from the users' (a listener of one hears
-- nothing of the other); the payload is a JSON array of the schema, the
-- tenant and the scope.
--
-- Unlike the last break, which 0018 leaves unreported, a rotation is
-- drawn from and written back: an instance drawing from an older copy
-- gives exercises just done on another instance again, and its write
-- drops them from the rotation. A write that changes nothing notifies
-- nobody. Notifications alike within a transaction are delivered once.

CREATE FUNCTION stretchbot_notify_rotation() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('stretchbot_rotations', json_build_array(current_schema(), NEW.tenant, NEW.scope)::text);
    RETURN NULL;
END
$$;

CREATE TRIGGER rotations_inserted AFTER INSERT ON rotations
    FOR EACH ROW EXECUTE FUNCTION stretchbot_notify_rotation();

CREATE TRIGGER rotations_changed AFTER UPDATE ON rotations
    FOR EACH ROW WHEN (OLD.used IS DISTINCT FROM NEW.used)
    EXECUTE FUNCTION stretchbot_notify_rotation();
