-- Occurrences name their reminder without a foreign key. The key checked
-- every occurrence a claim inserted, although the claim has just read and
-- locked that reminder in the same statement: a query per delivery, about
-- a tenth of the server's work in a burst. Deleting a reminder deletes its
-- occurrences itself, after the reminder (so it also sees those a claim
-- that held the reminder committed meanwhile), and a snooze locks the
-- reminder it is added to, so that neither leaves an occurrence without
-- its reminder.
ALTER TABLE occurrences DROP CONSTRAINT IF EXISTS occurrences_reminder_fkey;

-- The text keys a delivery looks up and indexes compare bytes (COLLATE
-- "C") rather than by the database's locale: every step down a B-tree of
-- reminders or occurrences compared ids through the locale's collation,
-- nearly a tenth of the server's work in a burst. Ids, tenants, owners, channels
-- and kinds are identifiers, not prose; byte order is also the order in
-- which SQLite and Go compare them. Only the indexes are rebuilt.
ALTER TABLE reminders ALTER COLUMN id TYPE TEXT COLLATE "C", ALTER COLUMN tenant TYPE TEXT COLLATE "C",
    ALTER COLUMN owner TYPE TEXT COLLATE "C", ALTER COLUMN channel TYPE TEXT COLLATE "C",
    ALTER COLUMN kind TYPE TEXT COLLATE "C";
ALTER TABLE occurrences ALTER COLUMN reminder TYPE TEXT COLLATE "C", ALTER COLUMN kind TYPE TEXT COLLATE "C";

-- The channel listing reads only channel schedules, so its index holds
-- only those: the claim of a personal reminder, which rewrites the row and
-- so adds an entry to each of its indexes, adds one fewer.
DROP INDEX reminders_channel;
CREATE INDEX reminders_channel ON reminders (tenant, channel) WHERE kind = 'channel';
