package memory

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

// isDue reports whether r belongs in the due index.
func isDue(r *reminder) bool { return !r.Paused && !r.NextRun.IsZero() }

// isOpen reports whether o belongs in the open index.
func isOpen(o *bot.Occurrence) bool { return o.State == bot.Pending || o.State == bot.Claimed }

// update applies fn to r, keeping the due index in step.
func (t *tables) update(r *reminder, fn func(r *bot.Reminder)) {
	if isDue(r) {
		t.due.Delete(r)
	}
	fn(&r.Reminder)
	if isDue(r) {
		t.due.Insert(r)
	}
}

// updateOcc applies fn to o, an occurrence of r, keeping the open index in
// step. Once o is closed only its key and state stay in r.occs.
func (t *tables) updateOcc(r *reminder, o *bot.Occurrence, fn func(o *bot.Occurrence)) {
	if !isOpen(o) {
		fn(o)
		return
	}
	t.open.Delete(o)
	fn(o)
	if isOpen(o) {
		t.open.Insert(o)
		return
	}
	if i, found := r.findOcc(o.At, o.Kind); found {
		r.occs[i] = occ{at: r.occs[i].at, kind: o.Kind, state: o.State}
	}
}

// occurrence returns the open occurrence (id, at, kind) and its reminder;
// a nil occurrence if there is none or it is closed.
func (t *tables) occurrence(id bot.ReminderID, at time.Time, kind bot.OccurrenceKind) (*reminder, *bot.Occurrence) {
	r := t.reminders[id]
	if r == nil {
		return nil, nil
	}
	i, found := r.findOcc(at, kind)
	if !found {
		return r, nil
	}
	return r, r.occs[i].open
}

// findOcc returns where (at, kind) is or would be in r.occs.
func (r *reminder) findOcc(at time.Time, kind bot.OccurrenceKind) (int, bool) {
	k := occ{at: atKey(at), kind: kind}
	i := sort.Search(len(r.occs), func(i int) bool { return compareOcc(r.occs[i], k) >= 0 })
	return i, i < len(r.occs) && compareOcc(r.occs[i], k) == 0
}

// addOcc stores o for r unless its key exists; it reports whether it did.
func (t *tables) addOcc(r *reminder, o bot.Occurrence) bool {
	o.At, o.LeaseUntil, o.DeliveredAt, o.Repeats = utc(o.At), utc(o.LeaseUntil), utc(o.DeliveredAt), utc(o.Repeats)
	i, found := r.findOcc(o.At, o.Kind)
	if found {
		return false
	}
	e := occ{at: atKey(o.At), kind: o.Kind, state: o.State}
	if isOpen(&o) {
		e.open = &o
		t.open.Insert(e.open)
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
	if _, taken := s.reminders[r.ID]; taken {
		return errf("create reminder %s: %w", r.ID, bot.ErrConflict)
	}
	r.PausedUntil, r.NextRun, r.LastRun, r.CreatedAt = utc(r.PausedUntil), utc(r.NextRun), utc(r.LastRun), utc(r.CreatedAt)
	rec := &reminder{Reminder: r}
	s.reminders[r.ID] = rec
	k := scoped{r.Tenant, string(r.Owner)}
	s.byOwner[k] = append(s.byOwner[k], rec)
	if r.Kind == bot.ChannelSchedule {
		k := scoped{r.Tenant, string(r.Channel)}
		s.byChannel[k] = append(s.byChannel[k], rec)
	}
	if isDue(rec) {
		s.due.Insert(rec)
	}
	return nil
}

// Reminder returns the reminder with id in tenant, or bot.ErrNotFound.
func (s *DB) Reminder(ctx context.Context, tenant bot.TenantID, id bot.ReminderID) (bot.Reminder, error) {
	if err := s.rlock(ctx); err != nil {
		return bot.Reminder{}, errf("reminder %s: %w", id, err)
	}
	defer s.mu.RUnlock()
	r := s.reminders[id]
	if r == nil || r.Tenant != tenant {
		return bot.Reminder{}, errf("reminder %s: %w", id, bot.ErrNotFound)
	}
	return r.Reminder, nil
}

// ReminderByID returns a reminder in any tenant, or bot.ErrNotFound.
func (s *DB) ReminderByID(ctx context.Context, id bot.ReminderID) (bot.Reminder, error) {
	if err := s.rlock(ctx); err != nil {
		return bot.Reminder{}, errf("reminder %s: %w", id, err)
	}
	defer s.mu.RUnlock()
	r := s.reminders[id]
	if r == nil {
		return bot.Reminder{}, errf("reminder %s: %w", id, bot.ErrNotFound)
	}
	return r.Reminder, nil
}

// Reminders lists Owner's reminders and Channel's team schedules (except
// Owner's, listed once already) in the tenant, by creation time then id.
func (s *DB) Reminders(ctx context.Context, f bot.ReminderFilter) ([]bot.Reminder, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, errf("reminders: %w", err)
	}
	defer s.mu.RUnlock()
	var out []bot.Reminder
	add := func(rs []*reminder, skipOwner bool) {
		for _, r := range rs {
			if (f.IncludeFinished || !r.Finished()) && !(skipOwner && r.Owner == f.Owner) {
				out = append(out, r.Reminder)
			}
		}
	}
	if f.Owner != "" {
		add(s.byOwner[scoped{f.Tenant, string(f.Owner)}], false)
	}
	if f.Channel != "" {
		add(s.byChannel[scoped{f.Tenant, string(f.Channel)}], true)
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
	r := s.reminders[id]
	if r == nil || r.Tenant != tenant {
		return errf("delete reminder %s: %w", id, bot.ErrNotFound)
	}
	delete(s.reminders, id)
	if isDue(r) {
		s.due.Delete(r)
	}
	kept := s.kept[id]
	for _, o := range r.occs {
		if o.open != nil {
			s.open.Delete(o.open)
		}
		if o.kind == bot.RunOccurrence && o.state == bot.Delivered {
			kept = keep(kept, bot.DeliveredRun{Reminder: id, At: fromAtKey(o.at), Tenant: r.Tenant, Platform: r.Platform,
				Kind: r.Kind, Owner: r.Owner, Channel: r.Channel})
		}
	}
	if len(kept) > 0 {
		s.kept[id] = kept
	}
	unlist(s.byOwner, scoped{r.Tenant, string(r.Owner)}, r)
	if r.Kind == bot.ChannelSchedule {
		unlist(s.byChannel, scoped{r.Tenant, string(r.Channel)}, r)
	}
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
	if r := s.reminders[id]; r != nil {
		for i, _ := r.findOcc(at, ""); i < len(r.occs) && r.occs[i].at < atKey(end); i++ {
			if o := r.occs[i]; o.kind == bot.RunOccurrence && o.state == bot.Delivered {
				return bot.DeliveredRun{Reminder: id, At: fromAtKey(o.at), Tenant: r.Tenant, Platform: r.Platform,
					Kind: r.Kind, Owner: r.Owner, Channel: r.Channel}, nil
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

// unlist removes r from the list at k, and the list once empty.
func unlist(m map[scoped][]*reminder, k scoped, r *reminder) {
	rs := slices.DeleteFunc(m[k], func(x *reminder) bool { return x == r })
	if len(rs) == 0 {
		delete(m, k)
	} else {
		m[k] = rs
	}
}

// SetPaused sets Paused and PausedUntil; bot.ErrNotFound if the reminder is
// not in tenant.
func (s *DB) SetPaused(ctx context.Context, tenant bot.TenantID, id bot.ReminderID, paused bool, until time.Time) error {
	if err := s.lock(ctx); err != nil {
		return errf("set paused %s: %w", id, err)
	}
	defer s.mu.Unlock()
	r := s.reminders[id]
	if r == nil || r.Tenant != tenant {
		return errf("set paused %s: %w", id, bot.ErrNotFound)
	}
	s.update(r, func(r *bot.Reminder) { r.Paused, r.PausedUntil = paused, utc(until) })
	return nil
}

// AdvanceReminder sets NextRun to next if it is still expect;
// bot.ErrConflict if not, bot.ErrNotFound if the reminder is gone.
func (s *DB) AdvanceReminder(ctx context.Context, id bot.ReminderID, expect, next time.Time) error {
	if err := s.lock(ctx); err != nil {
		return errf("advance reminder %s: %w", id, err)
	}
	defer s.mu.Unlock()
	r := s.reminders[id]
	switch {
	case r == nil:
		return errf("advance reminder %s: %w", id, bot.ErrNotFound)
	case !r.NextRun.Equal(expect):
		return errf("advance reminder %s: %w", id, bot.ErrConflict)
	}
	s.update(r, func(r *bot.Reminder) { r.NextRun = utc(next) })
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
	r := s.reminders[o.Reminder]
	if r == nil {
		return errf("add occurrence %s: %w", o.Reminder, bot.ErrNotFound)
	}
	if o.Kind == "" {
		o.Kind = bot.SnoozeOccurrence
	}
	o.State = bot.Pending
	if _, found := r.findOcc(utc(o.At), o.Kind); found {
		return errf("add occurrence %s: %w", o.Reminder, bot.ErrConflict)
	}
	if o.Kind == bot.SnoozeOccurrence {
		// Only the latest snooze arrives.
		for _, x := range r.occs {
			if x.kind == bot.SnoozeOccurrence && x.open != nil {
				s.updateOcc(r, x.open, func(x *bot.Occurrence) { x.State = bot.Skipped })
			}
		}
	}
	s.addOcc(r, o)
	return nil
}
