package when

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/timewords"
)

// Parser reads <when> expressions (see the package documentation) into
// rules. The zero value accepts any repeat interval, first runs up to five
// calendar years ahead, and gives 09:00 to a day said without a time.
type Parser struct {
	// MinInterval is the shortest allowed gap between consecutive runs of a
	// repeating rule; zero means no minimum.
	MinInterval time.Duration
	// MaxAhead is the furthest ahead a first run may be; zero means five
	// calendar years.
	MaxAhead time.Duration
	// DefaultTime is the time of day, "15:04", of a date or day said
	// without one ("tomorrow", "every weekday"); "" (or a value that is not
	// a time) means 09:00.
	DefaultTime string
}

var _ bot.RuleParser = Parser{}

// defaultTime returns DefaultTime in seconds after midnight.
func (p Parser) defaultTime() int {
	if sec, ok := loadTime(p.DefaultTime); ok {
		return sec
	}
	return 9 * 3600
}

// Examples used in errors. Each must parse under the parser that gives it,
// so the repeating ones adapt to MinInterval.
const (
	exampleIn = "in 20 minutes"
	exampleAt = "at 15:30"
)

func (p Parser) exampleEvery() string {
	if p.MinInterval <= 45*time.Minute {
		return "every 45 minutes"
	}
	return "every " + timewords.FormatEvery(p.MinInterval.Round(time.Second))
}

func (p Parser) exampleWindow() string {
	if p.MinInterval <= 2*time.Hour {
		return "every 2 hours between 9:00 and 17:00 on weekdays"
	}
	return p.exampleDays()
}

func (p Parser) exampleDays() string {
	if p.MinInterval <= 4*time.Hour {
		return "every weekday at 10:30 and 15:00"
	}
	return "every weekday at 10:30"
}

func (p Parser) exampleCron() string {
	if p.MinInterval <= 30*time.Minute {
		return `cron "*/30 9-17 * * 1-5"`
	}
	return `cron "0 10 * * 1-5"`
}

// Parse reads a <when> expression typed by a user in zone loc at instant
// now. Errors are *bot.Error with code bot.EINVALID, a one-line reason
// ending in a full stop and an Example that parses: the user's own words
// mended where that is possible. Words none of which could be read, with
// no respelling that reads, get code bot.EUNREAD and a fresh example.
func (p Parser) Parse(text string, loc *time.Location, now time.Time) (rule bot.Rule, err error) {
	return p.parse(text, loc, now, false)
}

// parse is Parse; nested parses check a suggested example and do not look
// for suggestions of their own.
func (p Parser) parse(text string, loc *time.Location, now time.Time, nested bool) (rule bot.Rule, err error) {
	defer func() {
		// A bug here must cost one reply, not the bot.
		if v := recover(); v != nil {
			rule = nil
			err = &bot.Error{Code: bot.EUNREAD, Message: "Sorry, I could not read that time.", Example: exampleIn,
				Err: fmt.Errorf("when: parse %q: panic: %v", text, v)}
		}
	}()
	if loc == nil {
		loc = time.UTC
	}
	if t := strings.TrimSpace(text); unquote(t) != t {
		// `remind me "in 5 min"`: quotes around the whole time only
		// mark it, as they mark a cron expression after cron.
		text = unquote(t)
	}
	ps := &whenParser{Parser: p, loc: loc, now: now.Round(0), text: text, ex: exampleIn, nested: nested, durFrom: -1}
	r, err := ps.parse()
	if err != nil {
		if r2, err2, ok := ps.weekdayWithDate(err); ok {
			return r2, err2
		}
		return nil, err
	}
	first := r.Next(ps.now)
	if first.IsZero() {
		if w, ok := r.(*wallRule); ok && w.kind == kindCron {
			if why, fix := cronNeverReason(w); why != "" {
				return nil, ps.failWith([]string{cronExample(fix)}, "That cron expression never fires: %s", why)
			}
			return nil, ps.fail("That cron expression never fires")
		}
		return nil, ps.fail("That schedule never fires")
	}
	if first.After(ps.limit()) {
		return nil, ps.tooFar(first.In(loc).Format("2 Jan 2006"))
	}
	return r, nil
}

// whenParser holds the state of one Parse call.
type whenParser struct {
	Parser
	loc  *time.Location
	now  time.Time
	text string
	toks []string
	i    int
	ex   string // the example errors carry, set by the form being read
	// nested is set while checking a suggested example.
	nested bool
	// durFrom and durTo delimit the tokens of the last duration read,
	// durUnit is the unit of its last part and span the whole of it;
	// errors mend them.
	durFrom, durTo int
	durUnit        time.Duration
	span           timewords.Span
	// ph holds the clauses read, here to save an allocation per parse.
	ph phrase
	// limitAt caches limit.
	limitAt time.Time
	// untilClock is the time of day an "until" clause said, if any.
	untilClock clock
}

func (ps *whenParser) fail(format string, args ...any) error {
	return bot.Invalid(ps.ex, "%s", sentence(fmt.Sprintf(format, args...)))
}

func (ps *whenParser) peek() string { return ps.peekAt(0) }

func (ps *whenParser) peekAt(k int) string {
	if ps.i+k < len(ps.toks) {
		return ps.toks[ps.i+k]
	}
	return ""
}

func (ps *whenParser) take() string {
	t := ps.peek()
	if ps.i < len(ps.toks) {
		ps.i++
	}
	return t
}

func (ps *whenParser) done() bool { return ps.i >= len(ps.toks) }

// unexpected refuses the token at the cursor. The example is the first of:
// the input with that token spelt as the nearest grammar word, the extra
// candidates, the input without that token.
func (ps *whenParser) unexpected(extra ...string) error {
	if ps.done() {
		last := ""
		if n := len(ps.toks); n > 0 {
			last = ps.toks[n-1]
			extra = append(extra, ps.withTokens(n-1, n))
		}
		return ps.failWith(extra, "Something is missing after %s", quoteText(last))
	}
	tok := ps.peek()
	var cands []string
	near, ok := nearestWord(tok, vocabulary)
	if ok {
		cands = append(cands, ps.withTokens(ps.i, ps.i+1, near))
	}
	cands = append(cands, extra...)
	cands = append(cands, ps.withTokens(ps.i, ps.i+1))
	for n := 2; n <= 3 && ps.i+n <= len(ps.toks); n++ {
		// "daily standup stretch at 10": a few words that are no time
		// in the middle of one; the rest is offered.
		cands = append(cands, ps.withTokens(ps.i, ps.i+n))
	}
	switch {
	case ampm(tok) != "" && ps.i > 0 && (isClock(ps.toks[ps.i-1]) || ampm(ps.toks[ps.i-1]) != ""):
		return ps.failWith(cands, "Say am or pm once, right after the time")
	case ok && isDayWord(near):
		return ps.failWith(cands, "%s is not a day of the week", quoteText(tok))
	case ok && isUnit(near):
		return ps.failWith(cands, "%s is not a unit of time", quoteText(tok))
	case ok && isMonth(near):
		return ps.failWith(cands, "%s is not a month", quoteText(tok))
	}
	return ps.failWith(cands, "I don't understand %s here", quoteText(tok))
}

func (ps *whenParser) parse() (bot.Rule, error) {
	// A sentence's end ("tomorrow at 9.", "in 5 minutes!", "at 3pm 🙂")
	// is not part of the time.
	trimmed := timewords.TrimSentenceEnd(ps.text, ".!?…;,:")
	if trimmed == "" {
		return nil, ps.fail("Say when: after a while, at a time, on a day, repeating, or as a cron expression")
	}
	lower := strings.ToLower(trimmed)
	if rest, ok := strings.CutPrefix(lower, "cron"); ok && (rest == "" || unicode.IsSpace(rune(rest[0])) || strings.ContainsRune("\"'`“‘", []rune(rest)[0])) {
		return ps.cron(trimmed[len("cron"):])
	}
	if rest, ok := strings.CutPrefix(trimmed, "@"); ok {
		if after := strings.TrimLeft(rest, " \t"); after == "" || after[0] < '0' || after[0] > '9' {
			return ps.cron(trimmed) // "@daily"
		}
		// "@ 10", "@10am": at that time, as after a day ("every day @ 10").
		trimmed = "at " + strings.TrimLeft(rest, " \t")
	}
	ps.toks = fromNow(partsList(words(timewords.Tokens(trimmed))))
	if err := ps.namedTimes(); err != nil {
		return nil, err
	}
	ph, err := ps.readPhrase()
	if err != nil {
		return nil, err
	}
	return ps.build(ph)
}

// respell gives the grammar's words for others people use: "workdays"
// are weekdays, "weeknights" weekdays at night, "mornings" every morning.
var respell = map[string][]string{
	"workday": {"weekday"}, "workdays": {"weekdays"}, "weeknight": {"weekday", "night"}, "weeknights": {"weekdays", "night"},
	"mornings": {"every", "morning"}, "afternoons": {"every", "afternoon"}, "evenings": {"every", "evening"},
	"nights": {"every", "night"}, "lunchtime": {"lunch"}, "midday": {"noon"}, "quarterly": {"every", "3", "months"},
	"tonite": {"tonight"}, "tmrw": {"tomorrow"}, "tmr": {"tomorrow"}, "tmw": {"tomorrow"}, "tomoz": {"tomorrow"},
	"excluding": {"except"}, "exclude": {"except"}, "skipping": {"except"},
	"days'": {"days"}, "hours'": {"hours"}, "weeks'": {"weeks"}, "minutes'": {"minutes"}, "months'": {"months"},
}

// roughly are words that say a time is not exact: "at about 3pm" is at
// 3pm, the time a reminder can keep.
var roughly = map[string]bool{"about": true, "around": true, "approx": true, "approximately": true, "roughly": true, "~": true}

// onTheDot reports whether toks[k] is a word of "on the dot" said right
// after a time.
func onTheDot(toks []string, k int) bool {
	for s := max(1, k-2); s <= k; s++ {
		if s+3 <= len(toks) && toks[s] == "on" && toks[s+1] == "the" && toks[s+2] == "dot" &&
			(isClock(toks[s-1]) || ampm(toks[s-1]) != "") {
			return true
		}
	}
	return false
}

// weekdayWithDate reads a one-off whose date is said with its weekday
// ("friday the 11th", "friday, december 11th"), refused as two days (err):
// the date, when it falls on that weekday; else a refusal naming the
// date's weekday, with the date alone. ok is false for anything else.
func (ps *whenParser) weekdayWithDate(err error) (bot.Rule, error, bool) {
	var e *bot.Error
	if ps.nested || !errors.As(err, &e) || !strings.HasPrefix(e.Message, "Say the day only once") {
		return nil, nil, false
	}
	for k, tok := range ps.toks {
		w, ok := timewords.LookupDay(tok)
		if !ok || !w.Single || k+1 >= len(ps.toks) {
			continue
		}
		next := k + 1
		if ps.toks[next] == "," {
			next++
		}
		cand := ps.withTokens(k, next)
		r, perr := ps.Parser.parse(cand, ps.loc, ps.now, true)
		if perr != nil || r.Repeats() {
			continue
		}
		day := r.Next(ps.now).In(ps.loc).Weekday()
		if day == w.Days.First() {
			return r, nil, true
		}
		return nil, bot.Invalid(cand, "%s is a %s, not a %s.", r.Next(ps.now).In(ps.loc).Format("2 January"), day, w.Days.First()), true
	}
	return nil, nil, false
}

// sameTime is what "this time tomorrow" or "same time next week",
// starting at toks[k] (after "the" for "same"), stands for: "in 1 day",
// "in 1 week"; nil for anything else.
func sameTime(toks []string, k int) []string {
	if k+2 >= len(toks) || toks[k] != "this" && toks[k] != "same" || toks[k+1] != "time" {
		return nil
	}
	switch {
	case toks[k+2] == "tomorrow":
		return []string{"in", "1", "day"}
	case toks[k+2] == "next" && k+3 < len(toks) && toks[k+3] == "week":
		return []string{"in", "1", "week"}
	}
	return nil
}

// roughEnd reports whether t, said before "or so", ends a time or a
// length: "3pm", "9", "hour", "minutes".
func roughEnd(t string) bool {
	if isClock(t) || ampm(t) != "" {
		return true
	}
	_, ok := timewords.Unit(t)
	return ok
}

// roughTime is the time in "3pm-ish" or "3ish", else "".
func roughTime(t string) string {
	c, ok := strings.CutSuffix(t, "ish")
	if !ok {
		return ""
	}
	c = strings.TrimSuffix(c, "-")
	if !isClock(c) {
		return ""
	}
	return c
}

// dayKindWord reports whether w, said before "day" or "days", makes them
// weekdays: "business day", "working days", "work day", "week day".
func dayKindWord(w string) bool {
	return w == "business" || w == "working" || w == "work" || w == "week"
}

// sevenDays reports whether toks[k] is part of the "7 days a week" that
// starts within the three tokens before it.
func sevenDays(toks []string, k int) bool {
	for i := max(0, k-3); i < k; i++ {
		if toks[i] == "7" && i+3 < len(toks) && toks[i+1] == "days" && (toks[i+2] == "a" || toks[i+2] == "per") && toks[i+3] == "week" {
			return k <= i+3
		}
	}
	return false
}

// fromNow reads "2 hours from now" and "a week from today" as "in 2
// hours" and "in a week".
func fromNow(toks []string) []string {
	for k := 1; k+1 < len(toks); k++ {
		if toks[k] != "from" || toks[k+1] != "now" && toks[k+1] != "today" {
			continue
		}
		for i := 0; i < k; i++ {
			if sp, err := timewords.Read(toks, i); err == nil && sp.Parts > 0 && sp.To == k {
				out := slices.Concat(toks[:i], []string{"in"}, toks[i:k], toks[k+2:])
				if i > 0 && toks[i-1] == "in" {
					out = slices.Concat(toks[:k], toks[k+2:])
				}
				return out
			}
		}
	}
	return toks
}

// words adjusts tokens to the grammar: "everyday" is "every day", "a
// fortnight" is "2 weeks", "the day after tomorrow" one token, and a range
// of times written as one token ("9-17", "9am-5:30pm") is split around its
// dash.
func words(toks []string) []string {
	if !slices.ContainsFunc(toks, func(t string) bool {
		return t == "everyday" || strings.ContainsAny(t, "-/") || t == "apart" || t == "not" || t == "skip" || t == "fortnight" || t == "after" || respell[t] != nil ||
			dayKindWord(t) || roughly[t] || t == "sharp" || t == "dot" || t == "weekend" || t == "single" || t == "quarter" || t == "quarter-hour" || t == "o" || t == "oclock" || t == "half" || t == "time" || t == "thing" || t == "7" || t == "or" || t == "except" || t == "12" || t == "12:00" ||
			strings.HasPrefix(t, "@") || compactClock(t) != "" || strings.HasPrefix(t, "~") || strings.HasSuffix(t, "ish")
	}) {
		return toks
	}
	out := toks[:0:0]
	for k, t := range toks {
		switch {
		case respell[t] != nil:
			out = append(out, respell[t]...)
		case t == "single" && len(out) > 0 && out[len(out)-1] == "every":
			// "every single day"
		case t == "o" && k+1 < len(toks) && toks[k+1] == "clock", t == "clock" && k > 0 && toks[k-1] == "o", t == "oclock":
			// "9 o clock", "9 oclock": the hour said alone
		case t == "half" && len(out) > 0 && out[len(out)-1] == "at" && k+1 < len(toks) && isHourWord(toks[k+1]):
			out = append(out, "half", "past") // "at half nine": half past nine
		case (t == "quarter" && k+1 < len(toks) && toks[k+1] == "hour" || t == "quarter-hour") && len(out) > 0 && out[len(out)-1] == "every":
			out = append(out, "15", "minutes") // "every quarter hour"
		case t == "hour" && k > 1 && toks[k-1] == "quarter" && toks[k-2] == "every":
		case t == "quarter" && len(out) > 0 && out[len(out)-1] == "every" && (k+1 == len(toks) || toks[k+1] != "of" && toks[k+1] != "past" && toks[k+1] != "to"):
			out = append(out, "3", "months")
		case t == "time" && len(out) > 0 && isUnit(out[len(out)-1]) && len(out[len(out)-1]) > 3:
			// "in 2 days time"
		case (t == "thing" && len(out) > 0 && out[len(out)-1] == "first"):
			out[len(out)-1] = "morning" // "first thing tomorrow"
		case t == "7" && k+3 < len(toks) && toks[k+1] == "days" && (toks[k+2] == "a" || toks[k+2] == "per") && toks[k+3] == "week":
			out = append(out, "every", "day") // "7 days a week"
		case (t == "days" || t == "a" || t == "per" || t == "week") && k >= 1 && sevenDays(toks, k):
		case strings.Contains(t, "/") && !slices.ContainsFunc(strings.Split(t, "/"), func(d string) bool { return !isDayWord(d) }):
			for i, d := range strings.Split(t, "/") { // "tue/thu", "mon/wed/fri"
				if i > 0 {
					out = append(out, ",")
				}
				out = append(out, d)
			}
		case t == "apart" && k+1 < len(toks) && toks[k+1] == "from" && len(out) > 0:
			out = append(out, "except") // "apart from sundays"
		case t == "from" && k > 0 && toks[k-1] == "apart" && len(out) > 0 && out[len(out)-1] == "except":
		case (t == "not" || t == "skip") && k > 0 && toks[k-1] == "," && len(out) > 0 && k+1 < len(toks) && isDayWord(toks[k+1]):
			out = append(out[:len(out)-1], "except") // "every day at 9, not weekends"
		case t == "skip" && len(out) > 0 && k+1 < len(toks) && isDayWord(toks[k+1]):
			out = append(out, "except") // "every day at 9 skip weekends"
		case t == "@" && len(out) > 0:
			out = append(out, "at") // "every day @ 10:30"
		case len(t) > 1 && t[0] == '@' && t[1] >= '0' && t[1] <= '9' && len(out) > 0:
			out = append(out, "at", t[1:]) // "every day @10:30"
		case t == "after" && len(out) == 0 && k+1 < len(toks) && startsLength(toks, k+1):
			out = append(out, "in") // "after 20 minutes"
		case compactClock(t) != "" && inTimesAfterAt(out):
			out = append(out, compactClock(t)) // "at 10h30", "at 1030", "at 730 and 1230"
		case t == "weekend" && len(out) > 0 && (out[len(out)-1] == "this" || out[len(out)-1] == "next"):
			out = append(out, "saturday") // "this weekend": its Saturday
		case t == "weekend" && len(out) > 1 && out[len(out)-1] == "the" && (out[len(out)-2] == "on" || out[len(out)-2] == "at" || out[len(out)-2] == "over"):
			out = append(out[:len(out)-1], "saturday") // "on the weekend"
		case dayKindWord(t) && k+1 < len(toks) && (toks[k+1] == "day" || toks[k+1] == "days"):
			// "every business day", "every working day", "on work days":
			// the next token becomes a weekday
		case (t == "day" || t == "days") && k > 0 && dayKindWord(toks[k-1]):
			out = append(out, strings.Replace(t, "day", "weekday", 1))
		case roughly[t] && k+1 < len(toks) && isClock(toks[k+1]):
			// "at about 3pm", "around 10": the time itself
		case t == "or" && k > 0 && k+1 < len(toks) && (toks[k+1] == "so" || toks[k+1] == "thereabouts") && roughEnd(toks[k-1]):
			// "in an hour or so", "at 3 or so": the length or time itself
		case (t == "so" || t == "thereabouts") && k > 1 && toks[k-1] == "or" && roughEnd(toks[k-2]):
		case sameTime(toks, k) != nil:
			// "this time tomorrow", "at the same time next week": a day
			// or a week from now, which keeps the time
			if n := len(out); n > 0 && out[n-1] == "at" {
				out = out[:n-1]
			}
			out = append(out, sameTime(toks, k)...)
		case t == "the" && sameTime(toks, k+1) != nil,
			t == "time" && k > 0 && sameTime(toks, k-1) != nil,
			(t == "tomorrow" || t == "next") && k > 1 && sameTime(toks, k-2) != nil,
			t == "week" && k > 2 && sameTime(toks, k-3) != nil:
		case (t == "12" || t == "12:00") && k+1 < len(toks) && (toks[k+1] == "noon" || toks[k+1] == "midnight"):
			// "at 12 noon": noon
		case t == "for" && k > 0 && toks[k-1] == "except":
			// "except for fridays": except fridays
		case t == "sharp" && k > 0 && (isClock(toks[k-1]) || ampm(toks[k-1]) != ""):
			// "at 3pm sharp": the time itself
		case onTheDot(toks, k):
			// "at 9 on the dot": the time itself
		case len(t) > 1 && t[0] == '~' && isClock(t[1:]):
			out = append(out, t[1:]) // "at ~3pm", as "at about 3pm"
		case roughTime(t) != "":
			out = append(out, roughTime(t)) // "at 3pm-ish", "at 3ish"
		case t == "everyday":
			out = append(out, "every", "day")
		case t == "fortnight":
			if n := len(out); n > 0 && (out[n-1] == "a" || out[n-1] == "one") {
				out = out[:n-1]
			}
			out = append(out, "2", "weeks")
		case t == "after" && k+1 < len(toks) && toks[k+1] == "tomorrow" && len(out) > 0 && out[len(out)-1] == "day":
			// "(the) day after tomorrow"; the token keeps its words so
			// that mended examples read as typed.
			out = out[:len(out)-1]
			if n := len(out); n > 0 && out[n-1] == "the" {
				out = out[:n-1]
			}
			out = append(out, dayAfterTomorrow)
		case t == "tomorrow" && k > 0 && toks[k-1] == "after" && len(out) > 0 && out[len(out)-1] == dayAfterTomorrow:
		case t != "" && t[0] >= '0' && t[0] <= '9' && strings.Contains(t, "-") && !(len(t) == 10 && t[4] == '-' && t[7] == '-'):
			a, b, _ := strings.Cut(t, "-")
			if b == "" {
				out = append(out, t)
				continue
			}
			out = append(out, a, "-", b)
		default:
			out = append(out, t)
		}
	}
	return out
}

// partsList reads parts of the day joined by "and" after a repeating day
// as that day's times: "every morning and afternoon" is "every day at
// 09:00 and 15:00", "every weekday morning and evening" "every weekday at
// 09:00 and 18:00". A part said alone is left to the grammar.
func partsList(toks []string) []string {
	toks = partsInTimes(toks)
	for i := 1; i < len(toks); i++ {
		if dayParts[toks[i]] == nil || !slices.Contains(toks[:i], "every") || toks[i-1] != "every" && !isDayWord(toks[i-1]) {
			continue
		}
		var times []string
		j := i
		for j < len(toks) {
			p := dayParts[toks[j]]
			if p == nil {
				break
			}
			if len(times) > 0 {
				times = append(times, "and")
			}
			times = append(times, hhmm(p.sec))
			j++
			k := j
			for k < len(toks) && (toks[k] == "," || toks[k] == "and" || toks[k] == "every") {
				k++
			}
			if k == j || k == len(toks) || dayParts[toks[k]] == nil {
				break
			}
			j = k
		}
		if len(times) == 1 {
			continue
		}
		out := slices.Clone(toks[:i])
		switch {
		case toks[i-1] == "every" && daysFollow(toks, j):
			out = out[:i-1] // "every afternoon and evening on weekdays": the days come later
		case toks[i-1] == "every":
			out = append(out, "day")
		}
		out = append(out, "at")
		out = append(out, times...)
		return append(out, toks[j:]...)
	}
	return toks
}

// partsInTimes writes a part of the day in a list of times after "at" as
// its time: "at lunch and 4pm" is "at 12:00 and 4pm". Said alone ("at
// lunch") it is left to the grammar.
func partsInTimes(toks []string) []string {
	var out []string // a copy once a part is written as its time
	for k, t := range toks {
		seen := toks[:k]
		if out != nil {
			seen = out[:k]
		}
		p := dayParts[t]
		if p == nil || !inTimesAfterAt(seen) {
			continue
		}
		listed := k > 0 && (toks[k-1] == "and" || toks[k-1] == ",")
		if k+2 < len(toks) && (toks[k+1] == "and" || toks[k+1] == ",") && (isClock(toks[k+2]) || dayParts[toks[k+2]] != nil) {
			listed = true
		}
		if listed {
			if out == nil {
				out = slices.Clone(toks)
			}
			out[k] = hhmm(p.sec)
		}
	}
	if out == nil {
		return toks
	}
	return out
}

// daysFollow reports whether toks from j name the days a rule repeats on
// ("on weekdays"), rather than days it leaves out ("except weekends").
func daysFollow(toks []string, j int) bool {
	for k := j; k < len(toks); k++ {
		if isDayWord(toks[k]) && (k == j || toks[k-1] == "on") {
			return true
		}
	}
	return false
}

// isHourWord reports whether t is an hour of the clock, 1 to 12, in
// digits or words: "9", "nine".
func isHourWord(t string) bool {
	n, used, ok := timewords.Number([]string{t}, 0)
	return ok && used == 1 && n >= 1 && n <= 12
}

// startsLength reports whether a length of time starts at toks[i]: "20
// minutes", "an hour".
func startsLength(toks []string, i int) bool {
	sp, err := timewords.Read(toks, i)
	return err == nil && sp.Parts > 0
}

// inTimesAfterAt reports whether the next token stands where "at" wants
// a time of day: right after it, or after a comma or "and" in the list of
// times that follows it ("at 9:00, 13:00 and 16:00").
func inTimesAfterAt(out []string) bool {
	for i := len(out) - 1; i >= 0; i-- {
		switch t := out[i]; {
		case t == "at":
			return i == len(out)-1 || out[len(out)-1] == "," || out[len(out)-1] == "and"
		case t == "," || t == "and" || ampm(t) != "" || isClock(t) && t != "midnight" && t != "noon":
		default:
			return false
		}
	}
	return false
}

// compactClock reads a time of day written without its colon, "10h30",
// "1030", "930" or "9h", as "10:30" or "9:30", keeping an am or pm that
// follows ("930pm" is "9:30pm"); "" for anything else.
func compactClock(t string) string {
	suffix := ""
	if i := strings.IndexAny(t, "ap"); i > 0 && ampm(t[i:]) != "" {
		t, suffix = t[:i], t[i:]
	}
	h, m, ok := strings.Cut(t, "h")
	if !ok {
		switch {
		case len(t) == 4 && allDigits(t):
			h, m = t[:2], t[2:]
		case len(t) == 3 && allDigits(t) && t[0] != '0':
			h, m = t[:1], t[1:] // "930": an hour alone is at most two digits
		default:
			return ""
		}
	} else if m == "" {
		m = "00" // "9h"
	}
	if len(h) < 1 || len(h) > 2 || len(m) != 2 || !allDigits(h) || !allDigits(m) {
		return ""
	}
	if hh, _ := strconv.Atoi(h); hh > 23 || m > "59" || suffix != "" && (hh == 0 || hh > 12) {
		return ""
	}
	return h + ":" + m + suffix
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return s != ""
}

// quotePairs are the quotes, opening and closing, that may enclose a cron
// expression.
var quotePairs = [][2]string{{`"`, `"`}, {`'`, `'`}, {"`", "`"}, {"“", "”"}, {"‘", "’"}}

// unquote removes one pair of matching quotes around s.
func unquote(s string) string {
	for _, p := range quotePairs {
		if len(s) >= len(p[0])+len(p[1]) && strings.HasPrefix(s, p[0]) && strings.HasSuffix(s, p[1]) {
			return strings.TrimSpace(s[len(p[0]) : len(s)-len(p[1])])
		}
	}
	return s
}

// quoteText quotes user text for a message, short and on one line, as typed.
func quoteText(s string) string {
	return quote.Short(s, 40)
}

// oneLine keeps a library's error message on one line.
func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// isUnit and isMonth report whether a word is a unit of time or a month.
func isUnit(w string) bool {
	_, ok := timewords.Unit(w)
	return ok
}

func isMonth(w string) bool {
	_, ok := timewords.Month(w)
	return ok
}
