// Package ratelimit keeps, per bucket, what a chat platform's rate limits
// still allow, so the adapters pace their calls to stay under the limits
// instead of hitting them, and honour a 429 for every call to the same
// bucket, not only the one that got it.
//
// A bucket has up to three parts, all optional:
//
//   - a Rate known in advance (Slack's per-method tiers, a channel's message
//     pace, Discord's global limit), enforced as a token bucket;
//   - a quota learned from the platform's answers: calls remaining until a
//     reset time (Discord's X-RateLimit-Remaining and -Reset-After);
//   - a block until a time, after a 429's Retry-After.
//
// A call names every bucket it counts against. Take either books it in all
// of them, with a wait short enough to sleep in place, or books nothing and
// says when to ask again. Refused callers are told times one pace apart, so
// that a queue of deliveries comes back in order rather than all at once.
//
// A Spread tells, from 429s spread over many buckets, a limit they share
// (Slack's workspace posting limit over its per-channel ones), so that a
// refusal blocks its own bucket and only a shared limit blocks them all,
// and the pace the platform took then: the shared bucket holds calls to
// that pace from the block's end, faster and faster while no new block
// comes (BlockSpaced).
//
// The Limiter has no clock of its own: every method takes now, so tests
// drive it with a fake clock and never sleep.
package ratelimit
