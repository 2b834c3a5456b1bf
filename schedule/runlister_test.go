package schedule_test

import (
	"context"
	"fmt"
	"log/slog"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
	"github.com/stretchbot/stretchbot/schedule"
	"github.com/stretchbot/stretchbot/schedule/when"
	"github.com/stretchbot/stretchbot/store/memory"
)

// plainStore hides every optional capability of the store it wraps, such
// as RunLister: the engine then reads whole reminders.
type plainStore struct{ schedule.Store }

// TestWindowIsTheSameWithOrWithoutRunLister runs the same schedules on the
// memory store, which lists compact runs, and on the same store without
// that capability: every run, pause, platform and broken rule must come
// out the same.
func TestWindowIsTheSameWithOrWithoutRunLister(t *testing.T) {
	if _, ok := schedule.Store(memory.New()).(schedule.RunLister); !ok {
		t.Fatal("the memory store no longer lists compact runs: this test compares nothing")
	}
	var cd, pd countingDeliverer
	compact := deliveredOverTenSeconds(t, func(db *memory.DB) schedule.Store { return db }, &cd, &cd)
	plain := deliveredOverTenSeconds(t, func(db *memory.DB) schedule.Store { return plainStore{db} }, &pd, &pd)
	if !maps.Equal(compact, plain) {
		t.Errorf("with RunLister delivered\n%v\nwithout it\n%v", sorted(compact), sorted(plain))
	}
	want := map[string]int{}
	for s := 2; s <= 10; s += 2 {
		want[fmt.Sprintf("every@%d", s)] = 1
		want[fmt.Sprintf("away@%d", s)] = 1
		want[fmt.Sprintf("team@%d", s)] = 1
	}
	for s := 6; s <= 10; s += 2 {
		want[fmt.Sprintf("resumes@%d", s)] = 1
	}
	want["once@3"] = 1
	if !maps.Equal(compact, want) {
		t.Errorf("delivered\n%v\nwant\n%v", sorted(compact), sorted(want))
	}
}

// deliveredOverTenSeconds ticks an engine delivering to d, which counts
// with c, on a fresh memory store, seen through wrap, over ten seconds of
// a fake clock, with a batch of two so that refills come back full. It
// returns the deliveries by "id@second" (seconds from the start).
func deliveredOverTenSeconds(t *testing.T, wrap func(*memory.DB) schedule.Store, d schedule.Deliverer,
	c *countingDeliverer) map[string]int {
	t.Helper()
	ctx := context.Background()
	db := memory.New()
	t.Cleanup(func() { db.Close() })
	start := bottest.Start.Truncate(time.Second)
	clock := bottest.NewClock(start)
	p := when.Parser{MinInterval: time.Second}
	every, err := p.Parse("every 2 seconds", time.UTC, start)
	if err != nil {
		t.Fatal(err)
	}
	once, err := p.Parse("in 3 seconds", time.UTC, start)
	if err != nil {
		t.Fatal(err)
	}
	mk := func(id string, platform bot.Platform, spec string, next time.Time) bot.Reminder {
		return bot.Reminder{ID: bot.ReminderID(id), Tenant: "t", Platform: platform, Kind: bot.Personal, Owner: "u",
			Channel: "c", Rule: spec, Zone: "UTC", NextRun: next, CreatedAt: start}
	}
	resumes := mk("resumes", bot.Console, every.Spec(), every.Next(start))
	resumes.PausedUntil = start.Add(5 * time.Second)
	away := mk("away", bot.Console, every.Spec(), every.Next(start))
	away.Owner, away.Tenant = "away", "t2"
	team := mk("team", bot.Console, every.Spec(), every.Next(start))
	team.Kind, team.Channel, team.Zone = bot.ChannelSchedule, "holidays", "Europe/Berlin"
	for _, r := range []bot.Reminder{
		mk("every", bot.Console, every.Spec(), every.Next(start)),
		away,
		team,
		mk("once", bot.Console, once.Spec(), once.Next(start)),
		mk("elsewhere", bot.Slack, every.Spec(), every.Next(start)), // another engine's platform
		mk("broken", bot.Console, "not a rule", every.Next(start)),
		resumes,
	} {
		if err := db.CreateReminder(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	eng, err := schedule.NewEngine(wrap(db), d, p, schedule.WithClock(clock), schedule.WithWindow(time.Minute, 2),
		schedule.WithPlatforms(bot.Console), schedule.WithLogger(slog.New(slog.DiscardHandler)))
	if err != nil {
		t.Fatal(err)
	}
	for range 10 {
		clock.Advance(time.Second)
		if err := eng.Tick(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got := map[string]int{}
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, n := range c.got { // "id@unix/kind"
		id, rest, _ := strings.Cut(k, "@")
		var at int64
		if _, err := fmt.Sscanf(rest, "%d/run", &at); err != nil {
			t.Fatalf("delivery %q: %v", k, err)
		}
		got[fmt.Sprintf("%s@%d", id, at-start.Unix())] += n
	}
	broken, err := db.ReminderByID(ctx, "broken")
	if err != nil {
		t.Fatal(err)
	}
	if !broken.NextRun.IsZero() {
		t.Errorf("a reminder whose rule cannot be read still runs next at %s", broken.NextRun)
	}
	return got
}

func sorted(m map[string]int) []string { return slices.Sorted(maps.Keys(m)) }

// judgingSkipper passes runs over as the bot does, by whose they are
// (away, outside working hours) and where they go (a channel's holiday),
// and notes every reminder it was asked about and every run it passed
// over, with their times in seconds from start.
type judgingSkipper struct {
	countingDeliverer
	start          time.Time
	mu             sync.Mutex
	asked, skipped []string
}

func (d *judgingSkipper) SkipRun(_ context.Context, r bot.Reminder, at time.Time) string {
	s := int(at.Sub(d.start) / time.Second)
	d.mu.Lock()
	d.asked = append(d.asked, fmt.Sprintf("%+v@%d", r, s))
	d.mu.Unlock()
	switch {
	case r.Kind == bot.Personal && r.Tenant == "t2" && r.Owner == "away" && s < 5:
		return "away"
	case r.Kind == bot.ChannelSchedule && r.Channel == "holidays" && r.Zone == "Europe/Berlin" && s == 4:
		return "public holiday"
	case r.Kind == bot.Personal && r.Owner == "u" && r.Platform == bot.Console && !strings.Contains(r.Rule, " between ") && s == 8:
		return "outside working hours"
	}
	return ""
}

func (d *judgingSkipper) RunSkipped(_ context.Context, r bot.Reminder, at time.Time, reason string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.skipped = append(d.skipped, fmt.Sprintf("%s@%d: %s", r.ID, at.Sub(d.start)/time.Second, reason))
}

// TestSkipperJudgesTheSameWithOrWithoutRunLister: from compact runs or
// from whole reminders, a Skipper is asked about the same runs with the
// same reminders, which carry exactly the fields Skipper promises, and
// passes over the same runs.
func TestSkipperJudgesTheSameWithOrWithoutRunLister(t *testing.T) {
	start := bottest.Start.Truncate(time.Second)
	run := func(wrap func(*memory.DB) schedule.Store) (*judgingSkipper, map[string]int) {
		d := &judgingSkipper{start: start}
		got := deliveredOverTenSeconds(t, wrap, d, &d.countingDeliverer)
		d.mu.Lock()
		defer d.mu.Unlock()
		slices.Sort(d.asked)
		slices.Sort(d.skipped)
		return d, got
	}
	compact, compactGot := run(func(db *memory.DB) schedule.Store { return db })
	plain, plainGot := run(func(db *memory.DB) schedule.Store { return plainStore{db} })
	if !maps.Equal(compactGot, plainGot) {
		t.Errorf("with RunLister delivered\n%v\nwithout it\n%v", sorted(compactGot), sorted(plainGot))
	}
	if !slices.Equal(compact.asked, plain.asked) {
		t.Errorf("with RunLister the Skipper was asked about\n%s\nwithout it\n%s",
			strings.Join(compact.asked, "\n"), strings.Join(plain.asked, "\n"))
	}
	if !slices.Equal(compact.skipped, plain.skipped) {
		t.Errorf("with RunLister passed over %v, without it %v", compact.skipped, plain.skipped)
	}
	wantSkipped := []string{"away@2: away", "away@4: away", "every@8: outside working hours",
		"resumes@8: outside working hours", "team@4: public holiday"}
	if !slices.Equal(compact.skipped, wantSkipped) {
		t.Errorf("passed over %v, want %v", compact.skipped, wantSkipped)
	}
	// The Skipper gets the promised fields, and nothing else.
	rule, err := (when.Parser{MinInterval: time.Second}).Parse("every 2 seconds", time.UTC, start)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []int{2, 4, 6, 8, 10} {
		r := bot.Reminder{ID: "every", Tenant: "t", Platform: bot.Console, Kind: bot.Personal, Owner: "u", Channel: "c",
			Rule: rule.Spec(), Zone: "UTC", NextRun: start.Add(time.Duration(s) * time.Second)}
		if want := fmt.Sprintf("%+v@%d", r, s); !slices.Contains(compact.asked, want) {
			t.Errorf("the Skipper was not asked about\n%s\nasked\n%s", want, strings.Join(compact.asked, "\n"))
		}
	}
	for _, a := range compact.asked {
		if strings.HasPrefix(a, "{ID:once ") || strings.HasPrefix(a, "{ID:elsewhere ") {
			t.Errorf("the Skipper was asked about %s: not a repeating run of this engine's platform", a)
		}
	}
}
