package secretbox

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
)

// The seed corpus is in testdata/fuzz.

// FuzzOpen checks that Open never panics on stored text and that only what
// Seal produced opens.
func FuzzOpen(f *testing.F) {
	k, _ := NewKey(bytes.Repeat([]byte{7}, KeySize))
	b, _ := New(k)
	f.Fuzz(func(t *testing.T, sealed, context string) {
		plain, err := b.Open(sealed, context)
		if err == nil && !strings.HasPrefix(sealed, prefix+k.ID()+".") {
			t.Errorf("Open(%q) = %q without a sealed value", sealed, plain)
		}
		if err != nil && plain != "" {
			t.Errorf("Open(%q) failed but returned %q", sealed, plain)
		}
	})
}

// keyError is every error ParseKey may give: fixed words, so the input
// (a would-be secret) is never repeated.
var keyError = regexp.MustCompile(`^(is not base64|decodes to \d+ bytes, want 32); generate a key with: openssl rand -base64 32$`)

// FuzzParseKey checks that ParseKey never panics and never repeats its
// input in an error.
func FuzzParseKey(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		k, err := ParseKey(s)
		if err != nil {
			if !keyError.MatchString(err.Error()) {
				t.Errorf("ParseKey(%q) error %q is not one of the fixed messages", s, err)
			}
			return
		}
		if len(k.ID()) != 8 {
			t.Errorf("ParseKey(%q) gave key id %q", s, k.ID())
		}
	})
}
