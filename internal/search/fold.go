// Package search holds the French text normalisation shared by the storage
// layer, the GraphQL API and the bots, so that "Énergie", "energie" and
// "ÉNERGIE" are the same word everywhere.
package search

import (
	"strings"
	"unicode"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"
)

// Fold lowercases s, removes its accents, turns typographic apostrophes and
// dashes into plain ones and collapses runs of spaces.
func Fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	folded, _, err := transform.String(t, s)
	if err != nil {
		folded = s
	}
	folded = strings.Map(func(r rune) rune {
		switch r {
		case '’', '‘', 'ʼ', '`', '´':
			return '\''
		case '‐', '‑', '–', '—':
			return '-'
		}
		return unicode.ToLower(r)
	}, strings.NewReplacer("œ", "oe", "Œ", "oe", "æ", "ae", "Æ", "ae").Replace(folded))
	return strings.Join(strings.Fields(folded), " ")
}
