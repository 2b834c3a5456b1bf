// Package schedule runs reminders exactly once: Engine keeps the runs due
// soon in memory, claims each in the Store before delivering it through a
// Deliverer, and retries or pauses on failure. Rules come from a
// bot.RuleParser (package schedule/when reads <when> expressions), so the
// store drivers that implement Store do not link the grammar.
package schedule
