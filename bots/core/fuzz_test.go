package core

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzUnderstand feeds the parser anything: it must never panic, always name
// an intent, and never keep a mention or markup in what it reads.
func FuzzUnderstand(f *testing.F) {
	for _, seed := range []string{
		"Quels appels à projets pour les assos sur l'eau ?", "c'est quand le prochain webinaire erasmus",
		"qui travaille au Mali ?", "combien de structures dans l'Oise ?", "agenda page 3", "@everyone",
		"<!channel> <@U1> **x**", "en mars 2021", "le 31 février", "avant l'été", "\x00", strings.Repeat("é", 300),
		"stats 59", "structure St Omer", "appels (page 999)",
	} {
		f.Add(seed)
	}
	intents := map[string]bool{}
	for _, i := range []string{IntentHelp, IntentCalls, IntentAgenda, IntentSearch, IntentStructure, IntentProjects,
		IntentWho, IntentTrainings, IntentPublications, IntentStats, IntentContact, IntentEmpty} {
		intents[i] = true
	}
	f.Fuzz(func(t *testing.T, text string) {
		if !utf8.ValidString(text) || len(text) > 4*maxMessage {
			return
		}
		r := understand(text, "2021-01-04", vocabulary{communes: map[string]string{}})
		if !intents[r.intent] {
			t.Fatalf("intent %q for %q", r.intent, text)
		}
		for _, bad := range []string{"@everyone", "@here", "<!", "<@", "<script"} {
			if strings.Contains(r.original, bad) || strings.Contains(r.folded, bad) {
				t.Fatalf("%q kept in %q", bad, r.original)
			}
		}
		if r.page < 1 {
			t.Fatalf("page %d", r.page)
		}
		if r.when != nil && r.when.To < r.when.From {
			t.Fatalf("dates %v for %q", r.when, text)
		}
	})
}
