package when

import (
	"fmt"
	"strconv"
	"strings"
)

// clockTime reads a time of day: 15:30, 9, 9:05, 3pm, 3 pm, 3:15pm, noon,
// midnight. It returns seconds after midnight.
func (ps *whenParser) clockTime() (int, error) {
	from := ps.i
	tok := ps.take()
	switch tok {
	case "":
		return 0, ps.failWith([]string{ps.withTokens(from, from, "10:30"), ps.withTokens(from, from, "15:30")}, "Say a time of day")
	case "noon":
		return 12 * 3600, nil
	case "midnight":
		return 0, nil
	}
	raw := tok
	num, suffix := tok, ""
	if i := strings.IndexAny(tok, "ap"); i >= 0 {
		num, suffix = tok[:i], tok[i:]
	} else if next := ps.peek(); ampm(next) != "" {
		suffix = ps.take()
		raw += " " + suffix
	}
	bad := func(fix string) (int, error) {
		var cands []string
		if fix != "" {
			cands = append(cands, ps.withTokens(from, ps.i, fix))
		}
		if raw == "24:00" || raw == "24" {
			return 0, ps.failWith(cands, "%s is not a time of day; the day ends at 23:59 and midnight is 0:00", quoteText(raw))
		}
		return 0, ps.failWith(cands, "%s is not a time of day; use 24-hour 0:00–23:59 or 12-hour like 3pm", quoteText(raw))
	}
	hs, ms, hasMin := strings.Cut(num, ":")
	if len(hs) < 1 || len(hs) > 2 || !allDigits(hs) {
		if near, ok := nearestWord(tok, []string{"noon", "midnight"}); ok {
			return bad(near)
		}
		return bad("")
	}
	if hasMin && len(ms) == 1 && allDigits(ms) {
		return bad(hs + ":0" + ms + suffix)
	}
	if hasMin && (len(ms) != 2 || !allDigits(ms)) {
		return bad(hs + ":00" + suffix)
	}
	h, _ := strconv.Atoi(hs)
	m := 0
	if hasMin {
		m, _ = strconv.Atoi(ms)
	}
	if m > 59 {
		return bad(fmt.Sprintf("%d:59%s", min(h, 23), suffix))
	}
	switch ampm(suffix) {
	case "":
		switch {
		case suffix != "":
			return bad(fmt.Sprintf("%d:%02d", min(h, 23), m))
		case h == 24 && m == 0:
			return bad("midnight")
		case h > 23:
			return bad(fmt.Sprintf("23:%02d", m))
		}
	case "am", "pm":
		switch {
		case h == 0:
			return bad(fmt.Sprintf("12:%02d%s", m, ampm(suffix)))
		case h > 12 && h <= 23:
			return bad(fmt.Sprintf("%d:%02d", h, m))
		case h > 23:
			return bad(fmt.Sprintf("11:%02d%s", m, ampm(suffix)))
		}
		h %= 12
		if ampm(suffix) == "pm" {
			h += 12
		}
	}
	return h*3600 + m*60, nil
}

// ampm normalises a 12-hour suffix to "am" or "pm", or "" if s is none.
func ampm(s string) string {
	switch s {
	case "am", "a.m.", "a.m", "a":
		return "am"
	case "pm", "p.m.", "p.m", "p":
		return "pm"
	}
	return ""
}
