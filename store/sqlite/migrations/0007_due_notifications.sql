-- PostgreSQL's 0007 adds triggers that notify other instances of work due
-- sooner. A SQLite file is shared only by processes on one machine, which
-- find changes at their next refill; the version is kept in step.
SELECT 1;
