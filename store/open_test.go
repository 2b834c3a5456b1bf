package store

import (
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/bot"
)

func TestOpen(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := os.Mkdir("data", 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		url  string
		file string // created, relative to dir
	}{
		{"sqlite::memory:", ""},
		{"sqlite://:memory:", ""},
		{"sqlite://data/rel.db", "data/rel.db"},
		{"SQLITE://upper.db", "upper.db"},
		{"sqlite://" + filepath.Join(dir, "abs.db"), "abs.db"},
		{"memory://", ""},
	} {
		t.Run(tt.url, func(t *testing.T) {
			s, err := Open(t.Context(), tt.url)
			if err != nil {
				t.Fatalf("Open: %v", err)
			}
			defer s.Close()
			if err := s.Ping(t.Context()); err != nil {
				t.Errorf("Ping: %v", err)
			}
			if _, err := s.User(t.Context(), "T", "U"); bot.ErrorCode(err) != bot.ENOTFOUND {
				t.Errorf("User on empty store: %v", err)
			}
			if tt.file != "" {
				if _, err := os.Stat(filepath.Join(dir, tt.file)); err != nil {
					t.Errorf("database file: %v", err)
				}
			}
		})
	}
}

func TestOpenErrors(t *testing.T) {
	for _, tt := range []struct {
		url, want string
	}{
		{"mysql://root:s3cret@db/x", "sqlite://relative/path.db"},
		{"stretchbot.db", "unknown database URL"},
		{"", "unknown database URL"},
		{"sqlite:", "want sqlite://"},
		{"sqlite:relative.db", "want sqlite://"},
		{"sqlite://", "want sqlite://"},
		{"sqlite:///", "missing file path"},
		{"memory://somewhere", "unknown database URL"},
		{"sqlite://no/such/dir/x.db", "no/such"},
		{"postgres://bob:s3cret@127.0.0.1:1/x?sslmode=disable&connect_timeout=1", "postgres"},
	} {
		t.Run(tt.url, func(t *testing.T) {
			_, err := Open(t.Context(), tt.url)
			if err == nil {
				t.Fatal("Open succeeded")
			}
			if !strings.Contains(err.Error(), tt.want) {
				t.Errorf("error %q does not contain %q", err, tt.want)
			}
			if strings.Contains(err.Error(), "s3cret") {
				t.Errorf("error leaks the password: %q", err)
			}
		})
	}
}

func TestRedact(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"postgres://bob:s3cret@db:5432/x?sslmode=disable", "postgres://bob:xxxxx@db:5432/x?sslmode=disable"},
		{"postgres://bob@db/x", "postgres://bob@db/x"},
		{"postgres://db/x?password=s3cret&sslmode=disable", "postgres://db/x?password=xxxxx&sslmode=disable"},
		{"sqlite::memory:", "sqlite::memory:"},
		{"sqlite:///var/lib/x.db", "sqlite:///var/lib/x.db"},
		{"postgres://bob:s3cret@[::1", "postgres:…"},
	} {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzRedact(f *testing.F) {
	for _, s := range []string{"postgres://bob:s3cret@db/x", "sqlite::memory:", "postgres://db/x?password=s3cret", "%zz", "postgres://a:b@[::1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := Redact(s)
		u, err := url.Parse(s)
		if err != nil {
			return
		}
		if p, ok := u.User.Password(); ok && p != "xxxxx" && strings.Contains(out, u.User.String()+"@") {
			t.Errorf("Redact(%q) = %q leaks the password", s, out)
		}
	})
}

func FuzzSQLitePath(f *testing.F) {
	for _, s := range []string{":memory:", "//:memory:", "//rel.db", "///abs.db", "//", "", "//x.db?mode=ro", "rel.db"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, rest string) {
		p, err := sqlitePath(rest)
		if err != nil {
			if err.Error() == "" {
				t.Error("empty error message")
			}
			return
		}
		if p == "" || strings.Contains(p, "?") {
			t.Errorf("sqlitePath(%q) = %q", rest, p)
		}
	})
}
