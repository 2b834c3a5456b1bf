package dburl

import (
	"net/url"
	"strings"
	"unicode"
)

// Hidden replaces every password Redact finds.
const Hidden = "xxxxx"

// Unparsed stands for whatever Redact could not read and so does not print.
const Unparsed = "…"

// Redact returns s safe for logs and error messages: the password of a URL's
// user information, every query parameter whose name contains "password"
// and every password of a keyword/value connection string ("host=db
// password=…") become Hidden. Redact prints only what it parsed: a URL that
// does not parse is reduced to its scheme ("postgres:…"), anything else to
// Unparsed. The result is one line: input with control characters counts
// as unparsed.
func Redact(s string) string {
	scheme, _, ok := strings.Cut(s, ":")
	hasScheme := ok && validScheme(scheme)
	if strings.ContainsFunc(s, unicode.IsControl) {
		// Printed, a line break could forge a log line.
		if hasScheme {
			return scheme + ":" + Unparsed
		}
		return Unparsed
	}
	if hasScheme {
		return redactURL(s, scheme)
	}
	if out, ok := redactKeywords(s); ok {
		return out
	}
	return Unparsed
}

func redactURL(s, scheme string) string {
	short := scheme + ":" + Unparsed
	u, err := url.Parse(s)
	if err != nil {
		return short
	}
	if u.Opaque != "" {
		// "scheme:opaque" carries no structure we can check, except the one
		// opaque form we accept.
		if strings.EqualFold(u.Scheme, "sqlite") && u.Opaque == ":memory:" && u.RawQuery == "" && u.Fragment == "" {
			return s
		}
		return short
	}
	q := redactQuery(u.RawQuery)
	_, hasPassword := u.User.Password()
	if !hasPassword && q == u.RawQuery {
		// Nothing to hide: print it as given rather than re-encoded.
		return s
	}
	if hasPassword {
		u.User = url.UserPassword(u.User.Username(), Hidden)
	}
	u.RawQuery = q
	return u.String()
}

// redactQuery hides the value of every parameter whose name mentions a
// password. It keeps the order and spelling of everything else; a name that
// cannot be decoded might be a password's, so its value is hidden too.
func redactQuery(q string) string {
	if q == "" {
		return ""
	}
	parts := strings.Split(q, "&")
	for i, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		name, err := url.QueryUnescape(k)
		if err != nil || strings.Contains(strings.ToLower(name), "password") {
			parts[i] = k + "=" + Hidden
		}
	}
	return strings.Join(parts, "&")
}

// redactKeywords rewrites a libpq keyword/value string (`host=db
// user=bob password='a b'`) with its passwords hidden. It reports false
// when s is not one.
func redactKeywords(s string) (string, bool) {
	var out []string
	rest := strings.TrimLeft(s, " \t\r\n")
	for rest != "" {
		i := strings.IndexAny(rest, "= \t\r\n")
		if i <= 0 {
			return "", false
		}
		key := rest[:i]
		if !keyword(key) {
			return "", false
		}
		rest = strings.TrimLeft(rest[i:], " \t\r\n")
		if !strings.HasPrefix(rest, "=") {
			return "", false
		}
		rest = strings.TrimLeft(rest[1:], " \t\r\n")
		val, tail, ok := keywordValue(rest)
		if !ok {
			return "", false
		}
		// A value that mentions a password is most likely one typed after
		// a forgotten value ("host= password=…" makes host "password=…").
		if strings.Contains(strings.ToLower(key+val), "password") {
			val = Hidden
		}
		out = append(out, key+"="+val)
		rest = strings.TrimLeft(tail, " \t\r\n")
	}
	if len(out) == 0 {
		return "", false
	}
	return strings.Join(out, " "), true
}

// keywordValue splits one value off s: single-quoted, or up to the next
// white space, with backslash escapes in both. It returns the value as
// written.
func keywordValue(s string) (val, rest string, ok bool) {
	quoted := strings.HasPrefix(s, "'")
	i := 0
	if quoted {
		i = 1
	}
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c == '\\':
			i++
		case quoted && c == '\'':
			return s[:i+1], s[i+1:], true
		case !quoted && strings.IndexByte(" \t\r\n", c) >= 0:
			return s[:i], s[i:], true
		}
	}
	if quoted || i > len(s) {
		// An unterminated quote, or a backslash with nothing to escape.
		return "", "", false
	}
	return s, "", true
}

// keyword reports whether s looks like a libpq keyword: letters, digits and
// underscores.
func keyword(s string) bool {
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_') {
			return false
		}
	}
	return s != ""
}
