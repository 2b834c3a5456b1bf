package respond

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// events records what a Race did, in order.
type events struct {
	mu  sync.Mutex
	got []string
}

func (e *events) add(s string) { e.mu.Lock(); e.got = append(e.got, s); e.mu.Unlock() }

func (e *events) String() string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return strings.Join(e.got, " ")
}

// worker returns a Worker whose budget ends when expire is closed (never,
// if it is nil), logging to log.
func worker(wg *sync.WaitGroup, expire chan time.Time, log *bytes.Buffer) Worker {
	return Worker{
		Name: "test", Log: slog.New(slog.NewTextHandler(log, nil)),
		Budget: time.Second, Limit: time.Minute, WG: wg,
		After: func(time.Duration) <-chan time.Time { return expire },
	}
}

func race(ev *events, work func(context.Context) string) Race[string] {
	return Race[string]{
		Work:     work,
		Now:      func(s string) { ev.add("now:" + s) },
		Ack:      func() { ev.add("ack") },
		Later:    func(_ context.Context, s string) { ev.add("later:" + s) },
		Fallback: "sorry",
	}
}

func TestAnswer(t *testing.T) {
	expired := make(chan time.Time)
	close(expired)
	tests := []struct {
		name    string
		expire  chan time.Time
		work    func(ctx context.Context, acked <-chan struct{}) string
		want    string
		wantLog string
	}{
		{"quick work answers in the response", nil,
			func(context.Context, <-chan struct{}) string { return "hi" }, "now:hi", ""},
		{"slow work is acknowledged, then answered", expired,
			func(_ context.Context, acked <-chan struct{}) string { <-acked; return "hi" }, "ack later:hi", ""},
		{"a panic answers with the fallback", nil,
			func(context.Context, <-chan struct{}) string { panic("boom") }, "now:sorry", "test: panic in background work"},
		{"a late panic answers later with the fallback", expired,
			func(_ context.Context, acked <-chan struct{}) string { <-acked; panic("boom") }, "ack later:sorry", "boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var wg sync.WaitGroup
			var log bytes.Buffer
			ev := &events{}
			acked := make(chan struct{})
			r := race(ev, func(ctx context.Context) string { return tt.work(ctx, acked) })
			ack := r.Ack
			r.Ack = func() { ack(); close(acked) }
			Answer(t.Context(), worker(&wg, tt.expire, &log), r)
			wg.Wait()
			if got := ev.String(); got != tt.want {
				t.Errorf("events = %q, want %q", got, tt.want)
			}
			if !strings.Contains(log.String(), tt.wantLog) {
				t.Errorf("log = %q, want it to contain %q", log.String(), tt.wantLog)
			}
		})
	}
}

func TestExpireNowReleasesWorkAfterTheBudget(t *testing.T) {
	var wg sync.WaitGroup
	var log bytes.Buffer
	release := make(chan struct{})
	w := worker(&wg, nil, &log)
	w.After = ExpireNow(func() { close(release) })
	ev := &events{}
	Answer(t.Context(), w, race(ev, func(context.Context) string { <-release; return "hi" }))
	wg.Wait()
	if got := ev.String(); got != "ack later:hi" {
		t.Errorf("events = %q, want %q", got, "ack later:hi")
	}
}

func TestAnswerOutlivesTheRequest(t *testing.T) {
	var wg sync.WaitGroup
	var log bytes.Buffer
	expired := make(chan time.Time)
	close(expired)
	ctx, cancel := context.WithCancel(t.Context())
	ev := &events{}
	r := race(ev, func(ctx context.Context) string {
		cancel() // the request ends while the work runs
		if ctx.Err() != nil {
			return "cancelled"
		}
		if _, ok := ctx.Deadline(); !ok {
			return "unbounded"
		}
		return "hi"
	})
	r.Later = func(ctx context.Context, s string) {
		if ctx.Err() != nil {
			s = "cancelled"
		}
		ev.add("later:" + s)
	}
	Answer(ctx, worker(&wg, expired, &log), r)
	wg.Wait()
	if got := ev.String(); got != "ack later:hi" && got != "now:hi" {
		t.Errorf("events = %q, want the work's answer, uncancelled", got)
	}
}

func TestGoLogsPanics(t *testing.T) {
	var wg sync.WaitGroup
	var log bytes.Buffer
	w := worker(&wg, nil, &log)
	w.Go(t.Context(), func(context.Context) { panic("boom") })
	wg.Wait()
	if !strings.Contains(log.String(), "test: panic in background work") || !strings.Contains(log.String(), "boom") {
		t.Errorf("log = %q", log.String())
	}
	w.Log = nil // slog.Default() then
	w.Go(t.Context(), func(context.Context) { panic("boom") })
	wg.Wait()
}

type panicky struct{}

func (panicky) Handle(context.Context, bot.Message) bot.Reply { panic("boom") }
func (panicky) HandleAction(context.Context, bot.ActionEvent) bot.ActionResult {
	panic("boom")
}

func TestHandlersApologise(t *testing.T) {
	var wg sync.WaitGroup
	var log bytes.Buffer
	w := worker(&wg, nil, &log)
	r := w.Handle(t.Context(), panicky{}, bot.Message{})
	if !r.Error || r.Visibility != bot.Private || len(r.Blocks) != 1 || r.Blocks[0] != Apology().Blocks[0] {
		t.Errorf("Handle = %+v, want the apology", r)
	}
	res := w.HandleAction(t.Context(), panicky{}, bot.ActionEvent{})
	if res.Ephemeral == nil || res.Ephemeral.Blocks[0] != Apology().Blocks[0] || res.Update != nil {
		t.Errorf("HandleAction = %+v, want a private apology", res)
	}
	for _, want := range []string{"test: panic in handler", "test: panic in action handler", "stack="} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q", want)
		}
	}
}

func TestQuickAnswersInline(t *testing.T) {
	var wg sync.WaitGroup
	var log bytes.Buffer
	ev := &events{}
	r := race(ev, func(context.Context) string { ev.add("work"); return "slow" })
	r.Quick = func() (string, bool) { return "fixed", true }
	Answer(t.Context(), worker(&wg, nil, &log), r)
	wg.Wait()
	if got := ev.String(); got != "now:fixed" {
		t.Errorf("events = %q, want the quick answer alone", got)
	}

	// Declining, or panicking, leaves the answer to Work.
	for _, q := range []func() (string, bool){
		func() (string, bool) { return "", false },
		func() (string, bool) { panic("boom") },
	} {
		ev := &events{}
		r := race(ev, func(context.Context) string { return "worked" })
		r.Quick = q
		Answer(t.Context(), worker(&wg, nil, &log), r)
		wg.Wait()
		if got := ev.String(); got != "now:worked" {
			t.Errorf("events = %q, want Work's answer", got)
		}
	}
	if !strings.Contains(log.String(), "panic in quick answer") {
		t.Errorf("log = %q, want the quick answer's panic", log.String())
	}
}

type quickHandler struct{ panicky }

func (quickHandler) Quick(m bot.Message) (bot.Reply, bool) {
	if m.Text == "boom" {
		panic("boom")
	}
	return bot.Reply{Fixed: "help"}, m.Text == "help"
}

func TestQuickAndRendered(t *testing.T) {
	if _, ok := Quick(panicky{}, bot.Message{Text: "help"}); ok {
		t.Error("a handler without Quick answered quickly")
	}
	if r, ok := Quick(quickHandler{}, bot.Message{Text: "help"}); !ok || r.Fixed != "help" {
		t.Errorf("Quick = %+v, %v", r, ok)
	}
	if _, ok := Quick(quickHandler{}, bot.Message{Text: "boom"}); ok {
		t.Error("a panicking Quick answered")
	}
	var c Rendered
	n := 0
	render := func(r bot.Reply) []byte { n++; return []byte(r.Title) }
	c.Bytes(bot.Reply{Fixed: "help", Title: "a"}, render)
	if got := string(c.Bytes(bot.Reply{Fixed: "help", Title: "b"}, render)); got != "a" || n != 1 {
		t.Errorf("Fixed reply rendered %d times, got %q", n, got)
	}
	c.Bytes(bot.Reply{Title: "c"}, render)
	c.Bytes(bot.Reply{Title: "c"}, render)
	if n != 3 {
		t.Errorf("a reply that is not Fixed was rendered %d times in all, want every time", n)
	}
}
