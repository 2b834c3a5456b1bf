// Package when reads <when> expressions into rules, describes rules in
// words and stores them as canonical specs. Parser.Parse reads what a user
// types, in the user's zone, at a given instant. Clauses come in any order
// ("at 3pm every day" is "every day at 3pm"):
//
//	in 20 minutes | in half an hour | in an hour and a half | in 1h30 | in 5 years
//	at 15:30 | at 3pm | at noon | tomorrow | tomorrow at 9 | on friday | next monday | on december 15
//	this morning | this afternoon | this evening | tonight | at midnight | on the 15th
//	every 45 minutes | every 2 hours between 9:00 and 17:00 on weekdays | every 30 min from 9 to 5 | 9-17
//	every day at 10:30 | every weekday | mondays | daily | weekly on tuesday | every morning
//	every 2 days at 9 | every other wednesday at 10 | every 2 weeks on monday and thursday at 9
//	every month on the 1st | on the last friday of every month at 16:00 | every year on 1 march
//	… for 3 weeks | … until friday | … until 2027-01-31 | … 10 times
//	cron "*/30 9-17 * * 1-5" | cron "CRON_TZ=Europe/Berlin 0 10 * * *" | @daily | @hourly
//
// Defaults, stated in replies: a day without a time gets Parser.DefaultTime
// (09:00 unless configured); parts of the day are morning 09:00, afternoon
// 15:00, evening 18:00, night (tonight) 20:00 and lunch 12:00, and a bare hour said with
// the afternoon, evening or night is after noon ("tonight at 11" is 23:00),
// except at night past midnight ("tonight at 12" and "tonight at 1" are the
// 00:00 and 01:00 ahead);
// a window without an interval repeats hourly. A window reads its times as
// a working day when it can: an end earlier than the start on a 12-hour
// reading is after noon ("from 9 to 5" is 09:00–17:00); a window that
// crosses midnight must be written in 24-hour form ("from 22:00 to 06:00").
// A day of the month that a month lacks (the 31st in April, 29 February)
// falls on that month's last day, so monthly and yearly rules never skip.
//
// The grammar is cut by form: phrase.go reads clauses and builds the rule,
// relative.go (in <length>), once.go (one-offs), clock.go (times and parts
// of the day), dates.go (dates and days of the month), interval.go (every
// <interval>, windows), days.go (days of the week and day or week cycles),
// monthly.go (monthly and yearly days), bound.go (for, until, times) and
// cron.go. rule.go holds the rule shapes, describe.go their words, load.go
// their stored form, dst.go the daylight-saving policy and hint.go the
// mending of refused input.
//
// Every rule has a canonical Spec that Parser.Load reads back without
// reference to the current time, so a stored reminder always means the same
// thing: one-shots become absolute instants, plain intervals carry the
// instant they count from, cycles the day, week or month they count from,
// and bounded repeats their last instant. A one-shot asked for a wall time
// that does not exist that day keeps the asked time ("once <instant> gap
// 02:30") so its description can say why it fires at the end of the gap.
//
// Refused input gets a one-line reason and the nearest expression that
// works, found by mending the user's own words (hint.go) and parsing each
// candidate before offering it.
//
// Wall-clock rules (times of day, windows, cycles, monthly and yearly days,
// cron) follow one daylight-saving policy: a time skipped by spring forward
// fires at the first instant after the gap, and a time repeated by fall
// back fires once, at its first occurrence. Plain intervals count elapsed
// time and ignore the change. robfig/cron reads cron fields only; its Next
// does not follow this policy, so wall rules compute their runs themselves.
package when
