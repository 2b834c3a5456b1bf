package bot_test

import (
	"bytes"
	"context"
	"image/png"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// dailyBreaks runs a team break every day at 10:00 UTC in channel with the
// given holiday calendar, from 09:00 on start for days days, and returns
// the dates it was delivered on.
func dailyBreaks(t *testing.T, start time.Time, days int, channel bot.ChannelID, holidays string) (*testkit.Kit, []string) {
	t.Helper()
	k := testkit.New(t, testkit.WithStart(start))
	if r := k.SendAs("U1", channel, "holidays "+holidays); r.Error {
		t.Fatalf("holidays %s: %s", holidays, r.PlainText())
	}
	id := createdID(t, k.SendAs("U1", channel, "schedule every day at 10:00"))
	k.Advance(time.Hour)
	for range days - 1 {
		k.Advance(24 * time.Hour)
	}
	if n := len(k.Deliveries()); n == 0 || !strings.Contains(k.Deliveries()[0].Reply.PlainText(), "#"+id) {
		t.Fatalf("no team break #%s delivered", id)
	}
	// The runs held, by date, as the summary counts them.
	var dates []string
	runs, err := k.DB.TeamRuns(context.Background(), "console", channel, start)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range runs {
		if r.Skipped == "" {
			dates = append(dates, r.At.Format(time.DateOnly))
		}
	}
	return k, dates
}

func TestTeamBreaksSkipPublicHolidays(t *testing.T) {
	t.Run("DE Christmas", func(t *testing.T) {
		k, held := dailyBreaks(t, time.Date(2026, 12, 23, 9, 0, 0, 0, time.UTC), 6, "C1", "de")
		want := []string{"2026-12-23", "2026-12-24", "2026-12-27", "2026-12-28"}
		if strings.Join(held, " ") != strings.Join(want, " ") {
			t.Errorf("held on %v, want %v", held, want)
		}
		if n := len(k.Deliveries()); n != 4 {
			t.Errorf("%d deliveries, want 4", n)
		}
		bottest.MustContain(t, k.SendAs("U1", "C1", "stats"), "4 team breaks held, 2 skipped",
			"public holiday: Christmas Day", "Second Day of Christmas")
	})
	t.Run("US Thanksgiving", func(t *testing.T) {
		k, held := dailyBreaks(t, time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC), 3, "C2", "US")
		want := []string{"2026-11-25", "2026-11-27"}
		if strings.Join(held, " ") != strings.Join(want, " ") {
			t.Errorf("held on %v, want %v", held, want)
		}
		bottest.MustContain(t, k.SendAs("U1", "C2", "stats"), "2 team breaks held, 1 skipped (public holiday: Thanksgiving Day)")
	})
	t.Run("no calendar", func(t *testing.T) {
		k := testkit.New(t, testkit.WithStart(time.Date(2026, 12, 24, 9, 0, 0, 0, time.UTC)))
		createdID(t, k.SendAs("U1", "C3", "schedule every day at 10:00"))
		k.Advance(time.Hour)
		k.Advance(24 * time.Hour)
		if n := len(k.Deliveries()); n != 2 {
			t.Errorf("%d deliveries without a calendar, want 2", n)
		}
	})
}

func TestHolidaysCommand(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)))
	bottest.MustContain(t, k.SendAs("U1", "C1", "holidays"), "no holiday calendar", "holidays DE")
	r := k.SendAs("U1", "C1", "holidays de-by")
	if r.Error || r.Visibility != bot.Public {
		t.Fatalf("holidays de-by: %+v", r)
	}
	bottest.MustContain(t, r, "Germany (Bavaria)", "DE-BY", "Fri 25 Dec 2026: Christmas Day (Weihnachtstag)")
	list := k.SendAs("U2", "C1", "holidays")
	bottest.MustContain(t, list, "Germany (Bavaria)", "Weihnachtstag", "Zweiter Weihnachtsfeiertag", "Neujahrstag", "Heilige Drei Könige")
	if n := strings.Count(list.PlainText(), "• "); n != 5 {
		t.Errorf("listed %d holidays, want 5:\n%s", n, list.PlainText())
	}
	bottest.MustContain(t, k.SendAs("U1", "C2", "holidays"), "no holiday calendar") // per channel
	bottest.MustContain(t, k.SendAs("U1", "C1", "holidays gb-sct"), "United Kingdom (Scotland)")
	bottest.MustContain(t, k.SendAs("U1", "C1", "holidays off"), "removed")
	bottest.MustContain(t, k.SendAs("U1", "C1", "holidays"), "no holiday calendar")

	for _, bad := range []struct{ in, want string }{
		{"holidays XX", "Supported: AR AT AU"},
		{"holidays US-CA", "without regions"},
		{"holidays DE-ZZ", "DE-BY"},
		{"holidays AU", "AU-NSW"},
		{"holidays Germany", "Germany is DE"},
		{"holidays narnia", "two letters"},
	} {
		r := k.SendAs("U1", "C1", bad.in)
		if !r.Error {
			t.Errorf("%q was accepted: %s", bad.in, r.PlainText())
		}
		bottest.MustContain(t, r, bad.want)
	}
	r = k.SendMsg(bot.Message{User: "U1", Channel: "D1", DM: true, Text: "holidays DE"})
	if !r.Error {
		t.Errorf("holidays in a DM was accepted: %s", r.PlainText())
	}
}

// seedWeek records, for channel C1, a week of team runs and completions
// before now: 5 breaks held in the last 7 days and 2 older, 1 skipped,
// 3 people taking part (U1 and U2 on several days), plus runs elsewhere.
func seedWeek(t *testing.T, k *testkit.Kit, now time.Time) {
	t.Helper()
	ctx := context.Background()
	day := func(n int) time.Time { return now.AddDate(0, 0, -n).Truncate(24 * time.Hour).Add(10 * time.Hour) }
	runs := []bot.TeamRun{
		{Reminder: "r1", At: day(1)}, {Reminder: "r1", At: day(2)}, {Reminder: "r1", At: day(3)},
		{Reminder: "r1", At: day(4)}, {Reminder: "r2", At: day(4)},
		{Reminder: "r1", At: day(5), Skipped: "public holiday: Tag der Deutschen Einheit"},
		{Reminder: "r1", At: day(10)}, {Reminder: "r1", At: day(20)},
	}
	for _, r := range runs {
		r.Tenant, r.Channel = "console", "C1"
		if err := k.DB.AddTeamRun(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	if err := k.DB.AddTeamRun(ctx, bot.TeamRun{Tenant: "console", Channel: "C9", Reminder: "r9", At: day(1)}); err != nil {
		t.Fatal(err)
	}
	add := func(u bot.UserID, n int, kind string) {
		c := bot.Completion{Tenant: "console", User: u, Channel: "C1", Key: "k" + day(n).String(), Kind: kind, At: day(n).Add(time.Minute)}
		if _, err := k.DB.AddCompletion(ctx, c); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range []int{1, 2, 3, 4} {
		add("U1", n, bot.KindDone) // a 4-day streak, ending yesterday
	}
	add("U2", 1, bot.KindDone)
	add("U2", 2, bot.KindDone) // 2 days
	add("U3", 3, bot.KindJoin) // took part, no streak of done breaks
	add("U4", 12, bot.KindDone)
	for _, u := range []bot.PublicUser{{User: "U1", Name: "Ada"}, {User: "U2", Name: "Ben"}} {
		u.Tenant = "console"
		if err := k.DB.SetPublic(ctx, u, true); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSummaryOfASeededWeek(t *testing.T) {
	now := time.Date(2026, 12, 4, 15, 0, 0, 0, time.UTC) // a Friday
	k := testkit.New(t, testkit.WithStart(now))
	seedWeek(t, k, now)

	r := k.SendAs("U5", "C1", "summary every friday at 16:00")
	if r.Error || r.Visibility != bot.Public {
		t.Fatalf("summary: %s", r.PlainText())
	}
	id := createdID(t, r)
	bottest.MustContain(t, r, "every Friday at 16:00", "Fri 4 Dec 16:00")
	bottest.MustContain(t, k.SendAs("U5", "C1", "summary"), "#"+id, "5 team breaks held, 1 skipped", "3 people took part")

	k.Advance(time.Hour)
	var got []bot.Outgoing
	for _, o := range k.Deliveries() {
		if strings.Contains(o.Reply.PlainText(), "#"+id) {
			got = append(got, o)
		}
	}
	if len(got) != 1 {
		t.Fatalf("%d summaries delivered, want 1", len(got))
	}
	s := got[0]
	if s.Channel != "C1" || s.Reply.Visibility != bot.Public {
		t.Errorf("summary went to %q (visibility %v), want C1, public", s.Channel, s.Reply.Visibility)
	}
	text := s.Reply.PlainText()
	for _, want := range []string{
		"5 team breaks held, 1 skipped (public holiday: Tag der Deutschen Einheit)",
		"3 people took part",
		"Longest current streaks: Ada 4 days, Ben 2 days.",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
	for _, never := range []string{"U3", "U4", "U5"} {
		if strings.Contains(text, never) {
			t.Errorf("summary names %s, who never agreed:\n%s", never, text)
		}
	}
	if len(s.Reply.Files) != 1 {
		t.Fatalf("summary has %d files, want its chart", len(s.Reply.Files))
	}
	f := s.Reply.Files[0]
	img, err := png.Decode(bytes.NewReader(f.Data))
	if err != nil || f.Type != "image/png" || !strings.HasSuffix(f.Name, ".png") {
		t.Fatalf("chart %q (%s) is not a PNG: %v", f.Name, f.Type, err)
	}
	if b := img.Bounds(); b.Dx() < 600 || b.Dy() < 300 {
		t.Errorf("chart is %dx%d, too small to read in a chat", b.Dx(), b.Dy())
	}

	// Ben withdraws; the next summary names only Ada.
	bottest.MustContain(t, k.SendAs("U2", "C1", "stats private"), "private")
	k.Advance(7 * 24 * time.Hour)
	last := k.Deliveries()[len(k.Deliveries())-1].Reply.PlainText()
	if strings.Contains(last, "Ben") {
		t.Errorf("a summary after stats private names Ben:\n%s", last)
	}

	// One per channel: a new time from the person who set it replaces it;
	// off stops it.
	r = k.SendAs("U5", "C1", "summary every monday at 9:00")
	bottest.MustContain(t, r, "replaces #"+id)
	bottest.MustContain(t, k.SendAs("U5", "C1", "summary off"), "stopped")
	bottest.MustContain(t, k.SendAs("U6", "C1", "summary"), "No summary is scheduled")
	for _, bad := range []string{"summary in 20 minutes", "summary at 3pm", "summary every funday"} {
		if r := k.SendAs("U6", "C1", bad); !r.Error {
			t.Errorf("%q was accepted: %s", bad, r.PlainText())
		}
	}
}

func TestStatsPublicDefaultsToPrivate(t *testing.T) {
	k := testkit.New(t)
	bottest.MustContain(t, k.SendAs("U1", "C1", "stats"), "Streaks are private unless you say `stats public`")
	bottest.MustContain(t, k.SendAs("U1", "C1", "stats public"), "may now name you")
	// Once someone has said it, the figures no longer ask for it: they say
	// that none of those people has a streak yet.
	r := k.SendAs("U1", "C1", "stats")
	if strings.Contains(r.PlainText(), "unless you say `stats public`") {
		t.Errorf("stats after stats public still asks for it:\n%s", r.PlainText())
	}
	bottest.MustContain(t, r, "No one who said `stats public` has a current streak")
	if r := k.SendAs("U1", "C1", "stats loud"); !r.Error {
		t.Errorf("stats loud accepted: %s", r.PlainText())
	}
	us, err := k.DB.PublicUsers(context.Background(), "console")
	if err != nil || len(us) != 1 || us[0].User != "U1" {
		t.Errorf("public users = %+v, %v", us, err)
	}
}

// A new team break says which of the runs it shows fall on a holiday.
func TestNewTeamBreakNamesTheHolidaysItShows(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 12, 24, 8, 0, 0, 0, time.UTC)))
	k.SendAs("U1", "C1", "holidays DE")
	bottest.MustContain(t, k.SendAs("U1", "C1", "schedule every day at 10:00"),
		"next: thu 24 dec 10:00 utc · fri 25 dec 10:00 utc · sat 26 dec 10:00 utc",
		"fri 25 dec 10:00 utc (christmas day) and sat 26 dec 10:00 utc (second day of christmas) are public holidays here")
	if strings.Contains(k.SendAs("U1", "C2", "schedule every day at 10:00").PlainText(), "holiday") {
		t.Error("a channel without a calendar mentions holidays")
	}
	// After today's break, list names the 27th, past the two holidays.
	k.Clock.Set(time.Date(2026, 12, 24, 11, 0, 0, 0, time.UTC))
	k.Tick()
	bottest.MustContain(t, k.SendAs("U1", "C1", "list"), "next sun 27 dec 10:00 utc (earlier runs fall on public holidays)")
}
