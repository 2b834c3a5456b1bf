// Package calendar answers which days are public holidays in a country or
// one of its regions, from the calendars of github.com/rickar/cal/v2, for
// the core's bot.Holidays. Codes are ISO 3166: "DE", "US", or a country
// with a subdivision, "DE-BY", "GB-SCT".
package calendar

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rickar/cal/v2"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/quote"
)

// Registry looks calendars up by code. The zero value is ready to use and
// safe for concurrent use (it keeps no state).
type Registry struct{}

var _ bot.Holidays = Registry{}

// Calendar is the public holidays of one country or region.
type Calendar struct {
	code, name string
	holidays   []*cal.Holiday
}

var _ bot.HolidayCalendar = (*Calendar)(nil)

// HolidayCalendar returns the calendar for code. An unknown or unsupported
// code is an EINVALID *bot.Error whose message lists what is supported.
func (Registry) HolidayCalendar(code string) (bot.HolidayCalendar, error) {
	c, err := Lookup(code)
	if err != nil {
		return nil, err
	}
	return c, nil
}

// ParseCode splits a code as people type it ("de-by", "DE BY", "gb_sct",
// "US") into an upper-case country and region ("" for none). It only
// checks the shape, not that the calendar exists.
func ParseCode(s string) (country, region string, err error) {
	typed := strings.TrimSpace(s)
	s = strings.ToUpper(typed)
	country, region, _ = strings.Cut(strings.Map(func(r rune) rune {
		if r == '_' || r == ' ' || r == '/' {
			return '-'
		}
		return r
	}, s), "-")
	region = strings.Trim(region, "-")
	if !isAlpha(country, 2, 2) || (region != "" && !isAlnum(region, 1, 3)) {
		return "", "", bot.Invalid("holidays DE-BY", "%s is not a country code; use two letters, optionally with a region, like DE, US or DE-BY.", quote.Short(typed, 20))
	}
	return country, region, nil
}

// Lookup returns the calendar for code, or an EINVALID *bot.Error naming
// the supported codes.
func Lookup(code string) (*Calendar, error) {
	if cc, ok := countryNamed(code); ok {
		// "germany", "United States": the code, not the name.
		return nil, bot.Invalid("holidays "+cc, "Give the country's code: %s is %s.", countries[cc].name, cc)
	}
	cc, rc, err := ParseCode(code)
	if err != nil {
		return nil, err
	}
	c, ok := countries[cc]
	if !ok {
		return nil, bot.Invalid("holidays DE", "I have no holiday calendar for %s. Supported: %s (regions: %s).",
			cc, strings.Join(Countries(), " "), strings.Join(withRegions(), " "))
	}
	if rc == "" {
		if c.holidays == nil {
			return nil, bot.Invalid("holidays "+Regions(cc)[0], "%s has holidays by region only: %s.", c.name, strings.Join(Regions(cc), " "))
		}
		return &Calendar{code: cc, name: c.name, holidays: c.holidays}, nil
	}
	r, ok := c.regions[rc]
	if !ok {
		if len(c.regions) == 0 {
			return nil, bot.Invalid("holidays "+cc, "I have one calendar for all of %s, without regions: say `holidays %s`.", c.name, cc)
		}
		return nil, bot.Invalid("holidays "+Regions(cc)[0], "%s has no region %s here. Its regions: %s.", c.name, rc, strings.Join(Regions(cc), " "))
	}
	return &Calendar{code: cc + "-" + rc, name: c.name + " (" + r.name + ")", holidays: r.holidays}, nil
}

// otherCountryNames are names in common use besides the calendars' own.
var otherCountryNames = map[string]string{
	"usa": "US", "united states of america": "US", "america": "US", "uk": "GB", "britain": "GB",
	"great britain": "GB", "czech republic": "CZ", "holland": "NL",
}

// countryNamed returns the code of a supported country given by its
// English name, in any case.
func countryNamed(s string) (string, bool) {
	s = strings.ToLower(strings.Join(strings.Fields(s), " "))
	if cc, ok := otherCountryNames[s]; ok {
		return cc, true
	}
	for cc, c := range countries {
		if strings.ToLower(c.name) == s {
			return cc, true
		}
	}
	return "", false
}

// Countries lists the supported country codes, sorted.
func Countries() []string {
	out := make([]string, 0, len(countries))
	for cc := range countries {
		out = append(out, cc)
	}
	slices.Sort(out)
	return out
}

// Regions lists the supported region codes of country cc ("DE-BW" …),
// sorted; nil if it has none.
func Regions(cc string) []string {
	var out []string
	for rc := range countries[cc].regions {
		out = append(out, cc+"-"+rc)
	}
	slices.Sort(out)
	return out
}

// withRegions lists the countries that have regional calendars, as
// "DE-…", for messages.
func withRegions() []string {
	var out []string
	for _, cc := range Countries() {
		if len(countries[cc].regions) > 0 {
			out = append(out, cc+"-…")
		}
	}
	return out
}

// Code is the calendar's canonical code: "DE-BY".
func (c *Calendar) Code() string { return c.code }

// Name is the calendar's name in English: "Germany (Bavaria)".
func (c *Calendar) Name() string { return c.name }

// On returns the English name of the holiday on day's date (read in
// day's own location). A holiday that falls on a weekend and is taken on
// a weekday is on both days: the day itself, and the day it is observed
// on, named "Boxing Day (observed)". Next lists the same days.
func (c *Calendar) On(day time.Time) (string, bool) {
	y, m, d := day.Date()
	for _, year := range []int{y - 1, y, y + 1} {
		for _, h := range c.holidays {
			act, obs := h.Calc(year)
			if sameDate(act, y, m, d) {
				return englishName(h.Name), true
			}
			if sameDate(obs, y, m, d) {
				return englishName(h.Name) + " (observed)", true
			}
		}
	}
	return "", false
}

// Next returns the first n holidays on or after from's date, in order:
// the days On passes over, each named in English with its local name
// beside it.
func (c *Calendar) Next(from time.Time, n int) []bot.Holiday {
	y, m, d := from.Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	var found []bot.Holiday
	add := func(day time.Time, name string) {
		if day.IsZero() {
			return
		}
		day = time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, time.UTC)
		if !day.Before(start) {
			found = append(found, bot.Holiday{Date: day, Name: name})
		}
	}
	// Holidays are found per year; the year before holds a holiday taken
	// in this one (New Year's Day on a Saturday taken on the Friday
	// before), and two years ahead always hold n of them for any calendar
	// with at least n/2 holidays a year.
	for year := y - 1; year <= y+2; year++ {
		for _, h := range c.holidays {
			act, obs := h.Calc(year)
			add(act, displayName(h.Name))
			if !obs.Equal(act) {
				add(obs, displayName(h.Name)+" (observed)")
			}
		}
	}
	slices.SortStableFunc(found, func(a, b bot.Holiday) int { return a.Date.Compare(b.Date) })
	found = slices.CompactFunc(found, func(a, b bot.Holiday) bool { return a.Date.Equal(b.Date) && a.Name == b.Name })
	return found[:min(n, len(found))]
}

func sameDate(t time.Time, y int, m time.Month, d int) bool {
	if t.IsZero() {
		return false
	}
	ty, tm, td := t.Date()
	return ty == y && tm == m && td == d
}

func isAlpha(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for _, r := range s {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}

func isAlnum(s string, lo, hi int) bool {
	if len(s) < lo || len(s) > hi {
		return false
	}
	for _, r := range s {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return false
		}
	}
	return true
}

// String is the calendar's code and name, for logs.
func (c *Calendar) String() string { return fmt.Sprintf("%s %s", c.code, c.name) }
