package memory

import (
	"cmp"
	"context"
	"slices"
	"sort"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// isOpen reports whether o belongs in the open index.
func isOpen(o *bot.Occurrence) bool { return o.State == bot.Pending || o.State == bot.Claimed }

// find returns the slot of the reminder with id; false if there is none.
func (t *tables) find(id bot.ReminderID) (int32, bool) {
	return t.get(id)
}

// update applies fn to the reminder in slot i, keeping the due index in
// step.
func (t *tables) update(i int32, fn func(r *rec)) {
	r := t.recs.at(i)
	if r.isDue() {
		t.due.Delete(t.dueKey(i))
	}
	fn(r)
	if r.isDue() {
		t.due.Insert(t.dueKey(i))
	}
}

// updateOcc applies fn to the open occurrence in slot k of opens, one of
// r's, keeping the open index in step. Once it is closed only its key and
// state stay in r.occs, and the slot is freed.
func (t *tables) updateOcc(r *rec, k int32, fn func(o *bot.Occurrence)) {
	o := &t.opens.at(k).Occurrence
	t.open.Delete(t.openKey(k))
	fn(o)
	if isOpen(o) {
		t.open.Insert(t.openKey(k))
		return
	}
	if j, found := t.findOcc(r, atKey(o.At), o.Kind); found {
		r.occs[j] = occ{at: r.occs[j].at, kind: r.occs[j].kind, state: t.codes.of(string(o.State))}
	}
	t.opens.drop(k)
}

// occurrence returns the reminder id and the slot in opens of its open
// occurrence (at, kind); -1 if there is none or it is closed, and a nil
// reminder if the reminder does not exist.
func (t *tables) occurrence(id bot.ReminderID, at time.Time, kind bot.OccurrenceKind) (*rec, int32) {
	i, ok := t.find(id)
	if !ok {
		return nil, -1
	}
	r := t.recs.at(i)
	j, found := t.findOcc(r, atKey(at), kind)
	if !found {
		return r, -1
	}
	return r, r.occs[j].open - 1
}

// findOcc returns where (at, kind) is or would be in r.occs.
func (t *tables) findOcc(r *rec, at int64, kind bot.OccurrenceKind) (int, bool) {
	cmp := func(o occ) int {
		if o.at != at {
			if o.at < at {
				return -1
			}
			return 1
		}
		return compareStrings(t.codes.str(o.kind), string(kind))
	}
	i := sort.Search(len(r.occs), func(i int) bool { return cmp(r.occs[i]) >= 0 })
	return i, i < len(r.occs) && cmp(r.occs[i]) == 0
}

// addOcc stores o for the reminder in slot ri unless its key exists; it
// reports whether it did.
func (t *tables) addOcc(ri int32, o bot.Occurrence) bool {
	r := t.recs.at(ri)
	o.At, o.LeaseUntil, o.DeliveredAt, o.Repeats = utc(o.At), utc(o.LeaseUntil), utc(o.DeliveredAt), utc(o.Repeats)
	at := atKey(o.At)
	i, found := t.findOcc(r, at, o.Kind)
	if found {
		return false
	}
	e := occ{at: at, kind: t.codes.of(string(o.Kind)), state: t.codes.of(string(o.State))}
	if isOpen(&o) {
		k := t.opens.add(openOcc{o, ri, r.pre})
		e.open = k + 1
		t.open.Insert(t.openKey(k))
	}
	r.occs = slices.Insert(r.occs, i, e) // runs come in time order: usually an append
	return true
}

// CreateReminder inserts r; bot.ErrConflict if r.ID is taken in any tenant.
func (s *DB) CreateReminder(ctx context.Context, r bot.Reminder) error {
	if err := s.lock(ctx); err != nil {
		return errf("create reminder: %w", err)
	}
	defer s.mu.Unlock()
	if _, taken := s.find(r.ID); taken {
		return errf("create reminder %s: %w", r.ID, bot.ErrConflict)
	}
	i := s.recs.add(s.newRec(r))
	s.put(r.ID, i)
	s.byOwner.Insert(nameKey{s.ids.nameHash(r.Tenant, string(r.Owner)), i})
	if r.Kind == bot.ChannelSchedule {
		s.byChannel.Insert(nameKey{s.ids.nameHash(r.Tenant, string(r.Channel)), i})
	}
	if s.recs.at(i).isDue() {
		s.due.Insert(s.dueKey(i))
	}
	return nil
}

// Reminder returns the reminder with id in tenant, or bot.ErrNotFound.
func (s *DB) Reminder(ctx context.Context, tenant bot.TenantID, id bot.ReminderID) (bot.Reminder, error) {
	if err := s.rlock(ctx); err != nil {
		return bot.Reminder{}, errf("reminder %s: %w", id, err)
	}
	defer s.mu.RUnlock()
	i, ok := s.find(id)
	if !ok || !s.tenantIs(s.recs.at(i), tenant) {
		return bot.Reminder{}, errf("reminder %s: %w", id, bot.ErrNotFound)
	}
	return s.reminder(s.recs.at(i)), nil
}

// ReminderByID returns a reminder in any tenant, or bot.ErrNotFound.
func (s *DB) ReminderByID(ctx context.Context, id bot.ReminderID) (bot.Reminder, error) {
	if err := s.rlock(ctx); err != nil {
		return bot.Reminder{}, errf("reminder %s: %w", id, err)
	}
	defer s.mu.RUnlock()
	i, ok := s.find(id)
	if !ok {
		return bot.Reminder{}, errf("reminder %s: %w", id, bot.ErrNotFound)
	}
	return s.reminder(s.recs.at(i)), nil
}

// Reminders lists Owner's reminders and Channel's team schedules (except
// Owner's, listed once already) in the tenant, by creation time then id.
func (s *DB) Reminders(ctx context.Context, f bot.ReminderFilter) ([]bot.Reminder, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, errf("reminders: %w", err)
	}
	defer s.mu.RUnlock()
	var out []bot.Reminder
	add := func(is []int32, skipOwner bool) {
		for _, i := range is {
			r := s.recs.at(i)
			if (f.IncludeFinished || r.next != 0) && !(skipOwner && r.owner == f.Owner) {
				out = append(out, s.reminder(r))
			}
		}
	}
	if f.Owner != "" {
		add(s.named(s.byOwner, f.Tenant, string(f.Owner), func(r *rec) bool { return r.owner == f.Owner }), false)
	}
	if f.Channel != "" {
		add(s.named(s.byChannel, f.Tenant, string(f.Channel), func(r *rec) bool { return s.syms.str(r.channel) == string(f.Channel) }), true)
	}
	sortByCreation(out)
	return out, nil
}

// sortByCreation orders reminders by creation time, then id, as the SQL
// stores list them.
func sortByCreation(rs []bot.Reminder) {
	slices.SortFunc(rs, func(a, b bot.Reminder) int {
		if c := a.CreatedAt.Compare(b.CreatedAt); c != 0 {
			return c
		}
		return compareStrings(a.ID, b.ID)
	})
}

// DeleteReminder deletes the reminder and its occurrences, keeping its
// delivered runs for DeliveredRun.
func (s *DB) DeleteReminder(ctx context.Context, tenant bot.TenantID, id bot.ReminderID) error {
	if err := s.lock(ctx); err != nil {
		return errf("delete reminder %s: %w", id, err)
	}
	defer s.mu.Unlock()
	i, ok := s.find(id)
	if !ok || !s.tenantIs(s.recs.at(i), tenant) {
		return errf("delete reminder %s: %w", id, bot.ErrNotFound)
	}
	r := s.recs.at(i)
	s.del(id, i)
	if r.isDue() {
		s.due.Delete(s.dueKey(i))
	}
	kept := s.kept[id]
	for _, o := range r.occs {
		if o.open != 0 {
			k := o.open - 1
			s.open.Delete(s.openKey(k))
			s.opens.drop(k)
		}
		if o.kind == codeRun && o.state == codeDelivered {
			kept = keep(kept, s.deliveredRun(r, o.at))
		}
	}
	if len(kept) > 0 {
		s.kept[id] = kept
	}
	tenantID := bot.TenantID(s.syms.str(r.tenant))
	s.byOwner.Delete(nameKey{s.ids.nameHash(tenantID, string(r.owner)), i})
	if s.syms.str(r.kind) == string(bot.ChannelSchedule) {
		s.byChannel.Delete(nameKey{s.ids.nameHash(tenantID, s.syms.str(r.channel)), i})
	}
	s.dropRec(i)
	return nil
}

// keep adds d to runs, ordered by At, unless a run at that instant is
// there already (an id reused and deleted again keeps the first).
func keep(runs []bot.DeliveredRun, d bot.DeliveredRun) []bot.DeliveredRun {
	i, found := slices.BinarySearchFunc(runs, d.At, func(k bot.DeliveredRun, at time.Time) int { return k.At.Compare(at) })
	if found {
		return runs
	}
	return slices.Insert(runs, i, d)
}

// DeliveredRun returns the run of reminder id delivered in [at, at+1s),
// from its occurrences or, once the reminder is deleted, the kept runs;
// bot.ErrNotFound if there is none.
func (s *DB) DeliveredRun(ctx context.Context, id bot.ReminderID, at time.Time) (bot.DeliveredRun, error) {
	if err := s.rlock(ctx); err != nil {
		return bot.DeliveredRun{}, errf("delivered run %s: %w", id, err)
	}
	defer s.mu.RUnlock()
	end := at.Add(time.Second)
	if i, ok := s.find(id); ok {
		r := s.recs.at(i)
		for j, _ := s.findOcc(r, atKey(at), ""); j < len(r.occs) && r.occs[j].at < atKey(end); j++ {
			if o := r.occs[j]; o.kind == codeRun && o.state == codeDelivered && o.open == 0 {
				return s.deliveredRun(r, o.at), nil
			}
		}
	}
	kept := s.kept[id]
	i, _ := slices.BinarySearchFunc(kept, at, func(k bot.DeliveredRun, at time.Time) int { return k.At.Compare(at) })
	if i < len(kept) && kept[i].At.Before(end) {
		return kept[i], nil
	}
	return bot.DeliveredRun{}, errf("delivered run %s: %w", id, bot.ErrNotFound)
}

// SetPaused sets Paused and PausedUntil; bot.ErrNotFound if the reminder is
// not in tenant.
func (s *DB) SetPaused(ctx context.Context, tenant bot.TenantID, id bot.ReminderID, paused bool, until time.Time) error {
	if err := s.lock(ctx); err != nil {
		return errf("set paused %s: %w", id, err)
	}
	defer s.mu.Unlock()
	i, ok := s.find(id)
	if !ok || !s.tenantIs(s.recs.at(i), tenant) {
		return errf("set paused %s: %w", id, bot.ErrNotFound)
	}
	s.update(i, func(r *rec) { r.paused, r.pausedUntil = paused, atKey(until) })
	return nil
}

// AdvanceReminder sets NextRun to next if it is still expect;
// bot.ErrConflict if not, bot.ErrNotFound if the reminder is gone.
func (s *DB) AdvanceReminder(ctx context.Context, id bot.ReminderID, expect, next time.Time) error {
	if err := s.lock(ctx); err != nil {
		return errf("advance reminder %s: %w", id, err)
	}
	defer s.mu.Unlock()
	i, ok := s.find(id)
	switch {
	case !ok:
		return errf("advance reminder %s: %w", id, bot.ErrNotFound)
	case s.recs.at(i).next != atKey(expect):
		return errf("advance reminder %s: %w", id, bot.ErrConflict)
	}
	s.update(i, func(r *rec) { r.next = atKey(next) })
	return nil
}

// AddOccurrence inserts o as a Pending occurrence (a snooze, due at
// o.LeaseUntil; Kind defaults to snooze). A snooze replaces the reminder's
// other open snoozes: they become Skipped. bot.ErrConflict if its key
// exists, bot.ErrNotFound if its reminder does not; then nothing changes.
func (s *DB) AddOccurrence(ctx context.Context, o bot.Occurrence) error {
	if err := s.lock(ctx); err != nil {
		return errf("add occurrence %s: %w", o.Reminder, err)
	}
	defer s.mu.Unlock()
	i, ok := s.find(o.Reminder)
	if !ok {
		return errf("add occurrence %s: %w", o.Reminder, bot.ErrNotFound)
	}
	r := s.recs.at(i)
	if o.Kind == "" {
		o.Kind = bot.SnoozeOccurrence
	}
	o.State = bot.Pending
	if _, found := s.findOcc(r, atKey(o.At), o.Kind); found {
		return errf("add occurrence %s: %w", o.Reminder, bot.ErrConflict)
	}
	if o.Kind == bot.SnoozeOccurrence {
		// Only the latest snooze arrives.
		for _, x := range r.occs {
			if x.kind == codeSnooze && x.open != 0 {
				s.updateOcc(r, x.open-1, func(x *bot.Occurrence) { x.State = bot.Skipped })
			}
		}
	}
	s.addOcc(i, o)
	return nil
}

// PendingSnoozes returns tenant's open snoozes, earliest first.
func (s *DB) PendingSnoozes(ctx context.Context, tenant bot.TenantID) ([]bot.Occurrence, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, errf("pending snoozes: %w", err)
	}
	defer s.mu.RUnlock()
	var out []bot.Occurrence
	for k := range s.open.All() {
		if o := s.opens.at(k.i).Occurrence; o.Tenant == tenant && o.Kind == bot.SnoozeOccurrence {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b bot.Occurrence) int {
		return cmp.Or(a.At.Compare(b.At), cmp.Compare(a.Reminder, b.Reminder))
	})
	return out, nil
}
