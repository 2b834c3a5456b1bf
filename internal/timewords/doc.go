// Package timewords is stretchbot's one vocabulary of English time words:
// units and lengths of time ("2 weeks", "1h30m"), lists ("a, b and c"),
// days of the week, months and ordinals. The bot's commands and the <when>
// grammar (package schedule/when) both read and write time through it, so
// whatever one of them accepts, the other accepts too.
//
// Reading works on tokens: Tokens splits text the way every reader here
// expects (lower case, commas apart, any script's digits as 0-9), ReadPart
// reads one amount of one unit at a token, Read reads a whole length
// ("1 hour and 30 minutes") and reports where it ended, and ParseDuration
// is Read over a whole string. Amounts are read in one place (readAmount),
// which is where number words and fractions belong.
//
// The package imports only the standard library, so package bot may use it.
package timewords
