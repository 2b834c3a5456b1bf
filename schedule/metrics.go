package schedule

import "time"

// Metrics hears what the engine does, for monitoring. The engine calls it
// from many goroutines at once. Package schedule/prommetrics records it as
// Prometheus series; the engine itself links no metrics library, so neither
// do the stores that implement Store.
type Metrics interface {
	// Scheduled: an occurrence was claimed for delivery.
	Scheduled()
	// Delivered: an occurrence reached its platform lateness after its
	// time; late is set when it counts as late (missed while down, or
	// retried).
	Delivered(lateness time.Duration, late bool)
	// Skipped: a run was missed beyond the catch-up window or fell inside a
	// pause.
	Skipped()
	// Failed: a delivery failed permanently and its schedule was paused.
	Failed()
	// Retried: a delivery failed transiently and was rescheduled.
	Retried()
	// ClaimLost: another instance, or a user's change, took a run first.
	ClaimLost()
	// Window: the in-memory window now holds n items.
	Window(n int)
}

// noMetrics is the engine's Metrics until WithMetrics sets one.
type noMetrics struct{}

func (noMetrics) Scheduled()                    {}
func (noMetrics) Delivered(time.Duration, bool) {}
func (noMetrics) Skipped()                      {}
func (noMetrics) Failed()                       {}
func (noMetrics) Retried()                      {}
func (noMetrics) ClaimLost()                    {}
func (noMetrics) Window(int)                    {}
