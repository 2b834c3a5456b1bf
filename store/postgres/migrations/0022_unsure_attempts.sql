-- An occurrence remembers whether its latest attempt may have reached the
-- platform unrecorded: a claim or takeover sets it (the holder may stop
-- between the post and its record), a retry stores what the scheduler
-- knew of the failure. Whoever takes it over with unsure set looks for
-- the earlier post before posting again, where the platform lets it.
-- TRUE by default so that a claim, however inserted, counts as unsure;
-- a snooze not yet claimed has nothing to look for.

ALTER TABLE occurrences ADD COLUMN unsure BOOLEAN NOT NULL DEFAULT TRUE;
UPDATE occurrences SET unsure = FALSE WHERE state = 'pending';
