package core

import (
	"context"
	"slices"
	"strconv"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/search"
)

// memory is what a follow-up needs of the question before it: its intent,
// its criteria, the page shown and the records it listed (their kinds and
// ids, for "le premier"). Nothing else of the conversation is kept.
type memory struct {
	Intent      string   `json:"intent"`
	Original    string   `json:"original"`
	Page        int      `json:"page"`
	Audiences   []string `json:"audiences,omitempty"`
	ActorTypes  []string `json:"actorTypes,omitempty"`
	Themes      []string `json:"themes,omitempty"`
	Countries   []string `json:"countries,omitempty"`
	Departments []string `json:"departments,omitempty"`
	Communes    []string `json:"communes,omitempty"`
	Programmes  []string `json:"programmes,omitempty"`
	Kinds       []string `json:"kinds,omitempty"`
	Formats     []string `json:"formats,omitempty"`
	Territories []string `json:"territories,omitempty"`
	When        *when    `json:"when,omitempty"`
	Rest        []string `json:"rest,omitempty"`
	// Items are the answer's records ("event:12"), for "le premier".
	Items []string `json:"items,omitempty"`
}

// followable are the answers a follow-up can change a criterion of: the
// lists, and the figures ("et le Pas-de-Calais ?" after the Somme's count).
func followable(intent string) bool { return listIntents[intent] || intent == IntentStats }

// listIntents are the answers a follow-up can refine or page through.
var listIntents = map[string]bool{IntentCalls: true, IntentAgenda: true, IntentProjects: true, IntentWho: true,
	IntentSupport: true, IntentSearch: true, IntentTrainings: true, IntentPublications: true}

func remember(r request, a Answer) memory {
	return memory{Intent: a.Intent, Original: r.original, Page: r.page, Audiences: r.audiences, ActorTypes: r.actorTypes,
		Themes: r.themes, Countries: r.countries, Departments: r.departments, Communes: r.communes, Programmes: r.programmes,
		Kinds: r.kinds, Formats: r.formats, Territories: r.territories, When: r.when, Rest: r.rest, Items: itemKeys(a.Items)}
}

// nextWords ask for more of the same: "et le suivant ?", "page suivante".
var nextWords = wordSet(`suivant suivante suivants suivantes suite encore autres autre continue continuer apres ensuite next plus`)

// pagingFiller are the words around them.
var pagingFiller = wordSet(`et le la les l page d des voir moi montre montrer donne donner affiche afficher en a au stp svp
	merci ok quoi y il ya qu est ce que ca on peut tu vous pouvez peux`)

// isNextPage says whether the words only ask for the next page.
func isNextPage(words []string) bool {
	next := false
	for _, w := range words {
		switch {
		case nextWords[w]:
			next = true
		case pagingFiller[w]:
		default:
			return false
		}
	}
	return next
}

// refersBack says whether a message points at the answer before it:
// "leurs projets", "là-bas", "chez eux".
func refersBack(words []string) bool {
	for i, w := range words {
		switch w {
		case "leurs", "leur", "eux", "labas":
			return true
		case "bas":
			if i > 0 && words[i-1] == "la" {
				return true
			}
		}
	}
	return false
}

// followUpStarts are the first words of a follow-up: "et pour les écoles ?".
var followUpStarts = wordSet(`et aussi pareil meme sinon plutot mais`)

// followUp reads a message in the light of the one before it: a next page,
// or the same question with some criteria changed. A message that asks
// something of its own is read on its own.
func followUp(r request, prev *memory, v vocabulary) request {
	if prev == nil || r.command || r.intent == IntentEmpty || r.intent == IntentHelp || r.scope != nil || !followable(prev.Intent) {
		return r
	}
	words := strings.Fields(r.folded)
	if isNextPage(words) {
		next := prev.request()
		next.page = max(prev.Page, 1) + 1
		next.followed = true
		return next
	}
	criteria := len(r.audiences) + len(r.actorTypes) + len(r.themes) + len(r.countries) + len(r.departments) +
		len(r.communes) + len(r.programmes) + len(r.kinds) + len(r.formats) + len(r.territories)
	if r.when != nil {
		criteria++
	}
	short := len(words) <= 7
	starts := followUpStarts[words[0]]
	if criteria == 0 && r.intent != prev.Intent && listIntents[r.intent] && (starts && len(words) <= 5 || refersBack(words) && len(words) <= 10) {
		// "et les projets là-bas ?", "c koi leurs projets la bas": another
		// list, the same criteria.
		switched := prev.request()
		switched.intent, switched.followed = r.intent, true
		switched.original = canonical(switched, v)
		return switched
	}
	if criteria == 0 || !(starts || short && !hasIntentWord(words)) {
		return r
	}
	merged := prev.request()
	merged.original = r.original
	merged.followed = true
	merged.page = 1 // another question: its first page
	replace := func(dst *[]string, src []string) {
		if len(src) > 0 {
			*dst = src
		}
	}
	// Who the asker is (an audience, an actor type) is one criterion: "et
	// pour les écoles ?" replaces the associations by the schools.
	if len(r.audiences)+len(r.actorTypes) > 0 {
		merged.audiences, merged.actorTypes = r.audiences, r.actorTypes
	}
	// Places too, each of its kind: "et au Burkina ?" after "au Sénégal"
	// changes the country; "même chose dans le Pas-de-Calais" adds where the
	// structures are to where they act.
	if len(r.countries) > 0 {
		merged.countries = r.countries
	}
	if len(r.departments)+len(r.communes) > 0 {
		merged.departments, merged.communes, merged.places = r.departments, r.communes, r.places
	}
	replace(&merged.themes, r.themes)
	replace(&merged.programmes, r.programmes)
	replace(&merged.kinds, r.kinds)
	replace(&merged.formats, r.formats)
	replace(&merged.territories, r.territories)
	if r.when != nil {
		merged.when = r.when
	}
	merged.original = canonical(merged, v)
	return merged
}

// intentCommands are the command words that ask for an intent again.
var intentCommands = map[string]string{IntentCalls: "appels", IntentAgenda: "agenda", IntentProjects: "projets",
	IntentWho: "qui", IntentSearch: "cherche", IntentTrainings: "formations", IntentPublications: "publications",
	IntentSupport: "accompagnements"}

// canonical writes a request back as a short question that reads the same:
// what "voir plus" asks again after a follow-up changed some criteria.
func canonical(r request, v vocabulary) string {
	parts := []string{intentCommands[r.intent]}
	word := func(vocab map[string]string, code string) string {
		best := ""
		for k, c := range vocab {
			if c == code && (best == "" || len(k) > len(best) || len(k) == len(best) && k < best) {
				best = k
			}
		}
		return best
	}
	for _, c := range r.audiences {
		parts = append(parts, "pour les "+word(audienceWords, c))
	}
	if len(r.audiences) == 0 {
		for _, c := range r.actorTypes {
			parts = append(parts, word(actorTypeWords, c))
		}
	}
	for _, c := range r.themes {
		parts = append(parts, word(themeWords, c))
	}
	for _, c := range r.programmes {
		parts = append(parts, word(programmeWords, c))
	}
	for _, c := range r.kinds {
		parts = append(parts, word(eventKindWords, c))
	}
	for _, c := range r.formats {
		parts = append(parts, word(formatWords, c))
	}
	for _, c := range r.territories {
		parts = append(parts, word(territoryWords, c))
	}
	if v.ref != nil {
		for _, c := range v.ref.CountriesOf(r.countries) {
			parts = append(parts, "au "+c.Name)
		}
		for _, code := range r.departments {
			if d := v.ref.Department(code); d != nil {
				parts = append(parts, "dans le "+d.Code)
			}
		}
	}
	parts = append(parts, r.communes...)
	if r.when != nil {
		parts = append(parts, r.when.Label)
	}
	if r.intent == IntentSearch {
		parts = append(parts, r.rest...)
	}
	return strings.Join(parts, " ")
}

// request rebuilds the remembered question.
func (m memory) request() request {
	return request{intent: m.Intent, original: m.Original, page: max(m.Page, 1), audiences: m.Audiences, actorTypes: m.ActorTypes,
		themes: m.Themes, countries: m.Countries, departments: m.Departments, communes: m.Communes, programmes: m.Programmes,
		kinds: m.Kinds, formats: m.Formats, territories: m.Territories, when: m.When, rest: m.Rest,
		folded: strings.Join(m.Rest, " "), args: strings.Join(m.Rest, " "), question: true}
}

// hasIntentWord says whether a word of the message points to an intent.
func hasIntentWord(words []string) bool {
	for _, w := range words {
		for _, intent := range intentOrder {
			for _, iw := range intentWords[intent] {
				if w == iw {
					return true
				}
			}
		}
	}
	return false
}

// threadKey is where a conversation is remembered: per platform, person and
// thread, so that one person's follow-up never reads another's question.
func threadKey(a Asker) string {
	if a.Thread == "" {
		return ""
	}
	return a.Platform + ":" + a.ID + ":" + a.Thread
}

// recall reads the conversation's memory; nil when there is none.
func (b *Brain) recall(ctx context.Context, a Asker) (*memory, error) {
	key := threadKey(a)
	if key == "" || b.Memory == nil {
		return nil, nil
	}
	var m memory
	ok, err := b.Memory.Recall(ctx, key, b.Clock.Now(), &m)
	if err != nil || !ok {
		return nil, err
	}
	return &m, nil
}

// keep writes the conversation's memory after an answer.
func (b *Brain) keep(ctx context.Context, a Asker, r request, ans Answer) error {
	key := threadKey(a)
	if key == "" || b.Memory == nil || !followable(ans.Intent) && ans.Intent != IntentStructure && ans.Intent != IntentOutOfScope && ans.Intent != IntentUnknown {
		return nil // an unanswered question is kept too: "transmets à l'équipe" passes it on
	}
	return b.Memory.Keep(ctx, key, b.Clock.Now(), remember(r, ans))
}

// itemKeys are the records of an answer as "kind:id".
func itemKeys(items []Item) []string {
	var out []string
	for _, it := range items {
		if _, id, ok := strings.Cut(it.ID, ":"); ok {
			out = append(out, it.Kind+":"+id)
		}
	}
	return out
}

// ordinals point at a record of the answer before: "le premier", "le 2e",
// "le dernier" (-1).
var ordinals = map[string]int{"premier": 1, "premiere": 1, "1er": 1, "1ere": 1, "deuxieme": 2, "second": 2, "seconde": 2,
	"2e": 2, "2eme": 2, "troisieme": 3, "3e": 3, "3eme": 3, "quatrieme": 4, "4e": 4, "cinquieme": 5, "5e": 5, "dernier": -1, "derniere": -1}

// ordinalFiller are the words around an ordinal that asks for a record:
// "plus d'infos sur le premier", "et le deuxième, c'est quoi ?".
var ordinalFiller = wordSet(`et le la l plus d de des infos info informations details detail sur c est quoi ca
	cest qu ce que lequel laquelle celui celle voir montre montrer donne moi stp svp merci ok dis en savoir`)

// pointedRecord is the record of the answer before that a message points
// at by its rank, or false.
func pointedRecord(words []string, prev *memory) (kind string, id int64, ok bool) {
	if prev == nil || len(prev.Items) == 0 || len(words) > 10 {
		return "", 0, false
	}
	rank := 0
	// "le prochain groupe de travail c'est quand ?" then "et le suivant ?":
	// the one after the first, where after a list "le suivant" is its next
	// page.
	asked := strings.Fields(search.Fold(prev.Original))
	oneAsked := slices.Contains(asked, "prochain") || slices.Contains(asked, "prochaine")
	for _, w := range words {
		switch n, isOrdinal := ordinals[w]; {
		case isOrdinal && rank == 0:
			rank = n
		case (w == "suivant" || w == "suivante") && oneAsked && rank == 0:
			rank = 2
		case ordinalFiller[w]:
		default:
			return "", 0, false
		}
	}
	if rank == -1 {
		rank = len(prev.Items)
	}
	if rank < 1 || rank > len(prev.Items) {
		return "", 0, false
	}
	kind, raw, _ := strings.Cut(prev.Items[rank-1], ":")
	n, err := strconv.ParseInt(raw, 10, 64)
	return kind, n, err == nil
}

// referWords point back at the record of the answer before: "les projets de
// cette structure", "ses projets", "leurs événements".
var referWords = wordSet(`cette cet ses leurs leur elle ils eux celle celui`)

// referredStructure is the structure whose card the answer before gave,
// when a message points back at it.
func referredStructure(words []string, prev *memory) (int64, bool) {
	if prev == nil || prev.Intent != IntentStructure || len(prev.Items) == 0 || !hasAny(words, referWords) {
		return 0, false
	}
	kind, raw, _ := strings.Cut(prev.Items[0], ":")
	id, err := strconv.ParseInt(raw, 10, 64)
	return id, kind == search.KindStructure && err == nil
}
