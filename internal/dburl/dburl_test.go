package dburl

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want URL
	}{
		{"sqlite://stretchbot.db", URL{Driver: SQLite, Path: "stretchbot.db"}},
		{"sqlite://data/rel.db", URL{Driver: SQLite, Path: "data/rel.db"}},
		{"sqlite:///var/lib/stretchbot/x.db", URL{Driver: SQLite, Path: "/var/lib/stretchbot/x.db"}},
		{"SQLite://upper.db", URL{Driver: SQLite, Path: "upper.db"}},
		{"sqlite://x.db?mode=ro", URL{Driver: SQLite, Path: "x.db"}},
		{"sqlite::memory:", URL{Driver: SQLite, InMemory: true}},
		{"sqlite://:memory:", URL{Driver: SQLite, InMemory: true}},
		{"postgres://bob:s3cret@db:5432/x?sslmode=disable", URL{Driver: Postgres, DSN: "postgres://bob:s3cret@db:5432/x?sslmode=disable"}},
		{"postgresql://db/x", URL{Driver: Postgres, DSN: "postgresql://db/x"}},
		{"POSTGRES://db/x", URL{Driver: Postgres, DSN: "postgres://db/x"}},
		{"postgres:///x?host=/run/postgresql", URL{Driver: Postgres, DSN: "postgres:///x?host=/run/postgresql"}},
		{"postgres://h1:5432,h2:5432/x", URL{Driver: Postgres, DSN: "postgres://h1:5432,h2:5432/x"}},
		{"memory://", URL{Driver: Memory}},
		{"Memory://", URL{Driver: Memory}},
	} {
		t.Run(tt.in, func(t *testing.T) {
			got, err := Parse(tt.in)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tt.want.raw = tt.in
			if got != tt.want {
				t.Errorf("Parse = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"", `"…" is not a database URL; use sqlite://relative/path.db`},
		{"stretchbot.db", `"…" is not a database URL`},
		{"host=db user=bob password=s3cret", `"host=db user=bob password=xxxxx" is not a database URL`},
		{"mysql://root:s3cret@db/x", `"mysql://root:xxxxx@db/x" is not a supported database URL; use sqlite://relative/path.db`},
		{"sqlite:", "want sqlite://relative/path.db or sqlite:///absolute/path.db"},
		{"sqlite:relative.db", `"sqlite:…": want sqlite://`},
		{"sqlite://", "want sqlite://"},
		{"sqlite:///", "missing file path"},
		{"sqlite://?mode=ro", "missing file path"},
		{"postgres://postgres:s3cret%zz@host/db", `"postgres:…" is not a valid PostgreSQL URL`},
		{"postgres://bob:s3cret@[::1", `"postgres:…" is not a valid PostgreSQL URL`},
		{"postgres:bob:s3cret@db", `"postgres:…" is not a valid PostgreSQL URL`},
		{"memory://demo", "use memory://"},
		{"memory:", "use memory://"},
	} {
		t.Run(tt.in, func(t *testing.T) {
			_, err := Parse(tt.in)
			if err == nil {
				t.Fatal("Parse succeeded")
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

func TestURLStringIsRedacted(t *testing.T) {
	u, err := Parse("postgres://bob:s3cret@db/x")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := u.String(), "postgres://bob:xxxxx@db/x"; got != want {
		t.Errorf("String = %q, want %q", got, want)
	}
}

func TestRedact(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		{"postgres://bob:s3cret@db:5432/x?sslmode=disable", "postgres://bob:xxxxx@db:5432/x?sslmode=disable"},
		{"postgres://bob@db/x", "postgres://bob@db/x"},
		{"postgres://bob:@db/x", "postgres://bob:xxxxx@db/x"},
		{"postgres://db/x?sslmode=disable&password=s3cret", "postgres://db/x?sslmode=disable&password=xxxxx"},
		{"postgres://db/x?sslpassword=s3cret&PassWord=s3cret", "postgres://db/x?sslpassword=xxxxx&PassWord=xxxxx"},
		{"postgres://db/x?pass%zzword=s3cret", "postgres://db/x?pass%zzword=xxxxx"},
		{"postgres://db/x?password", "postgres://db/x?password=xxxxx"},
		{"postgres://postgres:s3cret%zz@host/db", "postgres:…"},
		{"postgres://bob:s3cret@[::1", "postgres:…"},
		{"postgres:bob:s3cret@db", "postgres:…"},
		{"sqlite::memory:", "sqlite::memory:"},
		{"sqlite:relative.db", "sqlite:…"},
		{"sqlite:///var/lib/x.db", "sqlite:///var/lib/x.db"},
		{"memory://", "memory://"},
		{"host=db user=bob password=s3cret", "host=db user=bob password=xxxxx"},
		{"host = db  password = 's3 cr\\'et' sslmode=disable", "host=db password=xxxxx sslmode=disable"},
		{`host=db password=s3\ cret`, "host=db password=xxxxx"},
		{"host=db password='s3cret", "…"},
		{"stretchbot.db", "…"},
		{"", "…"},
		{"s3cret", "…"},
		{"postgres://db/x#a\nb", "postgres:…"},
		{"host=db\npassword=s3cret", "…"},
	} {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
