-- PostgreSQL's 0012 adds triggers that tell other instances which
-- reminders were paused or deleted. A SQLite file is shared only by
-- processes on one machine, and the version is kept in step.
SELECT 1;
