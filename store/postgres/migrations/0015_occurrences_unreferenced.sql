-- Occurrences name their reminder without a foreign key. The key checked
-- every occurrence a claim inserted, although the claim has just read and
-- locked that reminder in the same statement: a query per delivery, about
-- a tenth of the server's work in a burst. Deleting a reminder deletes its
-- occurrences itself, after the reminder (so it also sees those a claim
-- that held the reminder committed meanwhile), and a snooze locks the
-- reminder it is added to, so that neither leaves an occurrence without
-- its reminder.
ALTER TABLE occurrences DROP CONSTRAINT IF EXISTS occurrences_reminder_fkey;
