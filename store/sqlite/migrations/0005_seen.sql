-- Request signatures and event ids already handled, so that every instance
-- refuses a replay. expires_at is INTEGER unix nanoseconds (UTC); expired
-- rows are deleted as new ones come in.

CREATE TABLE seen (
    key        TEXT    NOT NULL PRIMARY KEY,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX seen_expires ON seen (expires_at);
