package console

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchbot/stretchbot/adapters/adaptertest"
	"github.com/stretchbot/stretchbot/bot"
)

func TestEachLineIsOneMessageInOrder(t *testing.T) {
	var out bytes.Buffer
	a := New(strings.NewReader("help\n\n  \nbreak 2 min\nlast line without newline"), &out)
	rec := &adaptertest.Recorder{}
	if err := a.Run(context.Background(), rec); err != nil {
		t.Fatalf("Run: %v", err)
	}
	msgs := rec.Messages()
	want := []string{"help", "break 2 min", "last line without newline"}
	if len(msgs) != len(want) {
		t.Fatalf("got %d messages, want %d: %+v", len(msgs), len(want), msgs)
	}
	for i, m := range msgs {
		if m.Text != want[i] || m.User != "console" || m.Channel != "console" || m.Tenant != "console" || m.Platform != bot.Console {
			t.Errorf("message %d = %+v", i, m)
		}
	}
	if got := out.String(); !strings.Contains(got, "echo: help") || strings.Index(got, "echo: help") > strings.Index(got, "echo: break 2 min") {
		t.Errorf("replies missing or out of order:\n%s", got)
	}
	if strings.Contains(out.String(), "> ") || strings.Contains(out.String(), "\x1b") {
		t.Errorf("non-terminal output has a prompt or escape codes: %q", out.String())
	}
}

func TestHugeLineDoesNotExhaustMemoryOrStopReading(t *testing.T) {
	var out bytes.Buffer
	in := strings.Repeat("x", 5<<20) + "\nhelp\n"
	a := New(strings.NewReader(in), &out)
	rec := &adaptertest.Recorder{}
	if err := a.Run(context.Background(), rec); err != nil {
		t.Fatalf("Run: %v", err)
	}
	msgs := rec.Messages()
	if len(msgs) != 2 || msgs[1].Text != "help" {
		t.Fatalf("after a 5 MiB line the next command was lost: %d messages", len(msgs))
	}
	if n := len(msgs[0].Text); n > maxLine+8 {
		t.Errorf("kept %d bytes of the long line, want at most about %d", n, maxLine)
	}
}

func TestInteractiveShowsPrompt(t *testing.T) {
	var out bytes.Buffer
	a := New(strings.NewReader("help\n"), &out, WithInteractive(true))
	a.Run(context.Background(), &adaptertest.Recorder{})
	if !strings.Contains(out.String(), "> ") {
		t.Errorf("interactive output lacks a prompt: %q", out.String())
	}
}

func TestSendPrintsDeliveryWithID(t *testing.T) {
	var out bytes.Buffer
	a := New(strings.NewReader(""), &out, WithNow(func() time.Time { return time.Unix(5, 0) }))
	sent, err := a.Send(context.Background(), bot.Outgoing{Channel: "console", Reply: bot.Reply{Title: "Stretch break time! #k3f9"}})
	if err != nil || sent.ID == "" {
		t.Fatalf("Send = %+v, %v", sent, err)
	}
	if !strings.Contains(out.String(), "#k3f9") {
		t.Errorf("delivery lacks its id: %q", out.String())
	}
}

func TestNilClockKeepsTheDefault(t *testing.T) {
	var out bytes.Buffer
	a := New(strings.NewReader(""), &out, WithNow(nil))
	if sent, err := a.Send(context.Background(), bot.Outgoing{Channel: "console", Reply: bot.Reply{Title: "hi"}}); err != nil || sent.At.IsZero() {
		t.Errorf("Send = %+v, %v; want a time from the default clock", sent, err)
	}
}

func TestRunStopsOnContextWhileReading(t *testing.T) {
	r, w := io.Pipe()
	defer w.Close()
	a := New(r, io.Discard)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx, &adaptertest.Recorder{}) }()
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run = %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop when the context ended")
	}
}

// failingWriter fails every write, like a closed stdout.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, io.ErrClosedPipe }

func TestSendReportsWriteFailureAsTransient(t *testing.T) {
	a := New(strings.NewReader(""), failingWriter{})
	_, err := a.Send(context.Background(), bot.Outgoing{Reply: bot.Reply{Title: "x"}})
	if err == nil || bot.IsPermanent(err) {
		t.Fatalf("err = %v, want a transient delivery error", err)
	}
}

func TestConcurrentSendsDoNotInterleave(t *testing.T) {
	var mu sync.Mutex
	var out bytes.Buffer
	w := writerFunc(func(p []byte) (int, error) { mu.Lock(); defer mu.Unlock(); return out.Write(p) })
	a := New(strings.NewReader(""), w)
	var wg sync.WaitGroup
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a.Send(context.Background(), bot.Outgoing{Reply: bot.Reply{Title: "AAAA", Blocks: []string{"BBBB"}}})
		}()
	}
	wg.Wait()
	if n := strings.Count(out.String(), "AAAA\nBBBB"); n != 20 {
		t.Errorf("%d intact deliveries, want 20", n)
	}
}

type writerFunc func([]byte) (int, error)

func (f writerFunc) Write(p []byte) (int, error) { return f(p) }

func FuzzReadLines(f *testing.F) {
	for _, s := range []string{"", "help\n", "a\r\nb\n", "\x00\n\n", strings.Repeat("z", 70000)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ch := make(chan string, 1024)
		go func() {
			for range ch {
			}
		}()
		if err := readLines(strings.NewReader(s), ch); err != nil && err != io.EOF {
			t.Fatalf("readLines: %v", err)
		}
	})
}
