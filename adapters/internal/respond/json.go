package respond

import (
	"bytes"
	"encoding/json"
	"sync"
)

// buffers holds the buffers answers are encoded into: an answer is written
// as soon as it is encoded, and its buffer serves the next one.
var buffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooled is the largest buffer kept for reuse; a rare huge answer's
// buffer is left to the collector.
const maxPooled = 64 << 10

// EncodeJSON encodes v into a pooled buffer: the bytes of json.Marshal
// followed by a newline. Give the buffer back with Release once its
// bytes are written; on error it holds nothing of use.
func EncodeJSON(v any) (*bytes.Buffer, error) {
	buf := buffers.Get().(*bytes.Buffer)
	buf.Reset()
	err := json.NewEncoder(buf).Encode(v)
	return buf, err
}

// Release returns a buffer from EncodeJSON to the pool; its bytes must no
// longer be used.
func Release(buf *bytes.Buffer) {
	if buf.Cap() <= maxPooled {
		buffers.Put(buf)
	}
}
