package bot

// pureCommands only read: they write nothing (no reminder, break, rotation
// or setting, no cache another instance would miss) and send nothing but
// their answer. Running one for a request that turns out to be a replay
// therefore changes nothing; only its answer must be withheld.
var pureCommands = map[string]bool{"list": true}

// Pure reports whether Handle would only read to answer m, so that an
// adapter may start it while it still records m's signature against
// replays, and answer once both are done. It reads no store; false when in
// doubt (including a panic).
func (b *Bot) Pure(m Message) (pure bool) {
	defer func() {
		if recover() != nil {
			pure = false
		}
	}()
	text, err := cleanText(m.Text)
	if err != nil {
		return false
	}
	cmd, word, _ := b.commandWord(text)
	return word != "" && cmd != nil && pureCommands[cmd.Name]
}

// Ready answers m at once when the whole answer is in memory: a list
// whose page is kept with the cached rows (see writtenPage), for a caller
// whose settings are cached. Like Quick it reads no store, writes nothing
// and starts nothing, so an adapter may call it on the request's own
// goroutine rather than start Handle in the background; its answer is
// Handle's. ok is false for anything else (including a panic): then
// Handle must run.
func (b *Bot) Ready(m Message) (r Reply, ok bool) {
	defer func() {
		if recover() != nil {
			r, ok = Reply{}, false
		}
	}()
	if b.lists == nil || b.users == nil {
		return Reply{}, false
	}
	text, err := cleanText(m.Text)
	if err != nil {
		return Reply{}, false
	}
	cmd, word, args := b.commandWord(text)
	if word == "" || cmd == nil || cmd.Name != "list" {
		return Reply{}, false
	}
	page, err := listPage(args)
	if err != nil {
		return Reply{}, false
	}
	now := b.clock.Now()
	e, _, ok := b.users.get(userKey{m.Tenant, m.User}, now)
	if !ok {
		return Reply{}, false
	}
	u := e.u
	if !e.found {
		u = User{Tenant: m.Tenant, ID: m.User}
	}
	l, ok := b.lists.cached(ReminderFilter{Tenant: m.Tenant, Owner: m.User, Channel: m.Channel}, now)
	if !ok {
		return Reply{}, false
	}
	p := l.written(pageKeyOf(page, b.zoneOf(u, m), u), now)
	if p == nil {
		return Reply{}, false
	}
	return p.reply(), true
}
