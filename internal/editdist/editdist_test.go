package editdist

import "testing"

func TestDistance(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"break", "break", 0}, {"brek", "break", 1}, {"", "abc", 3}, {"abc", "", 3},
		{"kitten", "sitting", 3}, {"dance", "cancel", 2}, {"chlid", "child", 1}, {"teh", "the", 1}, {"übung", "ubung", 1}, {"🧘", "🧘‍", 1},
	} {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := Distance(tt.b, tt.a); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d (symmetry)", tt.b, tt.a, got, tt.want)
		}
	}
}
