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
