package bot_test

import (
	"testing"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// Adapters answer a mention in the channel or privately by the reply's
// visibility: a break and the short help are for the channel; what is the
// caller's own business, and every refusal, is private.
func TestReplyVisibility(t *testing.T) {
	tests := []struct {
		in   string
		want bot.Visibility
	}{
		{"break", bot.Public},
		{"break 2 min desk", bot.Public},
		{"", bot.Public},
		{"hello", bot.Public},
		{"schedule every day at 11am", bot.Public},
		{"list", bot.Private},
		{"stats", bot.Private},
		{"help", bot.Private},
		{"timezone", bot.Private},
		{"remind me in 5 minutes", bot.Private},
		{"brake", bot.Private},
		{"cancel #zzzz", bot.Private},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			k := testkit.New(t)
			if r := k.SendAs("U1", "C1", tt.in); r.Visibility != tt.want {
				t.Errorf("%q answered with visibility %v, want %v:\n%s", tt.in, r.Visibility, tt.want, r.PlainText())
			}
		})
	}
}
