package sqlstore

import (
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// shownRuns names runs until forgotten, never a snooze, and forgets all
// rather than grow past maxShown.
func TestShownRuns(t *testing.T) {
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	run := func(id bot.ReminderID, at time.Time) bot.Occurrence {
		return bot.Occurrence{Reminder: id, At: at, Kind: bot.RunOccurrence}
	}
	var s shownRuns
	if s.has(run("a", at)) {
		t.Error("empty set has a run")
	}
	s.set([]runKey{{"a", nanos(at)}, {"b", nanos(at)}}, []bool{true, false})
	if !s.has(run("a", at)) || s.has(run("b", at)) || s.has(run("a", at.Add(time.Minute))) {
		t.Error("after set: want a at at only")
	}
	if s.has(bot.Occurrence{Reminder: "a", At: at, Kind: bot.SnoozeOccurrence}) {
		t.Error("a snooze at the same time is named")
	}
	s.set([]runKey{{"a", nanos(at)}}, []bool{false})
	if s.has(run("a", at)) {
		t.Error("a claim that did not show it left it named")
	}
	s.set([]runKey{{"a", nanos(at)}}, []bool{true})
	s.forget("a", at)
	if s.has(run("a", at)) {
		t.Error("forgotten run still named")
	}
	keys := make([]runKey, maxShown+1)
	show := make([]bool, len(keys))
	for i := range keys {
		keys[i], show[i] = runKey{"a", int64(i)}, true
	}
	s.set(keys, show)
	if n := len(s.runs); n > maxShown {
		t.Errorf("%d runs named, want at most %d", n, maxShown)
	}
	if !s.has(run("a", time.Unix(0, int64(maxShown)))) {
		t.Error("the run named last is not named")
	}
}
