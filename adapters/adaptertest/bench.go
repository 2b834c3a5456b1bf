package adaptertest

import (
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// BenchWriter is a ResponseWriter that keeps only the status and the
// number of bytes written, so a benchmark measures the handler rather than
// a recorder.
type BenchWriter struct {
	H      http.Header
	Status int
	N      int
}

// NewBenchWriter returns a BenchWriter with an empty header.
func NewBenchWriter() *BenchWriter { return &BenchWriter{H: http.Header{}} }

func (w *BenchWriter) Header() http.Header { return w.H }
func (w *BenchWriter) WriteHeader(s int)   { w.Status = s }
func (w *BenchWriter) Write(p []byte) (int, error) {
	if w.Status == 0 {
		w.Status = http.StatusOK
	}
	w.N += len(p)
	return len(p), nil
}

// BenchServe sends each of reqs (at least b.N of them) through h once,
// from parallel goroutines, fails on any status but 200, and reports the
// 99th percentile of one request's time as p99-ns.
func BenchServe(b *testing.B, h http.Handler, reqs []*http.Request) {
	b.Helper()
	var next atomic.Int64
	var mu sync.Mutex
	var all []time.Duration
	b.ReportAllocs()
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		lat := make([]time.Duration, 0, 1024)
		w := NewBenchWriter()
		for pb.Next() {
			r := reqs[next.Add(1)-1]
			clear(w.H)
			w.Status = 0
			start := time.Now()
			h.ServeHTTP(w, r)
			lat = append(lat, time.Since(start))
			if w.Status != http.StatusOK {
				b.Errorf("status %d", w.Status)
				return
			}
		}
		mu.Lock()
		all = append(all, lat...)
		mu.Unlock()
	})
	b.StopTimer()
	if len(all) > 0 {
		slices.Sort(all)
		b.ReportMetric(float64(all[len(all)*99/100]), "p99-ns")
	}
}
