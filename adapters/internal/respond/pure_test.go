package respond

import (
	"bytes"
	"context"
	"sync"
	"testing"

	"github.com/stretchbot/stretchbot/bot"
)

// A Check runs while the work does; the answer waits for it, and a failed
// Check sends nothing at all.
func TestCheckGatesTheAnswer(t *testing.T) {
	for _, tt := range []struct {
		name  string
		pass  bool
		quick bool
		want  string
	}{
		{"passed", true, false, "check now:hi"},
		{"refused", false, false, "check"},
		{"passed, quick answer", true, true, "check now:fixed"},
		{"refused, quick answer", false, true, "check"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var wg sync.WaitGroup
			var log bytes.Buffer
			ev := &events{}
			started := make(chan struct{})
			r := race(ev, func(context.Context) string { close(started); return "hi" })
			r.Check = func() bool {
				if !tt.quick {
					<-started // the work does not wait for the check
				}
				ev.add("check")
				return tt.pass
			}
			if tt.quick {
				r.Quick = func() (string, bool) { return "fixed", true }
			}
			Answer(t.Context(), worker(&wg, nil, &log), r)
			wg.Wait()
			if got := ev.String(); got != tt.want {
				t.Errorf("events = %q, want %q", got, tt.want)
			}
		})
	}
}

type purer struct{ bot.Handler }

func (purer) Pure(m bot.Message) bool {
	if m.Text == "boom" {
		panic("boom")
	}
	return m.Text == "list"
}

func TestPure(t *testing.T) {
	for text, want := range map[string]bool{"list": true, "break": false, "boom": false} {
		if got := Pure(purer{}, bot.Message{Text: text}); got != want {
			t.Errorf("Pure(%q) = %v, want %v", text, got, want)
		}
	}
	if Pure(nil, bot.Message{Text: "list"}) {
		t.Error("a handler that is not a Purer is pure")
	}
}

// answerer answers "ok" both quickly and from memory, and panics on "boom".
type answerer struct{ bot.Handler }

func (answerer) answer(m bot.Message) (bot.Reply, bool) {
	if m.Text == "boom" {
		panic("boom")
	}
	return bot.Reply{Title: m.Text}, m.Text == "ok"
}

func (a answerer) Quick(m bot.Message) (bot.Reply, bool) { return a.answer(m) }
func (a answerer) Ready(m bot.Message) (bot.Reply, bool) { return a.answer(m) }

// A handler's panic in Quick or Ready is no answer: Handle runs instead.
func TestQuickAndReady(t *testing.T) {
	for name, ask := range map[string]func(bot.Handler, bot.Message) (bot.Reply, bool){"Quick": Quick, "Ready": Ready} {
		for text, want := range map[string]bool{"ok": true, "no": false, "boom": false} {
			r, ok := ask(answerer{}, bot.Message{Text: text})
			if ok != want || (ok && r.Title != text) {
				t.Errorf("%s(%q) = %+v, %v; want %v", name, text, r, ok, want)
			}
		}
		if _, ok := ask(nil, bot.Message{Text: "ok"}); ok {
			t.Errorf("%s answered for a handler without the method", name)
		}
	}
}
