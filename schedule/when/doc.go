// Package when reads <when> expressions into rules, describes rules in
// words and stores them as canonical specs. Parser.Parse reads what a user
// types, in the user's zone, at a given instant:
//
//	in 20 minutes | in 2h | in 1 hour 30 minutes | in a minute
//	at 15:30 | at 3pm | at noon | at 9:15 tomorrow | at 10am on friday | on 2027-01-04 at 8am
//	at 9 on 14 march | at 9 on march 14, 2027
//	every 45 minutes | every hour | every 2 hours between 9:00 and 17:00 on weekdays
//	every day at 10:30 | every weekday at 10:30 and 15:00 | every mon,wed,fri at 11am | weekdays at 9
//	cron "*/30 9-17 * * 1-5" | cron "CRON_TZ=Europe/Berlin 0 10 * * *" | @daily | @hourly
//
// The grammar is cut by form: relative.go (in <duration>), once.go with
// clock.go and dates.go (at <time> [on <day>]), interval.go (every
// <interval> [between … and …] [on <days>]), days.go (<days> at <times>)
// and cron.go. rule.go holds the three rule shapes, describe.go their
// words, load.go their stored form, dst.go the daylight-saving policy and
// hint.go the mending of refused input.
//
// Every rule has a canonical Spec that Parser.Load reads back without
// reference to the current time, so a stored reminder always means the same
// thing: one-shots become absolute instants and plain intervals carry the
// instant they count from. A one-shot asked for a wall time that does not
// exist that day keeps the asked time ("once <instant> gap 02:30") so its
// description can say why it fires at the end of the gap.
//
// Refused input gets a one-line reason and the nearest expression that
// works, found by mending the user's own words (hint.go) and parsing each
// candidate before offering it.
//
// Wall-clock rules (times of day, windows, cron) follow one daylight-saving
// policy: a time skipped by spring forward fires at the first instant after
// the gap, and a time repeated by fall back fires once, at its first
// occurrence. Plain intervals count elapsed time and ignore the change.
// robfig/cron reads cron fields only; its Next does not follow this policy,
// so wall rules compute their runs themselves.
package when
