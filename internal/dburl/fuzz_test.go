package dburl

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode"
)

// The seed corpus is in testdata/fuzz.

// FuzzRedact checks that no password found by an independent reading of
// the input survives redaction, and that the result is one line.
func FuzzRedact(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		out := Redact(s)
		if leak := leaked(s, out); leak != "" {
			t.Errorf("Redact(%q) = %q shows the password %q", s, out, leak)
		}
		if strings.ContainsFunc(out, unicode.IsControl) {
			t.Errorf("Redact(%q) = %q has control characters", s, out)
		}
	})
}

// FuzzParse checks that Parse never panics, returns only what a store can
// open, and never puts a password in its error.
func FuzzParse(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		u, err := Parse(s)
		if err != nil {
			msg := err.Error()
			if msg == "" || strings.Contains(msg, "\n") {
				t.Errorf("Parse(%q) error %q is not one line", s, msg)
			}
			if leak := leaked(s, msg); leak != "" {
				t.Errorf("Parse(%q) error %q shows the password %q", s, msg, leak)
			}
			return
		}
		switch u.Driver {
		case SQLite:
			if u.InMemory == (u.Path != "") || strings.Contains(u.Path, "?") || u.Path == "/" {
				t.Errorf("Parse(%q) = %+v", s, u)
			}
		case Postgres:
			if !strings.HasPrefix(u.DSN, "postgres://") && !strings.HasPrefix(u.DSN, "postgresql://") {
				t.Errorf("Parse(%q) DSN = %q", s, u.DSN)
			}
			if _, err := url.Parse(u.DSN); err != nil {
				t.Errorf("Parse(%q) DSN does not parse: %v", s, err)
			}
		case Memory:
		default:
			t.Errorf("Parse(%q) driver %q", s, u.Driver)
		}
		if leak := leaked(s, u.String()); leak != "" {
			t.Errorf("Parse(%q).String() = %q shows the password %q", s, u.String(), leak)
		}
	})
}

// leaked returns a password of in that appears in out, or "". It reads
// passwords without Redact's code: the user information of an authority
// (raw and decoded), query parameters named like a password, and
// keyword=value passwords. A candidate that also appears elsewhere in in
// (a user named like the password) or is too short to be distinctive is
// skipped: out may show it for the other reason.
func leaked(in, out string) string {
	// The forms every refusal lists are fixed text, not the input: a short
	// password such as "memo" is found in them ("memory://").
	out = strings.ReplaceAll(out, Forms, "")
	for _, p := range passwords(in) {
		if len(p) >= 4 && strings.Count(in, p) <= 1 && strings.Contains(out, p) {
			return p
		}
	}
	return ""
}

var (
	schemePrefix    = regexp.MustCompile(`^[A-Za-z][A-Za-z0-9+.-]*:`)
	keywordPassword = regexp.MustCompile(`(?i)password\s*=\s*('(?:[^'\\]|\\.)*'?|\S+)`)
)

func passwords(s string) []string {
	var ps []string
	scheme := schemePrefix.FindString(s)
	if scheme == "" {
		for _, m := range keywordPassword.FindAllStringSubmatch(s, -1) {
			ps = append(ps, m[1], strings.Trim(m[1], "'"))
		}
		return ps
	}
	rest, ok := strings.CutPrefix(s[len(scheme):], "//")
	if !ok {
		return nil
	}
	rest, _, _ = strings.Cut(rest, "#")
	authority := rest
	if i := strings.IndexAny(rest, "/?"); i >= 0 {
		authority = rest[:i]
	}
	if i := strings.LastIndex(authority, "@"); i >= 0 {
		if _, pw, ok := strings.Cut(authority[:i], ":"); ok {
			ps = append(ps, pw)
			if d, err := url.PathUnescape(pw); err == nil {
				ps = append(ps, d)
			}
		}
	}
	if _, q, ok := strings.Cut(rest, "?"); ok {
		for _, kv := range strings.Split(q, "&") {
			k, v, _ := strings.Cut(kv, "=")
			if strings.Contains(strings.ToLower(k), "password") {
				ps = append(ps, v)
				if d, err := url.QueryUnescape(v); err == nil {
					ps = append(ps, d)
				}
			}
		}
	}
	return ps
}
