-- Request signatures and event ids already handled, so that every instance
-- refuses a replay. expires_at is BIGINT unix nanoseconds (UTC); expired
-- rows are deleted as new ones come in.

CREATE TABLE seen (
    key        TEXT   NOT NULL PRIMARY KEY,
    expires_at BIGINT NOT NULL
);
CREATE INDEX seen_expires ON seen (expires_at);
