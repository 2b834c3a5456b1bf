package schedule

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// A write that was in flight when the database went away and succeeds
// after another one failed is no recovery: the outage is logged once.
func TestHealthIgnoresASuccessThatStartedBeforeTheFailure(t *testing.T) {
	var out bytes.Buffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	var h health
	t0 := time.Unix(1_800_000_000, 0)
	h.failed(log, t0.Add(2*time.Millisecond), "record delivery", errors.New("conn closed"))
	h.ok(log, t0) // started before the failure, finished after it
	if failing, _ := h.state(); !failing {
		t.Error("a success that started before the failure ended the outage")
	}
	h.failed(log, t0.Add(3*time.Millisecond), "record delivery", errors.New("connection refused"))
	h.ok(log, t0.Add(20*time.Second))
	if failing, _ := h.state(); failing {
		t.Error("a success that started after the failure did not end the outage")
	}
	if got := strings.Count(out.String(), "\n"); got != 2 {
		t.Errorf("%d lines, want 2 (failing, recovered):\n%s", got, out.String())
	}
}
