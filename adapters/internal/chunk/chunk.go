// Package chunk splits text that is too long for one part of a chat
// message (a Slack section, a Discord field) into pieces that fit, so the
// renderers can spread it over several parts instead of cutting it.
package chunk

import "unicode/utf8"

// Split cuts s into pieces of at most n characters (runes) and drops
// nothing but the line break or space each cut is made at. It cuts at the
// last line break that keeps the piece within n, else at the last space,
// else at n. keep, when not nil, may move a cut at n earlier so it does not
// split markup (an escape sequence, a link): it gets the runes and the cut
// index and returns the index to cut at; an index of 0 or less is ignored.
// s of at most n characters is the one piece; "" gives none.
func Split(s string, n int, keep func(r []rune, at int) int) []string {
	if s == "" {
		return nil
	}
	if n <= 0 || len(s) <= n || utf8.RuneCountInString(s) <= n {
		return []string{s}
	}
	var out []string
	r := []rune(s)
	for len(r) > n {
		at, skip := lastIndex(r[:n+1], '\n'), 1
		if at <= 0 {
			at = lastIndex(r[:n+1], ' ')
		}
		if at <= 0 {
			at, skip = n, 0
			if keep != nil {
				if k := keep(r, n); k > 0 && k < n {
					at = k
				}
			}
		}
		out = append(out, string(r[:at]))
		r = r[at+skip:]
	}
	if len(r) > 0 {
		out = append(out, string(r))
	}
	return out
}

// Pack joins neighbouring texts with sep into as few pieces as it can,
// each at most n characters, keeping their order; a text longer than n
// stays a piece of its own. It is how a renderer that has too many parts
// for a message's part limit (Slack's 50 blocks) makes fewer, fuller ones.
func Pack(texts []string, sep string, n int) []string {
	var out []string
	cur, curLen := "", 0
	sepLen := utf8.RuneCountInString(sep)
	for i, t := range texts {
		l := utf8.RuneCountInString(t)
		if i > 0 && curLen+sepLen+l <= n {
			cur += sep + t
			curLen += sepLen + l
			continue
		}
		if i > 0 {
			out = append(out, cur)
		}
		cur, curLen = t, l
	}
	if len(texts) > 0 {
		out = append(out, cur)
	}
	return out
}

func lastIndex(r []rune, c rune) int {
	for i := len(r) - 1; i >= 0; i-- {
		if r[i] == c {
			return i
		}
	}
	return -1
}
