// Package secretbox encrypts small secrets (platform tokens) for storage,
// with AES-256-GCM under a key that can be rotated.
//
// A sealed value names the key that sealed it: "sb1.<key id>.<base64url
// of nonce and ciphertext>". The key id is derived from the key itself, so
// operators configure keys only; a Box holds the current key, used for
// every new seal, and any number of previous keys that can still open
// values sealed before a rotation. The caller's context string (such as
// "slack:T123") is authenticated with the value, so a sealed token copied
// to another row does not open there.
//
// Nothing here ever puts a key or a plaintext in an error.
package secretbox

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// KeySize is the length of a key in bytes.
const KeySize = 32

// prefix starts every sealed value; it versions the format.
const prefix = "sb1."

// Errors returned by Open. They carry no secret.
var (
	// ErrMalformed means the value is not something Seal produced.
	ErrMalformed = errors.New("secretbox: not a sealed value")
	// ErrUnknownKey means the value was sealed with a key the Box does not
	// hold (a rotation dropped it too early).
	ErrUnknownKey = errors.New("secretbox: sealed with a key that is not configured")
	// ErrAuth means the value was altered, or belongs to another context.
	ErrAuth = errors.New("secretbox: the value does not authenticate")
)

// Key is one encryption key. The zero Key is not usable; use ParseKey or
// NewKey.
type Key struct {
	id   string
	aead cipher.AEAD
	// mac derives purpose-specific keys (Derive).
	mac []byte
}

// ParseKey reads a key written as base64 (standard or URL alphabet, with or
// without padding) of exactly KeySize bytes, as `openssl rand -base64 32`
// prints. The error says what is wrong without repeating the input.
func ParseKey(s string) (Key, error) {
	s = strings.TrimSpace(s)
	var raw []byte
	var err error
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if raw, err = enc.DecodeString(s); err == nil {
			break
		}
	}
	if err != nil {
		return Key{}, errors.New("is not base64; generate a key with: openssl rand -base64 32")
	}
	if len(raw) != KeySize {
		return Key{}, fmt.Errorf("decodes to %d bytes, want %d; generate a key with: openssl rand -base64 32", len(raw), KeySize)
	}
	return NewKey(raw)
}

// NewKey makes a Key of raw, which must be KeySize bytes.
func NewKey(raw []byte) (Key, error) {
	if len(raw) != KeySize {
		return Key{}, fmt.Errorf("secretbox: key is %d bytes, want %d", len(raw), KeySize)
	}
	// One key serves several purposes, each through its own derived key,
	// so that an encryption key is never also a MAC key.
	block, err := aes.NewCipher(derive(raw, "encryption"))
	if err != nil {
		return Key{}, fmt.Errorf("secretbox: %w", err)
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return Key{}, fmt.Errorf("secretbox: %w", err)
	}
	id := derive(raw, "key id")
	return Key{id: hex.EncodeToString(id[:4]), aead: aead, mac: derive(raw, "derive")}, nil
}

// derive is HMAC-SHA256(raw, "stretchbot secretbox/" + purpose): one block
// of HKDF-Expand, enough for 32-byte keys.
func derive(raw []byte, purpose string) []byte {
	m := hmac.New(sha256.New, raw)
	m.Write([]byte("stretchbot secretbox/" + purpose))
	return m.Sum(nil)
}

// ID is the key's id: 8 hex digits derived from the key, safe to show and
// log.
func (k Key) ID() string { return k.id }

// Box seals with its current key and opens with any key it holds. It is
// safe for concurrent use.
type Box struct {
	current Key
	keys    map[string]Key
}

// New returns a Box sealing with current and opening with current and
// previous. Zero Keys among previous are ignored.
func New(current Key, previous ...Key) (*Box, error) {
	if current.aead == nil {
		return nil, errors.New("secretbox: no current key")
	}
	b := &Box{current: current, keys: map[string]Key{current.id: current}}
	for _, k := range previous {
		if k.aead != nil {
			if _, dup := b.keys[k.id]; !dup {
				b.keys[k.id] = k
			}
		}
	}
	return b, nil
}

// KeyID is the id of the key new seals use.
func (b *Box) KeyID() string { return b.current.id }

// Seal encrypts plaintext for context with the current key.
func (b *Box) Seal(plaintext, context string) (string, error) {
	nonce := make([]byte, b.current.aead.NonceSize(), b.current.aead.NonceSize()+len(plaintext)+b.current.aead.Overhead())
	if _, err := rand.Read(nonce); err != nil {
		return "", fmt.Errorf("secretbox: nonce: %w", err)
	}
	out := b.current.aead.Seal(nonce, nonce, []byte(plaintext), []byte(context))
	return prefix + b.current.id + "." + base64.RawURLEncoding.EncodeToString(out), nil
}

// Open decrypts a value Seal produced for the same context, with whichever
// held key sealed it.
func (b *Box) Open(sealed, context string) (string, error) {
	id, data, err := split(sealed)
	if err != nil {
		return "", err
	}
	k, ok := b.keys[id]
	if !ok {
		return "", ErrUnknownKey
	}
	n := k.aead.NonceSize()
	if len(data) < n+k.aead.Overhead() {
		return "", ErrMalformed
	}
	plain, err := k.aead.Open(nil, data[:n], data[n:], []byte(context))
	if err != nil {
		return "", ErrAuth
	}
	return string(plain), nil
}

// SealedWith returns the id of the key that sealed a value, so a rotation
// can skip values already under the current key.
func SealedWith(sealed string) (string, error) {
	id, _, err := split(sealed)
	return id, err
}

// split takes a sealed value apart.
func split(sealed string) (id string, data []byte, err error) {
	rest, ok := strings.CutPrefix(sealed, prefix)
	if !ok {
		return "", nil, ErrMalformed
	}
	id, enc, ok := strings.Cut(rest, ".")
	if !ok || len(id) != 8 {
		return "", nil, ErrMalformed
	}
	data, err = base64.RawURLEncoding.DecodeString(enc)
	if err != nil {
		return "", nil, ErrMalformed
	}
	return id, data, nil
}

// Derive returns a 32-byte key for purpose ("oauth state"), derived from
// the current key: the same key and purpose always give the same result,
// different purposes unrelated ones.
func (b *Box) Derive(purpose string) []byte {
	m := hmac.New(sha256.New, b.current.mac)
	m.Write([]byte(purpose))
	return m.Sum(nil)
}
