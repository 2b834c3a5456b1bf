package memory

import (
	"testing"
	"unsafe"
)

// TestRecFillsThreeCacheLines keeps rec's layout by cache line (see rec):
// a field added must find room in the line of its use, or a line be added.
func TestRecFillsThreeCacheLines(t *testing.T) {
	var r rec
	if got := unsafe.Sizeof(r); got != 3*64 {
		t.Errorf("rec is %d bytes, want 192 (three cache lines)", got)
	}
	for _, f := range []struct {
		name   string
		offset uintptr
		line   uintptr
	}{
		{"zone", unsafe.Offsetof(r.zone), 0},
		{"live", unsafe.Offsetof(r.live), 0},
		{"occs", unsafe.Offsetof(r.occs), 1},
		{"created", unsafe.Offsetof(r.created), 1},
		{"lastMessage", unsafe.Offsetof(r.lastMessage), 2},
	} {
		if got := f.offset / 64; got != f.line {
			t.Errorf("rec.%s is in cache line %d, want %d", f.name, got, f.line)
		}
	}
}
