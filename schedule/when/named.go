package when

import (
	"slices"
	"strings"
)

// Words people use for a time or a day that the grammar does not read:
// holidays by name, the end of the day, before lunch, a quiet period.
// Each is refused with why and the input mended to a time that reads,
// rather than an unrelated stock example.

// holidayDates are holidays said by name, with the date each falls on.
var holidayDates = map[string]string{
	"christmas": "december 25", "xmas": "december 25", "halloween": "october 31",
}

// dayEdges are words for the edges of a working day, with a time that
// stands for each.
var dayEdges = map[string]string{
	"before lunch": "11:30", "after lunch": "13:00", "before work": "08:30", "after work": "17:30",
}

// isPeriod reports whether w is a period a repeat may last to the end of
// ("until the end of the month"), which is no time of day.
func isPeriod(w string) bool { return w == "week" || w == "month" || w == "year" }

// namedTimes refuses the first such word in ps.toks, or returns nil.
func (ps *whenParser) namedTimes() error {
	toks := ps.toks
	at := func(k int) string {
		if k >= 0 && k < len(toks) {
			return toks[k]
		}
		return ""
	}
	for k, t := range toks {
		// from, to: the tokens the mended time replaces.
		switch {
		case holidayDates[t] != "" || t == "new" && (at(k+1) == "year's" || at(k+1) == "years" || at(k+1) == "year"):
			date, to, name := holidayDates[t], k+1, t
			if t == "new" {
				date, to, name = "january 1", k+2, "new year's day"
				if at(k+2) == "eve" {
					date, to, name = "december 31", k+3, "new year's eve"
				} else if at(k+2) == "day" {
					to = k + 3
				}
			} else if at(k+1) == "eve" {
				date, to, name = "december 24", k+2, t+" eve"
			} else if at(k+1) == "day" {
				to, name = k+2, t+" day"
			}
			from := k
			var cands []string
			switch at(k - 1) {
			case "on":
				cands = append(cands, ps.withTokens(from, to, date))
			case "every":
				cands = append(cands, ps.withTokens(k-1, to, "every", "year", "on", date))
			default:
				// "until christmas" takes the date alone.
				cands = append(cands, ps.withTokens(from, to, "on", date), ps.withTokens(from, to, date))
			}
			return ps.failWith(cands, "I don't know holidays by name; say the date of %s, like %s", quoteText(name), date)
		case t == "eod" || t == "cob" || (t == "end" || t == "close") && at(k+1) == "of" &&
			slices.Contains([]string{"day", "the", "business", "work", "workday"}, at(k+2)) && !isPeriod(at(k+3)):
			from, to := k, k+1
			name := t
			if t == "end" || t == "close" {
				to = k + 3
				if at(k+2) == "the" && (at(k+3) == "day" || at(k+3) == "workday" || at(k+3) == "business") {
					to = k + 4
				}
				name = strings.Join(toks[k:to], " ")
			}
			if at(from-1) == "the" {
				from-- // "at the end of the day"
			}
			repl := []string{"at", "17:00"}
			if p := at(from - 1); p == "at" || p == "by" || p == "before" {
				from--
			} else if p == "until" || p == "till" || p == "til" {
				repl = repl[1:] // "until the end of the day": until 17:00
			}
			return ps.failWith([]string{ps.withTokens(from, to, repl...)},
				"%s is not a time I know; say when your day ends, like at 17:00", quoteText(name))
		case t == "end" && at(k+1) == "of" && (isPeriod(at(k+2)) || (at(k+2) == "the" || at(k+2) == "this") && isPeriod(at(k+3))):
			// "at the end of the month": a day, which "until" reads as the
			// end of a repeat, but which a time says as that day.
			from, to, period := k, k+3, at(k+2)
			if !isPeriod(period) {
				to, period = k+4, at(k+3)
			}
			if at(from-1) == "the" {
				from--
			}
			if p := at(from - 1); p == "until" || p == "till" || p == "til" {
				continue
			} else if p == "at" || p == "by" || p == "on" || p == "before" {
				from--
			}
			day := map[string]string{"week": "on sunday", "month": "on the last day of the month", "year": "on december 31"}[period]
			return ps.failWith([]string{ps.withTokens(from, to, strings.Fields(day)...)},
				"%s is not a time I know; say the day it falls on", quoteText(strings.Join(toks[k:to], " ")))
		case dayEdges[t+" "+at(k+1)] != "":
			from, to := k, k+2
			if at(k-1) == "at" || at(k-1) == "just" {
				from = k - 1
			}
			return ps.failWith([]string{ps.withTokens(from, to, "at", dayEdges[t+" "+at(k+1)])},
				"%s is not a time I know; say the time, like at %s", quoteText(t+" "+at(k+1)), dayEdges[t+" "+at(k+1)])
		case t == "holidays" || t == "holiday":
			// "except holidays", "except public holidays", "excluding bank
			// holidays", "but not on holidays": the words leaving them out.
			from := k
			for from > 0 && slices.Contains([]string{"public", "bank", "national", "the", "on", "not", "but", "except", "excluding", "skip", "skipping", "without", "no"}, toks[from-1]) {
				from--
			}
			if from == k {
				continue
			}
			return ps.failWith([]string{ps.withTokens(from, k+1)},
				"A time cannot leave out public holidays; `holidays DE` in a channel makes its team breaks skip them, and `away` pauses your own reminders")
		}
	}
	return nil
}
