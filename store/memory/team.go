package memory

import (
	"context"
	"slices"
	"time"

	"github.com/stretchbot/stretchbot/bot"
)

var _ bot.TeamStore = (*DB)(nil)

// teamTables are the team features' data; maps are made on first write.
type teamTables struct {
	settings map[scoped]bot.ChannelSettings
	runs     map[scoped][]bot.TeamRun // (tenant, channel), by At then reminder
	runKeys  map[runKey]bool
	public   map[scoped]bot.PublicUser // (tenant, user)
}

type runKey struct {
	reminder bot.ReminderID
	at       time.Time
}

// ChannelSettings returns the channel's settings, or zero ones.
func (s *DB) ChannelSettings(ctx context.Context, tenant bot.TenantID, channel bot.ChannelID) (bot.ChannelSettings, error) {
	if err := s.rlock(ctx); err != nil {
		return bot.ChannelSettings{}, errf("channel settings: %w", err)
	}
	defer s.mu.RUnlock()
	if set, ok := s.team.settings[scoped{tenant, string(channel)}]; ok {
		return set, nil
	}
	return bot.ChannelSettings{Tenant: tenant, Channel: channel}, nil
}

// SaveChannelSettings inserts or replaces set.
func (s *DB) SaveChannelSettings(ctx context.Context, set bot.ChannelSettings) error {
	if err := s.lock(ctx); err != nil {
		return errf("save channel settings: %w", err)
	}
	defer s.mu.Unlock()
	if s.team.settings == nil {
		s.team.settings = map[scoped]bot.ChannelSettings{}
	}
	s.team.settings[scoped{set.Tenant, string(set.Channel)}] = set
	return nil
}

// AddTeamRun records r once per (Reminder, At).
func (s *DB) AddTeamRun(ctx context.Context, r bot.TeamRun) error {
	if err := s.lock(ctx); err != nil {
		return errf("add team run: %w", err)
	}
	defer s.mu.Unlock()
	r.At = utc(r.At)
	k := runKey{r.Reminder, r.At}
	if s.team.runKeys[k] {
		return nil
	}
	if s.team.runKeys == nil {
		s.team.runKeys = map[runKey]bool{}
		s.team.runs = map[scoped][]bot.TeamRun{}
	}
	s.team.runKeys[k] = true
	ch := scoped{r.Tenant, string(r.Channel)}
	runs := append(s.team.runs[ch], r)
	slices.SortStableFunc(runs, compareRuns)
	s.team.runs[ch] = runs
	return nil
}

func compareRuns(a, b bot.TeamRun) int {
	if c := a.At.Compare(b.At); c != 0 {
		return c
	}
	return compareStrings(a.Reminder, b.Reminder)
}

// TeamRuns lists the channel's runs at or after since, oldest first.
func (s *DB) TeamRuns(ctx context.Context, tenant bot.TenantID, channel bot.ChannelID, since time.Time) ([]bot.TeamRun, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, errf("team runs: %w", err)
	}
	defer s.mu.RUnlock()
	var out []bot.TeamRun
	for _, r := range s.team.runs[scoped{tenant, string(channel)}] {
		if !r.At.Before(since) {
			out = append(out, r)
		}
	}
	return out, nil
}

// SetPublic records or forgets u's consent to be named.
func (s *DB) SetPublic(ctx context.Context, u bot.PublicUser, public bool) error {
	if err := s.lock(ctx); err != nil {
		return errf("set public: %w", err)
	}
	defer s.mu.Unlock()
	k := scoped{u.Tenant, string(u.User)}
	if !public {
		delete(s.team.public, k)
		return nil
	}
	if s.team.public == nil {
		s.team.public = map[scoped]bot.PublicUser{}
	}
	s.team.public[k] = u
	return nil
}

// PublicUsers lists who in tenant may be named, by user id.
func (s *DB) PublicUsers(ctx context.Context, tenant bot.TenantID) ([]bot.PublicUser, error) {
	if err := s.rlock(ctx); err != nil {
		return nil, errf("public users: %w", err)
	}
	defer s.mu.RUnlock()
	var out []bot.PublicUser
	for k, u := range s.team.public {
		if k.tenant == tenant {
			out = append(out, u)
		}
	}
	slices.SortFunc(out, func(a, b bot.PublicUser) int { return compareStrings(a.User, b.User) })
	return out, nil
}
