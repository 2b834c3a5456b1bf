package bot_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/testkit"
	"github.com/stretchbot/stretchbot/routines"
)

// pressSteps presses a Steps control with value as the console user.
func pressSteps(k *testkit.Kit, value string) bot.ActionResult {
	return press(k, "console", bot.Action{ID: bot.ActionSteps, Value: value})
}

// A long routine is compact, and each card's Steps control shows that card
// again, in full and privately, with the same time and dose.
func TestLongRoutinesAreCompactAndEveryCardHasItsSteps(t *testing.T) {
	k := testkit.New(t)
	k.Send("timezone Europe/Berlin")
	for _, place := range routines.Places {
		r := k.Send("break 60 min " + string(place))
		if r.Error || !r.Compact || len(r.Cards) <= bot.FullCards {
			t.Fatalf("break 60 min %s: compact %v with %d cards (error %v)", place, r.Compact, len(r.Cards), r.Error)
		}
		for _, c := range r.Cards {
			if c.Category == "" {
				t.Errorf("%s: card %s has no stage", place, c.Name)
			}
			a, ok := c.StepsAction()
			if !ok || a.ID != bot.ActionSteps || len(string(a.ID)+":"+a.Value) > 100 {
				t.Fatalf("%s: card %s has no usable Steps control: %+v", place, c.Name, a)
			}
			res := press(k, "console", a)
			e := res.Ephemeral
			if e == nil || e.Error || res.Update != nil || e.Visibility != bot.Private || len(e.Cards) != 1 {
				t.Fatalf("%s: Steps of %s = %+v", place, c.Name, res)
			}
			got := e.Cards[0]
			if got.Name != c.Name || got.Duration != c.Duration || !slices.Equal(got.Steps, c.Steps) || got.Caution != c.Caution {
				t.Errorf("%s: Steps of %s shows\n%+v\nnot the card\n%+v", place, c.Name, got, c)
			}
			if !strings.Contains(e.Note, "112") {
				t.Errorf("Steps answer lacks the safety note for the presser's zone: %q", e.Note)
			}
		}
		// The console shows the compact routine in full all the same.
		text := r.PlainText()
		for _, c := range r.Cards {
			for _, s := range c.Steps {
				if !strings.Contains(text, s) {
					t.Fatalf("console text of break 60 min %s lacks a step of %s: %q", place, c.Name, s)
				}
			}
		}
	}
	if r := k.Send("break"); r.Compact || len(r.Cards) > bot.FullCards {
		t.Errorf("a 5-minute break is compact (%d cards)", len(r.Cards))
	}
	if r := k.Send("exercise cat-cow"); r.Compact {
		t.Error("one exercise is compact")
	}
}

func TestStepsOfAnExerciseNoLongerThere(t *testing.T) {
	k := testkit.New(t)
	for _, v := range []string{"no-such-exercise@60", "", "@", "@@@"} {
		res := pressSteps(k, v)
		if res.Ephemeral == nil || !res.Ephemeral.Error || res.Ephemeral.Visibility != bot.Private {
			t.Errorf("Steps %q = %+v, want a private refusal", v, res)
		}
	}
	// A time the exercise cannot take shows its usual dose.
	usual := k.Send("exercise cat-cow").Cards[0]
	for _, v := range []string{"cat-cow", "cat-cow@abc", "cat-cow@1", "cat-cow@-60"} {
		res := pressSteps(k, v)
		if res.Ephemeral == nil || res.Ephemeral.Error || res.Ephemeral.Cards[0].Duration != usual.Duration {
			t.Errorf("Steps %q = %+v, want cat-cow's usual dose %q", v, res.Ephemeral, usual.Duration)
		}
	}
}

func FuzzStepsAction(f *testing.F) {
	for _, s := range []string{"cat-cow@90", "cat-cow", "x@", "@-5", "childs-pose@99999999999999999999", "\x00@\x00"} {
		f.Add(s)
	}
	k := testkit.New(f)
	f.Fuzz(func(t *testing.T, v string) {
		res := pressSteps(k, v)
		if res.Ephemeral == nil || res.Update != nil || res.Ephemeral.Visibility != bot.Private {
			t.Fatalf("Steps %q = %+v", v, res)
		}
		if strings.TrimSpace(res.Ephemeral.PlainText()) == "" {
			t.Fatalf("empty answer for %q", v)
		}
	})
}

var moreLine = regexp.MustCompile("^(\\d+) more — `list (\\d+)`$")

// Two hundred reminders page ten at a time: every id is on exactly one
// page, each page says how many follow and how to see them.
func TestListPagesReachEveryReminder(t *testing.T) {
	k := testkit.New(t)
	want := map[string]bool{}
	note := strings.Repeat("n", 300)
	for i := range 200 {
		r := k.Send(fmt.Sprintf("remind me every day at %d:%02d to %s", 8+i/60, i%60, note))
		want[createdID(t, r)] = true
	}
	seen := map[string]int{}
	for page := 1; ; page++ {
		cmd := "list"
		if page > 1 {
			cmd = fmt.Sprintf("list %d", page)
		}
		r := k.Send(cmd)
		if r.Error {
			t.Fatalf("%s refused: %s", cmd, r.PlainText())
		}
		if wantTitle := fmt.Sprintf("(page %d of 20)", page); !strings.Contains(r.Title, wantTitle) {
			t.Errorf("%s: title %q lacks %q", cmd, r.Title, wantTitle)
		}
		lines := strings.Split(r.Blocks[0], "\n")
		if len(lines) != bot.ListPage {
			t.Errorf("%s shows %d lines, want %d", cmd, len(lines), bot.ListPage)
		}
		for _, l := range lines {
			m := idRE.FindStringSubmatch(l)
			if m == nil {
				t.Fatalf("%s: line without an id: %q", cmd, l)
			}
			seen[m[1]]++
		}
		rest := 200 - page*bot.ListPage
		if rest == 0 {
			if len(r.Blocks) != 1 {
				t.Errorf("last page says there is more: %q", r.Blocks[1:])
			}
			break
		}
		m := moreLine.FindStringSubmatch(r.Blocks[len(r.Blocks)-1])
		if m == nil || m[1] != fmt.Sprint(rest) || m[2] != fmt.Sprint(page+1) {
			t.Fatalf("%s ends %q, want \"%d more — `list %d`\"", cmd, r.Blocks[len(r.Blocks)-1], rest, page+1)
		}
	}
	for id := range want {
		if seen[id] != 1 {
			t.Errorf("#%s is on %d pages", id, seen[id])
		}
	}
	if len(seen) != len(want) {
		t.Errorf("pages show %d ids, want %d", len(seen), len(want))
	}
	r := k.Send("list 21")
	if !r.Error || example(r) != "list 20" {
		t.Errorf("list 21 = %s", r.PlainText())
	}
	if r := k.Send("list page 2"); r.Error || !strings.Contains(r.Title, "page 2 of 20") {
		t.Errorf("list page 2 = %s", r.PlainText())
	}
}

// One page needs no page numbers.
func TestShortListHasNoPages(t *testing.T) {
	k := testkit.New(t)
	createdID(t, k.Send("remind me every day at 9:00"))
	r := k.Send("list")
	if r.Error || r.Title != "Reminders and schedules" || len(r.Blocks) != 1 {
		t.Errorf("list = %+v", r)
	}
}
