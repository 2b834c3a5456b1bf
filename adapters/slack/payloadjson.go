package slack

import (
	"encoding/json"
	"strconv"

	"github.com/slack-go/slack"

	"github.com/stretchbot/stretchbot/adapters/internal/respond"
)

// An answer's JSON written by hand. json.Marshal reaches every block
// through reflection, and the library's own MarshalJSON methods for a
// block's elements each marshal again and have their output re-checked:
// for a break's card that was about a third of the request's CPU. The
// writers below know the blocks render builds and write exactly the bytes
// json.Marshal would (a differential test and fuzz target compare them);
// a block or field they do not know sends the whole answer back to
// json.Marshal.

// AppendJSON appends the payload's JSON; see respond.Appender.
func (p responsePayload) AppendJSON(dst []byte) ([]byte, bool) {
	dst = append(dst, '{')
	first := true
	if p.ResponseType != "" {
		dst = respond.AppendField(dst, first, "response_type", p.ResponseType)
		first = false
	}
	dst = respond.AppendField(dst, first, "text", p.Text)
	if p.Blocks != nil {
		blocks, ok := p.Blocks.([]slack.Block)
		if !ok {
			return dst, false
		}
		// A nil slice in Blocks is not omitted: it is written as null.
		dst = append(dst, `,"blocks":`...)
		if blocks == nil {
			dst = append(dst, "null"...)
		} else if dst, ok = appendBlocks(dst, blocks); !ok {
			return dst, false
		}
	}
	if p.ReplaceOriginal != nil {
		dst = append(dst, `,"replace_original":`...)
		dst = strconv.AppendBool(dst, *p.ReplaceOriginal)
	}
	return append(dst, '}'), true
}

// MarshalJSON writes the payload for json.Marshal and the library's
// clients alike.
func (p responsePayload) MarshalJSON() ([]byte, error) {
	if b, ok := p.AppendJSON(nil); ok {
		return b, nil
	}
	type plain responsePayload // without this method
	return json.Marshal(plain(p))
}

func appendBlocks(dst []byte, blocks []slack.Block) ([]byte, bool) {
	return appendList(dst, blocks, appendBlock)
}

// appendList appends elems as a JSON array (null if nil), each written by
// each, unless one is not known.
func appendList[E any](dst []byte, elems []E, each func([]byte, E) ([]byte, bool)) ([]byte, bool) {
	if elems == nil {
		return append(dst, "null"...), true
	}
	dst = append(dst, '[')
	for i, e := range elems {
		if i > 0 {
			dst = append(dst, ',')
		}
		var ok bool
		if dst, ok = each(dst, e); !ok {
			return dst, false
		}
	}
	return append(dst, ']'), true
}

// openBlock opens a block with the fields every kind starts with, in the
// order of their structs: type, text (section and header), block_id.
func openBlock(dst []byte, t slack.MessageBlockType, text *slack.TextBlockObject, id string) []byte {
	dst = respond.AppendField(append(dst, '{'), true, "type", string(t))
	if text != nil {
		dst = appendText(append(dst, `,"text":`...), text)
	}
	if id != "" {
		dst = respond.AppendField(dst, false, "block_id", id)
	}
	return dst
}

func appendBlock(dst []byte, b slack.Block) ([]byte, bool) {
	ok := true
	switch b := b.(type) {
	case *slack.SectionBlock:
		if b == nil || len(b.Fields) > 0 {
			return dst, false
		}
		dst = openBlock(dst, b.Type, b.Text, b.BlockID)
		if b.Accessory != nil {
			btn := b.Accessory.ButtonElement
			if btn == nil || *b.Accessory != (slack.Accessory{ButtonElement: btn}) {
				return dst, false
			}
			dst, ok = appendButton(append(dst, `,"accessory":`...), btn)
		}
		if b.Expand {
			dst = append(dst, `,"expand":true`...)
		}
	case *slack.HeaderBlock:
		if b == nil {
			return dst, false
		}
		dst = openBlock(dst, b.Type, b.Text, b.BlockID)
		if b.Level != 0 {
			dst = strconv.AppendInt(append(dst, `,"level":`...), int64(b.Level), 10)
		}
	case *slack.ContextBlock:
		if b == nil {
			return dst, false
		}
		dst = openBlock(dst, b.Type, nil, b.BlockID)
		dst, ok = appendList(append(dst, `,"elements":`...), b.ContextElements.Elements, func(dst []byte, e slack.MixedElement) ([]byte, bool) {
			t, isText := e.(*slack.TextBlockObject)
			if !isText || t == nil {
				return dst, false
			}
			return appendText(dst, t), true
		})
	case *slack.ActionBlock:
		if b == nil {
			return dst, false
		}
		dst = openBlock(dst, b.Type, nil, b.BlockID)
		var elems []slack.BlockElement
		if b.Elements != nil {
			elems = b.Elements.ElementSet
		}
		dst, ok = appendList(append(dst, `,"elements":`...), elems, func(dst []byte, e slack.BlockElement) ([]byte, bool) {
			btn, isButton := e.(*slack.ButtonBlockElement)
			if !isButton || btn == nil {
				return dst, false
			}
			return appendButton(dst, btn)
		})
	case *slack.DividerBlock:
		if b == nil {
			return dst, false
		}
		dst = openBlock(dst, b.Type, nil, b.BlockID)
	default:
		return dst, false
	}
	if !ok {
		return dst, false
	}
	return append(dst, '}'), true
}

// appendText appends a text object, which has no MarshalJSON of its own.
func appendText(dst []byte, t *slack.TextBlockObject) []byte {
	dst = respond.AppendField(append(dst, '{'), true, "type", t.Type)
	dst = respond.AppendField(dst, false, "text", t.Text)
	if t.Emoji != nil {
		dst = strconv.AppendBool(append(dst, `,"emoji":`...), *t.Emoji)
	}
	if t.Verbatim {
		dst = append(dst, `,"verbatim":true`...)
	}
	return append(dst, '}')
}

// appendButton appends a button with the fields render sets; any other
// field set sends the answer back to json.Marshal.
func appendButton(dst []byte, b *slack.ButtonBlockElement) ([]byte, bool) {
	if b.Confirm != nil || b.AccessibilityLabel != "" || b.AgentPrompt != "" || b.AgentPromptDisplay != "" || len(b.VisibleToUserIDs) > 0 {
		return dst, false
	}
	dst = append(dst, '{')
	first := true
	if b.Type != "" {
		dst = respond.AppendField(dst, first, "type", string(b.Type))
		first = false
	}
	if !first {
		dst = append(dst, ',')
	}
	dst = append(dst, `"text":`...)
	if b.Text == nil {
		dst = append(dst, "null"...)
	} else {
		dst = appendText(dst, b.Text)
	}
	for _, f := range [...]struct{ name, value string }{
		{"action_id", b.ActionID}, {"url", b.URL}, {"value", b.Value}, {"style", string(b.Style)},
	} {
		if f.value != "" {
			dst = respond.AppendField(dst, false, f.name, f.value)
		}
	}
	return append(dst, '}'), true
}
