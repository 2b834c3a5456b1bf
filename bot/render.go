package bot

import (
	"fmt"
	"strings"
)

// PlainText renders a reply as plain text: the console's output and the
// fallback text adapters attach for notifications and screen readers.
func (r Reply) PlainText() string {
	var sb strings.Builder
	if r.Title != "" {
		sb.WriteString(r.Title)
		sb.WriteString("\n")
	}
	for _, b := range r.Blocks {
		sb.WriteString(b)
		sb.WriteString("\n")
	}
	for i, c := range r.Cards {
		fmt.Fprintf(&sb, "\n%d. %s — %s", i+1, c.Name, c.Duration)
		if c.Category != "" {
			fmt.Fprintf(&sb, " [%s]", c.Category)
		}
		sb.WriteString("\n")
		if c.Detail != "" {
			sb.WriteString("   " + c.Detail + "\n")
		}
		for j, s := range c.Steps {
			fmt.Fprintf(&sb, "   %c) %s\n", 'a'+rune(j%26), s)
		}
		if c.Caution != "" {
			sb.WriteString("   Caution: " + c.Caution + "\n")
		}
	}
	if len(r.Actions) > 0 {
		labels := make([]string, len(r.Actions))
		for i, a := range r.Actions {
			labels[i] = "[" + a.Label + "]"
		}
		if len(r.Cards) > 0 {
			sb.WriteString("\n")
		}
		sb.WriteString(strings.Join(labels, " ") + "\n")
	}
	if r.Note != "" {
		if len(r.Cards) > 0 || len(r.Actions) > 0 {
			sb.WriteString("\n")
		}
		sb.WriteString("⚠ " + r.Note + "\n")
	}
	return strings.TrimRight(sb.String(), "\n")
}
