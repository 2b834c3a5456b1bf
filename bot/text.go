package bot

import (
	"regexp"
	"strings"
	"sync"
	"unicode"
)

// foldRune maps the look-alikes that phones, input methods and rich-text
// editors put into messages to the ASCII that commands are written in:
// full-width forms ("ｂｒｅａｋ"), curly quotes (cron “*/30 * * * *”),
// dashes in ranges ("9–17") and invisible characters, which it drops (-1,
// as strings.Map has it). Adapters normalize text more fully before it
// arrives (NFKC); this keeps the core right on its own, with the standard
// library only.
func foldRune(r rune) rune {
	switch {
	case r < 0x80:
		return r
	case r >= 0xFF01 && r <= 0xFF5E: // full-width ASCII
		return r - 0xFF01 + '!'
	case r == 0x3000: // ideographic space
		return ' '
	}
	if f, ok := folds[r]; ok {
		return f
	}
	return r
}

// folds maps single characters to their plain form; -1 drops the
// character.
var folds = map[rune]rune{
	'‘': '\'', '’': '\'', '‚': '\'', '‛': '\'', '′': '\'', '＇': '\'',
	'“': '"', '”': '"', '„': '"', '‟': '"', '″': '"', '«': '"', '»': '"',
	'‐': '-', '‑': '-', '‒': '-', '–': '-', '—': '-', '―': '-', '−': '-',
	'\u200b': -1, '\u2060': -1, '\u00ad': -1, // zero-width space, word joiner, soft hyphen
}

// botNames are how people write the bot's name in plain text; platform
// mentions ("<@U123>") arrive already resolved by the adapters.
var botNames = []string{"@stretchbot", "@stretch"}

// commandText finds the command in a message. Leading mentions
// ("<@U123>") are dropped. Text before the bot's name is ignored ("hey
// @stretchbot break"), unless nothing follows the name, when the text
// before it is the command ("break @stretchbot").
func commandText(s string) string {
	if strings.IndexFunc(s, unicode.IsSpace) < 0 {
		// One word ("list"), as the rest would see it, without splitting.
		if s == "" || isMention(s) || isBotName(s) || strings.EqualFold(strings.TrimRight(s, ",:;!?."), "stretchbot") {
			return ""
		}
		return s
	}
	return commandWords(strings.Fields(s))
}

// commandWords is commandText's work on a message of several words.
func commandWords(words []string) string {
	for len(words) > 0 && (isMention(words[0]) || isBotName(words[0])) {
		words = words[1:]
	}
	if len(words) > 0 && strings.EqualFold(strings.TrimRight(words[0], ",:;!?."), "stretchbot") {
		words = words[1:] // "stretchbot, break": the name without @, first
	}
	if len(words) > 1 && isPlease(words[0]) {
		words = words[1:] // "please remind me …"
	}
	for i, w := range words {
		if !isBotName(w) {
			continue
		}
		after := words[i+1:]
		for len(after) > 0 && isBotName(after[0]) {
			after = after[1:]
		}
		if len(after) > 0 {
			return strings.Join(after, " ")
		}
		return strings.Join(words[:i], " ")
	}
	return strings.Join(words, " ")
}

// isMention reports whether w is a platform mention: "<@U123>".
func isMention(w string) bool {
	return strings.HasPrefix(w, "<@") && strings.HasSuffix(w, ">")
}

// isBotName reports whether w is the bot's name, allowing the punctuation
// that follows an address ("@stretchbot," "@stretchbot:").
func isBotName(w string) bool {
	w = strings.ToLower(strings.TrimRight(w, ",:;.!?"))
	for _, n := range botNames {
		if w == n {
			return true
		}
	}
	return false
}

// greetings are messages that say hello rather than ask for something;
// they get the short help.
var greetings = map[string]bool{
	"hi": true, "hello": true, "hey": true, "hiya": true, "howdy": true, "yo": true, "hallo": true,
	"hey there": true, "hi there": true, "hello there": true, "good morning": true, "good afternoon": true,
	"good evening": true,
}

// isGreeting reports whether text only says hello, to the bot by name
// or not ("hello stretchbot").
func isGreeting(text string) bool {
	return greetings[withoutBotName(text, " ,.!?:;👋")]
}

// thanks are messages that only say thank you.
var thanks = map[string]bool{
	"thanks": true, "thank you": true, "thx": true, "ty": true, "cheers": true, "thanks a lot": true,
	"thank you so much": true, "many thanks": true, "thanks so much": true, "thank u": true,
}

// isThanks reports whether text only says thank you ("thanks!", "thank
// you stretchbot 🙏").
func isThanks(text string) bool {
	const cut = " ,.!?:;🙏👍😊🙂"
	if t := strings.Trim(text, cut); t == "" && strings.ContainsAny(text, "🙏👍") {
		return true // a thumbs-up or folded hands alone
	}
	return thanks[withoutBotName(text, cut)]
}

// withoutBotName lower-cases text and drops the bot's name after it and
// the characters in cut around it.
func withoutBotName(text, cut string) string {
	t := strings.ToLower(strings.TrimRight(text, cut))
	if rest, ok := strings.CutSuffix(t, "stretchbot"); ok && rest != "" {
		t = strings.TrimRight(rest, cut)
	}
	return t
}

// shortHelp answers a bare mention or a greeting: what the bot does and
// the three commands most people want, short enough for a channel.
func shortHelp() Reply {
	return Reply{
		Blocks: []string{
			"Hi! I'm stretchbot: short back-care stretch breaks, when you want them or on a schedule.",
			"Try `break` for a routine now, `remind me every weekday at 15:00` for a personal reminder, or `schedule every day at 11am` for this channel. `help` lists everything.",
		},
		Visibility: Public,
		Fixed:      "hello",
	}
}

// rephrasings turn a few sentences people write into the command they mean:
// "set my timezone to PST" is `timezone PST`. Each pattern's first group is
// what the command takes. They are compiled by the first sentence that
// needs them.
var rephrasings = sync.OnceValue(func() []rephrasing {
	return []rephrasing{
		{regexp.MustCompile(`(?i)^(?:please\s+)?(?:set|change|update|switch)\s+(?:my\s+|the\s+)?(?:time\s?zone|tz|zone)(?:\s+(?:to|=|is)\b|\s*[:=])?\s*(.*)$`), "timezone"},
		{regexp.MustCompile(`(?i)^(?:my\s+)?(?:time\s?zone|tz)\s+(?:is|should\s+be)\s+(.+)$`), "timezone"},
		{regexp.MustCompile(`(?i)^time\s+zone\b\s*[:=]?\s*(.*)$`), "timezone"},
		{regexp.MustCompile(`(?i)^(?:what(?:'s|’s|\s+is)|show)\s+(?:my|the)\s+(?:time\s?zone|tz|zone)\s*\??$()`), "timezone"},
		{regexp.MustCompile(`(?i)^(?:i'?m\s+|i\s+am\s+|i'?ll\s+be\s+|i\s+will\s+be\s+)?(?:on\s+(?:vacation|holidays?|leave|pto)|out\s+of\s+(?:the\s+)?office|off|away|ooo)\s+((?:until|till|til|for)\s.+)$`), "away"},
		{regexp.MustCompile(`(?i)^(?:please\s+)?(?:set|add|create|make|new)\s+(?:me\s+)?(?:a\s+|an\s+|new\s+)*reminder(?:\s+for(?:\s+me)?)?\s+(.+)$`), "remind me"},
		// "create a team break every day at 11": a team break is scheduled.
		{regexp.MustCompile(`(?i)^(?:please\s+)?(?:set\s+up|set|add|create|make|new|start)\s+(?:a\s+|an\s+|new\s+|the\s+)*(?:team|group|channel)\s+(?:stretch(?:ing)?\s+)?(?:breaks?|stretch(?:es)?)\s+(.+)$`), "schedule"},
		// "give me a break", "a quick stretch", "short break": something
		// before the word, so that "stretch help" stays help.
		{regexp.MustCompile(`(?i)^(?:give\s+me|i\s+need|i\s+want|i'?d\s+like|let'?s\s+(?:do|take|have)|take|do|start|have|time\s+for)\s+(?:(?:a|an|some)\s+)?` + breakWords), "break"},
		{regexp.MustCompile(`(?i)^(?:a|an|some)\s+` + breakWords), "break"},
		{regexp.MustCompile(`(?i)^()(` + breakSizes + `)\s+(?:stretch(?:ing)?\s+)?(?:break|stretch)\b\s*(.*)$`), "break"},
		{regexp.MustCompile(`(?i)^(?:(?:show|list|see|view)\s+)?(?:me\s+)?(?:my|all(?:\s+my)?|the)\s+(?:reminders|schedules|breaks)\s*\??$()`), "list"},
		{regexp.MustCompile(`(?i)^(?:show|list|see|view)\s+(?:reminders|schedules)\s*\??$()`), "list"},
		{regexp.MustCompile(`(?i)^(?:my\s+stats|stats\s+(?:me|mine|please))$()`), "stats"},
		// "I'm done", "all done", "just did it": the break is done.
		{regexp.MustCompile(`(?i)^(?:i'?m|i’m|i\s+am|i|all|just|i\s+just|i'?ve|i’ve|i\s+have)\s+(?:done|finished|did\s+(?:it|one)|completed\s+it)\s*[.!]*$()`), "done"},
		{regexp.MustCompile(`(?i)^(?:\?+|commands|menu|what can you do\s*\??|how does (?:this|it) work\s*\??)$()`), "help"},
	}
})

// rephrasing is a pattern of a sentence and the command it means.
type rephrasing struct {
	re      *regexp.Regexp
	command string
}

// breakSizes and breakWords end the sentences that ask for a break, with
// its size, if said, and any options after it as groups.
const (
	breakSizes = `quick|short|mini|long|full|\d+[\s-]?min(?:ute)?s?`
	breakWords = `((?:` + breakSizes + `)\s+)?(?:stretch(?:ing)?\s+)?(?:break|stretch)\b\s*(.*)$`
)

// rephrase returns the command a sentence of rephrasings means, or text
// itself.
func rephrase(text string) string {
	for _, r := range rephrasings() {
		if m := r.re.FindStringSubmatch(text); m != nil {
			return strings.Join(strings.Fields(r.command+" "+strings.Join(m[1:], " ")), " ")
		}
	}
	return text
}

// lazyRegexp compiles expr on first use. A bot at rest reads no sentence,
// and patterns compiled when the program starts would hold their programs
// in memory, and their compilation's garbage in the heap, all the same.
func lazyRegexp(expr string) func() *regexp.Regexp {
	return sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(expr) })
}
