package core

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/search"
)

var rePage = regexp.MustCompile(`\s*\(?(?:page|suite)\s+(\d{1,3})\)?\s*$`)

// page reads the "page N" that "voir plus" adds to a message.
func pageOf(text string) (string, int) {
	if m := rePage.FindStringSubmatch(text); m != nil {
		n, _ := strconv.Atoi(m[1])
		return strings.TrimSpace(text[:len(text)-len(m[0])]), max(n, 1)
	}
	return text, 1
}

// pageArgs asks for one page of answers, plus whether more exist.
func (b *Brain) pageArgs(page int) listing.Args {
	n := b.MaxItems
	// Counting every match would cost more than the answer: "voir plus"
	// says there is more.
	a := listing.Args{First: &n, SkipTotal: true}
	if page > 1 {
		after := listing.Cursor((page-1)*b.MaxItems - 1)
		a.After = &after
	}
	return a
}

// more adds the "voir plus" follow-up when the answer has a next page.
func (b *Brain) more(a *Answer, r request, p listing.Page, page int) {
	if p.Info.Total >= 0 {
		a.Total = p.Info.Total
	}
	if p.Info.HasNext() {
		a.Actions = append(a.Actions, Action{Label: "voir plus", Command: fmt.Sprintf("%s page %d", r.original, page+1)})
	}
}

// textQuery is the text a list is filtered by: the funders and programmes
// named, and the words that name records by their titles.
func (r request) textQuery() string {
	return strings.TrimSpace(strings.Join(r.programmes, " ") + " " + r.titleWords)
}

// describe says the filters in words, for a title.
func describe(r request, v vocabulary) string {
	var parts []string
	if len(r.audiences) > 0 {
		var names []string
		for _, a := range v.ref.AudiencesOf(r.audiences) {
			names = append(names, strings.ToLower(a.Name))
		}
		parts = append(parts, "pour les "+strings.Join(names, ", "))
	}
	if len(r.actorTypes) > 0 {
		var names []string
		for _, t := range v.ref.ActorTypesOf(r.actorTypes) {
			names = append(names, strings.ToLower(t.Name))
		}
		parts = append(parts, "de type "+strings.Join(names, ", "))
	}
	if len(r.themes) > 0 {
		var names []string
		for _, t := range v.ref.ThemesOf(r.themes) {
			names = append(names, t.Name)
		}
		parts = append(parts, "sur le thème "+strings.Join(names, ", "))
	}
	if len(r.countries) > 0 {
		var names []string
		for _, c := range v.ref.CountriesOf(r.countries) {
			names = append(names, c.Name)
		}
		parts = append(parts, "pays : "+strings.Join(names, ", "))
	}
	if len(r.departments) > 0 {
		var names []string
		for _, code := range r.departments {
			if d := v.ref.Department(code); d != nil {
				names = append(names, d.Name)
			}
		}
		parts = append(parts, "département : "+strings.Join(names, ", "))
	}
	if len(r.programmes) > 0 {
		parts = append(parts, "« "+strings.Join(r.programmes, " », « ")+" »")
	}
	if r.when != nil {
		parts = append(parts, r.when.Label)
	}
	if len(parts) == 0 {
		return ""
	}
	return " " + strings.Join(parts, ", ")
}

// relaxedList lists the records of r, or, when none meets every criterion,
// those of the first relaxation of r that finds some.
func (b *Brain) relaxedList(ctx context.Context, r request, s shape, list func(request) (listing.Page, error)) (listing.Page, request, []string, error) {
	if r.page == 1 && len(criteriaOf(r)) >= 2 {
		// Several criteria may well meet nowhere: check before listing.
		found, err := b.exists(ctx, s, r)
		if err != nil {
			return listing.Page{}, r, nil, err
		}
		if !found {
			if rx, ok, err := b.probe(ctx, r, s, 0); err != nil || ok {
				if err != nil {
					return listing.Page{}, r, nil, err
				}
				q, err := list(rx.r)
				return q, rx.r, rx.dropped, err
			}
		}
	}
	p, err := list(r)
	if err != nil || len(p.IDs) > 0 {
		return p, r, nil, err
	}
	if r.page > 1 { // an empty page past the end is the end
		first := r
		first.page = 1
		if q, err := list(first); err != nil || len(q.IDs) > 0 {
			return p, r, nil, err
		}
	}
	rx, ok, err := b.probe(ctx, r, s, 0)
	if err != nil || !ok {
		return p, r, nil, err
	}
	q, err := list(rx.r)
	return q, rx.r, rx.dropped, err
}

func (b *Brain) calls(ctx context.Context, r request, v vocabulary) (Answer, error) {
	tq, err := b.titleQuery(ctx, r, search.KindFundingCall)
	if err != nil {
		return Answer{}, err
	}
	r.titleWords = tq
	if ending := hasAny(strings.Fields(r.folded), endingWords); ending && (r.when != nil || hasAny(strings.Fields(r.folded), soonWords)) {
		return b.callsEnding(ctx, r, v)
	}
	r.audiences = callAudiences(r, v)
	r.departments, r.communes, r.places = nil, nil, nil // a call is for a territory, not a department
	filter := func(r request) fundingcall.Filter {
		return fundingcall.Filter{OpenOn: b.today(), Audiences: r.audiences, Themes: r.themes, Countries: r.countries,
			Territories: r.territories}
	}
	list := func(r request) (listing.Page, error) {
		f := filter(r)
		// "une association étudiante": the calls for associations, those
		// for young people too first.
		f.Query, f.Fit = r.textQuery(), uniq(append(append([]string{}, r.audiences...), typeAudiences(r.actorTypes, v)...))
		return b.Services.Calls.List(ctx, f, listing.Order{Field: fundingcall.OrderDeadline}, b.pageArgs(r.page))
	}
	s := shape{table: "funding_calls AS fc", id: "fc.id", kind: search.KindFundingCall,
		conds: func(r request) []string { return b.Services.Calls.Conditions(filter(r)) },
		texts: func(r request) []string { return []string{strings.Join(r.programmes, " "), r.titleWords} }}
	p, kept, dropped, err := b.relaxedList(ctx, r, s, list)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Intent: IntentCalls, Title: "Appels à projets ouverts" + describe(kept, v), Relaxed: dropped}
	if line := relaxedLine("Aucun appel ouvert", "appels ouverts", r, kept, v, dropped); line != "" {
		a.Lines = append(a.Lines, line)
	}
	// "l'appel Récital c'est pour qui ?": the one call a name points at is
	// answered with its card.
	if len(p.IDs) == 1 && len(dropped) == 0 && r.page <= 1 && (len(r.programmes) > 0 || r.titleWords != "") {
		card, err := b.callCard(ctx, p.IDs[0])
		if err != nil || card.Intent != "" {
			return card, err
		}
	}
	calls, err := b.Services.Calls.FundingCalls(ctx, p.IDs)
	if err != nil {
		return Answer{}, err
	}
	for _, id := range p.IDs {
		if c := calls[id]; c != nil {
			a.Items = append(a.Items, b.callItem(c))
		}
	}
	if len(a.Items) == 0 {
		a.Lines = append(a.Lines, "Aucun appel ouvert ne correspond à votre demande aujourd'hui.",
			"Essayez « appels » sans filtre, ou « agenda » pour les réunions d'information à venir.")
	}
	b.more(&a, kept, p, r.page)
	return a, nil
}

// endingWords ask when calls close.
// soonWords ask which calls close first.
var soonWords = wordSet(`premier premiers premiere bientot prochainement prochain prochaine`)

var endingWords = wordSet(`ferme ferment fermeture fermetures termine terminent finit finissent limite limites cloture clotures cloturent avant expire expirent echeance echeances jusqu`)

// callAudiences are the audiences a call must address: those asked, or the
// audiences that cover the actor types asked ("les structures jeunesse").
func callAudiences(r request, v vocabulary) []string {
	if len(r.audiences) > 0 {
		// Students are young people too: "des appels pour les étudiants"
		// are those for higher education and those for the young.
		if slices.Contains(r.audiences, "enseignement-superieur") && hasAny(strings.Fields(r.folded), wordSet(`etudiant etudiants etudiante etudiantes`)) {
			return uniq(append(append([]string{}, r.audiences...), "jeunes"))
		}
		return r.audiences
	}
	return typeAudiences(r.actorTypes, v)
}

// typeAudiences are the audiences that cover actor types (a network's
// audience aside, which covers every type).
func typeAudiences(types []string, v vocabulary) []string {
	if len(types) == 0 || v.ref == nil {
		return nil
	}
	var out []string
	for _, a := range v.ref.Audiences {
		for _, t := range a.ActorTypes {
			if slices.Contains(types, t) && a.Code != "reseau" {
				out = append(out, a.Code)
				break
			}
		}
	}
	return out
}

func (b *Brain) callItem(c *fundingcall.FundingCall) Item {
	deadline := "date limite non communiquée"
	if c.Deadline.IsFixed() {
		deadline = "date limite : " + c.Deadline.String()
	}
	detail := deadline
	if c.Funder != "" {
		detail = c.Funder + " ; " + deadline
	}
	gid := fmt.Sprintf("FundingCall:%d", c.ID)
	it := Item{Kind: "funding_call", ID: gid, Title: c.Title, Precision: string(c.Deadline.Precision), Detail: detail, Link: b.link(gid)}
	if c.Deadline.IsFixed() {
		it.Date = c.Deadline.String()
	}
	return it
}

// callsEnding answers "quels appels se terminent avant fin mars ?": the open
// calls whose deadline falls in the period asked; when no open call has a
// known deadline, it says so rather than list them all.
func (b *Brain) callsEnding(ctx context.Context, r request, v vocabulary) (Answer, error) {
	f := fundingcall.Filter{OpenOn: b.today(), Audiences: r.audiences, Themes: r.themes, Countries: r.countries,
		Territories: r.territories, Query: r.textQuery()}
	p, err := b.Services.Calls.List(ctx, f, listing.Order{Field: fundingcall.OrderDeadline}, listing.Args{First: ptr(listing.MaxSize), SkipTotal: true})
	if err != nil {
		return Answer{}, err
	}
	calls, err := b.Services.Calls.FundingCalls(ctx, p.IDs)
	if err != nil {
		return Answer{}, err
	}
	label := "bientôt"
	to := period.Date("9999-12-31")
	if r.when != nil {
		label, to = r.when.Label, r.when.To
	}
	a := Answer{Intent: IntentCalls, Title: "Appels à projets dont la date limite tombe " + label + describe(r, v)}
	known := 0
	for _, id := range p.IDs {
		c := calls[id]
		if c == nil || !c.Deadline.IsFixed() {
			continue
		}
		known++
		if c.Deadline.To >= b.today() && c.Deadline.From <= to {
			a.Items = append(a.Items, b.callItem(c))
		}
	}
	if known == 0 {
		return b.outOfScope(ctx, topic{dont: "quels appels se terminent " + label + " : aucun appel ouvert n'a de date limite connue",
			can: "Écrivez « appels » pour la liste des appels ouverts ; chaque fiche donne le lien du financeur."}, v)
	}
	if len(a.Items) == 0 {
		a.Lines = append(a.Lines, "Aucun appel ouvert ne se termine "+label+".")
	}
	a.Total = len(a.Items)
	if len(a.Items) > b.MaxItems {
		a.Items = a.Items[:b.MaxItems]
	}
	return a, nil
}

func (b *Brain) agenda(ctx context.Context, r request, v vocabulary) (Answer, error) {
	tq, err := b.titleQuery(ctx, r, search.KindEvent)
	if err != nil {
		return Answer{}, err
	}
	r.titleWords = tq
	// "c'était quand le webinaire sur l'eau ?": the past is asked.
	past := hasAny(strings.Fields(r.folded), pastWords)
	// A commune is where an event takes place: "des événements à Amiens ?";
	// a department too, by its name in the event's place ("espace Somme"):
	// events have no department of their own, and a criterion the title
	// shows must be applied, or relaxed and said so.
	place := func(r request) string {
		where := append(append([]string{}, r.communes...), r.places...)
		for _, code := range r.departments {
			if d := v.ref.Department(code); d != nil {
				where = append(where, d.Name)
			}
		}
		return strings.Join(where, " ")
	}
	filter := func(r request) event.Filter {
		f := event.Filter{Kinds: r.kinds, Formats: r.formats, Audiences: r.audiences, Themes: r.themes,
			Countries: r.countries, On: b.today()}
		if past && r.when == nil {
			f.Relations = []period.Relation{period.Past}
		} else if r.when != nil {
			f.From, f.To = r.when.From, r.when.To
			if f.From < b.today() && !past {
				f.From = b.today() // "en mars", asked on the 20th: what is left of March
			}
		} else {
			// Undated events are planned too: last, after the dated ones.
			f.Upcoming, f.NotFixed = true, true
		}
		return f
	}
	list := func(r request) (listing.Page, error) {
		f := filter(r)
		f.Query = strings.TrimSpace(r.textQuery() + " " + place(r))
		return b.Services.Events.List(ctx, f, listing.Order{Field: event.OrderDate}, b.pageArgs(r.page))
	}
	s := shape{table: "events AS e", id: "e.id", kind: search.KindEvent,
		conds: func(r request) []string { return b.Services.Events.Conditions(filter(r)) },
		texts: func(r request) []string { return []string{strings.Join(r.programmes, " "), r.titleWords, place(r)} }}
	p, kept, dropped, err := b.relaxedList(ctx, r, s, list)
	if err != nil {
		return Answer{}, err
	}
	// "le truc erasmus initiés c'était quand déjà ?": a past tense that
	// finds nothing past as asked means the event all the same, when one to
	// come meets every criterion.
	if past && r.when == nil && (len(p.IDs) == 0 || len(dropped) > 0) {
		past = false
		upcoming, err := list(r)
		if err != nil {
			return Answer{}, err
		}
		if len(upcoming.IDs) > 0 {
			p, kept, dropped = upcoming, r, nil
		} else if len(p.IDs) == 0 {
			if p, kept, dropped, err = b.relaxedList(ctx, r, s, list); err != nil {
				return Answer{}, err
			}
		} else {
			past = true
		}
	}
	title := "Prochains rendez-vous"
	switch {
	case r.when != nil:
		title = "Rendez-vous"
	case past:
		title = "Rendez-vous passés"
	}
	if len(kept.kinds) == 1 {
		switch kept.kinds[0] {
		case event.KindWebinar:
			title = strings.Replace(title, "rendez-vous", "webinaires", 1)
			title = strings.Replace(title, "Rendez-vous passés", "Webinaires passés", 1)
			title = strings.Replace(title, "Rendez-vous", "Webinaires", 1)
		case event.KindWorkingGroup:
			title = strings.Replace(strings.Replace(title, "rendez-vous", "groupes de travail", 1), "Rendez-vous", "Groupes de travail", 1)
		case event.KindPublic:
			title = strings.Replace(strings.Replace(title, "rendez-vous", "événements", 1), "Rendez-vous", "Événements", 1)
		}
	}
	// "c'est quand le forum franco-marocain ?": the one event the question
	// points at is answered with its card, date and place said.
	if len(p.IDs) == 1 && !p.Info.HasNext() && len(dropped) == 0 && r.page <= 1 && !past && r.when == nil && len(r.formats)+len(r.kinds)+len(r.countries)+len(r.themes) > 0 {
		return b.eventCard(ctx, p.IDs[0])
	}
	events, err := b.Services.Events.Events(ctx, p.IDs)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Intent: IntentAgenda, Title: title + describe(kept, v), Relaxed: dropped}
	if line := relaxedLine("Aucun rendez-vous prévu", "rendez-vous prévus", r, kept, v, dropped); line != "" {
		a.Lines = append(a.Lines, line)
	}
	for _, id := range p.IDs {
		if e := events[id]; e != nil {
			a.Items = append(a.Items, b.eventItem(e))
		}
	}
	if len(a.Items) == 0 {
		a.Lines = append(a.Lines, "Rien de prévu qui corresponde à votre demande.",
			"Le calendrier du programme est prévisionnel : écrivez « agenda » pour tout voir.")
	} else {
		a.Lines = append(a.Lines, "Calendrier prévisionnel, sujet à évolutions.")
	}
	b.more(&a, kept, p, r.page)
	return a, nil
}

// pastWords put a question in the past.
var pastWords = wordSet(`etait etaient avait avaient eu deroule passes passees dernier derniere`)

func (b *Brain) eventItem(e *event.Event) Item {
	detail := event.Kinds[e.Kind]
	if e.Format != "" && e.Format != detail {
		detail += ", " + e.Format
	}
	if e.Status != event.StatusProvisional && e.Status != event.StatusConfirmed {
		detail += ", " + event.Statuses[e.Status]
	}
	gid := fmt.Sprintf("Event:%d", e.ID)
	return Item{Kind: "event", ID: gid, Title: e.Title, Date: e.Date.String(),
		Precision: string(e.Date.Precision), Detail: detail, Link: b.link(gid)}
}

func (b *Brain) projects(ctx context.Context, r request, v vocabulary) (Answer, error) {
	tq, err := b.titleQuery(ctx, r, search.KindProject)
	if err != nil {
		return Answer{}, err
	}
	r.titleWords = tq
	r.countries = worldRegion(r)
	list := func(r request) (listing.Page, error) {
		f := project.Filter{Countries: r.countries, Themes: r.themes, Query: r.titleWords}
		order := listing.Order{Field: project.OrderTitle}
		if f.Query != "" {
			order.Field = project.OrderRelevance
		}
		return b.Services.Projects.List(ctx, f, order, b.pageArgs(r.page))
	}
	s := shape{table: "projects AS p", id: "p.id", kind: search.KindProject,
		conds: func(r request) []string {
			return b.Services.Projects.Conditions(project.Filter{Countries: r.countries, Themes: r.themes})
		},
		texts: func(r request) []string { return []string{r.titleWords} }}
	p, kept, dropped, err := b.relaxedList(ctx, r, s, list)
	if err != nil {
		return Answer{}, err
	}
	projects, err := b.Services.Projects.Projects(ctx, p.IDs)
	if err != nil {
		return Answer{}, err
	}
	leads := make([]int64, 0, len(projects))
	for _, pr := range projects {
		if pr.LeadID != 0 {
			leads = append(leads, pr.LeadID)
		}
	}
	structures, err := b.Services.Network.Structures(ctx, leads)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Intent: IntentProjects, Title: "Projets" + describe(kept, v), Relaxed: dropped}
	if line := relaxedLine("Aucun projet", "projets", r, kept, v, dropped); line != "" {
		a.Lines = append(a.Lines, line)
	}
	for _, id := range p.IDs {
		pr := projects[id]
		if pr == nil {
			continue
		}
		detail := ""
		if s := structures[pr.LeadID]; s != nil {
			detail = "porté par " + s.Name
		}
		gid := fmt.Sprintf("Project:%d", pr.ID)
		a.Items = append(a.Items, Item{Kind: "project", ID: gid, Title: pr.Title, Detail: detail, Link: b.link(gid)})
	}
	if len(a.Items) == 0 {
		a.Lines = append(a.Lines, "Aucun projet référencé ne correspond.")
	}
	b.more(&a, kept, p, r.page)
	return a, nil
}

// who lists the structures that work on a theme, in a country, a
// department; when none meets every criterion, those that meet the most.
func (b *Brain) who(ctx context.Context, r request, v vocabulary) (Answer, error) {
	r.countries = worldRegion(r)
	s := structureShape(b)
	// Criteria together are often met by few structures, or none: found
	// in no order first, they spare a walk through the whole directory in
	// name order, and say at once whether there is anything to relax.
	var m matches
	if len(criteriaOf(r)) >= 2 {
		var err error
		if m.ids, m.few, err = b.few(ctx, s, r, maxFew); err != nil {
			return Answer{}, err
		}
	}
	none := m.few && len(m.ids) == 0
	a := Answer{Intent: IntentWho}
	if !none {
		var err error
		if a, err = b.whoExact(ctx, r, v, m); err != nil || len(a.Items) > 0 || a.Intent != IntentWho || len(r.rest) == 0 && len(criteriaOf(r)) == 0 {
			return a, err
		}
	}
	// "jumelage de longueau": no jumelage is in Longueau, but one is named so.
	if h, ok, err := b.nameHolder(ctx, strings.Join(r.rest, " "), search.KindStructure); err != nil {
		return Answer{}, err
	} else if ok {
		return b.structureCard(ctx, h.ID, v)
	}
	// One criterion left often lists half the network: not an answer,
	// unless that criterion alone is met by a short list ("structures
	// jeunesse" when none is in the Oise).
	rx, ok, err := b.probe(ctx, r, s, 2)
	if err != nil {
		return Answer{}, err
	}
	if !ok {
		if rx, ok, err = b.shortRelaxation(ctx, r, s); err != nil {
			return Answer{}, err
		}
	}
	if !ok {
		if none {
			return b.whoExact(ctx, r, v, m) // says nothing matches, in its words
		}
		return a, nil
	}
	var rm matches
	if rm.ids, rm.few, err = b.few(ctx, s, rx.r, maxFew); err != nil {
		return Answer{}, err
	}
	ra, err := b.whoExact(ctx, rx.r, v, rm)
	if err != nil || len(ra.Items) == 0 {
		return a, err
	}
	ra.Relaxed = rx.dropped
	ra.Lines = append([]string{relaxedLine("Aucune structure connue", "structures", r, rx.r, v, rx.dropped)}, ra.Lines...)
	return ra, nil
}

// shortRelaxation is the first relaxation of r to one criterion that a
// page of structures at most meets.
func (b *Brain) shortRelaxation(ctx context.Context, r request, s shape) (relaxed, bool, error) {
	for _, rx := range relaxations(r, 16) {
		if rx.keptCount != 1 {
			continue
		}
		ids, few, err := b.few(ctx, s, rx.r, b.MaxItems)
		if err != nil {
			return relaxed{}, false, err
		}
		if few && len(ids) > 0 {
			return rx, true, nil
		}
	}
	return relaxed{}, false, nil
}

// maxFew bounds the structures found in no order before they are ordered.
const maxFew = 200

// matches are the structures a request's criteria meet, when few: few says
// ids holds them all.
type matches struct {
	ids []int64
	few bool
}

// structureShape is how the structures a question asks for are selected.
func structureShape(b *Brain) shape {
	return shape{table: "structures AS s", id: "s.id", kind: search.KindStructure,
		conds: func(r request) []string { return b.Services.Network.Conditions(structureFilter(r)) },
		texts: func(request) []string { return nil }}
}

// structureFilter selects the structures a question asks for.
func structureFilter(r request) network.StructureFilter {
	f := network.StructureFilter{ActsIn: r.countries, WorksOn: r.themes, Departments: r.departments, Communes: r.communes,
		ActorTypes: r.actorTypes, Audiences: r.audiences}
	if len(r.actorTypes) > 0 {
		f.Audiences = nil // "les collectivités" is both: the actor type is the narrower
	}
	return f
}

// whoExact lists the structures that work on a theme, in a country or a
// department: from the data, and from their names ("Avec et pour le Mali").
func (b *Brain) whoExact(ctx context.Context, r request, v vocabulary, m matches) (Answer, error) {
	if len(r.themes)+len(r.countries)+len(r.departments)+len(r.actorTypes)+len(r.audiences)+len(r.communes) == 0 && len(r.rest) == 0 {
		return Answer{Intent: IntentWho, Title: "Qui… ?", Lines: []string{
			"Dites-moi un thème, un pays ou un département : « qui travaille au Sénégal ? », « qui sur l'eau ? », « qui dans la Somme ? »."}}, nil
	}
	f := structureFilter(r)
	// Names speak first: a structure called "… pour le Mali" works in Mali.
	var names []string
	for _, c := range v.ref.CountriesOf(r.countries) {
		names = append(names, c.Name)
	}
	if len(r.countries)+len(r.themes)+len(r.departments)+len(r.actorTypes)+len(r.audiences)+len(r.communes) == 0 {
		names = append(names, strings.Join(r.rest, " "))
	} else if len(r.themes)+len(r.departments)+len(r.actorTypes)+len(r.audiences)+len(r.communes) > 0 {
		names = nil // a name says the country, not the type or the place
	}
	var ids []int64
	seen := map[int64]bool{}
	if r.page > 1 {
		names = nil // the names came first on the first page; "la suite" pages the list
	}
	for _, n := range names {
		hits, err := search.LookupAll(ctx, b.Services.DB, n, search.KindStructure)
		if err != nil {
			return Answer{}, err
		}
		for _, h := range hits {
			if !seen[h.ID] {
				seen[h.ID] = true
				ids = append(ids, h.ID)
			}
		}
	}
	more := false
	if m.few {
		f.Among = append(m.ids, 0) // ordered among the few found; none found: none listed
	}
	var p listing.Page
	if len(f.ActsIn)+len(f.WorksOn)+len(f.Departments)+len(f.ActorTypes)+len(f.Audiences)+len(f.Communes) > 0 && len(ids) < b.MaxItems {
		var err error
		p, err = b.Services.Network.ListStructures(ctx, f, listing.Order{Field: network.OrderName}, b.pageArgs(r.page))
		if err != nil {
			return Answer{}, err
		}
		for _, id := range p.IDs {
			if !seen[id] {
				seen[id] = true
				ids = append(ids, id)
			}
		}
		more = p.Info.HasNext()
	}
	structures, err := b.Services.Network.Structures(ctx, ids)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Intent: IntentWho, Title: "Structures" + describe(r, v)}
	for _, id := range ids {
		s := structures[id]
		if s == nil {
			continue
		}
		if len(a.Items) == b.MaxItems {
			break
		}
		a.Items = append(a.Items, b.structureItem(s, v))
	}
	if more || len(ids) > len(a.Items) {
		a.Lines = append(a.Lines, "D'autres structures correspondent : « la suite » pour les voir, ou précisez un thème, un pays ou un département.")
	}
	if more && len(ids) <= b.MaxItems {
		b.more(&a, r, p, r.page)
	}
	if len(a.Items) == 0 {
		if len(r.countries)+len(r.themes)+len(r.departments)+len(r.actorTypes)+len(r.audiences)+len(r.communes) == 0 {
			return unknown(), nil
		}
		a.Lines = append(a.Lines, "Je ne connais pas encore de structure qui corresponde.",
			"L'observatoire s'enrichit : écrivez « contact » pour signaler une structure.")
	}
	return a, nil
}

func (b *Brain) structureItem(s *network.Structure, v vocabulary) Item {
	var detail []string
	if t := v.ref.ActorType(s.ActorType); t != nil {
		detail = append(detail, t.Name)
	}
	if s.Commune != "" {
		detail = append(detail, s.Commune)
	} else if d := v.ref.Department(s.Department); d != nil {
		detail = append(detail, d.Name)
	}
	if c := v.ref.Country(s.Country); c != nil && c.Code != "FR" {
		detail = append(detail, c.Name)
	}
	gid := fmt.Sprintf("Structure:%d", s.ID)
	return Item{Kind: "structure", ID: gid, Title: s.Name, Detail: strings.Join(detail, ", "), Link: b.link(gid)}
}

func (b *Brain) structure(ctx context.Context, r request) (Answer, error) {
	name := strings.TrimSpace(r.args)
	if name == "" {
		return Answer{Intent: IntentStructure, Title: "Quelle structure ?",
			Lines: []string{"Écrivez « structure » suivi d'un nom, par exemple « structure MEL »."}}, nil
	}
	v, err := b.vocabulary(ctx)
	if err != nil {
		return Answer{}, err
	}
	hits, err := search.Lookup(ctx, b.Services.DB, name, search.KindStructure)
	if err != nil {
		return Answer{}, err
	}
	if len(hits) == 0 {
		return Answer{Intent: IntentStructure, Title: "Je ne trouve pas cette structure.",
			Lines: []string{"Vérifiez l'orthographe, ou essayez « cherche » suivi d'un mot du nom."}}, nil
	}
	a, err := b.structureCard(ctx, hits[0].ID, v)
	if err != nil {
		return Answer{}, err
	}
	if len(hits) > 1 {
		a.Lines = append(a.Lines, fmt.Sprintf("%d autre(s) structure(s) correspondent : précisez le nom, ou « cherche %s ».", len(hits)-1, name))
	}
	return a, nil
}

// topicQuery is what a question asks about beyond its intent: theme names
// and the words no vocabulary knows.
func topicQuery(r request, v vocabulary) string {
	var words []string
	for _, t := range v.ref.ThemesOf(r.themes) {
		words = append(words, t.Name)
	}
	return strings.Join(append(words, r.extra...), " ")
}

func (b *Brain) trainings(ctx context.Context, r request, v vocabulary) (Answer, error) {
	p, err := b.Services.Programme.ListTrainings(ctx, listing.Args{First: ptr(listing.MaxSize)})
	if err != nil {
		return Answer{}, err
	}
	if q := r.topicText(v); q != "" {
		hits, err := b.topicLookup(ctx, r, v, q, search.KindTraining)
		if err != nil {
			return Answer{}, err
		}
		if len(hits) > 0 {
			p = listing.Page{IDs: search.IDs(hits), Info: listing.Info{To: len(hits), Total: len(hits)}}
		}
	}
	cycles, err := b.Services.Programme.Trainings(ctx, p.IDs)
	if err != nil {
		return Answer{}, err
	}
	modules, err := b.Services.Programme.ModulesOf(ctx, p.IDs)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Intent: IntentTrainings, Title: "Les cycles de formation de Lianes coopération", Total: p.Info.Total,
		Lines: []string{"Proposés de manière permanente ; écrivez « contact » pour vous inscrire."}}
	for _, id := range p.IDs {
		c := cycles[id]
		if c == nil {
			continue
		}
		var titles []string
		for _, m := range modules[id] {
			titles = append(titles, m.Title)
		}
		gid := fmt.Sprintf("TrainingCycle:%d", c.ID)
		a.Items = append(a.Items, Item{Kind: "training", ID: gid, Title: c.Title,
			Detail: fmt.Sprintf("%d modules : %s", len(titles), strings.Join(titles, " ; ")), Link: b.link(gid)})
	}
	return a, nil
}

func (b *Brain) publications(ctx context.Context, r request, v vocabulary) (Answer, error) {
	p, err := b.Services.Programme.ListPublications(ctx, programme.PublicationFilter{}, listing.Args{First: ptr(listing.MaxSize)})
	if err != nil {
		return Answer{}, err
	}
	var words []string
	for _, w := range r.rest {
		if kind := publicationWords[w]; kind != "" {
			words = append(words, kind)
		}
	}
	if q := strings.TrimSpace(r.topicText(v) + " " + strings.Join(words, " ")); q != "" {
		hits, err := search.Lookup(ctx, b.Services.DB, q, search.KindPublication)
		if err != nil {
			return Answer{}, err
		}
		if len(hits) > 0 {
			p = listing.Page{IDs: search.IDs(hits), Info: listing.Info{To: len(hits), Total: len(hits)}}
		}
	}
	pubs, err := b.Services.Programme.Publications(ctx, p.IDs)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Intent: IntentPublications, Title: "Publications du réseau", Total: p.Info.Total}
	for _, id := range p.IDs {
		pu := pubs[id]
		if pu == nil {
			continue
		}
		date := ""
		if pu.Date.IsFixed() {
			date = pu.Date.String()
		}
		gid := fmt.Sprintf("Publication:%d", pu.ID)
		a.Items = append(a.Items, Item{Kind: "publication", ID: gid, Title: pu.Title, Date: date,
			Precision: string(pu.Date.Precision), Detail: pu.Kind, Link: b.link(gid)})
	}
	return a, nil
}

func (b *Brain) contact(ctx context.Context) (Answer, error) {
	hits, err := search.Lookup(ctx, b.Services.DB, "Lianes coopération", search.KindStructure)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Intent: IntentContact, Title: "Contacter Lianes coopération",
		Lines: []string{"L'équipe accompagne les porteurs de projets (ECSI, engagement citoyen, mobilité et coopération internationales) en rendez-vous individuels, par téléphone, courriel ou visio."}}
	if len(hits) == 0 {
		return a, nil
	}
	s, err := b.Services.Network.Structure(ctx, hits[0].ID)
	if err != nil {
		return Answer{}, err
	}
	if s.Email != "" {
		a.Lines = append(a.Lines, "Courriel : "+s.Email)
	}
	if s.Phone != "" {
		a.Lines = append(a.Lines, "Téléphone : "+s.Phone)
	}
	offices, err := b.Services.Network.Offices(ctx, []int64{s.ID})
	if err != nil {
		return Answer{}, err
	}
	for _, o := range offices[s.ID] {
		line := o.Name
		if o.Address != "" {
			line += " (" + o.Address + ")"
		}
		a.Lines = append(a.Lines, line)
	}
	gid := fmt.Sprintf("Structure:%d", s.ID)
	a.Items = append(a.Items, Item{Kind: "structure", ID: gid, Title: s.Name, Link: b.link(gid)})
	a.Total = 1
	return a, nil
}

// search looks everywhere the asker may look.
func (b *Brain) search(ctx context.Context, r request) (Answer, error) {
	query := r.args
	if !r.command {
		query = strings.Join(r.rest, " ")
	}
	if strings.TrimSpace(query) == "" {
		return unknown(), nil
	}
	kinds := []string{search.KindStructure, search.KindFundingCall, search.KindEvent, search.KindProject,
		search.KindTraining, search.KindPublication, search.KindAction, search.KindCensus}
	if access.AtLeast(ctx, access.Staff) {
		kinds = append(kinds, search.KindSupport)
	}
	// One more than the page, to know whether "voir plus" is due.
	hits, err := search.Top(ctx, b.Services.DB, query, r.page*b.MaxItems+1, kinds...)
	if err != nil {
		return Answer{}, err
	}
	if len(hits) == 0 {
		if !r.command {
			return unknown(), nil
		}
		return Answer{Intent: IntentSearch, Title: "Aucun résultat.",
			Lines: []string{"Essayez un autre mot, sans faute de frappe, ou une commande : écrivez « aide »."}}, nil
	}
	a := Answer{Intent: IntentSearch, Title: "Résultats de la recherche"}
	start := (r.page - 1) * b.MaxItems
	if start < len(hits) {
		items, err := b.items(ctx, hits[start:min(len(hits), start+b.MaxItems)])
		if err != nil {
			return Answer{}, err
		}
		a.Items = items
	}
	if start+b.MaxItems < len(hits) {
		a.Actions = append(a.Actions, Action{Label: "voir plus", Command: fmt.Sprintf("%s page %d", r.original, r.page+1)})
	}
	return a, nil
}

func unknown() Answer {
	return Answer{Intent: IntentUnknown, Title: "Je n'ai pas compris votre question.",
		Lines: append([]string{"Je réponds sur les appels à projets, l'agenda, les structures, les projets, les formations, les publications et les chiffres du réseau."}, helpLines()[1:]...)}
}

func ptr[T any](v T) *T { return &v }

// focus is what a question asks about, without the words that ask for the
// list itself: the words of the sentence that holds the question ("…on a
// créé une ONG. Existe-t-il des formations pour monter un projet ?" asks
// about monter un projet), less the intent's own words. The second result
// says whether the question was one sentence among others.
func (r request) focus() ([]string, bool) {
	sentences := reSentence.Split(search.Fold(r.original), -1)
	words, picked := r.rest, false
	if len(sentences) > 1 {
		// The sentence that names the list asked ("quelles formations…"),
		// not one that merely holds a word of another ("chargée de projets").
		for _, s := range sentences {
			ws, _ := normalise(search.Words(s))
			if hasAny(ws, wordSet(strings.Join(intentWords[r.intent], " "))) {
				words, picked = ws, true
				break
			}
		}
	}
	var out []string
	for _, w := range words {
		if !questionWords[w] && !slices.Contains(intentWords[r.intent], w) && len(w) > 1 {
			out = append(out, w)
		}
	}
	return out, picked
}

// topicLookup finds trainings or publications: on the themes and
// programmes understood first, then on the question's words.
func (b *Brain) topicLookup(ctx context.Context, r request, v vocabulary, text, kind string) ([]search.Hit, error) {
	var named []string
	for _, t := range v.ref.ThemesOf(r.themes) {
		named = append(named, t.Name)
	}
	named = append(named, r.programmes...)
	if len(named) > 0 {
		hits, err := search.Lookup(ctx, b.Services.DB, strings.Join(named, " "), kind)
		if err != nil || len(hits) > 0 {
			return hits, err
		}
	}
	return search.Lookup(ctx, b.Services.DB, text, kind)
}

// topicText is what a list of trainings or publications is searched with:
// the themes and words of the question's own sentence.
func (r request) topicText(v vocabulary) string {
	words, picked := r.focus()
	if picked && len(words) == 0 {
		// "…on monte des projets d'accès à l'eau. Y a-t-il une formation
		// pour nous ?": the question says nothing more than its list.
		words, picked = nil, false
	}
	// Setting up a project, in the words of the network's trainings.
	for _, p := range []string{"monter un projet", "monter mon projet", "monter notre projet", "monter nos projets",
		"monter des projets", "monter les projets", "montage de projet", "montage projet", "monter un dossier",
		"monter nos dossiers", "monter des dossiers", "montage de dossier", "gerer un projet", "gestion de projet",
		"construire un projet", "concevoir un projet"} {
		if containsPhrase(r.folded, p) {
			words = append(words, "gestion", "cycle")
			break
		}
	}
	if picked {
		return strings.Join(words, " ")
	}
	return strings.TrimSpace(topicQuery(r, v) + " " + strings.Join(words, " "))
}

var reSentence = regexp.MustCompile(`[.!?;]+\s*`)
