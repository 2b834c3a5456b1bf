package respond

import (
	"sync"

	"github.com/stretchbot/stretchbot/bot"
)

// Quicker is a handler that can answer some messages at once, without
// I/O: *bot.Bot does for help and the greeting.
type Quicker interface {
	Quick(m bot.Message) (bot.Reply, bool)
}

// Quick asks h for an immediate answer to m when h is a Quicker. ok is
// false when h is not one, declines, or panics: then Handle must run.
func Quick(h bot.Handler, m bot.Message) (bot.Reply, bool) {
	q, is := h.(Quicker)
	if !is {
		return bot.Reply{}, false
	}
	return answerOrNot(q.Quick, m)
}

// answerOrNot asks answer for m, and takes a panic for no answer.
func answerOrNot(answer func(bot.Message) (bot.Reply, bool), m bot.Message) (r bot.Reply, ok bool) {
	defer func() {
		if recover() != nil {
			r, ok = bot.Reply{}, false
		}
	}()
	return answer(m)
}

// Purer is a handler that can tell the messages it answers by reading
// only: *bot.Bot does for list.
type Purer interface {
	Pure(m bot.Message) bool
}

// Pure reports whether h would only read to answer m, so that its work may
// start before the request's replay record is written (Race.Check). false
// when h is not a Purer, says no, or panics.
func Pure(h bot.Handler, m bot.Message) (pure bool) {
	p, is := h.(Purer)
	if !is {
		return false
	}
	defer func() {
		if recover() != nil {
			pure = false
		}
	}()
	return p.Pure(m)
}

// Readier is a handler that can answer some messages from what it holds
// in memory, without I/O: *bot.Bot does for a list it has kept.
type Readier interface {
	Ready(m bot.Message) (bot.Reply, bool)
}

// Ready asks h for an answer to m from memory when h is a Readier, for
// Race.Quick: the work then needs no goroutine of its own. ok is false
// when h is not one, declines, or panics: then Handle must run.
func Ready(h bot.Handler, m bot.Message) (bot.Reply, bool) {
	rd, is := h.(Readier)
	if !is {
		return bot.Reply{}, false
	}
	return answerOrNot(rd.Ready, m)
}

// Rendered keeps what an adapter made of each Fixed reply, so that the
// same answer is rendered and encoded once and its bytes reused. The core
// has a handful of Fixed replies, so it stays small. The zero value is
// ready to use and safe for concurrent use.
type Rendered struct {
	m sync.Map // Fixed name -> []byte
}

// Bytes returns render(r), made once per Fixed name; a reply that is not
// Fixed is rendered every time. The result must not be changed.
func (c *Rendered) Bytes(r bot.Reply, render func(bot.Reply) []byte) []byte {
	if r.Fixed == "" {
		return render(r)
	}
	if v, ok := c.m.Load(r.Fixed); ok {
		return v.([]byte)
	}
	b := render(r)
	c.m.Store(r.Fixed, b)
	return b
}
