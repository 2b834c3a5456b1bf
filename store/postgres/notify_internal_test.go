package postgres

import (
	"encoding/json"
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

// A rotation's payload is read back as written, with or without the
// rotation; another schema's, or one that is not the four strings, is
// refused.
func FuzzRotationOf(f *testing.F) {
	f.Add(`["public","T1","user:U1","[\"cat-cow\"]"]`, "public")
	f.Add(`["public","T1","user:U1"]`, "public")
	f.Add(`["public","T1","user:U1","not json"]`, "public")
	f.Add(`["other","T1","user:U1","[]"]`, "public")
	f.Add(`["public","T1"]`, "public")
	f.Add(`{}`, "public")
	f.Fuzz(func(t *testing.T, payload, schema string) {
		r, ok := rotationOf(payload, schema)
		if !ok {
			return
		}
		var parts []string
		if err := json.Unmarshal([]byte(payload), &parts); err != nil || parts[0] != schema ||
			string(r.Tenant) != parts[1] || r.Scope != parts[2] {
			t.Fatalf("rotationOf(%q, %q) = %+v", payload, schema, r)
		}
		if r.Told {
			back, _ := json.Marshal(r.Used)
			var again []string
			if json.Unmarshal(back, &again) != nil || len(parts) != 4 {
				t.Fatalf("rotationOf(%q, %q) told %q", payload, schema, r.Used)
			}
		}
	})
}
