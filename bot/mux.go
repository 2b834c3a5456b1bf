package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/stretchbot/stretchbot/internal/timewords"
	"github.com/stretchbot/stretchbot/internal/zones"
)

// MaxTextLen is the longest command accepted, in characters. Commands are
// short; a longer message is refused before any parsing.
const MaxTextLen = 1000

// Request is what a handler gets: the message, the arguments after the
// command word (original case, trimmed), and the caller's context.
type Request struct {
	Message
	Command *Command
	Args    string
	Now     time.Time
	Zone    *time.Location // the caller's zone
	User    User           // stored settings (zero User if none yet)
}

// Handle answers one message. It never panics and always returns a reply.
// A command that may have changed what the caller's home shows refreshes
// it.
func (b *Bot) Handle(ctx context.Context, m Message) Reply {
	// help needs neither the caller's settings nor a refreshed home.
	if reply, ok := b.Quick(m); ok {
		return reply
	}
	reply, cmd, err := b.handle(ctx, m)
	if err != nil {
		return b.errorReply(m, cmd, err)
	}
	// No command (a bare mention, a suggestion) changes nothing.
	if cmd != nil && !readOnlyCommands[cmd.Name] {
		b.refreshHome(ctx, m.Platform, m.Tenant, m.User)
	}
	return reply
}

// Quick answers m at once when its answer is Fixed: help, a command's help
// page, or the greeting for a bare mention. It reads no store and starts
// nothing, so an adapter may call it on the request's own goroutine before
// deciding to run Handle in the background. ok is false for every other
// message, including a refused one (Handle explains those).
func (b *Bot) Quick(m Message) (r Reply, ok bool) {
	defer func() {
		// Handle will meet the same input and log the panic.
		if recover() != nil {
			r, ok = Reply{}, false
		}
	}()
	text, err := cleanText(m.Text)
	if err != nil {
		return Reply{}, false
	}
	cmd, word, args := b.commandWord(text)
	switch {
	case word == "":
		return shortHelp(), true
	case cmd == nil || cmd.Name != "help":
		return Reply{}, false
	}
	r, err = b.helpFor(args)
	return r, err == nil
}

// handle routes m, turning a panic into an error.
func (b *Bot) handle(ctx context.Context, m Message) (reply Reply, cmd *Command, err error) {
	defer b.recoverTo(&err, "handle")
	defer func() {
		// Whatever a command that may write did, also when it failed
		// half-way, the rows `list` keeps are read again.
		if cmd == nil || !readOnlyCommands[cmd.Name] {
			b.RemindersChanged()
		}
	}()
	return b.route(ctx, m)
}

func (b *Bot) route(ctx context.Context, m Message) (Reply, *Command, error) {
	text, err := cleanText(m.Text)
	if err != nil {
		return Reply{}, nil, b.tooLong(m.Text, err)
	}
	cmd, word, args := b.commandWord(text)
	if word == "" {
		// A bare mention (Slack reads "/stretch" alone as `stretch`).
		return shortHelp(), nil, nil
	}
	if cmd == nil {
		if rest, ok := b.afterOpening(text); ok {
			c, w, a := b.commandWord(rest)
			said := a
			if me, r := splitWord(a); c != nil && c.Name == "remind" && strings.EqualFold(me, "me") {
				said = r // "remind me …": the time comes after "me"
			}
			if c != nil && b.readsAs(c, said) == nil {
				// Run only what reads as it stands ("could you show my
				// stats" is not `show`, and is pointed at stats).
				cmd, word, args = c, w, a
			}
		}
	}
	if cmd == nil {
		reply, err := b.notACommand(ctx, m, word, args)
		return reply, nil, err
	}
	if len(cmd.Params) > 0 && cmd.Params[0].Kind == IDParam {
		args = joinHash(args)
	}
	req := &Request{Message: m, Command: cmd, Args: args, Now: b.clock.Now()}
	req.User, req.Zone, err = b.caller(ctx, m)
	if err != nil {
		return Reply{}, cmd, err
	}
	start := time.Now()
	reply, err := cmd.run(b, ctx, req)
	// Checked first: the record's attributes cost allocations on every
	// command even when debug logging is off.
	if b.log.Enabled(ctx, slog.LevelDebug) {
		// The command word only: message text can be personal.
		b.log.Debug("command", "platform", m.Platform, "tenant", m.Tenant, "user", m.User, "command", cmd.Name,
			"code", ErrorCode(err), "took", time.Since(start))
	}
	if err != nil {
		return Reply{}, cmd, err
	}
	return reply, cmd, nil
}

// caller loads the user's settings and works out their zone: the one they
// chose, else the platform's hint, else the configured default.
func (b *Bot) caller(ctx context.Context, m Message) (User, *time.Location, error) {
	u, err := b.user(ctx, m.Tenant, m.User)
	switch {
	case ErrorCode(err) == ENOTFOUND:
		u = User{Tenant: m.Tenant, ID: m.User}
	case err != nil:
		return User{}, nil, fmt.Errorf("bot: load user: %w", err)
	}
	return u, b.zoneOf(u, m), nil
}

// zoneOf is u's zone: the one they chose, else m's platform hint, else the
// configured default.
func (b *Bot) zoneOf(u User, m Message) *time.Location {
	for _, name := range [2]string{u.Zone, m.ZoneHint} {
		if name == "" {
			continue
		}
		if loc, err := zones.Load(name); err == nil {
			return loc
		}
	}
	return b.zone
}

// errorReply turns an error into a private one-line reason plus an example.
// Internal errors are logged with their cause and answered generically.
func (b *Bot) errorReply(m Message, cmd *Command, err error) Reply {
	code := ErrorCode(err)
	if code == EINTERNAL {
		b.log.Error("command failed", "platform", m.Platform, "tenant", m.Tenant, "user", m.User, "command", cmdName(cmd), "err", err)
	}
	msg := ErrorMessage(err)
	example := ErrorExample(err)
	if example == "" && IsInvalid(err) && cmd != nil && len(cmd.Examples) > 0 {
		example = cmd.Examples[0]
	}
	r := Reply{Blocks: []string{msg}, Visibility: Private, Error: true}
	if example != "" {
		r.Blocks = append(r.Blocks, "Try: "+example)
	}
	return r
}

func cmdName(c *Command) string {
	if c == nil {
		return ""
	}
	return c.Name
}

// cleanText rejects overlong input, folds look-alike characters to ASCII
// (see foldRune), replaces control characters (NUL included) with spaces
// and drops the characters that reorder text on screen (see reorders), so
// nothing downstream sees them.
func cleanText(s string) (string, error) {
	if utf8.RuneCountInString(s) > MaxTextLen {
		// No count: an adapter may have cut a longer line already.
		return "", Invalid("break 5 min", "That message is too long: commands are short, at most %d characters.", MaxTextLen)
	}
	if plainText(s) {
		return s, nil // what foldText would make of it, without a copy
	}
	return foldText(s), nil
}

// openingWords may come before a command without being part of it: "hey
// bot, could you please remind me …".
var openingWords = map[string]bool{
	"hey": true, "hi": true, "hello": true, "yo": true, "ok": true, "okay": true, "so": true, "oh": true,
	"bot": true, "stretchbot": true, "could": true, "can": true, "would": true, "will": true, "you": true,
	"u": true, "please": true, "pls": true, "plz": true, "kindly": true, "just": true,
}

// afterOpening returns text without a polite opening made only of
// openingWords, when a command word follows it (and the end of the
// sentence, a question mark most often); ok is false otherwise.
func (b *Bot) afterOpening(text string) (string, bool) {
	words := strings.Fields(text)
	k := 0
	for k < len(words) && openingWords[strings.ToLower(strings.Trim(words[k], ",.!:;-"))] {
		k++
	}
	if k == 0 || k == len(words) || b.index[strings.ToLower(strings.Trim(words[k], ",.!?:;"))] == nil {
		return "", false
	}
	rest := strings.Join(words[k:], " ")
	if t := timewords.TrimSentenceEnd(rest, "?"); t != "" {
		rest = t
	}
	return rest, true
}

// tooLong is err, cleanText's refusal of s, with an example made of the
// start of s as far as it reads as a command (the time of a reminder
// without its note, when that reads), so a pasted wall of text is answered
// with what it began to ask; else help for the command it named, or help.
func (b *Bot) tooLong(s string, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	head := string([]rune(s)[:MaxTextLen])
	head, _, _ = strings.Cut(strings.TrimSpace(head), "\n")
	c, word, args := b.commandWord(foldText(head))
	if c == nil {
		return Invalid("help", "%s", e.Message)
	}
	prefix := strings.ToLower(word)
	if c.Name == "remind" {
		if me, rest := splitWord(args); strings.EqualFold(me, "me") {
			prefix, args = "remind me", rest
		}
	}
	words := strings.Fields(args)
	plain := func(a string) bool {
		if c.Name != "remind" {
			return true
		}
		_, note, err := b.parseWhenAndNote(a, &Request{Command: c, Args: a, Now: b.clock.Now(), Zone: b.zone})
		return err == nil && note == ""
	}
	for _, want := range []func(string) bool{plain, func(string) bool { return true }} {
		for n := min(len(words), 20); n >= 0; n-- {
			a := strings.Join(words[:n], " ")
			if (n > 0 || c.Name != "remind") && b.readsAs(c, a) == nil && want(a) {
				return Invalid(strings.TrimSpace(prefix+" "+a), "%s", e.Message)
			}
		}
	}
	return Invalid("help "+c.Name, "%s", e.Message)
}

// foldText is cleanText's work on text that is not plain: look-alikes
// folded, control and space characters made single spaces.
func foldText(s string) string {
	if !utf8.ValidString(s) {
		s = strings.ToValidUTF8(s, " ")
	}
	s = strings.Map(func(r rune) rune {
		if r = foldRune(r); r < 0 {
			return r
		}
		if unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || r == '\ufeff' || unicode.IsSpace(r) {
			return ' '
		}
		if reorders(r) {
			return -1
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// reorders reports whether r is a bidirectional embedding, override or
// isolate. A note keeps its words and is shown back to others, in lists
// and in the channel's breaks; with these it could show "#general" where
// the text says something else, or run its reordering into the bot's own
// words after it. Right-to-left writing needs none of them (the marks
// U+200E, U+200F and U+061C, which reorder nothing around them, stay).
func reorders(r rune) bool {
	return r >= '\u202a' && r <= '\u202e' || r >= '\u2066' && r <= '\u2069'
}

// plainText reports whether cleanText leaves s as it is: printable ASCII
// words separated by single spaces, which most commands are.
func plainText(s string) bool {
	if s == "" {
		return true
	}
	if s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case c < ' ' || c > '~':
			return false
		case c == ' ' && s[i-1] == ' ':
			return false
		}
	}
	return true
}

// commandWord finds the command: an optional leading "stretch", "/stretch"
// or "!stretch" is dropped when a command follows it; otherwise it is the
// break command itself ("stretch", "stretch 5 min").
func (b *Bot) commandWord(text string) (*Command, string, string) {
	c, word, args := b.findCommand(text)
	if c != nil && args != "" && !takesWhen(c) {
		// A "please" around the words is no part of them; punctuation
		// alone ("cancel !!") is answered as typed.
		if strings.Contains(args, "pl") || strings.Contains(args, "Pl") || strings.Contains(args, "PL") {
			args = withoutPlease(args) // only then: it splits and joins the words
		}
		if t := timewords.TrimSentenceEnd(args, ".!?…"); t != "" {
			args = t
		}
	}
	return c, word, args
}

// takesWhen reports whether c reads a <when>, whose parser reads the end
// of a sentence itself and may be followed by a note kept as typed.
func takesWhen(c *Command) bool {
	return slices.ContainsFunc(c.Params, func(p Param) bool { return p.Kind == WhenParam })
}

// findCommand is commandWord before the end of the sentence is dropped.
func (b *Bot) findCommand(text string) (*Command, string, string) {
	word, args := splitWord(rephrase(commandText(text)))
	lw := strings.ToLower(word)
	if lw == "/stretch" || lw == "!stretch" || lw == "stretch" {
		if next, rest := splitWord(args); next != "" {
			if c, ok := b.index[strings.ToLower(next)]; ok {
				return c, next, rest
			}
		}
		return b.index["stretch"], "stretch", args
	}
	if c, ok := b.index[lw]; ok {
		return c, word, args
	}
	// "break!", "help?", "done.": a sentence's end is not part of the word.
	if t := strings.TrimRight(lw, ".!?,:;"); t != lw && b.index[t] != nil {
		return b.index[t], strings.TrimRight(word, ".!?,:;"), args
	}
	return nil, word, args
}

// joinHash joins an id to the # typed before it with a space: "# k3f9"
// is "#k3f9".
func joinHash(args string) string {
	if rest, ok := strings.CutPrefix(args, "#"); ok {
		if t := strings.TrimLeft(rest, " \t"); t != rest && t != "" {
			return "#" + t
		}
	}
	return args
}

// splitWord returns the first space-separated word and the trimmed rest.
func splitWord(s string) (string, string) {
	s = strings.TrimSpace(s)
	if i := strings.IndexByte(s, ' '); i >= 0 {
		return s[:i], strings.TrimSpace(s[i+1:])
	}
	return s, ""
}
