-- The run a reminder's latest claim took. Its delivery, recorded on the
-- occurrence alone, shows as the reminder's LastRun, LastMessage and
-- LastRoutine until the next claim copies it onto the reminder: a run then
-- rewrites the reminder once (its claim), not twice. 0: no claim since.
ALTER TABLE reminders ADD COLUMN claimed_run BIGINT NOT NULL DEFAULT 0;
