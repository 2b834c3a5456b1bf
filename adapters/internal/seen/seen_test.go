package seen

import (
	"testing"
	"time"
)

func TestBoundedAndExpiring(t *testing.T) {
	s := New(time.Minute, 3)
	now := time.Unix(0, 0)
	for _, id := range []string{"a", "b", "c", "d"} {
		if !s.First(id, now) {
			t.Fatalf("%s reported as seen", id)
		}
	}
	if len(s.at) > 3 {
		t.Errorf("holds %d keys, max 3", len(s.at))
	}
	if s.First("d", now) {
		t.Error("d not remembered")
	}
	if !s.First("d", now.Add(2*time.Minute)) {
		t.Error("d still remembered after the TTL")
	}
	if !s.First("", now) || !s.First("", now) {
		t.Error("the empty key must always be new")
	}
}
