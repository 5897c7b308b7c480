package core

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/charts"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// items turns search hits into answer items, one statement per kind.
func (b *Brain) items(ctx context.Context, hits []search.Hit) ([]Item, error) {
	byKind := map[string][]int64{}
	for _, h := range hits {
		byKind[h.Kind] = append(byKind[h.Kind], h.ID)
	}
	titles := map[string]map[int64]Item{}
	add := func(kind string, id int64, it Item) {
		if titles[kind] == nil {
			titles[kind] = map[int64]Item{}
		}
		it.Link = b.link(it.ID)
		titles[kind][id] = it
	}
	s := b.Services
	for kind, ids := range byKind {
		switch kind {
		case search.KindStructure:
			m, err := s.Network.Structures(ctx, ids)
			if err != nil {
				return nil, err
			}
			for id, x := range m {
				add(kind, id, Item{Kind: "structure", ID: fmt.Sprintf("Structure:%d", id), Title: x.Name, Detail: "structure"})
			}
		case search.KindFundingCall:
			m, err := s.Calls.FundingCalls(ctx, ids)
			if err != nil {
				return nil, err
			}
			for id, x := range m {
				add(kind, id, Item{Kind: "funding_call", ID: fmt.Sprintf("FundingCall:%d", id), Title: x.Title, Detail: "appel à projets"})
			}
		case search.KindEvent:
			m, err := s.Events.Events(ctx, ids)
			if err != nil {
				return nil, err
			}
			for id, x := range m {
				add(kind, id, Item{Kind: "event", ID: fmt.Sprintf("Event:%d", id), Title: x.Title, Date: x.Date.String(),
					Precision: string(x.Date.Precision), Detail: "événement"})
			}
		case search.KindProject:
			m, err := s.Projects.Projects(ctx, ids)
			if err != nil {
				return nil, err
			}
			for id, x := range m {
				add(kind, id, Item{Kind: "project", ID: fmt.Sprintf("Project:%d", id), Title: x.Title, Detail: "projet"})
			}
		case search.KindTraining:
			m, err := s.Programme.Trainings(ctx, ids)
			if err != nil {
				return nil, err
			}
			for id, x := range m {
				add(kind, id, Item{Kind: "training", ID: fmt.Sprintf("TrainingCycle:%d", id), Title: x.Title, Detail: "formation"})
			}
		case search.KindPublication:
			m, err := s.Programme.Publications(ctx, ids)
			if err != nil {
				return nil, err
			}
			for id, x := range m {
				add(kind, id, Item{Kind: "publication", ID: fmt.Sprintf("Publication:%d", id), Title: x.Title, Detail: "publication"})
			}
		case search.KindAction:
			m, err := s.Programme.Actions(ctx, ids)
			if err != nil {
				return nil, err
			}
			for id, x := range m {
				add(kind, id, Item{Kind: "programme_action", ID: fmt.Sprintf("ProgrammeAction:%d", id), Title: x.Title, Detail: "action du programme"})
			}
		case search.KindCensus:
			m, err := s.Programme.CensusCampaigns(ctx, ids)
			if err != nil {
				return nil, err
			}
			for id, x := range m {
				add(kind, id, Item{Kind: "census_campaign", ID: fmt.Sprintf("CensusCampaign:%d", id), Title: x.Title, Detail: "recensement"})
			}
		case search.KindSupport:
			m, err := s.Support.Sessions(ctx, ids) // empty below staff
			if err != nil {
				return nil, err
			}
			for id, x := range m {
				add(kind, id, Item{Kind: "support_session", ID: fmt.Sprintf("SupportSession:%d", id), Title: x.Subject,
					Date: x.Date.String(), Precision: string(x.Date.Precision), Detail: "accompagnement"})
			}
		}
	}
	var out []Item
	for _, h := range hits {
		if it, ok := titles[h.Kind][h.ID]; ok {
			out = append(out, it)
		}
	}
	return out, nil
}

// stats answers count questions with the live count and, where the latest
// published snapshot has one, its figure and date.
func (b *Brain) stats(ctx context.Context, r request, v vocabulary) (Answer, error) {
	obs := b.Services.Observatory
	snaps, err := obs.Snapshots(ctx)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Intent: IntentStats, Title: "Les chiffres du réseau"}
	snapLabel := ""
	if len(snaps) > 0 {
		snapLabel = fmt.Sprintf("le recensement %s (%s)", snaps[0].TakenOn[:4], strings.TrimSpace(snaps[0].Label))
	}
	words := map[string]bool{}
	for _, w := range strings.Fields(r.folded) {
		words[w] = true
	}
	// "combien de comités de jumelage ?": a noun of a type the question names
	// is counted, as the type's structures.
	if noun := countedNoun(strings.Fields(r.folded)); noun != "" && !countable(noun) && len(r.actorTypes)+len(r.audiences) == 0 {
		return b.outOfScope(ctx, topic{dont: "combien de " + noun + " : ce chiffre n'est pas dans mes données",
			can: "Je compte les structures (par département ou par type), les appels ouverts, les projets et les accompagnements."}, v)
	}
	switch {
	case len(r.departments) == 0 && (containsPhrase(r.folded, "representes") || containsPhrase(r.folded, "represente") || containsPhrase(r.folded, "representation")):
		// The representation index: a department's share of the region's
		// structures over its share of the region's population.
		a.Title = "Représentation des départements"
		a.Chart = charts.Departments
		if len(snaps) == 0 {
			a.Lines = append(a.Lines, "Aucun recensement publié : je ne connais pas encore la part de chaque département.")
			break
		}
		var under, over []string
		for _, c := range snaps[0].DepartmentCounts {
			d := v.ref.Department(c.Department)
			if d == nil || c.PopulationShare == 0 {
				continue
			}
			index := float64(c.StructureShare) / float64(c.PopulationShare)
			a.Lines = append(a.Lines, fmt.Sprintf("%s : %d %% des structures pour %d %% de la population, indice %s.", d.Name, c.StructureShare, c.PopulationShare, frenchDecimal(index)))
			if index < 1 {
				under = append(under, fmt.Sprintf("%s (%s)", d.Name, frenchDecimal(index)))
			} else if index > 1 {
				over = append(over, fmt.Sprintf("%s (%s)", d.Name, frenchDecimal(index)))
			}
		}
		// The published order is the departments'; the summary goes from
		// the least to the most represented.
		sortByIndex(under)
		sortByIndex(over)
		summary := []string{}
		if len(over) > 0 {
			summary = append(summary, "Sur-représentés (indice supérieur à 1) : "+strings.Join(over, ", ")+", selon "+snapLabel+".")
		}
		if len(under) > 0 {
			summary = append(summary, "Sous-représentés (indice inférieur à 1) : "+strings.Join(under, ", ")+", selon "+snapLabel+".")
		}
		a.Lines = append(summary, a.Lines...)
	case len(r.departments) > 0:
		counts, err := obs.InDepartments(ctx, r.departments)
		if err != nil {
			return Answer{}, err
		}
		for _, code := range r.departments {
			d := v.ref.Department(code)
			if d == nil {
				continue
			}
			a.Title = fmt.Sprintf("Structures du département %s (%s)", d.Name, d.Code)
			a.Chart = charts.Departments
			a.Lines = append(a.Lines, fmt.Sprintf("Aujourd'hui, la base compte %d structure(s) dans le département %s.", counts[code], d.Name))
			if len(snaps) > 0 {
				for _, c := range snaps[0].DepartmentCounts {
					if c.Department == code {
						a.Lines = append(a.Lines, fmt.Sprintf("%s compte %d structures dans le département %s, soit %d %% des structures de la région pour %d %% de sa population.",
							capitalise(snapLabel), c.Count, d.Name, c.StructureShare, c.PopulationShare))
						if c.PopulationShare > 0 {
							a.Lines = append(a.Lines, fmt.Sprintf("Indice de représentation : %s (part des structures sur part de la population).",
								frenchDecimal(float64(c.StructureShare)/float64(c.PopulationShare))))
						}
					}
				}
			}
		}
	case len(r.actorTypes) > 0 || len(r.audiences) > 0:
		types := r.actorTypes
		if len(types) == 0 {
			for _, au := range v.ref.AudiencesOf(r.audiences) {
				types = append(types, au.ActorTypes...)
			}
		}
		counts, err := obs.ByActorType(ctx)
		if err != nil {
			return Answer{}, err
		}
		total, published := 0, 0
		var names []string
		for _, code := range uniq(types) {
			t := v.ref.ActorType(code)
			if t == nil {
				continue
			}
			names = append(names, t.Name)
			total += counts[code]
			if len(snaps) > 0 {
				for _, c := range snaps[0].TypeCounts {
					if c.ActorType == code {
						published += c.Count
					}
				}
			}
		}
		label := "de type " + strings.ToLower(strings.Join(names, ", "))
		if len(r.actorTypes) == 0 {
			var audiences []string
			for _, au := range v.ref.AudiencesOf(r.audiences) {
				audiences = append(audiences, strings.ToLower(au.Name))
			}
			label = "parmi les " + strings.Join(audiences, ", ")
		}
		a.Title = "Structures " + label
		a.Chart = charts.ActorTypes
		a.Lines = append(a.Lines, fmt.Sprintf("Aujourd'hui, la base compte %d structure(s) %s.", total, label))
		if len(snaps) > 0 && published > 0 {
			a.Lines = append(a.Lines, fmt.Sprintf("%s compte %d structures %s en Hauts-de-France.", capitalise(snapLabel), published, label))
		}
	case words["appel"] || words["appels"]:
		p, err := b.Services.Calls.List(ctx, fundingcall.Filter{OpenOn: b.today()}, listing.Order{}, listing.Args{First: ptr(1)})
		if err != nil {
			return Answer{}, err
		}
		a.Title = "Appels à projets"
		a.Lines = append(a.Lines, fmt.Sprintf("%d appel(s) à projets ouvert(s) aujourd'hui.", p.Info.Total))
	default:
		t := v.totals
		a.Chart = charts.Departments
		a.Lines = append(a.Lines,
			fmt.Sprintf("Aujourd'hui, la base compte %d structures (%d en Hauts-de-France), %d projets et %d accompagnements de %d structures.",
				t.Structures, t.StructuresInRegion, t.Projects, t.SupportSessions, t.SupportedStructures))
		if len(snaps) > 0 {
			s := snaps[0]
			line := capitalise(snapLabel) + " compte"
			if s.StructuresTotal != nil {
				line += fmt.Sprintf(" %d structures", *s.StructuresTotal)
				if s.StructuresRegion != nil {
					line += fmt.Sprintf(" dont %d en Hauts-de-France", *s.StructuresRegion)
				}
			}
			if s.Contacts != nil {
				line += fmt.Sprintf(", %d contacts", *s.Contacts)
			}
			if s.Projects != nil {
				line += fmt.Sprintf(" et %d projets", *s.Projects)
			}
			a.Lines = append(a.Lines, line+".")
			if s.SupportStructures != nil && s.SupportHours != nil {
				a.Lines = append(a.Lines, fmt.Sprintf("Au %s, les accompagnements touchaient %d structures, soit %d heures.",
					frenchDate(string(s.SupportAsOf)), *s.SupportStructures, *s.SupportHours))
			}
		}
	}
	a.Items = []Item{}
	return a, nil
}

// countedNoun is what "combien de …" counts, or "".
func countedNoun(words []string) string {
	for i, w := range words {
		if w != "combien" && w != "nombre" {
			continue
		}
		for _, next := range words[i+1:] {
			if next != "de" && next != "d" && next != "des" && next != "du" && next != "y" && next != "a" && next != "il" && next != "t" {
				return next
			}
		}
	}
	return ""
}

// countable are the nouns the bot has counts of.
func countable(noun string) bool {
	if _, ok := audienceWords[noun]; ok {
		return true
	}
	if _, ok := actorTypeWords[noun]; ok {
		return true
	}
	return wordSet(`structure structures acteurs acteur membres membre organisations organisation appel appels aap
		accompagnement accompagnements heures projet projets contacts contact osim jumelages jumelage assos asso
		associations association collectivites structures-jeunesse structures jeunesse locales est sont font fait
		coute coutent dans en au le la les sur pour par chaque recensees recenses recensee recense referencees referencees
		referencee reference inscrites inscrits`)[noun]
}

// sortByIndex orders "Oise (0,64)" entries by their index, the most extreme
// first: highest first above 1, lowest first below.
func sortByIndex(entries []string) {
	index := func(e string) string { return e[strings.LastIndex(e, "(")+1 : len(e)-1] }
	sort.SliceStable(entries, func(i, j int) bool {
		a, b := index(entries[i]), index(entries[j])
		if strings.HasPrefix(a, "0") && strings.HasPrefix(b, "0") {
			return a < b
		}
		return a > b
	})
}

// frenchDecimal writes a ratio with two decimals and a comma: 1,26.
func frenchDecimal(x float64) string {
	return strings.Replace(fmt.Sprintf("%.2f", x), ".", ",", 1)
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func frenchDate(iso string) string {
	if len(iso) != 10 {
		return iso
	}
	var y, m, d int
	if _, err := fmt.Sscanf(iso, "%d-%d-%d", &y, &m, &d); err != nil || m < 1 || m > 12 {
		return iso
	}
	months := []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"}
	return fmt.Sprintf("%d %s %d", d, months[m-1], y)
}
