package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// TestTimezoneByName sets zones the way people name them; each reply says
// the IANA zone chosen and, when the words were not that name, how they
// were read.
func TestTimezoneByName(t *testing.T) {
	tests := []struct {
		in   string
		want []string // substrings of the reply (case-insensitive)
		zone string   // what `timezone` then shows
	}{
		{"timezone Europe/Berlin", []string{"time zone set to europe/berlin (cet, utc+01:00)"}, "Europe/Berlin"},
		{"timezone Berlin", []string{"berlin → europe/berlin (follows daylight saving)", "time zone set to europe/berlin"}, "Europe/Berlin"},
		{"timezone new york", []string{"new york → america/new_york (follows daylight saving)", "est, utc-05:00"}, "America/New_York"},
		{"timezone kolkata", []string{"kolkata → asia/kolkata (no daylight saving)", "ist, utc+05:30"}, "Asia/Kolkata"},
		{"timezone Mumbai", []string{"mumbai → asia/kolkata"}, "Asia/Kolkata"},
		{"timezone São Paulo", []string{"são paulo → america/sao_paulo"}, "America/Sao_Paulo"},
		{"timezone PST", []string{"pst → america/los_angeles (pacific time, follows daylight saving)", "pst, utc-08:00"}, "America/Los_Angeles"},
		{"timezone Pacific Time", []string{"pacific time → america/los_angeles (pacific time, follows daylight saving)"}, "America/Los_Angeles"},
		{"timezone UTC+05:30", []string{"utc+05:30 → asia/kolkata (the zone that keeps utc+05:30, no daylight saving)"}, "Asia/Kolkata"},
		{"timezone GMT-3", []string{"etc/gmt+3", "utc-03:00"}, "Etc/GMT+3"},
		{"timezone PDT", []string{"pdt → america/los_angeles (pacific time, follows daylight saving)"}, "America/Los_Angeles"},
		{"timezone EST", []string{"est → america/new_york (eastern time, follows daylight saving)"}, "America/New_York"},
		{"timezone CST", []string{"central time", "asia/shanghai"}, "America/Chicago"},
		{"timezone MST", []string{"mountain time", "america/phoenix"}, "America/Denver"},
		{"timezone CET", []string{"cet → europe/berlin (central european time, follows daylight saving)"}, "Europe/Berlin"},
		{"timezone IST", []string{"ist → asia/kolkata (india time, no daylight saving)", "europe/dublin"}, "Asia/Kolkata"},
		{"timezone JST", []string{"japan time, no daylight saving"}, "Asia/Tokyo"},
		{"timezone AEST", []string{"australia/sydney", "australia/brisbane"}, "Australia/Sydney"},
		{"timezone GMT", []string{"gmt → utc", "europe/london"}, "UTC"},
		{"timezone UTC+2", []string{"etc/gmt-2", "fixed utc+02:00", "no daylight saving"}, "Etc/GMT-2"},
		{"timezone america/new_york", []string{"america/new_york → america/new_york"}, "America/New_York"},
		{"timezone America/NewYork", []string{"america/newyork → america/new_york"}, "America/New_York"},
		{"tz Japan", []string{"japan → asia/tokyo"}, "Asia/Tokyo"},
		{"timezone Berlin, Germany", []string{"europe/berlin"}, "Europe/Berlin"},
		{"timezone ｂｅｒｌｉｎ", []string{"europe/berlin"}, "Europe/Berlin"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			k := testkit.New(t)
			r := k.Send(tt.in)
			if r.Error {
				t.Fatalf("%q refused:\n%s", tt.in, r.PlainText())
			}
			bottest.MustContain(t, r, tt.want...)
			bottest.MustContain(t, k.Send("timezone"), "your time zone is "+tt.zone+" ")
		})
	}
}

// TestTimezoneRefusals offers the zone a typo most likely meant; the
// examples offered are typed back by TestEveryOfferedExampleWorks.
func TestTimezoneRefusals(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"timezone Europe/Berln", []string{`“europe/berln”`, "did you mean europe/berlin", "try: timezone europe/berlin"}},
		{"timezone Berln", []string{"did you mean europe/berlin", "try: timezone europe/berlin"}},
		{"timezone kolkatta", []string{"did you mean asia/kolkata", "try: timezone asia/kolkata"}},
		{"timezone America/Berlin", []string{"did you mean europe/berlin"}},
		{"timezone USA", []string{"several time zones", "america/new_york, america/chicago, america/denver or america/los_angeles", "try: timezone america/new_york"}},
		{"timezone Mars/Olympus", []string{`“mars/olympus” is not a time zone`, "try: timezone europe/berlin"}},
		{"timezone local", []string{"not a time zone", "try: timezone europe/berlin"}},
		{"timezone ../etc/passwd", []string{"not a time zone"}},
		{"timezone UTC+5:17", []string{"not a time zone", "iana"}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			k := testkit.New(t)
			r := k.Send(tt.in)
			if !r.Error {
				t.Fatalf("%q accepted:\n%s", tt.in, r.PlainText())
			}
			bottest.MustContain(t, r, tt.want...)
			bottest.MustContain(t, k.Send("timezone"), "your time zone is UTC")
		})
	}
}

// A reminder keeps the zone it was set in: after `timezone` the reply says
// so, and the next delivery comes at the old zone's wall time.
func TestChangingZoneKeepsEarlierRemindersOnTheirTime(t *testing.T) {
	// Tue 1 Dec 2026 08:00 UTC = 09:00 in Berlin.
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)))
	k.Send("timezone Europe/Berlin")
	id := createdID(t, k.Send("remind me every day at 10:00"))
	r := k.Send("timezone America/New_York")
	bottest.MustContain(t, r, "#"+id+" stays on Europe/Berlin time", "cancel it and set it again")
	if r.Error {
		t.Fatalf("timezone: %s", r.PlainText())
	}
	k.Clock.Set(time.Date(2026, 12, 1, 8, 59, 0, 0, time.UTC))
	k.Tick()
	wantDeliveries(t, k, id, 0)
	k.Advance(time.Minute) // 10:00 Berlin
	wantDeliveries(t, k, id, 1)
	// Setting the same zone again, or a zone with nothing left in another,
	// says nothing about earlier reminders.
	k.Send("cancel #" + id)
	if strings.Contains(k.Send("timezone Europe/Berlin").PlainText(), "stay") {
		t.Error("note about earlier reminders with none left")
	}
}

// In Chile the clocks jump from midnight to 01:00 when summer time starts
// (Sun 6 Sep 2026), so that day has no midnight: a break every day across
// it is still one unbroken streak, current and best alike.
func TestStreakAcrossADayWithoutMidnight(t *testing.T) {
	loc, err := time.LoadLocation("America/Santiago")
	if err != nil {
		t.Skip(err)
	}
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 9, 3, 12, 0, 0, 0, loc)))
	k.Send("timezone America/Santiago")
	for i := 0; i < 6; i++ { // Thu 3 to Tue 8 September
		k.Send("done")
		k.Advance(24 * time.Hour)
	}
	bottest.MustContain(t, k.Send("stats"), "current streak 6 days, best 6 days")
	// Just after midnight on the morning after the jump, yesterday's
	// break still counts: the day before is found on the calendar.
	k2 := testkit.New(t, testkit.WithStart(time.Date(2026, 9, 5, 12, 0, 0, 0, loc)))
	k2.Send("timezone America/Santiago")
	k2.Send("done")
	k2.Clock.Set(time.Date(2026, 9, 6, 12, 0, 0, 0, loc))
	k2.Send("done")
	k2.Clock.Set(time.Date(2026, 9, 7, 0, 30, 0, 0, loc))
	bottest.MustContain(t, k2.Send("stats"), "current streak 2 days, best 2 days")
}

// A cron rule names the zone it runs in, its own CRON_TZ or the zone it was
// set in: after a change of zone, `list` names that zone once, never the
// reminder's zone beside it, and the reply to `timezone` does not count a
// CRON_TZ reminder among those left on the old zone: it runs on its own.
func TestCronRulesNameTheirZoneOnce(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)))
	ny := createdID(t, k.Send(`remind me cron "CRON_TZ=America/New_York 0 10 * * *"`))
	utc := createdID(t, k.Send(`remind me cron "0 10 * * *"`))
	r := k.Send("timezone Asia/Tokyo")
	bottest.MustContain(t, r, "#"+utc+" stays on UTC time")
	if strings.Contains(r.PlainText(), "#"+ny) {
		t.Errorf("timezone reply counts #%s, which runs in New York, among those on UTC:\n%s", ny, r.PlainText())
	}
	list := k.Send("list").PlainText()
	for _, line := range strings.Split(list, "\n") {
		switch {
		case strings.HasPrefix(line, "#"+ny+" "):
			if !strings.Contains(line, "(America/New_York)") || strings.Contains(line, "(UTC)") {
				t.Errorf("list line of the New York cron rule names UTC or not New York: %q", line)
			}
		case strings.HasPrefix(line, "#"+utc+" "):
			if strings.Count(line, "(UTC)") != 1 {
				t.Errorf("list line of the UTC cron rule names its zone other than once: %q", line)
			}
		}
	}
}

// `timezone` alone offers a zone to change to, never the zone already set.
func TestTimezoneShownOffersAnotherZone(t *testing.T) {
	k := testkit.New(t)
	for _, zone := range []string{"UTC", "Europe/Berlin", "America/New_York"} {
		k.Send("timezone " + zone)
		r := k.Send("timezone")
		bottest.MustContain(t, r, "your time zone is "+zone+" ")
		if strings.Contains(r.PlainText(), "`timezone "+zone+"`") {
			t.Errorf("in %s, `timezone` offers the zone already set:\n%s", zone, r.PlainText())
		}
	}
}
