package bot_test

import (
	"strings"
	"testing"

	"github.com/stretchbot/stretchbot/bot"
	"github.com/stretchbot/stretchbot/internal/testkit"
)

// TestCommandExamplesWork types every example of the command table, the
// examples `help <command>` shows, and checks that none is refused as
// invalid. The placeholder id is replaced by a reminder in the state the
// command needs (a paused one for resume, a delivered one for snooze).
func TestCommandExamplesWork(t *testing.T) {
	for _, c := range bot.Commands() {
		for _, ex := range c.Examples {
			t.Run(ex, func(t *testing.T) {
				k := testkit.New(t)
				ids := fixtures(t, k)
				placeholder := "{active}"
				if c.Name == "resume" {
					placeholder = "{paused}"
				}
				if c.Name == "list" {
					for range bot.ListPage {
						k.Send("remind me every day at 10:00") // a second page
					}
				}
				in := ids.Replace(strings.ReplaceAll(ex, "#k3f9", placeholder))
				if r := k.Send(in); r.Error {
					t.Errorf("help example %q is refused:\n%s", in, r.PlainText())
				}
			})
		}
	}
}
