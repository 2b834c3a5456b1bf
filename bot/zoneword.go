package bot

import (
	"strings"
	"unicode"

	"github.com/stretchbot/stretchbot/internal/quote"
	"github.com/stretchbot/stretchbot/internal/zones"
)

// notZoneWords are words that are also zone abbreviations but, typed in
// lower case, are far more likely English ("eat", "cat").
var notZoneWords = map[string]bool{
	"art": true, "cat": true, "eat": true, "met": true, "west": true, "z": true, "zulu": true, "universal": true,
	"central": true, "pacific": true, "eastern": true, "mountain": true, "pt": true, "mt": true, "ct": true, "et": true,
}

// zoneInWhen finds a time zone named inside a time that did not parse
// ("every weekday at 10:30 CET", "at 9 Europe/Berlin", "at 3pm Berlin
// time", "at 9 UTC+2"), which the time grammar does not take: times are
// read in the caller's zone. It returns the zone and the text without it,
// when parses takes that text; ok is false otherwise.
func zoneInWhen(when string, parses func(string) bool) (m zones.Match, typed, without string, ok bool) {
	words := strings.Fields(when)
	for i := range words {
		for n := 2; n >= 1; n-- {
			if i+n > len(words) {
				continue
			}
			raw := strings.Trim(strings.Join(words[i:i+n], " "), ",.;:!?()")
			if !looksLikeZone(raw, n) {
				continue
			}
			match, err := zones.Lookup(raw)
			if err != nil {
				continue
			}
			// "in CET", "CET time" go with it.
			from, to := i, i+n
			if from > 0 && strings.EqualFold(words[from-1], "in") {
				from--
			}
			if to < len(words) && strings.EqualFold(strings.Trim(words[to], ",.;:!?()"), "time") {
				to++
			}
			rest := strings.Join(append(append([]string(nil), words[:from]...), words[to:]...), " ")
			if rest == "" {
				continue
			}
			if !parses(rest) {
				continue
			}
			return match, raw, rest, true
		}
	}
	return zones.Match{}, "", "", false
}

// looksLikeZone reports whether n words s can name a time zone rather
// than be an ordinary word: an IANA name, an offset ("UTC+2"), an
// abbreviation ("CET", or in lower case one that is no English word), or
// two words ending in "time" ("Berlin time").
func looksLikeZone(s string, n int) bool {
	lower := strings.ToLower(s)
	switch {
	case n == 2:
		return strings.HasSuffix(lower, " time") && !strings.HasPrefix(lower, "in ") && !strings.HasPrefix(lower, "at ")
	case strings.Contains(s, "/"):
		return true
	case strings.HasPrefix(lower, "utc") || strings.HasPrefix(lower, "gmt"):
		return true
	case len(s) < 3 || len(s) > 5:
		return false
	case strings.ToUpper(s) == s && strings.IndexFunc(s, unicode.IsLetter) >= 0:
		return true
	}
	return !notZoneWords[lower] && strings.IndexFunc(lower, func(r rune) bool { return r < 'a' || r > 'z' }) < 0 &&
		strings.HasSuffix(lower, "t") && (strings.HasSuffix(lower, "st") || strings.HasSuffix(lower, "dt") || len(lower) == 3)
}

// zoneInWhenError explains a zone named in a command's time, args, that
// parses takes without it: times are read in the caller's zone, so either
// the zone is theirs and may be left out, or they set it first. command
// is what comes before args ("remind me"). It returns nil when args name
// no such zone.
func zoneInWhenError(args, command string, req *Request, parses func(string) bool) error {
	m, typed, without, ok := zoneInWhen(args, parses)
	if !ok {
		return nil
	}
	if m.Name == req.Zone.String() {
		return Invalid(command+" "+without, "Times are already read in %s, your time zone; leave %s out.", m.Name, quote.Text(typed))
	}
	return Invalid("timezone "+typed, "Times are read in your time zone (%s), not in one named with the time; to read them in %s, set it first.", req.Zone.String(), typed)
}
