package bot_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// A team break's post carries Done, Join, Snooze and Skip for everyone in
// the channel. Done and Join count anyone who presses them there; Snooze
// and Skip delay or drop the break for the whole channel, so they are for
// its creator and admins, as the typed commands are, and anyone else is
// told privately why and what they can do instead. A press from another
// channel or tenant can only be forged and changes nothing.
func TestTeamBreakButtonsByWhoPresses(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 10 minutes"))
	k.Advance(10 * time.Minute)
	got := deliveriesOf(k, id)
	if len(got) != 1 {
		t.Fatalf("deliveries = %d", len(got))
	}
	buttons := map[bot.ActionID]bot.Action{}
	for _, a := range got[0].Reply.Actions {
		buttons[a.ID] = a
	}
	here := bot.Message{Platform: bot.Console, Tenant: "console", Channel: "console", User: "member"}
	admin := here
	admin.User, admin.Admin = "boss", true
	elsewhere := here
	elsewhere.Channel = "random"
	otherTenant := here
	otherTenant.Tenant = "T2"
	press := func(m bot.Message, id bot.ActionID) bot.ActionResult {
		t.Helper()
		a, ok := buttons[id]
		if !ok {
			t.Fatalf("no %s button: %+v", id, got[0].Reply.Actions)
		}
		r := k.Bot.HandleAction(context.Background(), bot.ActionEvent{Message: m, ID: id, Value: a.Value})
		if r.Ephemeral == nil {
			t.Fatalf("%s by %s: no private answer", id, m.User)
		}
		if r.Ephemeral.Visibility != bot.Private {
			t.Errorf("%s by %s answered in public: %q", id, m.User, r.Ephemeral.PlainText())
		}
		return r
	}
	refused := func(r bot.ActionResult, want ...string) {
		t.Helper()
		text := r.Ephemeral.PlainText()
		if !r.Ephemeral.Error || r.Status != "" {
			t.Errorf("not refused: %q (status %q)", text, r.Status)
		}
		if lines := strings.Split(text, "\n"); len(lines) != 2 || !strings.HasPrefix(lines[1], "Try: ") {
			t.Errorf("refusal is not one reason and an example: %q", text)
		}
		for _, w := range want {
			if !strings.Contains(text, w) {
				t.Errorf("refusal %q lacks %q", text, w)
			}
		}
	}

	for _, b := range []bot.ActionID{bot.ActionDone, bot.ActionJoin} {
		if r := press(here, b); r.Ephemeral.Error || r.Status == "" {
			t.Errorf("%s by a member: %q", b, r.Ephemeral.PlainText())
		}
		refused(press(elsewhere, b), "no record of that break")
		refused(press(otherTenant, b), "no record of that break")
	}
	refused(press(here, bot.ActionSnooze), "or an admin can snooze it for the whole channel", "Try: remind me in 10 minutes")
	refused(press(here, bot.ActionSkip), "or an admin can skip it for the whole channel")
	// Typed, the same words.
	typed := here
	typed.Text = "snooze #" + id
	if got, want := k.SendMsg(typed).PlainText(), press(here, bot.ActionSnooze).Ephemeral.PlainText(); got != want {
		t.Errorf("typed snooze = %q, button = %q", got, want)
	}
	for _, m := range []bot.Message{elsewhere, otherTenant} {
		refused(press(m, bot.ActionSnooze), "there is no reminder #"+id)
		refused(press(m, bot.ActionSkip), "there is no reminder #"+id)
	}
	if r := press(admin, bot.ActionSnooze); r.Ephemeral.Error || !strings.Contains(r.Ephemeral.PlainText(), "Snoozed #"+id) {
		t.Errorf("admin's snooze: %q", r.Ephemeral.PlainText())
	}
	if r := press(admin, bot.ActionSkip); r.Ephemeral.Error || !strings.Contains(r.Ephemeral.PlainText(), "Skipped #"+id) {
		t.Errorf("admin's skip: %q", r.Ephemeral.PlainText())
	}
}

// On the day the clocks spring forward, a run set for a wall time the jump
// skips comes at the end of the gap, and is quiet when the time it stands
// for is: "every day at 02:15" under a quiet 02:00-03:00 on Sundays passes
// over Sunday's run, moved to 03:00, as working hours already judge such a
// run. A run after the gap is judged at its own time.
func TestSpringForwardRunKeepsItsQuietPeriod(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Skip(err)
	}
	k := testkit.New(t, testkit.WithStart(time.Date(2027, 3, 27, 12, 0, 0, 0, berlin))) // Saturday
	k.Send("timezone Europe/Berlin")
	bottest.MustContain(t, k.Send("quiet 02:00-03:00 sunday"), "Quiet")
	r := k.Send("remind me every day at 02:15 to stretch")
	bottest.MustContain(t, r, "Next: Mon 29 Mar 02:15 CEST")
	id := createdID(t, r)
	later := createdID(t, k.Send("remind me every day at 03:30"))
	bottest.MustContain(t, k.Send("list"), "#"+id+" ", "next Mon 29 Mar 02:15 CEST", "#"+later+" ", "next Sun 28 Mar 03:30 CEST")
	for range 40 * 4 {
		k.Advance(15 * time.Minute)
	}
	if got := deliveriesOf(k, id); len(got) != 1 {
		t.Errorf("#%s delivered %d times by Mon 29 Mar 04:00, want once, on Monday", id, len(got))
	}
	if got := deliveriesOf(k, later); len(got) != 2 {
		t.Errorf("#%s delivered %d times by Mon 29 Mar 04:00, want twice", later, len(got))
	}
}

// A repeating reminder's first runs name a wall time the clocks skip on
// the day they spring forward, as a one-off's description does, so 03:00
// among the 02:15s is explained; a run set for 03:00 itself needs no note.
func TestNextRunsSayWhenTheClocksSkipTheirTime(t *testing.T) {
	for _, tt := range []struct {
		zone, start, in, want string
	}{
		{"Europe/Berlin", "2027-03-27T12:00", "remind me every day at 02:15", "Next: Sun 28 Mar 03:00 CEST (02:15 does not exist that day) · Mon 29 Mar 02:15 CEST"},
		{"Europe/Berlin", "2027-03-27T12:00", "schedule every day at 02:15", "Next: Sun 28 Mar 03:00 CEST (02:15 does not exist that day) · Mon 29 Mar 02:15 CEST"},
		{"America/New_York", "2027-03-10T12:00", "remind me every sunday at 2:30am", "Next: Sun 14 Mar 03:00 EDT (02:30 does not exist that day) · Sun 21 Mar 02:30 EDT"},
		{"Europe/Berlin", "2027-03-27T12:00", "remind me every day at 03:00", "Next: Sun 28 Mar 03:00 CEST · Mon 29 Mar 03:00 CEST"},
	} {
		loc, err := time.LoadLocation(tt.zone)
		if err != nil {
			t.Skip(err)
		}
		start, _ := time.ParseInLocation("2006-01-02T15:04", tt.start, loc)
		k := testkit.New(t, testkit.WithStart(start))
		k.Send("timezone " + tt.zone)
		bottest.MustContain(t, k.Send(tt.in), tt.want)
	}
}

// A span that crosses midnight says so in a word, not in a second pair of
// brackets beside the zone's.
func TestNightSpansReadWell(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"hours 22:00-06:00":                 "Working hours set: 22:00-06:00 overnight on weekdays (UTC).",
		"quiet 23:00-01:00":                 "Quiet: 23:00-01:00 overnight (UTC).",
		"quiet 12:00-13:00 and 22:00-06:00": "Quiet: 12:00-13:00 and 22:00-06:00 overnight (UTC).",
	} {
		r := k.Send(in)
		bottest.MustContain(t, r, want)
		if strings.Contains(r.PlainText(), ") (") {
			t.Errorf("%q: two sets of brackets side by side:\n%s", in, r.PlainText())
		}
	}
}

// Refusals of `quiet` speak of quiet periods and offer one: not a working
// day's range, nor a night shift. An evening start said with pm is read
// as running overnight.
func TestQuietRefusalsSpeakOfQuietPeriods(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"quiet 12-12":   "quiet 12:00-13:00",
		"quiet 12":      "quiet 12:00-13:00",
		"quiet 12-":     "quiet 12:00-13:00",
		"quiet 17-9":    "quiet 09:00-17:00",
		"quiet 9pm-5":   "quiet 21:00-05:00",
		"hours 10pm-6":  "hours 22:00-06:00",
		"hours 9-9":     "hours 9:00-17:30",
		"quiet 12 to 1": "",
	} {
		r := k.Send(in)
		if want == "" {
			if r.Error {
				t.Errorf("%q refused:\n%s", in, r.PlainText())
			}
			continue
		}
		if !r.Error {
			t.Errorf("%q accepted:\n%s", in, r.PlainText())
			continue
		}
		text := r.PlainText()
		if got := tryLine(t, text); got != want {
			t.Errorf("%q offers %q, want %q:\n%s", in, got, want, text)
		}
		if strings.HasPrefix(in, "quiet") && (strings.Contains(text, "17:30") || strings.Contains(text, "night shift")) {
			t.Errorf("%q speaks of working hours:\n%s", in, text)
		}
		if r := k.Send(want); r.Error {
			t.Errorf("%q offers %q, which is refused:\n%s", in, want, r.PlainText())
		}
	}
}

// Time away for a later week is refused, with an example to say on the
// day of leaving that ends after the week starts: "from monday to friday"
// said on a Thursday is next Monday to the Friday after it, not this
// Friday, which comes before that Monday.
func TestAwayLaterOffersTheEndAfterItsStart(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC))) // Thursday
	r := k.Send("away from monday to friday")
	if !r.Error {
		t.Fatalf("accepted:\n%s", r.PlainText())
	}
	if got, want := tryLine(t, r.PlainText()), "away until 2026-12-12"; got != want {
		t.Errorf("offers %q, want %q:\n%s", got, want, r.PlainText())
	}
}

// A count of runs is read as one, not as a break's length: "0 times" is
// refused for its count, and "1 times" reads as once.
func TestRunCountsAreCounts(t *testing.T) {
	k := testkit.New(t)
	r := k.Send("remind me every day at 9 0 times")
	if !r.Error || strings.Contains(r.PlainText(), "minutes long") {
		t.Errorf("0 times:\n%s", r.PlainText())
	}
	bottest.MustContain(t, r, "at least once")
	if ex := tryLine(t, r.PlainText()); k.Send(ex).Error {
		t.Errorf("0 times offers %q, which is refused", ex)
	}
	r = k.Send("remind me every day at 9 1 times")
	bottest.MustContain(t, r, "every day at 09:00, once, on Tue 1 Dec at 09:00 UTC")
	if strings.Contains(r.PlainText(), "1 times") {
		t.Errorf("1 times:\n%s", r.PlainText())
	}
}

// A delivery's "Skip next" skips the run after that delivery, once: a
// second press (a double click, or a press on an older post) does not
// skip the run after that too, and says what `skip` would do instead.
func TestSkipButtonSkipsTheRunAfterItsDeliveryOnce(t *testing.T) {
	k := testkit.New(t)
	id := createdID(t, k.Send("schedule every 10 minutes"))
	k.Advance(10 * time.Minute) // 09:10
	got := deliveriesOf(k, id)
	var skip bot.Action
	for _, a := range got[0].Reply.Actions {
		if a.ID == bot.ActionSkip {
			skip = a
		}
	}
	press := func() bot.Reply {
		r := k.Bot.HandleAction(context.Background(), bot.ActionEvent{
			Message: bot.Message{Platform: bot.Console, Tenant: "console", Channel: "console", User: "console"}, ID: skip.ID, Value: skip.Value})
		return *r.Ephemeral
	}
	first := press()
	bottest.MustContain(t, first, "Skipped #"+id+" on Mon 30 Nov 09:20 UTC")
	second := press()
	if !second.Error || strings.Contains(second.PlainText(), "Skipped") {
		t.Fatalf("a second press skipped again:\n%s", second.PlainText())
	}
	bottest.MustContain(t, second, "09:20 UTC) is already skipped", "next is Mon 30 Nov 09:30 UTC", "Try: skip #"+id)
	bottest.MustContain(t, k.Send("list"), "next Mon 30 Nov 09:30 UTC")
	// Typed, skip still takes the next run each time.
	bottest.MustContain(t, k.Send("skip #"+id), "Skipped #"+id+" on Mon 30 Nov 09:30 UTC")
}

// Words that are themselves a time are not taken for a reminder's note:
// "except monday to friday" is a range of days, not "except monday" with
// the note "friday", and two rules in one message are not one rule with
// the other as its note.
func TestTimesAreNotNotes(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"remind me every weekday at 9 except monday to friday":       "leaves no day",
		"remind me every day at 9 and every monday at 10":            "Those are two rules in one; set them one at a time: `remind me every day at 9`, then `remind me every monday at 10`.",
		"schedule every day at 9 and every monday at 10 in #general": "`schedule every day at 9 in #general`, then `schedule every monday at 10 in #general`",
	} {
		r := k.Send(in)
		if !r.Error {
			t.Errorf("%q accepted:\n%s", in, r.PlainText())
			continue
		}
		bottest.MustContain(t, r, want)
		if ex := tryLine(t, r.PlainText()); k.Send(ex).Error {
			t.Errorf("%q offers %q, which is refused", in, ex)
		}
	}
	// One rule misread is not offered as a repeating one and a one-off.
	if r := k.Send("remind me every morning and afternoon"); strings.Contains(r.PlainText(), "two rules") {
		t.Errorf("every morning and afternoon:\n%s", r.PlainText())
	}
	// A note after a day is still a note.
	bottest.MustContain(t, k.Send("remind me every monday to water the plants"), "Note: water the plants")
	bottest.MustContain(t, k.Send("remind me on friday to call mom"), "Note: call mom")
}

// A break is at one place and of one category: two are refused with one
// of them, not the last taken silently.
func TestBreakTakesOnePlaceAndOneCategory(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string]string{
		"break pool floor":                 "break pool",
		"break mobility traction":          "break mobility",
		"remind me in 5 minutes pool gym":  "remind me in 5 minutes pool",
		"schedule every day at 9 desk gym": "schedule every day at 9 desk",
	} {
		r := k.Send(in)
		if !r.Error {
			t.Errorf("%q accepted:\n%s", in, r.PlainText())
			continue
		}
		if got := tryLine(t, r.PlainText()); got != want {
			t.Errorf("%q offers %q, want %q:\n%s", in, got, want, r.PlainText())
		}
		if k.Send(want).Error {
			t.Errorf("%q offers %q, which is refused", in, want)
		}
	}
	for _, in := range []string{"break desk desk", "break floor mobility", "break aerobic 30 min outdoors"} {
		if r := k.Send(in); r.Error {
			t.Errorf("%q refused:\n%s", in, r.PlainText())
		}
	}
}

// After a change of zone, reminders kept in several earlier zones are
// named with the zone each keeps, not in one list beside a list of zones.
func TestKeptZonesSayWhichIsWhich(t *testing.T) {
	k := testkit.New(t)
	a := createdID(t, k.Send("remind me every day at 9"))
	b := createdID(t, k.Send("remind me every day at 10"))
	k.Send("timezone Asia/Kathmandu")
	c := createdID(t, k.Send("remind me every day at 11"))
	r := k.Send("timezone Europe/London")
	bottest.MustContain(t, r, "#"+a+" and #"+b+" on UTC time", "#"+c+" on Asia/Kathmandu time", "cancel it and set it again")
}

// Settings of a channel are made in that channel: naming another one is
// refused with the command to say there, for summaries, holidays and
// stats alike, and the command offered is the one typed.
func TestChannelSettingsNamedElsewhere(t *testing.T) {
	k := testkit.New(t)
	for in, want := range map[string][2]string{
		"summary every day at 16:00 in #team": {"say `summary every day at 16:00` in #team", "summary every day at 16:00"},
		"summary off in #team":                {"say `summary off` in #team", "summary off"},
		"holidays DE in #team":                {"say `holidays DE` in #team", "holidays DE"},
		"holidays off in #team":               {"say `holidays off` in #team", "holidays off"},
		"stats in #team":                      {"say `stats` in #team", "stats"},
	} {
		r := k.Send(in)
		if !r.Error {
			t.Errorf("%q accepted:\n%s", in, r.PlainText())
			continue
		}
		bottest.MustContain(t, r, want[0])
		if got := tryLine(t, r.PlainText()); got != want[1] {
			t.Errorf("%q offers %q, want %q", in, got, want[1])
		}
	}
}

// The run a Skip button skips is the next one that would reach the
// presser after its delivery: runs their working hours pass over in the
// meantime do not make the button stale.
func TestSkipButtonLooksPastRunsPassedOver(t *testing.T) {
	k := testkit.New(t, testkit.WithStart(time.Date(2026, 11, 30, 15, 30, 0, 0, time.UTC))) // Monday
	k.Send("hours 9-17")
	id := createdID(t, k.Send("remind me every hour on the hour"))
	k.Advance(30 * time.Minute) // 16:00, delivered
	got := deliveriesOf(k, id)
	if len(got) != 1 {
		t.Fatalf("deliveries = %d", len(got))
	}
	var skip bot.Action
	for _, a := range got[0].Reply.Actions {
		if a.ID == bot.ActionSkip {
			skip = a
		}
	}
	for range 4 {
		k.Advance(30 * time.Minute) // to 18:00: 17:00 and 18:00 passed over
	}
	press := func() bot.Reply {
		r := k.Bot.HandleAction(context.Background(), bot.ActionEvent{
			Message: bot.Message{Platform: bot.Console, Tenant: "console", Channel: "console", User: "console"}, ID: skip.ID, Value: skip.Value})
		return *r.Ephemeral
	}
	bottest.MustContain(t, press(), "Skipped #"+id+" on Tue 1 Dec 09:00 UTC")
	again := press()
	if !again.Error {
		t.Fatalf("second press:\n%s", again.PlainText())
	}
	bottest.MustContain(t, again, "(Tue 1 Dec 09:00 UTC) is already skipped", "the next is Tue 1 Dec 10:00 UTC")
}
