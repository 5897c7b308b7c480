// Package core is the bots' brain: a message in French, the person who asks
// (with their role) and the clock give an answer, whatever the chat platform.
// It reads through the same domain services and access rules as the GraphQL
// API; Slack, Discord and `lianes ask` only render its answers.
package core

import (
	"fmt"
	"strings"
)

// Intents the brain recognises.
const (
	IntentHelp         = "aide"
	IntentCalls        = "appels"
	IntentAgenda       = "agenda"
	IntentSearch       = "cherche"
	IntentStructure    = "structure"
	IntentProjects     = "projets"
	IntentWho          = "qui"
	IntentTrainings    = "formations"
	IntentPublications = "publications"
	IntentStats        = "stats"
	IntentContact      = "contact"
	IntentUnknown      = "inconnu"
	IntentEmpty        = "vide"
	IntentTooLong      = "trop_long"
	IntentSupport      = "accompagnements"
	IntentContacts     = "contacts"
	IntentClarify      = "precision"
	IntentHandoff      = "transmis"
)

// Item is one record of an answer.
type Item struct {
	Kind      string `json:"kind"`
	ID        string `json:"id"`
	Title     string `json:"title"`
	Date      string `json:"date,omitempty"`
	Precision string `json:"precision,omitempty"`
	Detail    string `json:"detail,omitempty"`
	Link      string `json:"link,omitempty"`
}

// Action is a follow-up the person can take, such as "voir plus".
type Action struct {
	Label   string `json:"label"`
	Command string `json:"command"`
}

// Answer is what the brain says. Platforms render it; none of its text is
// markup, and none of it can mention anyone.
type Answer struct {
	Intent  string   `json:"intent"`
	Title   string   `json:"title"`
	Lines   []string `json:"lines,omitempty"`
	Items   []Item   `json:"items"`
	Total   int      `json:"total"`
	Actions []Action `json:"actions,omitempty"`
	// Understood lists the criteria read in the question ("public :
	// associations"), Relaxed the ones let go to find an answer, Ignored the
	// words read as chat: the answer explains itself.
	Understood []string `json:"understood,omitempty"`
	Relaxed    []string `json:"relaxed,omitempty"`
	Ignored    []string `json:"ignored,omitempty"`
	// Chart names the observatory's chart that goes with the answer
	// (internal/charts: "departements", "types"...), for the platforms that
	// can show a picture; "" for none.
	Chart string `json:"chart,omitempty"`
}

// Text renders the answer as plain text, for a terminal.
func (a Answer) Text() string {
	var b strings.Builder
	b.WriteString(a.Title)
	b.WriteString("\n")
	for _, l := range a.Lines {
		b.WriteString(l)
		b.WriteString("\n")
	}
	for _, it := range a.Items {
		b.WriteString("• ")
		if it.Date != "" {
			b.WriteString(it.Date)
			b.WriteString(" — ")
		}
		b.WriteString(it.Title)
		if it.Detail != "" {
			fmt.Fprintf(&b, " (%s)", it.Detail)
		}
		if it.Link != "" {
			b.WriteString("\n  ")
			b.WriteString(it.Link)
		}
		b.WriteString("\n")
	}
	if a.Total > len(a.Items) {
		fmt.Fprintf(&b, "… et %d autre(s).\n", a.Total-len(a.Items))
	}
	for _, act := range a.Actions {
		fmt.Fprintf(&b, "→ %s : « %s »\n", act.Label, act.Command)
	}
	return b.String()
}
