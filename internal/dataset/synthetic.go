package dataset

import (
	"context"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/support"
)

// Word lists of the synthetic network: plausible, deterministic, and
// obviously not real.
var (
	synthPrefixes = []string{"Association", "Collectif", "Comité de jumelage", "Maison", "Fondation", "Lycée", "Ville de",
		"Université", "Coopérative", "Centre social", "ONG", "Amicale", "Réseau", "Institut", "Club"}
	synthWords = []string{"Solidarité", "Horizons", "Partage", "Avenir", "Terre", "Soleil", "Lumière", "Racines", "Ponts",
		"Échanges", "Sahel", "Baobab", "Savane", "Océan", "Fleuve", "Citoyens", "Jeunesse", "Énergie", "Eau vive", "Semences"}
	synthPlaces = []string{"Lille", "Amiens", "Arras", "Beauvais", "Laon", "Roubaix", "Tourcoing", "Dunkerque", "Calais",
		"Boulogne", "Saint-Quentin", "Compiègne", "Abbeville", "Lens", "Douai", "Valenciennes", "Cambrai", "Soissons"}
	synthFirstNames = []string{"Awa", "Camille", "Mamadou", "Léa", "Karim", "Sophie", "Jean", "Fatou", "Hugo", "Inès"}
	synthLastNames  = []string{"Diallo", "Martin", "Lefebvre", "Traoré", "Dubois", "Nguyen", "Petit", "Camara", "Roux"}
	synthRoles      = []string{"présidente", "trésorier", "chargée de mission", "directeur", "bénévole"}
	synthTopics     = []string{"forage", "électrification", "bibliothèque", "jardin partagé", "formation", "échange de jeunes",
		"assainissement", "maraîchage", "santé maternelle", "radio communautaire", "gestion des déchets", "école"}
)

// Synthetic builds a deterministic network of n structures for benchmarks:
// about 3n projects with 9n project partners, n/5 events, n/20 funding calls,
// n/2 support sessions, n partnerships, 4n/3 contacts, n/50 publications,
// n/500 training cycles and programme actions, about n/10 offices and n/1000
// census campaigns, over the built-in reference lists.
func Synthetic(n int, now time.Time) (*Document, error) {
	if n < 1 {
		return nil, fmt.Errorf("--synthetic attend un nombre de structures positif, pas %d", n)
	}
	ref, err := Reference()
	if err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(2021, uint64(n)))
	pick := func(list []string) string { return list[rng.IntN(len(list))] }
	d := &Document{
		ActorTypes: ref.ActorTypes, Departments: ref.Departments, Audiences: ref.Audiences,
		Themes: ref.Themes, Countries: ref.Countries,
	}
	themes := func(k int) []string {
		seen := map[string]bool{}
		var out []string
		for range k {
			c := ref.Themes[rng.IntN(len(ref.Themes))].Code
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
		return out
	}
	country := func() string { return ref.Countries[rng.IntN(len(ref.Countries))].Code }
	day := func() period.Period {
		return period.OnDay(period.NewDate(2021, time.Month(1+rng.IntN(12)), 1+rng.IntN(28)), "")
	}

	for i := 1; i <= n; i++ {
		s := network.Structure{
			ID:         int64(i),
			Name:       fmt.Sprintf("%s %s %s %d", pick(synthPrefixes), pick(synthWords), pick(synthPlaces), i),
			ActorType:  ref.ActorTypes[rng.IntN(len(ref.ActorTypes))].Code,
			Department: ref.Departments[rng.IntN(len(ref.Departments))].Code,
			Commune:    pick(synthPlaces), Country: "FR", Themes: themes(2),
		}
		if i%10 == 0 { // one in ten is a partner abroad
			s.Department, s.Country, s.Commune = "", country(), ""
		}
		d.Structures = append(d.Structures, s)
	}
	for i := 1; i <= 3*n; i++ {
		p := project.Project{
			ID: int64(i), Title: fmt.Sprintf("Projet de %s %d", pick(synthTopics), i),
			LeadID: int64(1 + rng.IntN(n)), Countries: []string{country()}, Themes: themes(2),
			Status: project.StatusActive, Starts: day(), Ends: period.NotFixed(""),
		}
		seen := map[int64]bool{p.LeadID: true}
		for len(p.PartnerIDs) < min(3, n-1) {
			partner := int64(1 + rng.IntN(n))
			if !seen[partner] {
				seen[partner] = true
				p.PartnerIDs = append(p.PartnerIDs, partner)
			}
		}
		d.Projects = append(d.Projects, p)
	}
	for i := 1; i <= max(1, n/20); i++ {
		d.FundingCalls = append(d.FundingCalls, fundingcall.FundingCall{
			ID: int64(i), Title: fmt.Sprintf("Appel à projets %s %d", pick(synthTopics), i), Funder: "Financeur fictif",
			Audiences: []string{ref.Audiences[rng.IntN(len(ref.Audiences))].Code}, Themes: themes(1),
			Territory: "regional", Opens: period.NotFixed(""), Deadline: day(), Status: fundingcall.StatusActive,
		})
	}
	kinds := []string{event.KindWebinar, event.KindWorkingGroup, event.KindPublic}
	for i := 1; i <= max(1, n/5); i++ {
		d.Events = append(d.Events, event.Event{
			ID: int64(i), Kind: kinds[rng.IntN(len(kinds))], Title: fmt.Sprintf("Rencontre %s %d", pick(synthTopics), i),
			Audiences: []string{ref.Audiences[rng.IntN(len(ref.Audiences))].Code}, Themes: themes(1),
			OrganiserIDs: []int64{int64(1 + rng.IntN(n))}, FundingCallIDs: []int64{int64(1 + rng.IntN(max(1, n/20)))},
			Status: event.StatusProvisional, Date: day(),
		})
	}
	for i := 1; i <= max(1, n/2); i++ {
		d.SupportSessions = append(d.SupportSessions, support.Session{
			ID: int64(i), StructureID: int64(1 + rng.IntN(n)), Subject: fmt.Sprintf("Accompagnement %s", pick(synthTopics)),
			Date: day(),
		})
	}
	// Partnerships last, so that the records above stay as they were before
	// there were any: each structure with another, drawn at random.
	for i := 1; i <= n && n > 1; i++ {
		partner := int64(1 + rng.IntN(n))
		if partner == int64(i) {
			continue
		}
		d.Partnerships = append(d.Partnerships, network.Partnership{ID: int64(len(d.Partnerships) + 1),
			StructureID: int64(i), PartnerID: partner, Kind: pick([]string{"jumelage", "partenariat", "réseau"}),
			Since: period.NotFixed("")})
	}
	// The kinds added since, after the partnerships for the same reason:
	// contacts (two for one structure in three, one for the others, with
	// consent one time in two), publications, training cycles of four
	// modules, programme actions with the structures taking part.
	for i := 1; i <= n; i++ {
		for k := range 1 + boolInt(i%3 == 0) {
			d.Contacts = append(d.Contacts, network.Contact{ID: int64(len(d.Contacts) + 1), StructureID: int64(i),
				Name: fmt.Sprintf("%s %s", pick(synthFirstNames), pick(synthLastNames)), Role: pick(synthRoles),
				Email: fmt.Sprintf("contact%d.%d@example.org", i, k), Consent: rng.IntN(2) == 0})
		}
	}
	kindsOfPublication := slices.Sorted(maps.Keys(programme.PublicationKinds))
	for i := 1; i <= max(1, n/50); i++ {
		d.Publications = append(d.Publications, programme.Publication{ID: int64(i),
			Title: fmt.Sprintf("Cahier %s %d", pick(synthTopics), i), Kind: pick(kindsOfPublication), Date: day()})
	}
	for i := 1; i <= max(1, n/500); i++ {
		cycle := programme.TrainingCycle{ID: int64(i), Title: fmt.Sprintf("Cycle de formation %s %d", pick(synthTopics), i), Position: i}
		for k := 1; k <= 4; k++ {
			cycle.Modules = append(cycle.Modules, programme.TrainingModule{ID: int64(4*(i-1) + k), CycleID: int64(i), Position: k,
				Title: fmt.Sprintf("Module %d : %s", k, pick(synthTopics))})
		}
		d.Trainings = append(d.Trainings, cycle)
	}
	for i := 1; i <= max(1, n/500); i++ {
		action := programme.Action{ID: int64(i), Title: fmt.Sprintf("Action %s %d", pick(synthTopics), i), Axis: 1 + rng.IntN(4), Date: day()}
		seen := map[int64]bool{}
		for len(action.StructureIDs) < min(5, n) {
			s := int64(1 + rng.IntN(n))
			if !seen[s] {
				seen[s] = true
				action.StructureIDs = append(action.StructureIDs, s)
			}
		}
		d.ProgrammeActions = append(d.ProgrammeActions, action)
	}
	// Offices (one structure in five, when in France, has an antenna in another
	// commune) and census campaigns, drawn last for the same reason.
	for i := 5; i <= n; i += 5 {
		if d.Structures[i-1].Country != "FR" {
			continue
		}
		place := pick(synthPlaces)
		d.Offices = append(d.Offices, network.Office{ID: int64(len(d.Offices) + 1), StructureID: int64(i),
			Name: "Antenne de " + place, Commune: place, Department: ref.Departments[rng.IntN(len(ref.Departments))].Code,
			Address: fmt.Sprintf("%d rue de la Solidarité", 1+rng.IntN(120))})
	}
	for i := 1; i <= max(1, n/1000); i++ {
		d.CensusCampaigns = append(d.CensusCampaigns, programme.CensusCampaign{ID: int64(i),
			Title: fmt.Sprintf("Recensement des acteurs %d", 2020+i), Description: "Campagne fictive de l'observatoire.",
			Date: period.Period{Precision: period.Year, From: period.NewDate(2020+i, time.January, 1),
				To: period.NewDate(2020+i, time.December, 31)}})
	}
	d.fillDefaults(now)
	d.normalise()
	return d, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// SeedSynthetic loads a synthetic network of n structures into a database
// without records, in one transaction.
func SeedSynthetic(ctx context.Context, bdb *bun.DB, n int, now time.Time) (*Document, error) {
	doc, err := Synthetic(n, now)
	if err != nil {
		return nil, err
	}
	if err := Import(ctx, bdb, doc, fmt.Sprintf("synthétique (%d structures)", n), now); err != nil {
		return nil, err
	}
	return doc, nil
}
