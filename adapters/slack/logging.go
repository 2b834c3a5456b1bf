package slack

import (
	"context"
	"log/slog"
	"strings"

	"github.com/stretchbot/stretchbot/bot"
)

// maxLoggedWord bounds the command word in debug logs; longer "words" are
// not commands.
const maxLoggedWord = 20

// logRequest writes one debug line per handled request so that
// STRETCHBOT_LOG_LEVEL=debug shows traffic. It logs who and which command,
// never the text, tokens or signatures.
func (a *Adapter) logRequest(ctx context.Context, route string, team bot.TenantID, user bot.UserID, text string) {
	// Checked first: building the record's attributes costs allocations
	// on every request even when debug logging is off.
	if !a.log.Enabled(ctx, slog.LevelDebug) {
		return
	}
	a.log.DebugContext(ctx, "slack: request", "route", route, "team", string(team), "user", string(user), "command", commandWord(text))
}

// commandWord is the first word of text, lower-cased, when it looks like a
// command word (ASCII letters, '-' or '_', at most maxLoggedWord long);
// otherwise "?" so that free text typed by a user never reaches the logs.
func commandWord(text string) string {
	f := strings.Fields(text)
	if len(f) == 0 {
		return ""
	}
	w := strings.ToLower(f[0])
	if len(w) > maxLoggedWord {
		return "?"
	}
	for _, r := range w {
		if (r < 'a' || r > 'z') && r != '-' && r != '_' {
			return "?"
		}
	}
	return w
}
