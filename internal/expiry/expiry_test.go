package expiry

import (
	"testing"
	"time"
)

func TestSweep(t *testing.T) {
	now := time.Unix(1000, 0)
	exp := func(d time.Duration) time.Time { return now.Add(d) }
	at := func(e time.Time) time.Time { return e }

	m := map[string]time.Time{"gone": exp(-time.Second), "now": exp(0), "kept": exp(time.Second)}
	m = Sweep(m, now, at)
	if len(m) != 1 {
		t.Fatalf("after a sweep: %v, want only the entry expiring later", m)
	}
	if _, ok := m["kept"]; !ok {
		t.Fatalf("after a sweep: %v, want kept", m)
	}

	// Most entries left: the same map comes back.
	m = map[string]time.Time{"a": exp(time.Second), "b": exp(time.Second), "c": exp(-time.Second)}
	m["probe"] = exp(time.Second)
	swept := Sweep(m, now, at)
	delete(swept, "probe")
	if _, ok := m["probe"]; ok {
		t.Error("a sweep that left most entries did not return the same map")
	}

	// Everything expired: an empty map, not nil.
	if m := Sweep(map[string]time.Time{"x": exp(-time.Second)}, now, at); m == nil || len(m) != 0 {
		t.Errorf("sweeping every entry gave %v, want an empty map", m)
	}
}
