package bot

import (
	"context"
	"fmt"
)

func (b *Bot) cancelCmd(ctx context.Context, req *Request) (Reply, error) {
	r, err := b.lookup(ctx, req, req.Args)
	if err != nil {
		return Reply{}, err
	}
	if err := b.store.DeleteReminder(ctx, req.Tenant, r.ID); err != nil {
		if ErrorCode(err) == ENOTFOUND {
			return Reply{}, notFound(r.ID)
		}
		return Reply{}, fmt.Errorf("bot: delete reminder: %w", err)
	}
	b.wake()
	return Reply{Blocks: []string{fmt.Sprintf("Cancelled #%s (%s).", r.ID, b.ruleWords(r))}, Visibility: Private}, nil
}
