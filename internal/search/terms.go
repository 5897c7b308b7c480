package search

import (
	"strings"
	"unicode"

	"github.com/kljensen/snowball/french"
)

// stopWords are French words that carry no meaning for a search, folded.
var stopWords = wordSet(`a au aux avec ce ces c ca cet cette d dans de des du en et est il ils
		j je l la le les leur leurs lui m ma mais me mes moi mon n ne nos notre nous on ou par pas pour qu que
		qui s sa se ses son sur t ta te tes toi ton tu un une vos votre vous y quel quels quelle quelles
		sont etre avoir fait faire plus tout tous toute toutes tres peu comment quand combien`)

func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

// elisions are the clitics glued to a word by an apostrophe: l'eau, d'accès,
// qu'il, jusqu'à.
var elisions = []string{"l'", "d'", "j'", "m'", "n'", "s'", "t'", "c'", "qu'", "jusqu'", "lorsqu'", "puisqu'"}

// Words splits a text into folded words, elisions removed, stop words kept.
func Words(text string) []string {
	folded := Fold(text)
	fields := strings.FieldsFunc(folded, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '\'' && r != '+'
	})
	words := make([]string, 0, len(fields))
	for _, f := range fields {
		for _, e := range elisions {
			if strings.HasPrefix(f, e) && len(f) > len(e) {
				f = f[len(e):]
				break
			}
		}
		f = strings.Trim(f, "'")
		if f == "+" || f == "" {
			continue
		}
		words = append(words, f)
	}
	return words
}

// Stem reduces a folded word to its French stem, so that singular and
// plural, and most inflections, meet: "jeunes" and "jeune", "énergies" and
// "énergie".
func Stem(word string) string {
	word = strings.TrimSuffix(word, "+")
	if len(word) <= 2 {
		return word
	}
	if strings.IndexFunc(word, unicode.IsDigit) >= 0 {
		return word
	}
	return french.Stem(word, true)
}

// Terms returns the search terms of a text: folded words without elisions
// and stop words, stemmed, each once, in order of appearance.
func Terms(text string) []string {
	seen := map[string]bool{}
	var terms []string
	for _, w := range Words(text) {
		if stopWords[w] {
			continue
		}
		t := Stem(w)
		if t == "" || seen[t] {
			continue
		}
		seen[t] = true
		terms = append(terms, t)
	}
	return terms
}
