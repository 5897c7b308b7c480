package core

import (
	"context"
	"errors"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/announce"
)

// When a message reads two ways as well as one ("formations ou webinaires
// sur l'eau ?"), the bot asks which was meant, with a button for each,
// rather than guess; and when it cannot help, it can pass the question on
// to the staff ("je transmets à l'équipe").

// Intents the bot asks about when a message names two of them.
const (
	IntentClarifyKind = IntentClarify
)

// listNouns are the words that name a list outright, per intent; "projets"
// in "appel à projets" or "porteur de projet" names no list.
var listNouns = map[string]map[string]bool{
	IntentCalls:        wordSet(`appel appels aap ami financement financements subvention subventions`),
	IntentAgenda:       wordSet(`agenda webinaire webinaires evenement evenements rencontre rencontres atelier ateliers reunion reunions forum forums seminaire seminaires`),
	IntentTrainings:    wordSet(`formation formations module modules`),
	IntentPublications: wordSet(`publication publications revue revues barometre barometres rapport rapports brochure brochures`),
	IntentProjects:     wordSet(`projet projets`),
}

// intentLabels name the lists on the buttons.
var intentLabels = map[string]string{IntentCalls: "Les appels à projets", IntentAgenda: "L'agenda",
	IntentTrainings: "Les formations", IntentPublications: "Les publications", IntentProjects: "Les projets"}

// coordination are the words that join two lists asked together.
var coordination = wordSet(`ou et les des le la l plutot voire ainsi que aussi`)

// readings finds two lists named side by side ("formations ou webinaires",
// "appels et formations"): the message asks for either, and nothing says
// which. A list named after "sur", "de", "pour"… is what the first is
// about ("webinaire sur les appels à projets"), not a second reading.
func readings(words []string) []string {
	intentAt := func(i int) string {
		w := words[i]
		for intent, nouns := range listNouns {
			if !nouns[w] {
				continue
			}
			if intent == IntentProjects && i > 0 && (words[i-1] == "a" || words[i-1] == "de" || words[i-1] == "du" ||
				words[i-1] == "mon" || words[i-1] == "notre" || words[i-1] == "son" || words[i-1] == "leur" || words[i-1] == "un") {
				return ""
			}
			return intent
		}
		return ""
	}
	for i := range words {
		first := intentAt(i)
		if first == "" {
			continue
		}
		for j := i + 1; j < len(words); j++ {
			if second := intentAt(j); second != "" {
				if second != first {
					return []string{first, second}
				}
				break
			}
			if !coordination[words[j]] {
				break
			}
		}
	}
	return nil
}

// clarify asks which of two readings was meant, a button for each.
func clarify(r request, v vocabulary) Answer {
	a := Answer{Intent: IntentClarify, Title: "Vous cherchez plutôt… ?",
		Lines: []string{"Votre question se lit de deux façons : choisissez, je vous réponds aussitôt."}}
	for _, intent := range r.readings {
		one := r
		one.intent = intent
		if intent != IntentAgenda {
			one.kinds, one.formats = nil, nil // "webinaires" is the other reading's
		}
		a.Actions = append(a.Actions, Action{Label: intentLabels[intent], Command: canonical(one, v)})
	}
	return a
}

// handoffPhrases ask for a person.
var handoffPhrases = []string{"parler a quelqu un", "parler a une personne", "parler a un humain", "un humain",
	"une vraie personne", "quelqu un de l equipe", "transmets", "transmettez", "transmettre", "faire suivre",
	"passer ma question", "parler a l equipe", "parler a un conseiller", "parler a une conseillere"}

// asksForHandoff says whether a message asks to be passed to the staff.
func asksForHandoff(folded string) bool {
	for _, p := range handoffPhrases {
		if containsPhrase(folded, p) {
			return true
		}
	}
	return false
}

// handoffCommand starts the command a "transmettre" button sends.
const handoffCommand = "transmettre :"

// handoff passes the question to the staff's channel: the one written
// after "transmettre :", or the one asked before in the conversation.
func (b *Brain) handoff(ctx context.Context, asker Asker, text string, prev *memory, v vocabulary) (Answer, error) {
	question := ""
	if _, after, ok := strings.Cut(text, ":"); ok && strings.HasPrefix(strings.ToLower(strings.TrimSpace(text)), "transmettre") {
		question = strings.TrimSpace(after)
	}
	if question == "" && prev != nil {
		question = prev.Original
	}
	if question == "" {
		return Answer{Intent: IntentHandoff, Title: "Quelle question dois-je transmettre à l'équipe ?",
			Lines: []string{"Écrivez « transmettre : » suivi de votre question.", v.contactLine}}, nil
	}
	if b.Handoff == nil {
		return Answer{Intent: IntentHandoff, Title: "Je ne peux pas transmettre votre question d'ici.",
			Lines: []string{v.contactLine}}, nil
	}
	name := asker.Name
	if name == "" {
		name = asker.ID
	}
	where := asker.Platform + ", salon " + asker.Channel
	if asker.Direct {
		where = asker.Platform + ", message direct"
	}
	if asker.Link != "" {
		where += ", " + asker.Link
	}
	if _, err := b.Services.Announce.Handoff(ctx, *b.Handoff, question, name, where); err != nil {
		if errors.Is(err, announce.ErrEmpty) {
			return Answer{Intent: IntentHandoff, Title: "Quelle question dois-je transmettre à l'équipe ?"}, nil
		}
		return Answer{}, err
	}
	return Answer{Intent: IntentHandoff, Title: "C'est transmis à l'équipe de Lianes coopération.",
		Lines: []string{"« " + question + " »", "Quelqu'un de l'équipe vous répond ici dès que possible."}}, nil
}
