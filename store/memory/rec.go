package memory

import (
	"strings"

	"github.com/stretchbot/stretchbot/bot"
)

// rec is a stored reminder in compact form. A million of them must not
// cost the collector much: they live side by side in the pages of a slab
// (tables.recs) rather than as a million objects, the strings many reminders share
// (tenant, platform, kind, channel, rule, zone) are numbers into the
// store's string table, and times are unix nanoseconds. What is left to
// scan is the id, the owner and the last delivery's message and routine,
// the rarely set texts (cold) and the occurrences, which hold no pointer.
//
// Its fields are laid out by use, a cache line (64 bytes) each, and a rec
// fills three (rec_test checks the size; a slab's pages are large objects,
// so their recs start on a line): listing a due run or claiming it reads
// the first two, recording its delivery the last two.
// With a million reminders nearly every run's reminder is out of the
// cache, and each line read is a miss.
type rec struct {
	// Line 1: what claims a run, and most of what lists it.
	id                bot.ReminderID
	next, pausedUntil int64 // as atKey
	// pre is idPrefix(id), kept so that the indexes' keys are made
	// without reading the id's bytes (a cache miss of their own).
	pre                          uint64
	tenant, platform, rule, zone sym
	paused                       bool
	tenantPaused                 bool // paused by PauseTenant
	live                         bool // false for a free slot
	_                            [5]byte

	// Line 2: the occurrences, and what else a listing (for a Skipper),
	// a claim or a record reads.
	// occs are the reminder's occurrences, open and closed, by At then
	// Kind. Closed ones are kept because their keys still stop a second
	// claim of the same run (after a skip back, say), as in the SQL stores.
	occs          []occ
	lastRun       int64 // as atKey
	kind, channel sym
	owner         bot.UserID
	created       int64 // as atKey

	// Line 3: the last delivery's texts, and the rarely set ones.
	lastMessage string
	lastRoutine bot.RoutineSpec
	cold        *cold // nil when every field of it is empty
	_           [24]byte
}

// cold holds the texts of a reminder the engine never reads.
type cold struct {
	channelName string
	note        string
	routine     bot.RoutineOptions
}

// isDue reports whether r belongs in the due index.
func (r *rec) isDue() bool { return !r.paused && r.next != 0 }

// occ is an entry of a reminder's occurrences: its key and state, and
// while it is open (Pending or Claimed) the slot of the whole occurrence in
// tables.opens, plus one. A closed one keeps only what is still read of it,
// so that a run delivered costs 16 bytes and no object of its own: a
// million runs a minute add up.
type occ struct {
	at    int64 // At, as atKey
	open  int32 // slot in tables.opens + 1; 0 once closed
	kind  code
	state code // while open, the occurrence in opens has the current one
}

// sym numbers a string in the store's string table; 0 is "".
type sym uint32

// symtab is the store's table of shared strings, counted so that a string
// no reminder uses any more is dropped (rules may be unique to a reminder).
type symtab struct {
	ids  map[string]sym
	strs []string // by sym; strs[0] is ""
	refs []int32
	free []sym
}

func newSymtab() symtab {
	return symtab{ids: map[string]sym{}, strs: []string{""}, refs: []int32{0}}
}

// intern returns the number of s, counting one more use of it.
func (t *symtab) intern(s string) sym {
	if s == "" {
		return 0
	}
	if id, ok := t.ids[s]; ok {
		t.refs[id]++
		return id
	}
	s = strings.Clone(s) // not a window into a larger string the caller holds
	var id sym
	if n := len(t.free); n > 0 {
		id = t.free[n-1]
		t.free = t.free[:n-1]
		t.strs[id], t.refs[id] = s, 1
	} else {
		id = sym(len(t.strs))
		t.strs, t.refs = append(t.strs, s), append(t.refs, 1)
	}
	t.ids[s] = id
	return id
}

// release counts one use of id less, dropping its string after the last.
func (t *symtab) release(id sym) {
	if id == 0 {
		return
	}
	if t.refs[id]--; t.refs[id] == 0 {
		delete(t.ids, t.strs[id])
		t.strs[id] = ""
		t.free = append(t.free, id)
	}
}

// lookup returns the number of s, if some reminder uses it.
func (t *symtab) lookup(s string) (sym, bool) {
	if s == "" {
		return 0, true
	}
	id, ok := t.ids[s]
	return id, ok
}

func (t *symtab) str(id sym) string { return t.strs[id] }

// code numbers an occurrence's kind or state: a few values set by code,
// never dropped.
type code uint16

// The codes of the kinds and states the store itself tests, registered
// first (see newCodes), so that readers need not register them.
const (
	codeRun code = iota
	codeSnooze
	codePending
	codeClaimed
	codeDelivered
	codeFailed
	codeSkipped
)

func newCodes() codes {
	c := codes{ids: map[string]code{}}
	for _, s := range []string{string(bot.RunOccurrence), string(bot.SnoozeOccurrence), string(bot.Pending),
		string(bot.Claimed), string(bot.Delivered), string(bot.Failed), string(bot.Skipped)} {
		c.ids[s] = code(len(c.strs))
		c.strs = append(c.strs, s)
	}
	return c
}

// codes is the table of codes. Only writers (holding the write lock) may
// call of.
type codes struct {
	ids  map[string]code
	strs []string
}

func (c *codes) of(s string) code {
	switch s { // the usual ones, without hashing
	case string(bot.RunOccurrence):
		return codeRun
	case string(bot.Claimed):
		return codeClaimed
	case string(bot.Delivered):
		return codeDelivered
	}
	if id, ok := c.ids[s]; ok {
		return id
	}
	id := code(len(c.strs))
	c.strs = append(c.strs, strings.Clone(s))
	c.ids[s] = id
	return id
}

func (c *codes) str(id code) string { return c.strs[id] }

// newRec is r in stored form; it interns r's shared strings.
func (t *tables) newRec(r bot.Reminder) rec {
	x := rec{
		id: r.ID, pre: idPrefix(r.ID), owner: r.Owner, lastMessage: r.LastMessage, lastRoutine: r.LastRoutine,
		next: atKey(r.NextRun), pausedUntil: atKey(r.PausedUntil), lastRun: atKey(r.LastRun), created: atKey(r.CreatedAt),
		tenant: t.syms.intern(string(r.Tenant)), platform: t.syms.intern(string(r.Platform)),
		kind: t.syms.intern(string(r.Kind)), channel: t.syms.intern(string(r.Channel)),
		rule: t.syms.intern(r.Rule), zone: t.syms.intern(r.Zone),
		paused: r.Paused, live: true,
	}
	if r.ChannelName != "" || r.Note != "" || r.Routine != (bot.RoutineOptions{}) {
		x.cold = &cold{channelName: r.ChannelName, note: r.Note, routine: r.Routine}
	}
	return x
}

// dropRec releases what slot i holds and frees it.
func (t *tables) dropRec(i int32) {
	r := t.recs.at(i)
	for _, s := range [...]sym{r.tenant, r.platform, r.kind, r.channel, r.rule, r.zone} {
		t.syms.release(s)
	}
	t.recs.drop(i)
}

// reminder is r as the API returns it.
func (t *tables) reminder(r *rec) bot.Reminder {
	out := bot.Reminder{
		ID: r.id, Tenant: bot.TenantID(t.syms.str(r.tenant)), Platform: bot.Platform(t.syms.str(r.platform)),
		Kind: bot.ReminderKind(t.syms.str(r.kind)), Owner: r.owner, Channel: bot.ChannelID(t.syms.str(r.channel)),
		Rule: t.syms.str(r.rule), Zone: t.syms.str(r.zone),
		Paused: r.paused, PausedUntil: fromAtKey(r.pausedUntil), NextRun: fromAtKey(r.next),
		LastRun: fromAtKey(r.lastRun), LastMessage: r.lastMessage, LastRoutine: r.lastRoutine,
		CreatedAt: fromAtKey(r.created),
	}
	if c := r.cold; c != nil {
		out.ChannelName, out.Note, out.Routine = c.channelName, c.note, c.routine
	}
	return out
}

// tenantIs reports whether r belongs to tenant.
func (t *tables) tenantIs(r *rec, tenant bot.TenantID) bool {
	return t.syms.str(r.tenant) == string(tenant)
}

// deliveredRun is the delivered run of r at at.
func (t *tables) deliveredRun(r *rec, at int64) bot.DeliveredRun {
	return bot.DeliveredRun{Reminder: r.id, At: fromAtKey(at), Tenant: bot.TenantID(t.syms.str(r.tenant)),
		Platform: bot.Platform(t.syms.str(r.platform)), Kind: bot.ReminderKind(t.syms.str(r.kind)), Owner: r.owner,
		Channel: bot.ChannelID(t.syms.str(r.channel))}
}

// openOcc is an open occurrence, the slot of its reminder and its
// reminder's id prefix.
type openOcc struct {
	bot.Occurrence
	rec int32
	pre uint64
}

// dueKey is an entry of the due index: a reminder's NextRun, its id's
// prefix and its slot.
type dueKey struct {
	next int64
	pre  uint64
	i    int32
}

func (t *tables) dueKey(i int32) dueKey {
	r := t.recs.at(i)
	return dueKey{r.next, r.pre, i}
}

// openKey is an entry of the open index: an occurrence's LeaseUntil, its
// reminder's id prefix and its slot in tables.opens.
type openKey struct {
	lease int64
	pre   uint64
	i     int32
}

func (t *tables) openKey(k int32) openKey {
	o := t.opens.at(k)
	return openKey{atKey(o.LeaseUntil), o.pre, k}
}
