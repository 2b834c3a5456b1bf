package memory

import (
	"cmp"
	"encoding/binary"
	"hash/maphash"

	"github.com/stretchbot/stretchbot/bot"
)

// idIndex finds a reminder's slot by id. It is an open-addressing hash
// table of numbers, not a map keyed by string: the collector has nothing in
// it to follow, and a lookup touches the table once before the reminder it
// finds, where a map of a million ids also read a key.
type idIndex struct {
	seed maphash.Seed
	// ents hold, for each id, the low 32 bits of its hash (the high word)
	// and its slot plus one (the low word); 0 is an empty entry. An id sits
	// at its hash masked, or after it (linear probing).
	ents []uint64
	n    int
}

func newIDIndex() idIndex { return idIndex{seed: maphash.MakeSeed()} }

func (x *idIndex) hash(id bot.ReminderID) uint32 { return uint32(maphash.String(x.seed, string(id))) }

// get returns the slot of id; false if it is not there.
func (t *tables) get(id bot.ReminderID) (int32, bool) {
	x := &t.ids
	if x.n == 0 {
		return -1, false
	}
	h := x.hash(id)
	mask := uint32(len(x.ents) - 1)
	for j := h & mask; ; j = (j + 1) & mask {
		e := x.ents[j]
		if e == 0 {
			return -1, false
		}
		if uint32(e>>32) == h {
			if i := int32(uint32(e)) - 1; t.recs.at(i).id == id {
				return i, true
			}
		}
	}
}

// put records that id, not there yet, is in slot i.
func (t *tables) put(id bot.ReminderID, i int32) {
	x := &t.ids
	if 2*(x.n+1) > len(x.ents) {
		x.grow()
	}
	x.insert(uint64(x.hash(id))<<32 | uint64(uint32(i+1)))
	x.n++
}

func (x *idIndex) insert(e uint64) {
	mask := uint32(len(x.ents) - 1)
	j := uint32(e>>32) & mask
	for x.ents[j] != 0 {
		j = (j + 1) & mask
	}
	x.ents[j] = e
}

func (x *idIndex) grow() {
	old := x.ents
	x.ents = make([]uint64, max(64, 2*len(old)))
	for _, e := range old {
		if e != 0 {
			x.insert(e)
		}
	}
}

// del forgets id, which is in slot i.
func (t *tables) del(id bot.ReminderID, i int32) {
	x := &t.ids
	h := x.hash(id)
	want := uint64(h)<<32 | uint64(uint32(i+1))
	mask := uint32(len(x.ents) - 1)
	j := h & mask
	for x.ents[j] != want {
		j = (j + 1) & mask
	}
	// Move back the entries after it that may sit at j, so that no probe
	// stops early at the hole.
	for k := (j + 1) & mask; x.ents[k] != 0; k = (k + 1) & mask {
		home := uint32(x.ents[k]>>32) & mask
		if (k-home)&mask >= (k-j)&mask {
			x.ents[j] = x.ents[k]
			j = k
		}
	}
	x.ents[j] = 0
	x.n--
}

// idPrefix is the first 8 bytes of id as a number that orders like them,
// so that the indexes tell most ids apart without reading them.
func idPrefix(id bot.ReminderID) uint64 {
	var b [8]byte
	copy(b[:], id)
	return binary.BigEndian.Uint64(b[:])
}

// nameKey is an entry of the indexes by name (byOwner, byChannel): a hash
// of the (tenant, name) pair, then the reminder's slot. Pairs that share a
// hash are told apart by reading the reminders.
type nameKey struct {
	h uint64
	i int32
}

func compareNames(a, b nameKey) int {
	if a.h != b.h {
		return cmp.Compare(a.h, b.h)
	}
	return cmp.Compare(a.i, b.i)
}

// nameHash is the hash of (tenant, name) in the indexes by name.
func (x *idIndex) nameHash(tenant bot.TenantID, name string) uint64 {
	var h maphash.Hash
	h.SetSeed(x.seed)
	h.WriteString(string(tenant))
	h.WriteByte(0)
	h.WriteString(name)
	return h.Sum64()
}

// named returns the slots the index by name holds under (tenant, name),
// in slot order; match tells the reminders of the pair from those of
// another with the same hash.
func (t *tables) named(idx *ordered[nameKey], tenant bot.TenantID, name string, match func(r *rec) bool) []int32 {
	h := t.ids.nameHash(tenant, name)
	var out []int32
	for k := range idx.From(nameKey{h, -1}) {
		if k.h != h {
			break
		}
		if r := t.recs.at(k.i); t.tenantIs(r, tenant) && match(r) {
			out = append(out, k.i)
		}
	}
	return out
}
