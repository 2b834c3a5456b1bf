package bot

import (
	"strconv"
	"time"
)

// Platform names the chat system a message came from or goes to.
type Platform string

// The platforms stretchbot speaks.
const (
	Console Platform = "console"
	Slack   Platform = "slack"
	Discord Platform = "discord"
)

// TenantID isolates data: a Slack workspace (team id), a Discord guild (or the
// user's id in DMs), or "console". No query ever crosses tenants.
type TenantID string

// ChannelID is a platform channel id ("C123", a Discord snowflake, "console").
type ChannelID string

// UserID is a platform user id, unique within a tenant.
type UserID string

// Message is one command from a user, already translated from the platform's
// own event: the mention or slash-command prefix may still be present; the
// router strips it.
type Message struct {
	Platform    Platform
	Tenant      TenantID
	Channel     ChannelID
	ChannelName string // human name without '#', when the platform told us
	User        UserID
	UserName    string
	Text        string
	// Admin reports whether the user may manage any channel schedule in the
	// tenant (Slack workspace admin/owner, Discord Manage Server/Administrator).
	Admin bool
	// DM is true when the conversation is a direct message with the bot.
	DM bool
	// Thread is the platform's thread id, if the message was in one.
	Thread string
	// ZoneHint is the platform's idea of the user's IANA zone (Slack's
	// users.info tz). Used only until the user sets one with `timezone`.
	ZoneHint string
	// ZoneUnread is true when the platform keeps a profile zone but could
	// not tell it this time (Slack's users.info failed or was too slow):
	// the reply to a new reminder then says which zone it used.
	ZoneUnread bool
}

// Visibility says who may see a reply.
type Visibility int

const (
	// Private replies are shown only to the caller (ephemeral on Slack,
	// flag 64 on Discord).
	Private Visibility = iota
	// Public replies are posted for the whole channel.
	Public
)

// Reply is a structured answer. Adapters render it their own way (Block Kit,
// embeds, plain text); the core never produces platform markup. Text is plain
// text: adapters escape it as their platform requires.
type Reply struct {
	Title      string
	Blocks     []string // paragraphs of plain text, in order
	Cards      []Card   // exercise cards, in routine order
	Note       string   // footer, e.g. the safety note; shown small where possible
	Actions    []Action // buttons, where the platform has them
	Visibility Visibility
	// Error is set when the reply explains a refused command.
	Error bool
	// Compact asks for each card as one line (name, time and dose, stage)
	// with its StepsAction, instead of in full. The core sets it for
	// routines of more than FullCards exercises, so every platform shows
	// them alike; renderers with size limits also fall back to it when the
	// full form would not fit. The console shows every card in full.
	Compact bool
	// Fixed names a reply that is the same for every caller, on every
	// occasion ("help", "help schedule"): no personal content, no time, no
	// buttons that point at one user's data. An adapter may render it once
	// under this name and send the same bytes every time. Empty for every
	// other reply.
	Fixed string
	// Files are attached to the message where the platform allows it (a
	// summary's chart). Adapters send them with deliveries; the console
	// writes them to disk and prints where.
	Files []File
}

// File is an attachment of a Reply.
type File struct {
	Name  string // file name with extension: "summary-2026-12-04.png"
	Type  string // MIME type: "image/png"
	Title string // shown with it where the platform has titles; may be empty
	Data  []byte
}

// FullCards is the most exercise cards a reply shows in full; a routine
// with more is Compact. Eight full cards fit every platform's limits.
const FullCards = 8

// Card is one exercise in a reply.
type Card struct {
	ID   string // the exercise's id
	Name string
	// Category is the card's stage in a routine ("Mobility warm-up",
	// "Low-impact aerobic"), shown on every platform.
	Category string
	Duration string // time and dose: "1 min 10 s · hold 30 s each leg"
	Detail   string // position, place, equipment in one short line
	Steps    []string
	Caution  string
	// Seconds is the time the routine gives the exercise (0 for none), so
	// that StepsAction shows the same dose again.
	Seconds int
}

// StepsAction is the Steps control of a compact card: pressing it shows
// the card in full, with its steps, to the presser alone. ok is false for
// a card that names no exercise.
func (c Card) StepsAction() (a Action, ok bool) {
	if c.ID == "" {
		return Action{}, false
	}
	v := c.ID
	if c.Seconds > 0 {
		v += "@" + strconv.Itoa(c.Seconds)
	}
	return Action{ID: ActionSteps, Label: "Steps", Value: v}, true
}

// Action is a button under a reply. Pressing it reaches the core as an
// ActionEvent with the same ID and Value.
type Action struct {
	ID    ActionID
	Label string
	Value string // opaque to adapters; round-tripped unchanged (≤ 100 bytes)
	Style string // "primary", "danger" or ""
}

// ActionID names what a button does.
type ActionID string

// The buttons the core puts under deliveries, and the Steps control of a
// compact routine (its Value names the exercise and its time:
// "cat-cow@90").
const (
	ActionDone   ActionID = "done"
	ActionJoin   ActionID = "join"
	ActionSnooze ActionID = "snooze"
	ActionSkip   ActionID = "skip"
	ActionSteps  ActionID = "steps"
)

// ActionEvent is a button press. Message carries who pressed it and where;
// its Text is empty.
type ActionEvent struct {
	Message
	ID    ActionID
	Value string
	// MessageRef identifies the message holding the button, so the update can
	// replace it in place.
	MessageRef string
}

// ActionResult says how to answer a button press: Update replaces the clicked
// message (nil leaves it unchanged), Ephemeral is an extra private answer to
// the presser (nil for none).
//
// Status, when set and Update is nil, is one line the adapter shows at the
// bottom of the clicked message, replacing the previous status line and
// keeping everything else ("✅ 3 people did this break"). The core cannot
// rebuild a delivered routine, so this is how counts update in place.
type ActionResult struct {
	Update    *Reply
	Ephemeral *Reply
	Status    string
}

// Outgoing is a message the bot starts itself, such as a due reminder.
type Outgoing struct {
	Platform Platform
	Tenant   TenantID
	// Channel is where to post. Empty with User set means a direct message to
	// User (the adapter opens the DM channel).
	Channel ChannelID
	User    UserID
	Reply   Reply
	// Key is the same for every attempt to deliver one occurrence, and
	// empty for anything else. An adapter whose platform can tell a
	// repeated post by such a key hands it on, so that a post retried after
	// its answer was lost (the platform may have taken it) is not posted
	// twice.
	Key string
	// Unsure is set, with Key, when an earlier attempt at Key may have
	// reached the platform without the bot learning it: its answer was
	// lost (DeliveryError.Unsure), or the instance making it stopped
	// before recording it and the claim was taken over. An adapter whose
	// platform takes no key for a post may then look for that post before
	// posting again; without Unsure it must not spend a call on looking.
	Unsure bool
	// Due is when the occurrence Key names fell due (zero without Key): no
	// attempt at it was made much before.
	Due time.Time
}

// Sent identifies a message the platform accepted.
type Sent struct {
	ID      string // platform message id (Slack ts, Discord snowflake, console counter)
	Channel ChannelID
	At      time.Time
	// Routine is set by the core's Deliver, not by adapters: the routine
	// the delivery carried, for the scheduler to record with it.
	Routine RoutineSpec
}
