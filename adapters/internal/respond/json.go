package respond

import (
	"bytes"
	"encoding/json"
	"sync"
	"unicode/utf8"
)

// buffers holds the buffers answers are encoded into: an answer is written
// as soon as it is encoded, and its buffer serves the next one.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooled is the largest buffer kept for reuse; a rare huge answer's
// buffer is left to the collector.
const maxPooled = 64 << 10

// Appender is a value that writes its own JSON, the bytes json.Marshal
// would write, without reflection. ok is false when the value holds
// something it does not know how to write; json.Marshal writes it then.
type Appender interface {
	AppendJSON(dst []byte) (out []byte, ok bool)
}

// EncodeJSON encodes v into a pooled buffer: the bytes of json.Marshal
// followed by a newline. Give the buffer back with Release once its
// bytes are written; on error it holds nothing of use.
func EncodeJSON(v any) (*bytes.Buffer, error) {
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	if a, ok := v.(Appender); ok {
		if b, ok := a.AppendJSON(buf.AvailableBuffer()); ok {
			buf.Write(b)
			buf.WriteByte('\n')
			return buf, nil
		}
	}
	err := json.NewEncoder(buf).Encode(v)
	return buf, err
}

// AppendString appends s as a JSON string exactly as json.Marshal writes
// it: <, > and & escaped for HTML, invalid UTF-8 as U+FFFD, and U+2028
// and U+2029 escaped.
func AppendString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		if b := s[i]; b < utf8.RuneSelf {
			if b >= 0x20 && b != '"' && b != '\\' && b != '<' && b != '>' && b != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch b {
			case '\\', '"':
				dst = append(dst, '\\', b)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[b>>4], hex[b&0xF])
			}
			i++
			start = i
			continue
		}
		c, size := utf8.DecodeRuneInString(s[i:])
		if c == utf8.RuneError && size == 1 {
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if c == '\u2028' || c == '\u2029' {
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[c&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// AppendField appends `,"name":` (without the comma if first) and s as a
// JSON string.
func AppendField(dst []byte, first bool, name, s string) []byte {
	if !first {
		dst = append(dst, ',')
	}
	dst = append(dst, '"')
	dst = append(dst, name...)
	dst = append(dst, '"', ':')
	return AppendString(dst, s)
}

// Release returns a buffer from EncodeJSON to the pool; its bytes must no
// longer be used.
func Release(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooled {
		buffers.Put(buf)
	}
}
