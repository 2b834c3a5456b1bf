package bot_test

import (
	"context"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/memory"
)

// listCountingStore counts the reads `list` makes, and can run a hook in
// the middle of one.
type listCountingStore struct {
	*memory.DB
	reads  atomic.Int32
	during func()
}

func (s *listCountingStore) Reminders(ctx context.Context, f bot.ReminderFilter) ([]bot.Reminder, error) {
	s.reads.Add(1)
	rs, err := s.DB.Reminders(ctx, f)
	if s.during != nil {
		s.during()
	}
	return rs, err
}

const listTTL = time.Minute

// listPair is two bots on one store and one clock: a with the list cache,
// ref without, whose answer is the truth.
func listPair(t *testing.T) (a, ref *bottest.Harness, st *listCountingStore) {
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	st = &listCountingStore{DB: db}
	rules := bot.WithRules(when.Parser{MinInterval: time.Second})
	a = bottest.New(t, st, bottest.WithBotOptions(rules, bot.WithListCache(listTTL)))
	ref = bottest.New(t, db, bottest.WithBotOptions(rules, bot.WithClock(a.Clock)))
	return a, ref, st
}

// sameList fails unless a's list, as user in channel, is the reference's.
func sameList(t *testing.T, a, ref *bottest.Harness, user bot.UserID, channel bot.ChannelID, step string) {
	t.Helper()
	got, want := bottest.Text(a.SendAs(user, channel, "list")), bottest.Text(ref.SendAs(user, channel, "list"))
	if got != want {
		t.Errorf("after %s, the cached list is\n%s\nwant\n%s", step, got, want)
	}
}

func TestListCacheReadsOnce(t *testing.T) {
	a, _, st := listPair(t)
	a.Send("remind me every day at 10:30 to stretch")
	a.Send("list")
	before := st.reads.Load()
	for range 3 {
		a.Send("list")
	}
	if n := st.reads.Load() - before; n != 0 {
		t.Errorf("list read the store %d more times, want none", n)
	}
	// break and stats change no reminder: the rows stay.
	a.Send("break")
	a.Send("stats")
	a.Send("list")
	if n := st.reads.Load() - before; n != 0 {
		t.Errorf("list after break read the store %d times, want none", n)
	}
	// Expired: read again.
	a.Clock.Advance(listTTL)
	a.Send("list")
	if n := st.reads.Load() - before; n != 1 {
		t.Errorf("list after the ttl read the store %d times, want 1", n)
	}
}

// Every change this bot makes shows in its next list.
func TestListCacheOwnChanges(t *testing.T) {
	a, ref, _ := listPair(t)
	u, c := bot.UserID("console"), bot.ChannelID("console")
	sameList(t, a, ref, u, c, "nothing")
	for _, s := range []string{
		"remind me every day at 10:30 to stretch",
		"remind me every weekday at 15:00 to drink water",
		"remind me in 3 hours to stand up",
	} {
		a.Send(s)
		sameList(t, a, ref, u, c, s)
	}
	id := reminderIDs(t, a)
	for _, s := range []string{
		"pause #" + id[0],
		"resume #" + id[0],
		"pause #" + id[1] + " for 2 hours",
		"skip #" + id[0],
		"snooze #" + id[1] + " 10 minutes",
		"cancel #" + id[2],
		"timezone Europe/Berlin",
		"remind me every 2 hours to walk",
		"pause #zzzz", // fails: nothing to pause
	} {
		a.Send(s)
		sameList(t, a, ref, u, c, s)
	}
	// Another user's team schedule in the channel shows in this list.
	a.SendAs("U2", c, "schedule every day at 11:00 team stretch")
	sameList(t, a, ref, u, c, "a team schedule by another user")
}

// Two instances on one store: a change through the other shows once the
// store reports it (RemindersChanged, as the scheduler's listener calls
// it), or at the latest after the ttl.
func TestListCacheOtherInstance(t *testing.T) {
	a, ref, _ := listPair(t)
	other := bottest.New(t, a.Store, bottest.WithBotOptions(bot.WithRules(when.Parser{MinInterval: time.Second}),
		bot.WithListCache(listTTL), bot.WithClock(a.Clock)))
	u, c := bot.UserID("console"), bot.ChannelID("console")
	a.Send("remind me every day at 10:30 to stretch")
	sameList(t, a, ref, u, c, "a reminder")
	other.Send("list") // the other instance caches too

	other.Send("remind me every day at 16:00 to walk")
	a.Bot.RemindersChanged()
	sameList(t, a, ref, u, c, "a reminder created elsewhere, reported")

	a.Send("pause #" + reminderIDs(t, a)[1])
	other.Bot.RemindersChanged()
	sameList(t, other, ref, u, c, "a pause seen by the other instance")

	// Not reported (another instance skipping a run): seen after the ttl.
	other.Send("skip #" + reminderIDs(t, a)[0])
	a.Clock.Advance(listTTL)
	sameList(t, a, ref, u, c, "a skip elsewhere, after the ttl")
}

// reminderIDs are the console user's reminders' ids, oldest first.
func reminderIDs(t *testing.T, h *bottest.Harness) []string {
	t.Helper()
	rs, err := h.Store.Reminders(context.Background(), bot.ReminderFilter{Tenant: h.Tenant, Owner: h.User, IncludeFinished: true})
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range rs {
		ids = append(ids, string(r.ID))
	}
	return ids
}

// A reminder's next run is read again shortly before it comes: the
// scheduler moves it then without a report.
func TestListCacheNearRun(t *testing.T) {
	a, ref, st := listPair(t)
	a.Send("remind me in 1 minute to stand up")
	a.Send("list")
	before := st.reads.Load()
	a.Send("list")
	if n := st.reads.Load() - before; n != 0 {
		t.Fatalf("list read %d times a minute before the run, want none", n)
	}
	a.Clock.Advance(55 * time.Second)
	a.Send("list")
	if n := st.reads.Load() - before; n != 1 {
		t.Errorf("list read %d times 5 s before the run, want 1", n)
	}
	sameList(t, a, ref, "console", "console", "5 s before the run")
}

// A change during a read does not let the read put back what it replaced.
func TestListCacheChangeDuringRead(t *testing.T) {
	a, _, st := listPair(t)
	a.Send("remind me every day at 10:30 to stretch")
	st.during = func() { a.Bot.RemindersChanged() }
	a.Send("list")
	st.during = nil
	before := st.reads.Load()
	a.Send("list")
	if n := st.reads.Load() - before; n != 1 {
		t.Errorf("a list read across a change was kept: %d reads after, want 1", n)
	}
	if got := bottest.Text(a.Send("list")); !strings.Contains(got, "10:30") {
		t.Errorf("list = %q", got)
	}
}

// countingParser counts the rules loaded from storage.
type countingParser struct {
	when.Parser
	loads atomic.Int32
}

func (p *countingParser) Load(spec string, loc *time.Location) (bot.Rule, error) {
	p.loads.Add(1)
	return p.Parser.Load(spec, loc)
}

// A reminder's rule is loaded once, not for every list that shows it.
func TestRulesLoadedOnce(t *testing.T) {
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	p := &countingParser{Parser: when.Parser{MinInterval: time.Second}}
	h := bottest.New(t, db, bottest.WithBotOptions(bot.WithRules(p)))
	h.Send("remind me every day at 10:30 to stretch")
	h.Send("remind me every weekday at 15:00 to walk")
	h.Send("list")
	before := p.loads.Load()
	for range 3 {
		bottest.MustContain(t, h.Send("list"), "10:30", "15:00")
	}
	if n := p.loads.Load() - before; n != 0 {
		t.Errorf("lists loaded %d rules again, want none", n)
	}
}

// describingParser counts the rules described: each is a list line
// written.
type describingParser struct {
	when.Parser
	described atomic.Int32
}

func (p *describingParser) Load(spec string, loc *time.Location) (bot.Rule, error) {
	r, err := p.Parser.Load(spec, loc)
	if err != nil {
		return nil, err
	}
	return describedRule{r, &p.described}, nil
}

// describedRule counts its Describe calls; it hides what else the rule
// implements, which a plain daily rule does not need.
type describedRule struct {
	bot.Rule
	n *atomic.Int32
}

func (r describedRule) Describe() string { r.n.Add(1); return r.Rule.Describe() }

// A page of the cached rows is written once: asking again writes no line
// until the rows are read again.
func TestListPageWrittenOnce(t *testing.T) {
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	p := &describingParser{Parser: when.Parser{MinInterval: time.Second}}
	h := bottest.New(t, db, bottest.WithBotOptions(bot.WithRules(p), bot.WithListCache(listTTL)))
	h.Send("remind me every day at 10:30 to stretch")
	want := bottest.Text(h.Send("list"))
	before := p.described.Load()
	for range 3 {
		if got := bottest.Text(h.Send("list")); got != want {
			t.Fatalf("list again = %q, want %q", got, want)
		}
	}
	if n := p.described.Load() - before; n != 0 {
		t.Errorf("lists again wrote %d lines, want none", n)
	}
	// Another page, or the rows read again after a change, is written anew.
	h.Bot.RemindersChanged()
	bottest.MustContain(t, h.Send("list"), "10:30")
	if n := p.described.Load() - before; n != 1 {
		t.Errorf("a list after a change wrote %d lines, want 1", n)
	}
}

// listPairAt is listPair with a list cache kept for ttl, from start: long
// enough that the rows outlive the instants a written page may not.
func listPairAt(t *testing.T, ttl time.Duration, start time.Time) (a, ref *bottest.Harness) {
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	rules := bot.WithRules(when.Parser{MinInterval: time.Second})
	a = bottest.New(t, db, bottest.WithStart(start), bottest.WithBotOptions(rules, bot.WithListCache(ttl)))
	ref = bottest.New(t, db, bottest.WithBotOptions(rules, bot.WithClock(a.Clock)))
	return a, ref
}

// A page kept with the rows is not shown once its words would differ: the
// end of a timed pause, a run of a paused rule that ends, the turn of the
// year, another zone, settings changed elsewhere.
func TestListPageFollowsTime(t *testing.T) {
	u, c := bot.UserID("console"), bot.ChannelID("console")
	t.Run("timed pause ends", func(t *testing.T) {
		a, ref := listPairAt(t, 24*time.Hour, bottest.Start) // 09:00
		a.Send("remind me every day at 10:30 to stretch")
		a.Send("pause #" + reminderIDs(t, a)[0] + " for 30 minutes")
		bottest.MustContain(t, a.Send("list"), "paused until")
		a.Clock.Advance(31 * time.Minute) // the rows stay until shortly before 10:30
		sameList(t, a, ref, u, c, "the pause's end")
	})
	t.Run("paused rule that ends", func(t *testing.T) {
		a, ref := listPairAt(t, 24*time.Hour, bottest.Start)
		a.Send("remind me every 10 minutes 3 times to drink water")
		a.Send("pause #" + reminderIDs(t, a)[0])
		bottest.MustContain(t, a.Send("list"), "3 runs left")
		a.Clock.Advance(11 * time.Minute)
		sameList(t, a, ref, u, c, "a run of the paused rule")
	})
	t.Run("turn of the year", func(t *testing.T) {
		a, ref := listPairAt(t, 72*time.Hour, time.Date(2026, 12, 30, 12, 0, 0, 0, time.UTC))
		a.Send("remind me on 20 January at 10:00 to plan the year")
		sameList(t, a, ref, u, c, "a reminder next year")
		for range 4 {
			a.Clock.Advance(12 * time.Hour)
			sameList(t, a, ref, u, c, "the year turning, at "+a.Clock.Now().String())
		}
	})
	t.Run("zone and settings", func(t *testing.T) {
		a, ref := listPairAt(t, 24*time.Hour, bottest.Start)
		other := bottest.New(t, a.Store, bottest.WithBotOptions(bot.WithRules(when.Parser{MinInterval: time.Second}), bot.WithClock(a.Clock)))
		a.Send("remind me every day at 10:30 to stretch")
		sameList(t, a, ref, u, c, "a reminder")
		hinted := func(h *bottest.Harness) string {
			return bottest.Text(h.SendMsg(bot.Message{Text: "list", ZoneHint: "Asia/Tokyo"}))
		}
		if got, want := hinted(a), hinted(ref); got != want {
			t.Errorf("list in another zone is\n%s\nwant\n%s", got, want)
		}
		// Working hours set through another instance change no reminder:
		// the rows stay, the line does not.
		other.Send("hours weekdays 09:00-10:00")
		sameList(t, a, ref, u, c, "working hours set elsewhere")
		bottest.MustContain(t, a.Send("list"), "passed over")
	})
}

// Ready answers a list as Handle does when its page, rows and caller are
// all in memory, and declines whenever any of them is not.
func TestReadyList(t *testing.T) {
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	h := bottest.New(t, db, bottest.WithBotOptions(bot.WithRules(when.Parser{MinInterval: time.Second}),
		bot.WithListCache(listTTL), bot.WithUserCache(time.Hour)))
	msg := func(text string) bot.Message {
		return bot.Message{Platform: bot.Console, Tenant: h.Tenant, Channel: h.Channel, User: h.User, Text: text}
	}
	ready := func(m bot.Message) (string, bool) {
		r, ok := h.Bot.Ready(m)
		return bottest.Text(r), ok
	}
	declines := func(step string, m bot.Message) {
		t.Helper()
		if got, ok := ready(m); ok {
			t.Errorf("%s: Ready answered %q", step, got)
		}
	}
	answers := func(step string, m bot.Message) {
		t.Helper()
		got, ok := ready(m)
		if want := bottest.Text(h.SendMsg(m)); !ok || got != want {
			t.Errorf("%s: Ready = %q, %v; Handle = %q", step, got, ok, want)
		}
	}
	declines("nothing read yet", msg("list"))
	h.Send("remind me every day at 10:30 to stretch")
	declines("after a change", msg("list"))
	h.Send("list")
	answers("a kept page", msg("list"))
	answers("a kept page, asked otherwise", msg("  List "))
	declines("another command", msg("break"))
	declines("another page", msg("list 2"))
	hinted := msg("list")
	hinted.ZoneHint = "Asia/Tokyo"
	declines("another zone", hinted)
	h.SendMsg(hinted)
	answers("the page for that zone", hinted)
	h.Bot.RemindersChanged()
	declines("rows changed", msg("list"))
	h.Send("list")
	h.Bot.UsersChanged()
	declines("the caller's settings dropped", msg("list"))
	h.Send("list")
	answers("all read again", msg("list"))
	h.Clock.Advance(listTTL)
	declines("rows expired", msg("list"))
}

// A run due and not yet sent (the engine catching up after a restart) is
// listed as due, not as a "next" run in the past.
func TestListRunDueNotSent(t *testing.T) {
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	h := bottest.New(t, db, bottest.WithBotOptions(bot.WithRules(when.Parser{})))
	h.Send("remind me every day at 10:30 to stretch")
	h.Clock.Advance(2 * time.Hour) // no engine runs here
	got := bottest.Text(h.Send("list"))
	if !strings.Contains(got, "due since Mon 30 Nov 10:30 UTC, not sent yet") || strings.Contains(got, "next") {
		t.Errorf("list with the run due at 10:30 unsent at 11:00:\n%s", got)
	}
}
