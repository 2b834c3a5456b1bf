package secretbox

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"
)

func mustKey(t testing.TB, fill byte) Key {
	t.Helper()
	k, err := NewKey(bytes.Repeat([]byte{fill}, KeySize))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func mustBox(t testing.TB, current Key, previous ...Key) *Box {
	t.Helper()
	b, err := New(current, previous...)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSealOpensOnlyInItsContext(t *testing.T) {
	b := mustBox(t, mustKey(t, 1))
	const token = "xoxb-secret-token"
	sealed, err := b.Seal(token, "slack:T1")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, token) || strings.Contains(sealed, base64.RawURLEncoding.EncodeToString([]byte(token))) {
		t.Fatalf("sealed value shows the token: %s", sealed)
	}
	if !strings.HasPrefix(sealed, "sb1."+b.KeyID()+".") {
		t.Errorf("sealed = %q, want the format sb1.<key id>.<data>", sealed)
	}
	if got, err := b.Open(sealed, "slack:T1"); err != nil || got != token {
		t.Errorf("Open = %q, %v; want the token", got, err)
	}
	if _, err := b.Open(sealed, "slack:T2"); !errors.Is(err, ErrAuth) {
		t.Errorf("Open in another context: %v, want ErrAuth", err)
	}
	again, _ := b.Seal(token, "slack:T1")
	if again == sealed {
		t.Error("two seals of one value are identical: the nonce is not random")
	}
}

func TestTamperedValuesDoNotOpen(t *testing.T) {
	b := mustBox(t, mustKey(t, 1))
	sealed, _ := b.Seal("xoxb-1", "c")
	parts := strings.SplitN(sealed, ".", 3)
	data, _ := base64.RawURLEncoding.DecodeString(parts[2])
	data[len(data)-1] ^= 1
	flipped := parts[0] + "." + parts[1] + "." + base64.RawURLEncoding.EncodeToString(data)
	tests := []struct {
		name, value string
		want        error
	}{
		{"flipped bit", flipped, ErrAuth},
		{"no prefix", strings.TrimPrefix(sealed, "sb1."), ErrMalformed},
		{"clear text", "xoxb-1", ErrMalformed},
		{"empty", "", ErrMalformed},
		{"short", "sb1." + b.KeyID() + ".AAAA", ErrMalformed},
		{"bad base64", "sb1." + b.KeyID() + ".!!!", ErrMalformed},
		{"unknown key", "sb1.00000000." + strings.SplitN(sealed, ".", 3)[2], ErrUnknownKey},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := b.Open(tt.value, "c"); !errors.Is(err, tt.want) {
				t.Errorf("Open = %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRotationOpensOldValuesAndSealsWithTheNewKey(t *testing.T) {
	oldKey, newKey := mustKey(t, 1), mustKey(t, 2)
	if oldKey.ID() == newKey.ID() {
		t.Fatal("two keys share an id")
	}
	old := mustBox(t, oldKey)
	sealed, _ := old.Seal("xoxb-1", "c")

	rotated := mustBox(t, newKey, oldKey)
	if got, err := rotated.Open(sealed, "c"); err != nil || got != "xoxb-1" {
		t.Fatalf("Open with the previous key = %q, %v", got, err)
	}
	resealed, _ := rotated.Seal("xoxb-1", "c")
	if id, _ := SealedWith(resealed); id != newKey.ID() {
		t.Errorf("new seal uses key %s, want the current %s", id, newKey.ID())
	}
	if id, _ := SealedWith(sealed); id != oldKey.ID() {
		t.Errorf("SealedWith(old) = %s, want %s", id, oldKey.ID())
	}
	// Once the previous key is dropped, old values no longer open.
	if _, err := mustBox(t, newKey).Open(sealed, "c"); !errors.Is(err, ErrUnknownKey) {
		t.Errorf("Open without the previous key: %v, want ErrUnknownKey", err)
	}
}

func TestParseKey(t *testing.T) {
	raw := bytes.Repeat([]byte{0xfb}, KeySize) // encodes with + and / or - and _
	tests := []struct {
		name, in string
		wantErr  string
	}{
		{"standard", base64.StdEncoding.EncodeToString(raw), ""},
		{"unpadded", base64.RawStdEncoding.EncodeToString(raw), ""},
		{"url alphabet", base64.URLEncoding.EncodeToString(raw), ""},
		{"surrounding space", " " + base64.StdEncoding.EncodeToString(raw) + "\n", ""},
		{"too short", base64.StdEncoding.EncodeToString(raw[:16]), "decodes to 16 bytes, want 32"},
		{"too long", base64.StdEncoding.EncodeToString(append(raw, 1)), "decodes to 33 bytes, want 32"},
		{"not base64", "this is not a key!", "is not base64"},
		{"empty", "", "decodes to 0 bytes"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			k, err := ParseKey(tt.in)
			if tt.wantErr == "" {
				if err != nil || len(k.ID()) != 8 {
					t.Fatalf("ParseKey = %v, %v", k.ID(), err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ParseKey error = %v, want %q", err, tt.wantErr)
			}
			if tt.in != "" && strings.Contains(err.Error(), strings.TrimSpace(tt.in)) {
				t.Errorf("error repeats the key: %v", err)
			}
		})
	}
}

func TestDeriveSeparatesPurposes(t *testing.T) {
	b := mustBox(t, mustKey(t, 1))
	a1, a2, other := b.Derive("oauth state"), b.Derive("oauth state"), b.Derive("something else")
	if !bytes.Equal(a1, a2) || bytes.Equal(a1, other) || len(a1) != 32 {
		t.Errorf("Derive is not a stable per-purpose 32-byte key: %x %x %x", a1, a2, other)
	}
	if bytes.Equal(mustBox(t, mustKey(t, 2)).Derive("oauth state"), a1) {
		t.Error("two keys derive the same purpose key")
	}
}

func TestNewNeedsACurrentKey(t *testing.T) {
	if _, err := New(Key{}); err == nil {
		t.Error("New accepted the zero key")
	}
	if _, err := NewKey(make([]byte, 31)); err == nil {
		t.Error("NewKey accepted 31 bytes")
	}
}
