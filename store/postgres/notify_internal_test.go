package postgres

import (
	"strings"
	"testing"
)

// A notification's payload names its schema, and maybe a reminder: another
// schema's, even one whose name starts with ours, is never taken for ours.
func FuzzChangeOf(f *testing.F) {
	for _, seed := range [][2]string{
		{"public", "public"}, {"public r1", "public"}, {"public2 r1", "public"},
		{"public ", "public"}, {"t_1 k3f9", "t_1"}, {"", "public"}, {"a b c", "a b"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, payload, schema string) {
		id, ok := changeOf(payload, schema)
		switch {
		case !ok:
			if payload == schema {
				t.Errorf("changeOf(%q, %q) refused its own schema", payload, schema)
			}
		case id == "":
			if payload != schema {
				t.Errorf("changeOf(%q, %q) = wake only, for another payload", payload, schema)
			}
		default:
			if payload != schema+" "+string(id) || !strings.HasPrefix(payload, schema+" ") {
				t.Errorf("changeOf(%q, %q) = %q", payload, schema, id)
			}
		}
	})
}
