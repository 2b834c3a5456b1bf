-- The replay records no longer keep an index on expires_at: every signed
-- request that is not harmless inserts a key, and the index's entry (the
-- expiry and the whole key again) was one more page written at nearly
-- every commit. Expired keys are swept by walking the table in key order
-- instead, a stretch at a time (see sqlstore's sweepSeen).

DROP INDEX seen_expires;
