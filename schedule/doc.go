// Package schedule runs reminders exactly once: Engine keeps the runs due
// soon in memory, claims each in the Store before delivering it through a
// Deliverer, and retries or pauses on failure. Rules come from a
// bot.RuleParser (package schedule/when reads <when> expressions) and what
// the engine does goes to a Metrics (package schedule/prommetrics records it
// for Prometheus). The package links neither the grammar nor a metrics
// library, so the store drivers that implement Store stay free of both.
package schedule
