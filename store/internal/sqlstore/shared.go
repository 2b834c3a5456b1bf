package sqlstore

import (
	"context"
	"time"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/groupcommit"
)

// sharedItem is one call's write that may share a commit with others: a
// replay record's keys (distinct, in order) with their times, or a batch
// of break records.
type sharedItem struct {
	keys         []string
	now, expires time.Time
	breaks       []bot.BreakRecord
}

// newSharedWrites lets the replay records (FirstSeen, FirstSeenAll) and
// the break records (SaveBreaks) of concurrent calls share one commit,
// where every write waits for this process's one write turn anyway (the
// lock given to New): a replay record and a break record that wait for
// the same turn are written in one commit, their fixed cost (the locks,
// the WAL's header and frames) paid once. A call that finds nobody else
// waiting writes as it would alone; nothing waits on a timer, and the
// leader does not wait for more callers either. The callers are batchers
// themselves (the adapters' replay guards and the bot's breaks), each of
// which already carries the requests that came with it; under a request
// load, a leader that let other goroutines run eight times first, to
// catch another batcher on its way, merged two items in only 2-15 % of
// its commits, while every commit waited for those turns. Items of one
// commit share its fate: an error fails them all, and the callers fail
// closed (a replay record not written lets nothing through).
func newSharedWrites(s *DB) *groupcommit.Batcher[sharedItem, map[string]bool] {
	return &groupcommit.Batcher[sharedItem, map[string]bool]{Flush: s.writeShared}
}

// writeShared writes items in one commit and returns, per item, the keys
// it recorded (nil for breaks).
func (s *DB) writeShared(ctx context.Context, items []sharedItem) ([]map[string]bool, error) {
	out := make([]map[string]bool, len(items))
	if len(items) == 1 {
		it := items[0]
		var err error
		if it.breaks != nil {
			err = s.writeBreaks(ctx, it.breaks)
		} else {
			out[0], err = s.writeSeen(ctx, it.keys, it.now, it.expires)
		}
		return out, err
	}
	// The replay records first, then the breaks, always in that order:
	// two processes' commits take their rows' locks in the same order.
	var rs []bot.BreakRecord
	err := s.tx(ctx, func(tx tx) error {
		for i, it := range items {
			if it.breaks != nil {
				rs = append(rs, it.breaks...)
				continue
			}
			fresh, err := seenIn(ctx, tx, it.keys, it.now, it.expires)
			if err != nil {
				return err
			}
			out[i] = fresh
		}
		if len(rs) == 0 {
			return nil
		}
		return s.breaksIn(ctx, tx, rs)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// recordSeen records keys (distinct, in order), sharing a commit with
// other calls when the store allows (newSharedWrites), and returns those
// it recorded.
func (s *DB) recordSeen(ctx context.Context, keys []string, now, expires time.Time) (map[string]bool, error) {
	if s.shared == nil {
		return s.writeSeen(ctx, keys, now, expires)
	}
	return s.shared.Do(ctx, sharedItem{keys: keys, now: now, expires: expires})
}

// recordBreaks writes rs, sharing a commit with other calls when the
// store allows (newSharedWrites).
func (s *DB) recordBreaks(ctx context.Context, rs []bot.BreakRecord) error {
	if s.shared == nil {
		return s.writeBreaks(ctx, rs)
	}
	_, err := s.shared.Do(ctx, sharedItem{breaks: rs})
	return err
}

// writeBreaks writes rs in a transaction of their own.
func (s *DB) writeBreaks(ctx context.Context, rs []bot.BreakRecord) error {
	return s.tx(ctx, func(tx tx) error { return s.breaksIn(ctx, tx, rs) })
}
