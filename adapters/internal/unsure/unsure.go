// Package unsure holds what the adapters share in checking whether an
// attempt that may repeat an earlier post (bot.Outgoing.Unsure) was
// posted already: the digest a delivery's post carries, how far back
// before the run a look-up starts, and how long an attempt that cannot
// look keeps coming back.
package unsure

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

const (
	// LookBack is how long before the run's time a look-up starts: runs
	// are claimed and posted a few seconds early, and clocks differ.
	LookBack = 2 * time.Minute
	// GiveUpAfter is how long after the run fell due an attempt that
	// cannot look keeps coming back: the default catch-up window. A break
	// later than that is not worth the risk of posting it twice, and a
	// run missed by that much would not be delivered at all.
	GiveUpAfter = 15 * time.Minute
	// DigestLen is the length of Digest's result, in hex digits.
	DigestLen = 16
)

// Digest names a delivery's key in its post: a digest, not the key
// itself, because what a post carries is readable by others, and the key
// names a reminder and its time, which are the bot's own business.
// DigestLen hex digits keep two deliveries in one conversation's recent
// messages from ever sharing one.
func Digest(key string) string {
	sum := sha256.Sum256([]byte(key))
	return hex.EncodeToString(sum[:DigestLen/2])
}
