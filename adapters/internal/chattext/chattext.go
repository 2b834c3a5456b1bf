// Package chattext prepares the text of a chat message for the core, the
// same way on every platform: Unicode compatibility forms are normalized
// (NFKC: full-width letters, ligatures and non-breaking spaces become
// their plain forms, and accents are composed), and a message addressed
// to the bot is cut down to what follows the mention.
package chattext

import (
	"strings"

	"golang.org/x/text/unicode/norm"
)

// Normalize returns s in Unicode normalization form NFKC, so that
// "ｂｒｅａｋ" reads as "break" and "São Paulo" typed with a combining
// accent matches the one typed precomposed.
func Normalize(s string) string {
	return norm.NFKC.String(s)
}

// AfterMention cuts a message down to its command, given the byte ranges
// [start, end) of the bot's mentions in text, in order. Text before the
// first mention is ignored ("hey @stretchbot, break" → "break"), later
// mentions of the bot are dropped, and when nothing follows the mention
// the text before it is the command ("break @stretchbot" → "break").
// Without mentions the whole text is the command. Spaces are collapsed.
func AfterMention(text string, mentions [][2]int) string {
	if len(mentions) == 0 {
		return strings.Join(strings.Fields(text), " ")
	}
	var after strings.Builder
	prev := mentions[0][1]
	for _, m := range mentions[1:] {
		after.WriteString(text[prev:m[0]])
		after.WriteByte(' ')
		prev = m[1]
	}
	after.WriteString(text[prev:])
	// The punctuation of an address ("@stretchbot: break") is no command.
	if cmd := strings.Join(strings.Fields(strings.TrimLeft(after.String(), " ,:;")), " "); cmd != "" {
		return cmd
	}
	return strings.Join(strings.Fields(text[:mentions[0][0]]), " ")
}
