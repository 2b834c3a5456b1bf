package discord

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/bwmarrin/discordgo"

	"github.com/stretchbot/stretchbot/adapters/internal/unsure"
	"github.com/stretchbot/stretchbot/bot"
)

// A delivery (bot.Outgoing with a Key) is posted with an enforced nonce:
// Discord answers a post repeated within a few minutes with the message
// the first one created. An attempt that may repeat an earlier one
// (Outgoing.Unsure: its answer was lost, or the instance making it died
// unrecorded) later than that cannot count on it, so it first reads the
// channel's messages since the run fell due for the bot's own post with
// the delivery's mark; found, it is the delivery, and nothing is posted.
//
// The nonce is not kept with the message (a listed message has none), so
// the mark is carried by something Discord gives back: the end of the
// first component's custom_id ("done:k3f9@1700000000#<mark>", see
// markSuffix), which parseCustomID leaves out. A delivery without
// components (a summary) ends its text with the mark instead (markText).
//
// An attempt that cannot look (rate limited, Discord failing) posts
// nothing: it fails again unsure, to come back later, because a post made
// blind is a second post whenever the earlier attempt was taken. Past
// unsureGiveUp it gives up on the run (see giveUp).
//
// One attempt reads at most historyPages pages; a look-up that stops
// short (a busy channel, a rate limit on the way) keeps its place in
// memory, and the next attempt on this instance reads on from there.

const (
	// nonceTrust is how long after the run fell due an unsure attempt
	// still relies on the nonce. Discord keeps nonces for "a few
	// minutes", from the first post; runs are posted at most seconds
	// before they fall due, so within two minutes of it the first post
	// is at most two minutes and a few seconds old, well inside the
	// window, and the look-up's call is saved.
	nonceTrust = 2 * time.Minute
	// historySlack is how long before the run's time the look-up starts
	// (see unsure.LookBack).
	historySlack = unsure.LookBack
	// historyLimit is a page of messages: the most Discord lists at once.
	historyLimit = 100
	// historyPages caps the pages one attempt reads: a channel that said
	// more than historyPages × historyLimit messages since the run fell
	// due takes more than one attempt to read through, each going on
	// where the last stopped (walk).
	historyPages = 5
	// unsureGiveUp is how long after the run fell due an attempt that
	// cannot look keeps coming back (see unsure.GiveUpAfter).
	unsureGiveUp = unsure.GiveUpAfter
	// discordEpoch is the first millisecond of 2015, the origin of
	// snowflake times.
	discordEpoch = 1420070400000
)

var (
	// errTooBusy is a look-up that read historyPages pages without
	// reaching the present: the next attempt reads on.
	errTooBusy = errors.New("discord: list messages: too many messages since the run fell due")
	// errHistoryHidden is a look-up that listed nothing where the channel
	// has messages since: Discord lists none without Read Message History.
	errHistoryHidden = errors.New("discord: list messages: no messages listed, yet the channel has newer ones")
	// errLatestDeleted is a look-up that listed nothing where the
	// channel's latest message since was deleted: maybe the delivery.
	errLatestDeleted = errors.New("discord: list messages: the channel's latest message since the run was deleted")
	// errListedEarly is a look-up that listed nothing where the channel's
	// latest message since is there: it came after the listing.
	errListedEarly = errors.New("discord: list messages: a message came after the listing")
)

// markSuffix is what a marked custom_id ends with.
func markSuffix(mark string) string { return markSep + mark }

// markMessage marks m as the delivery named by mark: the first component
// whose custom_id has room for it. It reports false when none has (a
// reply without buttons or menus).
func markMessage(m *message, mark string) bool {
	for i, c := range m.Components {
		row, ok := c.(discordgo.ActionsRow)
		if !ok {
			continue
		}
		// fits says whether a custom_id can take the mark; put replaces
		// the row's component j in a copy of the row, so that the
		// rendered message shares nothing it changes.
		fits := func(id string) bool { return id != "" && len(id)+len(markSuffix(mark)) <= maxCustomID }
		put := func(j int, x discordgo.MessageComponent) bool {
			row.Components = append([]discordgo.MessageComponent(nil), row.Components...)
			row.Components[j] = x
			m.Components[i] = row
			return true
		}
		for j, el := range row.Components {
			switch x := el.(type) {
			case discordgo.Button:
				if fits(x.CustomID) {
					x.CustomID += markSuffix(mark)
					return put(j, x)
				}
			case discordgo.SelectMenu:
				if fits(x.CustomID) {
					x.CustomID += markSuffix(mark)
					return put(j, x)
				}
			}
		}
	}
	return false
}

// markIn reports whether one of cs (or their children) carries a
// delivery mark that want accepts ("" for a custom_id without one).
func markIn(cs []listedComponent, want func(mark string) bool) bool {
	for _, c := range cs {
		if _, m := cutMark(c.CustomID); want(m) || markIn(c.Components, want) {
			return true
		}
	}
	return false
}

// markHow is where a delivery's post carries its mark.
type markHow int

const (
	markedNot       markHow = iota // nowhere: known by its text alone
	markedComponent                // a custom_id (markMessage)
	markedText                     // the text's last line (markText)
)

// markDelivery marks m, the post of a delivery, with mark: in a
// component when it has one with room (markMessage), else in its text
// (markText).
func markDelivery(m *message, mark string) markHow {
	switch {
	case markMessage(m, mark):
		return markedComponent
	case markText(m, mark):
		return markedText
	}
	return markedNot
}

// textMark is the line a delivery without components (a summary) ends
// with: small print naming the delivery by its digest. It is text the bot
// wrote, which Discord gives back as it was sent, and it stays the same
// when what the lines above it say changes between attempts (a
// summary's counts, when a break is done meanwhile).
func textMark(mark string) string { return "ref " + mark }

// markText puts textMark at the end of m's text: the last embed's footer
// when m shows embeds, else a line of small print below its content. It
// reports false, leaving m as it was, where that would break Discord's
// limits (input far beyond anything the core writes).
func markText(m *message, mark string) bool {
	ref := textMark(mark)
	if n := len(m.Embeds); n > 0 {
		e := *m.Embeds[n-1]
		if e.Footer == nil || e.Footer.Text == "" {
			e.Footer = &discordgo.MessageEmbedFooter{Text: ref}
		} else {
			f := *e.Footer
			f.Text += " · " + ref
			e.Footer = &f
		}
		embeds := append(slices.Clone(m.Embeds[:n-1]), &e)
		if !fits(embeds) {
			return false
		}
		m.Embeds = embeds
		return true
	}
	c := m.Content + "\n-# " + ref
	if utf8.RuneCountInString(c) > maxContent {
		return false
	}
	m.Content = c
	return true
}

// hasTextMark reports whether l's text ends with a textMark, and with
// want's when want is not "": its content's last line, or an embed's
// footer. Any embed's, not only the last: Discord may add embeds of its
// own after the bot's (a link's preview).
func hasTextMark(l listedMessage, want string) bool {
	ends := func(s string) bool {
		i := strings.LastIndex(s, "ref ")
		if i < 0 || (i > 0 && s[i-1] != ' ' && s[i-1] != '\n') {
			return false
		}
		got := s[i+len("ref "):]
		if want != "" {
			return got == want
		}
		_, err := hex.DecodeString(got)
		return err == nil && len(got) == unsure.DigestLen
	}
	for _, e := range l.Embeds {
		if ends(e.Footer.Text) {
			return true
		}
	}
	return strings.HasPrefix(l.Content[strings.LastIndexByte(l.Content, '\n')+1:], "-# ") && ends(l.Content)
}

// isDelivery is the test a look-up applies to the bot's own messages:
// the one carrying mark where it was marked (how); else, and for posts
// made before deliveries without components were marked in their text,
// an unmarked one showing plain's text, plain being m as rendered before
// it was marked. A summary's text names its reminder ("Daily stretch
// summary #k3f9"), and its runs are a day or more apart, so no other
// run's post since the run fell due shows the same; but its counts may
// move between attempts, which only its mark survives.
func isDelivery(plain message, mark string, how markHow) func(listedMessage) bool {
	switch how {
	case markedComponent:
		return func(l listedMessage) bool { return markIn(l.Components, func(m string) bool { return m == mark }) }
	case markedText:
		same := sameText(plain)
		return func(l listedMessage) bool { return hasTextMark(l, mark) || same(l) }
	}
	return sameText(plain)
}

// sameText is the test for an unmarked post showing m's text.
func sameText(m message) func(listedMessage) bool {
	return func(l listedMessage) bool {
		if markIn(l.Components, func(m string) bool { return m != "" }) || hasTextMark(l, "") ||
			l.Content != m.Content || len(l.Embeds) != len(m.Embeds) {
			return false
		}
		for i, e := range m.Embeds {
			if l.Embeds[i].Title != e.Title || l.Embeds[i].Description != e.Description {
				return false
			}
		}
		return m.Content != "" || len(m.Embeds) > 0
	}
}

// snowflakeAt is the smallest message id Discord could give at t.
func snowflakeAt(t time.Time) string {
	ms := max(t.UnixMilli()-discordEpoch, 0)
	return strconv.FormatUint(uint64(ms)<<22, 10)
}

// snowflakeAfter reports whether id is a larger snowflake than than.
func snowflakeAfter(id, than string) bool {
	a, err1 := strconv.ParseUint(id, 10, 64)
	b, err2 := strconv.ParseUint(than, 10, 64)
	return err1 == nil && err2 == nil && a > b
}

// findDelivery looks in channel's messages since o fell due for the bot's
// post that is the delivery (is). Neither found nor an error: it read everything
// since and the post is not there, so posting is safe. An error means the
// look-up could not be made or finished; where it stopped is kept for the
// next attempt (walk) until the run is settled or past unsureGiveUp.
func (a *Adapter) findDelivery(ctx context.Context, o bot.Outgoing, channel string, is func(listedMessage) bool) (bot.Sent, bool, error) {
	me, err := a.selfUser(ctx)
	if err != nil {
		return bot.Sent{}, false, err
	}
	now := a.now()
	from, until := o.Due, o.Due.Add(unsureGiveUp)
	if from.IsZero() {
		from, until = now.Add(-unsureGiveUp), now.Add(unsureGiveUp)
	}
	start := snowflakeAt(from.Add(-historySlack))
	key := walkKey(channel, o.Key)
	w, _ := a.walks.Get(key, now)
	if !snowflakeAfter(w.after, start) {
		w = walk{after: start}
	}
	// keep saves where the look-up stopped, for the next attempt, while
	// there is one.
	keep := func() {
		if ttl := until.Sub(now); ttl > 0 {
			a.walks.Put(key, w, ttl, now)
		}
	}
	for page := 0; ; page++ {
		if page == historyPages {
			keep()
			return bot.Sent{}, false, errTooBusy
		}
		msgs, err := a.rest.messagesAfter(ctx, deliverPolicy, channel, w.after, historyLimit)
		if err != nil {
			keep()
			return bot.Sent{}, false, err
		}
		w.listed += len(msgs)
		next := w.after
		for _, m := range msgs {
			if snowflakeAfter(m.ID, next) {
				next = m.ID
			}
			if m.Author.ID != me || !is(m) {
				continue
			}
			at, perr := time.Parse(time.RFC3339, m.Timestamp)
			if perr != nil {
				at = a.now()
			}
			a.walks.Delete(key)
			a.log.Info("discord: delivery already posted; not posting it again", "channel", channel, "message", m.ID)
			return bot.Sent{ID: m.ID, Channel: bot.ChannelID(channel), At: at}, true, nil
		}
		w.after = next
		if len(msgs) < historyLimit {
			break
		}
	}
	// Read through to the present: this attempt posts, and a later one
	// (should its answer be lost) looks afresh.
	a.walks.Delete(key)
	if w.listed == 0 {
		// Nothing listed is also what a bot without Read Message History
		// is told: the channel's latest message says which.
		var ch struct {
			GuildID       string `json:"guild_id"`
			LastMessageID string `json:"last_message_id"`
		}
		if err := a.rest.call(ctx, deliverPolicy, http.MethodGet, "/api/v10/channels/"+channel, nil, &ch, true); err != nil {
			return bot.Sent{}, false, err
		}
		if snowflakeAfter(ch.LastMessageID, start) {
			return bot.Sent{}, false, a.whyNothingListed(ctx, channel, ch.GuildID != "", ch.LastMessageID)
		}
	}
	return bot.Sent{}, false, nil
}

// whyNothingListed tells why channel listed nothing since the run though
// its latest message, last, is newer: Discord lists nothing to a bot
// without Read Message History, and last_message_id still names a
// message deleted since. Reading that one message tells them apart, as
// it needs the permission too and Discord refuses it (403) without,
// where it answers a deleted one as unknown (404). Either way nothing is
// posted: hidden history asks the schedule's creator for the permission
// (in a server; a direct message's history is always readable); a
// deleted message may have been the delivery itself, so the run is given
// up (errLatestDeleted); a message that is there was posted after the
// listing, which the next attempt reads again.
func (a *Adapter) whyNothingListed(ctx context.Context, channel string, guild bool, last string) error {
	err := a.rest.call(ctx, deliverPolicy, http.MethodGet, "/api/v10/channels/"+channel+"/messages/"+last, nil, nil, true)
	var ae *apiError
	switch {
	case err == nil:
		return errListedEarly
	case errors.As(err, &ae) && ae.Status == http.StatusNotFound && ae.Code == 10008:
		return errLatestDeleted
	case errors.As(err, &ae) && ae.Status == http.StatusForbidden && guild:
		return &bot.DeliveryError{Permanent: true,
			Reason: "the bot cannot read the channel's messages, so it could not check whether an earlier attempt was posted; give it the Read Message History permission there",
			Err:    fmt.Errorf("%w: %w", errHistoryHidden, err)}
	case errors.As(err, &ae) && ae.Status == http.StatusForbidden:
		return fmt.Errorf("%w: %w", errHistoryHidden, err)
	}
	return err
}

// selfUser is the bot's user id: from the gateway, else asked once.
func (a *Adapter) selfUser(ctx context.Context) (string, error) {
	if id := a.self(); id != "" {
		return id, nil
	}
	var u struct {
		ID string `json:"id"`
	}
	if err := a.rest.call(ctx, deliverPolicy, http.MethodGet, "/api/v10/users/@me", nil, &u, true); err != nil {
		return "", err
	}
	if u.ID == "" {
		return "", errors.New("discord: get current user: empty id")
	}
	a.setSelf(u.ID)
	return u.ID, nil
}

// cannotLook is the outcome of an attempt that may repeat one and could
// not look for it (err) in channel: nothing is posted. Discord refusing
// for good (the channel gone, the bot shut out of it or unable to read
// it) is a sure failure: retrying would only delay the same end, and it is
// one the schedule's creator can fix. Anything else, a channel too busy
// to read through in one attempt included, comes back unsure, at the rate
// limit's time or the scheduler's backoff, reading on where this attempt
// stopped (walk), until unsureGiveUp.
func (a *Adapter) cannotLook(o bot.Outgoing, channel string, err error) error {
	de := asDelivery(err)
	var ae *apiError
	if errors.As(err, &ae) && ae.Code == 50013 {
		de.Reason = "the bot is missing a permission it needs to check whether an earlier attempt was posted; give it View Channel and Read Message History there"
	}
	if de.Permanent {
		a.walks.Delete(walkKey(channel, o.Key))
		a.log.Warn("discord: could not look for an earlier post of a delivery; not posting it", "err", err)
		return de
	}
	// A run without a time has no end to its retries: a channel too busy
	// for one attempt gives it up at once, as it always has.
	if errors.Is(err, errHistoryHidden) || errors.Is(err, errLatestDeleted) || (o.Due.IsZero() && errors.Is(err, errTooBusy)) ||
		(!o.Due.IsZero() && a.now().Sub(o.Due) >= unsureGiveUp) {
		a.walks.Delete(walkKey(channel, o.Key))
		return a.giveUp(o, err)
	}
	switch {
	case errors.Is(err, errTooBusy):
		de.Reason = "the channel had too many messages since the run to read through at once; the bot reads on at the next attempt"
	case errors.Is(err, errListedEarly):
		de.Reason = "a message came to the channel while the bot looked; it looks again at the next attempt"
	}
	a.log.Info("discord: could not look for an earlier post of a delivery; trying again later", "err", err)
	de.Unsure = true
	return de
}

// asDelivery is err classified for the scheduler (deliveryError), as a
// *bot.DeliveryError.
func asDelivery(err error) *bot.DeliveryError {
	var de *bot.DeliveryError
	if errors.As(deliveryError(err), &de) {
		return de
	}
	return &bot.DeliveryError{Reason: "the bot could not look for an earlier post", Err: err}
}

// giveUp ends a delivery that may have been posted and cannot be looked
// for: logged as an error, and the run passed over (GiveUp: not retried,
// its schedule going on, nobody paused). Posting anyway shows everyone a
// second post whenever the first was taken, the common case of a lost
// answer; a break a quarter of an hour late, or one that cannot be checked
// at all, is worth less than that.
func (a *Adapter) giveUp(o bot.Outgoing, err error) error {
	a.log.Error("discord: gave up on a delivery that may have been posted: could not look for it", "due", o.Due, "err", err)
	return &bot.DeliveryError{GiveUp: true,
		Reason: "Discord's answer to an earlier attempt was lost, and the bot could not check whether it was posted, so it did not post it again",
		Err:    fmt.Errorf("discord: gave up on an unsure delivery: %w", err)}
}

// walk is where the look-ups for one delivery in one channel stopped,
// when one could not read through to the present (historyPages pages, or
// Discord refusing or failing on the way): the next attempt reads on
// from there. Messages up to after cannot become the delivery later, as
// a message's id is the time Discord took it; a post made meanwhile (by
// another instance that took the run over) has a larger one and is read.
type walk struct {
	after  string // the largest id read
	listed int    // messages listed so far
}

// walkKey names the look-ups for the delivery of key in channel.
func walkKey(channel, key string) string { return channel + "/" + unsure.Digest(key) }

// walksMax bounds the places kept: each is a run being retried unsure,
// and forgetting one only makes its next attempt read from the start.
const walksMax = 10000
