-- The snoozes still to come, per tenant, for `list`. Only snoozes are in
-- it: a scheduled run's occurrence, written on every run, never is.
CREATE INDEX occurrences_snoozes ON occurrences (tenant, at) WHERE kind = 'snooze' AND state IN ('pending', 'claimed');
