package bot_test

import (
	"testing"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/bot/bottest"
)

// Pure tells list, which only reads, from every command that writes or
// sends, without touching the store (this one panics when used).
func TestPure(t *testing.T) {
	h := bottest.New(t, panicStore{})
	for text, want := range map[string]bool{
		"list": true, "/stretch list 2": true, "ls": true, "stretch list": true, "LIST": true,
		"": false, "help": false, "break": false, "remind me in 5 minutes": false, "pause all": false, "listen": false,
	} {
		if got := h.Bot.Pure(bot.Message{Text: text}); got != want {
			t.Errorf("Pure(%q) = %v, want %v", text, got, want)
		}
	}
}
