package sqlstore

import "testing"

func TestRebind(t *testing.T) {
	for _, tt := range []struct {
		numbered    bool
		query, want string
	}{
		{false, `a = ? AND b = ?`, `a = ? AND b = ?`},
		{true, `a = ? AND b = ?`, `a = $1 AND b = $2`},
		{true, `VALUES (?,?,?,?,?,?,?,?,?,?)`, `VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)`},
		{true, `SELECT 1`, `SELECT 1`},
		{true, `?`, `$1`},
	} {
		s := &DB{d: Dialect{Numbered: tt.numbered}}
		if got := s.q(tt.query); got != tt.want {
			t.Errorf("q(%q) numbered=%v = %q, want %q", tt.query, tt.numbered, got, tt.want)
		}
	}
}
