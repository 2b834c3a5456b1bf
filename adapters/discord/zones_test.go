package discord

import "testing"

func TestMatchZones(t *testing.T) {
	tests := []struct {
		q     string
		first string
		n     int
	}{
		{"europe/ber", "Europe/Berlin", 1},
		{"new york", "America/New_York", 1},
		{"TOKYO", "Asia/Tokyo", 1},
		{"utc", "UTC", 1},
		{"america/", "America/Adak", 25},
		{"zzzz", "", 0},
	}
	for _, tt := range tests {
		got := matchZones(tt.q, 25)
		if len(got) != tt.n && !(tt.n == 1 && len(got) >= 1) {
			t.Errorf("%q: %d results %v, want %d", tt.q, len(got), got, tt.n)
		}
		if tt.first != "" && (len(got) == 0 || got[0] != tt.first) {
			t.Errorf("%q: first = %v, want %s", tt.q, got, tt.first)
		}
	}
}
