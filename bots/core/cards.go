package core

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// Records named in a question, loosely ("l'asso ca vient du coeur", "groupe
// haiti", "peuples solidaires ils font quoi ?"), get their card: what the
// record is and what it does, rather than a list it would be lost in.

// kindIntents are the intents whose answer a record of a kind is.
var kindIntents = map[string]string{
	search.KindStructure: IntentStructure, search.KindEvent: IntentAgenda, search.KindFundingCall: IntentCalls,
	search.KindProject: IntentProjects, search.KindTraining: IntentTrainings, search.KindPublication: IntentPublications,
}

// namedKinds are the kinds of records a question of an intent may name.
func namedKinds(intent string) []string {
	switch intent {
	case IntentSearch, IntentWho, IntentStructure:
		return []string{search.KindStructure, search.KindEvent, search.KindFundingCall, search.KindProject,
			search.KindTraining, search.KindPublication}
	case IntentAgenda, IntentCalls, IntentContact:
		// A meeting about a call, a call presented at a meeting, the
		// opening of an office: named by their titles whatever the intent.
		return []string{search.KindEvent, search.KindFundingCall}
	case IntentProjects:
		return []string{search.KindProject}
	case IntentTrainings:
		return []string{search.KindTraining}
	case IntentPublications:
		return []string{search.KindPublication}
	}
	return nil
}

// named finds the record a question names and answers with its card; false
// when it names none. A record is named when every word of its title is in
// the question ("la commission eau et assainissement"), or, in a question
// that asks for no list, when the words no vocabulary knows are all in one
// record's name ("Yanapanaku", "ca vient du coeur").
func (b *Brain) named(ctx context.Context, r request, v vocabulary) (Answer, bool, error) {
	kinds := namedKinds(r.intent)
	if len(kinds) == 0 || len(r.rest) == 0 {
		return Answer{}, false, nil
	}
	asked := map[string]bool{}
	for _, t := range search.Terms(strings.Join(r.rest, " ")) {
		asked[t] = true
		// "l'asso Kabé Bénin" names the Association Kabé Bénin.
		if full, ok := nameAbbreviations[t]; ok {
			asked[full] = true
		}
	}
	for _, rec := range v.titles.covered(asked, kinds) {
		// A one-word title must be a name, not a word of the vocabulary.
		if len(rec.terms) > 1 || !knownWords[rec.terms[0]] {
			return b.card(ctx, rec.kind, rec.id, v)
		}
	}
	for _, kind := range []string{search.KindStructure, search.KindProject} {
		if !slices.Contains(kinds, kind) {
			continue
		}
		if hit, ok, err := b.namedByName(ctx, asked, kind, v); err != nil {
			return Answer{}, false, err
		} else if ok {
			return b.card(ctx, hit.Kind, hit.ID, v)
		}
	}
	if a, ok, err := b.namedJoined(ctx, r, kinds, v); ok || err != nil {
		return a, ok, err
	}
	// "l'asso pour le Bernhard Nordkamp Center": a type says what the named
	// record is, a place or a theme what the question is about.
	// Every word asked in one name, a place included: "c qui kabe benin ?".
	if len(r.extra) > 0 {
		if h, ok, err := b.nameHolder(ctx, strings.Join(r.rest, " "), kinds...); err != nil || ok {
			if err != nil {
				return Answer{}, false, err
			}
			return b.card(ctx, h.Kind, h.ID, v)
		}
	}
	// A commune may be a word of the name: "l'asso des sages-femmes d'Amiens".
	free := r.intent == IntentSearch || r.intent == IntentStructure || r.intent == IntentWho && len(r.countries)+len(r.themes)+len(r.departments) == 0
	if !free || len(r.extra) == 0 {
		return Answer{}, false, nil
	}
	h, ok, err := b.nameHolder(ctx, strings.Join(r.extra, " "), kinds...)
	if err != nil || !ok {
		return Answer{}, false, err
	}
	return b.card(ctx, h.Kind, h.ID, v)
}

// nameAbbreviations are the short forms members write of words of names,
// as search terms.
var nameAbbreviations = map[string]string{"asso": "associ", "assos": "associ"}

// maxNameCandidates bounds the records read to check a name: a word in
// more names than that names none of them.
const maxNameCandidates = 200

// namedByName finds the structure or project whose every name term is in the
// question ("Energies SB", "Ville de Lille", "Avec et pour le Mali"): the
// records holding the question's rarer name terms are read, at most a few
// hundred, and their names checked whole.
func (b *Brain) namedByName(ctx context.Context, asked map[string]bool, kind string, v vocabulary) (search.Hit, bool, error) {
	terms := make([]string, 0, len(asked))
	for t := range asked {
		terms = append(terms, t)
	}
	if len(terms) == 0 {
		return search.Hit{}, false, nil
	}
	// Each term's names counted up to the bound only, all terms in one
	// statement: a common word is not counted through, it is left out.
	type count struct {
		Term string
		N    int
	}
	n, err := search.Counts(ctx, b.Services.DB, terms, nameWeight, maxNameCandidates, kind)
	if err != nil {
		return search.Hit{}, false, fmt.Errorf("brain: names: %w", err)
	}
	all := make([]count, 0, len(n))
	for t, c := range n {
		all = append(all, count{t, c})
	}
	var counts []count
	for _, c := range all {
		if c.N > 0 && c.N <= maxNameCandidates {
			counts = append(counts, c)
		}
	}
	// A name holds its own rarest term, not always the question's: the
	// records of the rarer terms are read, as many as the bound allows.
	sort.Slice(counts, func(i, j int) bool {
		if counts[i].N != counts[j].N {
			return counts[i].N < counts[j].N
		}
		return counts[i].Term < counts[j].Term
	})
	var rare []string
	total := 0
	for _, c := range counts {
		if total+c.N > maxNameCandidates {
			break
		}
		rare, total = append(rare, c.Term), total+c.N
	}
	if len(rare) == 0 {
		return search.Hit{}, false, nil
	}
	var ids []int64
	if err := b.Services.DB.NewSelect().TableExpr("search_terms").ColumnExpr("DISTINCT record_id").
		Where("kind = ?", kind).Where("term IN (?)", bun.List(rare)).Where("weight >= ?", nameWeight).
		OrderExpr("record_id").Scan(ctx, &ids); err != nil {
		return search.Hit{}, false, fmt.Errorf("brain: names: %w", err)
	}
	hits := make([]search.Hit, len(ids))
	for i, id := range ids {
		hits[i] = search.Hit{Kind: kind, ID: id}
	}
	items, err := b.items(ctx, hits)
	if err != nil {
		return search.Hit{}, false, err
	}
	// A structure is named by its other names too: "le centre social
	// d'Outreau" is the Centre Culturel et Social Jacques Brel.
	others := map[int64][]string{}
	if kind == search.KindStructure {
		if others, err = b.Services.Network.OtherNames(ctx, ids); err != nil {
			return search.Hit{}, false, err
		}
	}
	type name struct {
		id    int64
		title string
		terms []string
	}
	var names []name
	for _, it := range items {
		_, raw, _ := strings.Cut(it.ID, ":")
		id, err := strconv.ParseInt(raw, 10, 64)
		if err != nil {
			continue
		}
		names = append(names, name{id, it.Title, search.Terms(it.Title)})
		for _, o := range others[id] {
			names = append(names, name{id, o, search.Terms(o)})
		}
	}
	// Every word of the name asked as it is; failing that, its last word
	// begun: "la mission locale de calais" for the Mission Locale du
	// Calaisis, whose stem "calais" extends the question's "cal".
	for _, begun := range []bool{false, true} {
		var best int64
		bestTerms := 0
		for _, n := range names {
			all := len(n.terms) > 0
			for j, t := range n.terms {
				all = all && (asked[t] || begun && j == len(n.terms)-1 && len(n.terms) > 1 && extendsAsked(t, asked))
			}
			// A one-word name must not be a word of the vocabulary, nor a place
			// asked about with more: "jumelage de Longueau" names the twinning,
			// not the commune; "Dourges ?" names the commune.
			single := len(n.terms) == 1 && (knownWords[n.terms[0]] || len(asked) > 1 && v.entities[strings.Join(search.Words(n.title), " ")])
			if all && !single && len(n.terms) > bestTerms {
				best, bestTerms = n.id, len(n.terms)
			}
		}
		if bestTerms > 0 {
			return search.Hit{Kind: kind, ID: best}, true, nil
		}
	}
	return search.Hit{}, false, nil
}

// reJoined finds a word and a number written together or apart: "global
// 21" for Global21, "watt4all" for Watt 4 All.
var (
	reLetterDigit = regexp.MustCompile(`([a-z])([0-9])|([0-9])([a-z])`)
	reWordNumber  = regexp.MustCompile(`\b([a-z]+) ([0-9]+)\b`)
)

// spokenDigits are the digits of names said as words: "watt for all" for
// Watt 4 All.
var spokenDigits = strings.NewReplacer(" for ", " 4 ", " four ", " 4 ", " two ", " 2 ")

// namedJoined finds a structure whose name is written with its words and
// numbers joined or apart otherwise than in the question.
func (b *Brain) namedJoined(ctx context.Context, r request, kinds []string, v vocabulary) (Answer, bool, error) {
	// The words left, or only the unknown ones: "l'asso watt for all" is
	// the asso Watt 4 All.
	for _, text := range uniq([]string{strings.Join(r.rest, " "), strings.Join(r.extra, " ")}) {
		split := reLetterDigit.ReplaceAllString(text, "$1$3 $2$4")
		split = reLetterDigit.ReplaceAllString(split, "$1$3 $2$4") // matches do not overlap: "t4a" needs two passes
		for _, q := range []string{split, reWordNumber.ReplaceAllString(text, "$1$2"), spokenDigits.Replace(" " + text + " ")} {
			if q = strings.TrimSpace(q); q == text || q == "" {
				continue
			}
			if h, ok, err := b.nameHolder(ctx, q, kinds...); err != nil {
				return Answer{}, false, err
			} else if ok {
				return b.card(ctx, h.Kind, h.ID, v)
			}
		}
	}
	return Answer{}, false, nil
}

// nameHolder is the record of the kinds whose name holds every word of
// text, when it is the only one: two records of that name are better
// listed than guessed.
func (b *Brain) nameHolder(ctx context.Context, text string, kinds ...string) (search.Hit, bool, error) {
	holders, err := b.nameHolders(ctx, text, 2, kinds...)
	if err != nil || len(holders) != 1 {
		return search.Hit{}, false, err
	}
	return holders[0], true, nil
}

// nameHolders are the records of the kinds whose name holds every word of
// text, the best first, at most limit: a name two records share is asked
// about rather than guessed.
func (b *Brain) nameHolders(ctx context.Context, text string, limit int, kinds ...string) ([]search.Hit, error) {
	return search.Every(ctx, b.Services.DB, text, limit, nameWeight, maxNameCandidates, kinds...)
}

// card answers with one record's card.
func (b *Brain) card(ctx context.Context, kind string, id int64, v vocabulary) (Answer, bool, error) {
	var a Answer
	var err error
	switch kind {
	case search.KindStructure:
		a, err = b.structureCard(ctx, id, v)
	case search.KindEvent:
		a, err = b.eventCard(ctx, id)
	case search.KindFundingCall:
		a, err = b.callCard(ctx, id)
	case search.KindProject:
		a, err = b.projectCard(ctx, id, v)
	default:
		var items []Item
		items, err = b.items(ctx, []search.Hit{{Kind: kind, ID: id}})
		if err == nil && len(items) > 0 {
			a = Answer{Intent: kindIntents[kind], Title: items[0].Title, Items: items, Total: 1}
		}
	}
	if err != nil || a.Intent == "" {
		return Answer{}, false, err
	}
	return a, true, nil
}

// relationWords say where a dated record stands.
var relationWords = map[period.Relation]string{period.Past: "passé", period.Current: "en cours", period.Upcoming: "à venir", period.NotSet: "date à définir"}

func (b *Brain) eventCard(ctx context.Context, id int64) (Answer, error) {
	e, err := b.Services.Events.Event(ctx, id)
	if err != nil {
		return Answer{}, err
	}
	it := b.eventItem(e)
	rel := e.Date.RelationTo(b.today())
	if rel == period.Past {
		it.Detail += ", passé"
	}
	a := Answer{Intent: IntentAgenda, Title: e.Title, Items: []Item{it}, Total: 1,
		Lines: []string{fmt.Sprintf("%s, %s (%s)", capitalize(event.Kinds[e.Kind]), e.Date.String(), relationWords[rel])}}
	if e.Place != "" {
		a.Lines = append(a.Lines, "Lieu : "+e.Place)
	}
	if e.Online != nil && *e.Online {
		a.Lines = append(a.Lines, "En ligne")
	}
	if e.RegistrationURL != "" {
		a.Lines = append(a.Lines, "Inscription : "+e.RegistrationURL)
	}
	pages, err := b.Services.Events.FundingCallsOf(ctx, []int64{id}, listing.Args{First: ptr(5)})
	if err != nil {
		return Answer{}, err
	}
	calls, err := b.Services.Calls.FundingCalls(ctx, pages[id].IDs)
	if err != nil {
		return Answer{}, err
	}
	for _, cid := range pages[id].IDs {
		if c := calls[cid]; c != nil {
			a.Items = append(a.Items, b.callItem(c))
		}
	}
	return a, nil
}

func (b *Brain) callCard(ctx context.Context, id int64) (Answer, error) {
	calls, err := b.Services.Calls.FundingCalls(ctx, []int64{id})
	if err != nil {
		return Answer{}, err
	}
	c := calls[id]
	if c == nil {
		return Answer{}, nil
	}
	a := Answer{Intent: IntentCalls, Title: c.Title, Items: []Item{b.callItem(c)}, Total: 1}
	if c.Funder != "" {
		a.Lines = append(a.Lines, "Financeur : "+c.Funder)
	}
	if c.AudienceText != "" {
		a.Lines = append(a.Lines, "Pour : "+c.AudienceText)
	}
	a.Lines = append(a.Lines, deadlineText(c.Deadline))
	if c.URL != "" {
		a.Lines = append(a.Lines, "Lien : "+c.URL)
	}
	pages, err := b.Services.Events.OfFundingCalls(ctx, []int64{id}, listing.Args{First: ptr(5)})
	if err != nil {
		return Answer{}, err
	}
	events, err := b.Services.Events.Events(ctx, pages[id].IDs)
	if err != nil {
		return Answer{}, err
	}
	for _, eid := range pages[id].IDs {
		if e := events[eid]; e != nil {
			a.Items = append(a.Items, b.eventItem(e))
		}
	}
	return a, nil
}

// structureCard is a structure's card: who it is, what it does (its
// projects, led or as partner), where, and its next events.
func (b *Brain) structureCard(ctx context.Context, id int64, v vocabulary) (Answer, error) {
	s, err := b.Services.Network.Structure(ctx, id)
	if err != nil {
		return Answer{}, err
	}
	item := b.structureItem(s, v)
	a := Answer{Intent: IntentStructure, Title: s.Name, Items: []Item{item}, Total: 1}
	if item.Detail != "" {
		a.Lines = append(a.Lines, item.Detail)
	}
	if s.Description != "" {
		a.Lines = append(a.Lines, s.Description)
	}
	contacts := []struct{ label, value string }{{"Site", s.Website}}
	if access.AtLeast(ctx, access.Member) {
		contacts = append(contacts, struct{ label, value string }{"Courriel", s.Email}, struct{ label, value string }{"Téléphone", s.Phone})
	}
	for _, l := range contacts {
		if l.value != "" {
			a.Lines = append(a.Lines, l.label+" : "+l.value)
		}
	}
	countries, err := b.Services.Network.Countries(ctx, []int64{id})
	if err != nil {
		return Answer{}, err
	}
	if cs := v.ref.CountriesOf(countries[id]); len(cs) > 0 {
		var names []string
		for _, c := range cs {
			names = append(names, c.Name)
		}
		a.Lines = append(a.Lines, "Pays d'action : "+strings.Join(names, ", "))
	}
	themes, err := b.Services.Network.Themes(ctx, []int64{id})
	if err != nil {
		return Answer{}, err
	}
	if ts := v.ref.ThemesOf(themes[id]); len(ts) > 0 {
		var names []string
		for _, t := range ts {
			names = append(names, t.Name)
		}
		a.Lines = append(a.Lines, "Thèmes : "+strings.Join(names, ", "))
	}
	items, _, err := b.structureProjects(ctx, id, 5)
	if err != nil {
		return Answer{}, err
	}
	a.Items = append(a.Items, items...)
	evPages, err := b.Services.Events.OfOrganisers(ctx, []int64{id}, listing.Args{First: ptr(3)})
	if err != nil {
		return Answer{}, err
	}
	events, err := b.Services.Events.Events(ctx, evPages[id].IDs)
	if err != nil {
		return Answer{}, err
	}
	for _, eid := range evPages[id].IDs {
		if e := events[eid]; e != nil && e.Date.RelationTo(b.today()) != period.Past {
			a.Items = append(a.Items, b.eventItem(e))
		}
	}
	if len(a.Items) == 1 {
		a.Lines = append(a.Lines, "Aucun projet ni événement référencé pour l'instant.")
	}
	return a, nil
}

// projectStatuses name a project's status in a card.
var projectStatuses = map[string]string{project.StatusPlanned: "en projet", project.StatusActive: "en cours", project.StatusFinished: "terminé"}

// projectCard says what a project does: who carries it, with whom, where,
// on what, when.
func (b *Brain) projectCard(ctx context.Context, id int64, v vocabulary) (Answer, error) {
	p, err := b.Services.Projects.Project(ctx, id)
	if err != nil {
		return Answer{}, err
	}
	countries, err := b.Services.Projects.CountriesOf(ctx, []int64{id})
	if err != nil {
		return Answer{}, err
	}
	themes, err := b.Services.Projects.ThemesOf(ctx, []int64{id})
	if err != nil {
		return Answer{}, err
	}
	partners, err := b.Services.Projects.PartnersOf(ctx, []int64{id}, listing.Args{First: ptr(b.MaxItems)})
	if err != nil {
		return Answer{}, err
	}
	structures, err := b.Services.Network.Structures(ctx, append([]int64{p.LeadID}, partners[id].IDs...))
	if err != nil {
		return Answer{}, err
	}
	gid := fmt.Sprintf("Project:%d", p.ID)
	it := Item{Kind: "project", ID: gid, Title: p.Title, Detail: "projet", Link: b.link(gid)}
	a := Answer{Intent: IntentProjects, Title: p.Title, Total: 1}
	line := "Projet"
	if st := projectStatuses[p.Status]; st != "" {
		line += " " + st
	}
	if lead := structures[p.LeadID]; lead != nil {
		line += ", porté par " + lead.Name
		it.Detail = "porté par " + lead.Name
	}
	var names []string
	for _, sid := range partners[id].IDs {
		if s := structures[sid]; s != nil {
			names = append(names, s.Name)
		}
	}
	if len(names) > 0 {
		line += ", avec " + strings.Join(names, ", ")
	}
	a.Lines = append(a.Lines, line+".")
	var where, about []string
	for _, c := range v.ref.CountriesOf(countries[id]) {
		where = append(where, c.Name)
	}
	for _, t := range v.ref.ThemesOf(themes[id]) {
		about = append(about, t.Name)
	}
	if len(where) > 0 {
		a.Lines = append(a.Lines, "Pays : "+strings.Join(where, ", ")+".")
	}
	if len(about) > 0 {
		a.Lines = append(a.Lines, "Thèmes : "+strings.Join(about, ", ")+".")
	}
	if p.Starts.IsFixed() || p.Ends.IsFixed() {
		a.Lines = append(a.Lines, "Période : "+strings.TrimSuffix(p.Starts.String()+" – "+p.Ends.String(), " – ")+".")
	}
	if d := strings.TrimSpace(p.Description); d != "" {
		if r := []rune(d); len(r) > 300 {
			d = string(r[:300]) + "…"
		}
		a.Lines = append(a.Lines, d)
	}
	a.Items = []Item{it}
	return a, nil
}

// extendsAsked says whether a name's term begins with a term of the
// question of three letters or more.
func extendsAsked(term string, asked map[string]bool) bool {
	for a := range asked {
		if len(a) >= 3 && len(term) > len(a) && strings.HasPrefix(term, a) {
			return true
		}
	}
	return false
}

// projectsOf lists the projects of a structure, led or joined.
func (b *Brain) projectsOf(ctx context.Context, id int64) (Answer, error) {
	s, err := b.Services.Network.Structure(ctx, id)
	if err != nil {
		return Answer{}, err
	}
	items, total, err := b.structureProjects(ctx, id, b.MaxItems)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Intent: IntentProjects, Title: "Projets de " + s.Name, Items: items, Total: total}
	if len(a.Items) == 0 {
		a.Lines = append(a.Lines, "Aucun projet de cette structure n'est référencé.")
	}
	return a, nil
}

// structureProjects are the first projects of a structure, led or joined,
// as items saying which, and how many it has.
func (b *Brain) structureProjects(ctx context.Context, id int64, first int) ([]Item, int, error) {
	pages, err := b.Services.Projects.OfStructures(ctx, []int64{id}, project.RoleAny, listing.Args{First: ptr(first)})
	if err != nil {
		return nil, 0, err
	}
	projects, err := b.Services.Projects.Projects(ctx, pages[id].IDs)
	if err != nil {
		return nil, 0, err
	}
	var items []Item
	for _, pid := range pages[id].IDs {
		if pr := projects[pid]; pr != nil {
			gid := fmt.Sprintf("Project:%d", pr.ID)
			detail := "projet en partenariat"
			if pr.LeadID == id {
				detail = "projet porté"
			}
			items = append(items, Item{Kind: "project", ID: gid, Title: pr.Title, Detail: detail, Link: b.link(gid)})
		}
	}
	return items, pages[id].Info.Total, nil
}
