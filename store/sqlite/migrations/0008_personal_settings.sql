-- Personal settings for when breaks may reach someone and what they get:
-- working hours, quiet periods, time away, level, place preference, and a
-- count of runs passed over because of them.

ALTER TABLE users ADD COLUMN hours TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN quiet TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN away_until INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN level TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN level_since INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN level_offered INTEGER NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN prefer TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN skipped INTEGER NOT NULL DEFAULT 0;
