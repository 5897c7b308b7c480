package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"time"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/charts"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/observatory"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/reference"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// filter is one filter of a list: a select in the form, and its choices.
type filter struct {
	Name, Label string
	Options     []option
}

type option struct {
	Value, Label string
	Selected     bool
}

// filters read the list's filters from the address and check their codes.
type filters struct {
	values url.Values
	form   []filter
	err    error
}

func newFilters(r *http.Request) *filters { return &filters{values: r.URL.Query()} }

// codes returns the values of a parameter, all of them known codes, and adds
// the parameter's select to the form.
func (f *filters) codes(name, label string, choices []option) []string {
	got := f.values[name]
	known := map[string]bool{}
	for _, c := range choices {
		known[c.Value] = true
	}
	var out []string
	for _, v := range got {
		if v == "" {
			continue
		}
		if !known[v] && f.err == nil {
			f.err = badRequest("%s « %s » inconnu : choisissez dans la liste.", label, v)
		}
		out = append(out, v)
	}
	opts := []option{{Value: "", Label: "Tous"}}
	for _, c := range choices {
		c.Selected = len(out) > 0 && out[0] == c.Value
		opts = append(opts, c)
	}
	f.form = append(f.form, filter{Name: name, Label: label, Options: opts})
	return out
}

func themeOptions(ref *reference.Lists) []option {
	out := make([]option, len(ref.Themes))
	for i, t := range ref.Themes {
		out[i] = option{Value: t.Code, Label: t.Name}
	}
	return out
}

func audienceOptions(ref *reference.Lists) []option {
	out := make([]option, len(ref.Audiences))
	for i, a := range ref.Audiences {
		out[i] = option{Value: a.Code, Label: a.Name}
	}
	return out
}

func countryOptions(ref *reference.Lists) []option {
	out := make([]option, len(ref.Countries))
	for i, c := range ref.Countries {
		out[i] = option{Value: c.Code, Label: c.Name}
	}
	return out
}

// listPage is a list with its filters.
type listPage struct {
	Path    string
	Filters []filter
	Query   string // the text searched, when the list has a search box
	Items   []link
	Total   int
	Next    string // the next page's address
	Feed    string // the calendar subscription with the same filters
	Months  []month
	Empty   string
}

type month struct {
	Name  string
	Items []agendaItem
}

type agendaItem struct {
	Href, Title, Date, Precision, Kind, Place, Status string
}

func (s *site) calls(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref, err := reference.Load(ctx, s.services.DB)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newFilters(r)
	var territories []option
	for _, code := range []string{"regional", "national", "europeen", "international"} {
		territories = append(territories, option{Value: code, Label: capitalise(fundingcall.Territories[code])})
	}
	filter := fundingcall.Filter{OpenOn: s.today(),
		Audiences: f.codes("public", "Public", audienceOptions(ref)), Themes: f.codes("theme", "Thème", themeOptions(ref)),
		Countries: f.codes("pays", "Pays", countryOptions(ref)), Territories: f.codes("territoire", "Territoire", territories)}
	if f.err != nil {
		s.fail(w, r, f.err)
		return
	}
	var ids []int64
	args := listing.Args{First: ptr(listing.MaxSize)}
	for {
		p, err := s.services.Calls.List(ctx, filter, listing.Order{Field: fundingcall.OrderDeadline}, args)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		ids = append(ids, p.IDs...)
		if !p.Info.HasNext() {
			break
		}
		args.After = ptr(listing.Cursor(p.Info.To - 1))
	}
	m, err := s.services.Calls.FundingCalls(ctx, ids)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body := listPage{Path: "/appels", Filters: f.form, Total: len(ids), Empty: "Aucun appel ouvert ne correspond à ces critères."}
	for _, id := range ids {
		if x := m[id]; x != nil {
			detail := strings.Join(nonEmpty(x.Funder, capitalise(deadline(x)), fundingcall.Territories[x.Territory]), " · ")
			body.Items = append(body.Items, link{Href: ficheURL("FundingCall", id), Text: x.Title, Detail: detail})
		}
	}
	s.render(w, r, http.StatusOK, "calls", view{Title: "Appels à projets ouverts", Section: "appels", Body: body,
		Description: fmt.Sprintf("%d appels à projets ouverts pour les acteurs de la coopération internationale en Hauts-de-France.", len(ids))})
}

func (s *site) agenda(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref, err := reference.Load(ctx, s.services.DB)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newFilters(r)
	kinds := []option{{Value: event.KindWebinar, Label: "Webinaires"}, {Value: event.KindWorkingGroup, Label: "Groupes de travail"},
		{Value: event.KindPublic, Label: "Événements"}}
	filter := event.Filter{Upcoming: true, NotFixed: true, On: s.today(),
		Kinds: f.codes("genre", "Genre", kinds), Audiences: f.codes("public", "Public", audienceOptions(ref)),
		Themes: f.codes("theme", "Thème", themeOptions(ref)), Countries: f.codes("pays", "Pays", countryOptions(ref))}
	if f.err != nil {
		s.fail(w, r, f.err)
		return
	}
	events, err := s.services.Events.Matching(ctx, filter)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	feed := url.Values{"kind": filter.Kinds, "audience": filter.Audiences, "theme": filter.Themes, "country": filter.Countries}
	body := listPage{Path: "/agenda", Filters: f.form, Total: len(events), Feed: query("/calendar.ics", feed),
		Empty: "Aucun événement à venir ne correspond à ces critères."}
	for _, e := range events {
		name := "Date à définir"
		if e.Date.IsFixed() {
			from := e.Date.From.Time(time.UTC)
			name = capitalise(period.MonthNames[from.Month()-1]) + fmt.Sprint(" ", from.Year())
		}
		if len(body.Months) == 0 || body.Months[len(body.Months)-1].Name != name {
			body.Months = append(body.Months, month{Name: name})
		}
		place := e.Place
		if place == "" && e.Online != nil && *e.Online {
			place = "en ligne"
		}
		status := ""
		if e.Status != event.StatusProvisional && e.Status != event.StatusConfirmed {
			status = event.Statuses[e.Status]
		}
		m := &body.Months[len(body.Months)-1]
		m.Items = append(m.Items, agendaItem{Href: ficheURL("Event", e.ID), Title: e.Title, Date: e.Date.String(),
			Precision: precisionNames[e.Date.Precision], Kind: event.Kinds[e.Kind], Place: place, Status: status})
	}
	s.render(w, r, http.StatusOK, "agenda", view{Title: "Agenda du réseau", Section: "agenda", Body: body,
		Description: fmt.Sprintf("%d webinaires, groupes de travail et événements à venir du réseau Lianes coopération.", len(events))})
}

// structuresPageSize is how many structures the directory shows at once.
const structuresPageSize = 50

func (s *site) structures(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ref, err := reference.Load(ctx, s.services.DB)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := newFilters(r)
	types := make([]option, len(ref.ActorTypes))
	for i, t := range ref.ActorTypes {
		types[i] = option{Value: t.Code, Label: t.Name}
	}
	depts := make([]option, len(ref.Departments))
	for i, d := range ref.Departments {
		depts[i] = option{Value: d.Code, Label: d.Name + " (" + d.Code + ")"}
	}
	text := strings.TrimSpace(r.URL.Query().Get("q"))
	filter := network.StructureFilter{Query: text,
		ActorTypes: f.codes("type", "Type d'acteur", types), Departments: f.codes("departement", "Département", depts),
		WorksOn: f.codes("theme", "Thème", themeOptions(ref)), ActsIn: f.codes("pays", "Pays d'action", countryOptions(ref))}
	if f.err != nil {
		s.fail(w, r, f.err)
		return
	}
	args := listing.Args{First: ptr(structuresPageSize)}
	if after := r.URL.Query().Get("apres"); after != "" {
		args.After = &after
	}
	p, err := s.services.Network.ListStructures(ctx, filter, listing.Order{}, args)
	if err != nil {
		if _, bad := err.(*listing.InvalidArgsError); bad {
			err = badRequest("Page « %s » inconnue : repartez du début de l'annuaire.", *args.After)
		}
		s.fail(w, r, err)
		return
	}
	items, err := s.structureLinks(ctx, ref, p.IDs)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body := listPage{Path: "/structures", Filters: f.form, Query: text, Items: items, Total: p.Info.Total,
		Empty: "Aucune structure ne correspond à ces critères."}
	if p.Info.HasNext() {
		next := r.URL.Query()
		next.Set("apres", listing.Cursor(p.Info.To-1))
		body.Next = query("/structures", next)
	}
	s.render(w, r, http.StatusOK, "structures", view{Title: "Annuaire des structures", Section: "structures", Body: body,
		Description: fmt.Sprintf("%d structures de la coopération internationale en Hauts-de-France : associations, collectivités, établissements…", p.Info.Total)})
}

// searchKinds name the kinds of records in the results.
var searchKinds = map[string]struct{ typ, label string }{
	search.KindStructure: {"Structure", "Structure"}, search.KindFundingCall: {"FundingCall", "Appel à projets"},
	search.KindEvent: {"Event", "Événement"}, search.KindProject: {"Project", "Projet"},
	search.KindTraining: {"TrainingCycle", "Formation"}, search.KindPublication: {"Publication", "Publication"},
	search.KindAction: {"ProgrammeAction", "Action du programme"}, search.KindCensus: {"CensusCampaign", "Recensement"},
	search.KindSupport: {"SupportSession", "Accompagnement"}, search.KindContact: {"Contact", "Contact"},
}

// searchLimit is how many results the search page shows.
const searchLimit = 50

func (s *site) search(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	text := strings.TrimSpace(r.URL.Query().Get("q"))
	body := listPage{Path: "/recherche", Query: text, Empty: "Aucun résultat : essayez un autre mot."}
	title := "Recherche"
	if text != "" {
		title = "Recherche : " + text
		hits, err := search.Top(ctx, s.services.DB, text, searchLimit, search.VisibleKinds(ctx, search.AllKinds)...)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if body.Items, err = s.hitLinks(ctx, hits); err != nil {
			s.fail(w, r, err)
			return
		}
		body.Total = len(body.Items)
	}
	s.render(w, r, http.StatusOK, "search", view{Title: title, Section: "recherche", Body: body,
		Description: "Chercher dans tout le réseau Lianes coopération : structures, projets, événements, appels à projets, formations, publications."})
}

// hitLinks reads the records of search hits, kind by kind, and keeps those
// the visitor may see, in the hits' order.
func (s *site) hitLinks(ctx context.Context, hits []search.Hit) ([]link, error) {
	byKind := map[string][]int64{}
	for _, h := range hits {
		byKind[h.Kind] = append(byKind[h.Kind], h.ID)
	}
	ref, err := reference.Load(ctx, s.services.DB)
	if err != nil {
		return nil, err
	}
	found := map[string]map[int64]link{}
	for kind, ids := range byKind {
		links, err := s.kindLinks(ctx, ref, kind, ids)
		if err != nil {
			return nil, err
		}
		found[kind] = map[int64]link{}
		for _, l := range links {
			found[kind][l.id] = l
		}
	}
	var out []link
	for _, h := range hits {
		if l, ok := found[h.Kind][h.ID]; ok {
			l.Detail = strings.Join(nonEmpty(searchKinds[h.Kind].label, l.Detail), " · ")
			out = append(out, l)
		}
	}
	return out, nil
}

func (s *site) kindLinks(ctx context.Context, ref *reference.Lists, kind string, ids []int64) ([]link, error) {
	p := s.services.Programme
	switch kind {
	case search.KindStructure:
		return s.structureLinks(ctx, ref, ids)
	case search.KindProject:
		return s.projectLinks(ctx, ids)
	case search.KindEvent:
		return s.eventLinks(ctx, ids)
	case search.KindFundingCall:
		return s.callLinks(ctx, ids)
	case search.KindSupport:
		return s.sessionLinks(ctx, ids)
	case search.KindContact:
		m, err := s.services.Network.Contacts(ctx, ids)
		return linksOf(m, err, "Contact", func(x *network.Contact) (string, string) { return x.Name, x.Role })
	case search.KindTraining:
		m, err := p.Trainings(ctx, ids)
		return linksOf(m, err, "TrainingCycle", func(x *programme.TrainingCycle) (string, string) { return x.Title, "" })
	case search.KindPublication:
		m, err := p.Publications(ctx, ids)
		return linksOf(m, err, "Publication", func(x *programme.Publication) (string, string) { return x.Title, x.Date.String() })
	case search.KindAction:
		m, err := p.Actions(ctx, ids)
		return linksOf(m, err, "ProgrammeAction", func(x *programme.Action) (string, string) { return x.Title, "" })
	case search.KindCensus:
		m, err := p.CensusCampaigns(ctx, ids)
		return linksOf(m, err, "CensusCampaign", func(x *programme.CensusCampaign) (string, string) { return x.Title, x.Date.String() })
	}
	return nil, nil
}

func linksOf[T any](m map[int64]*T, err error, typ string, describe func(*T) (string, string)) ([]link, error) {
	if err != nil {
		return nil, err
	}
	out := make([]link, 0, len(m))
	for id, x := range m {
		text, detail := describe(x)
		out = append(out, link{Href: ficheURL(typ, id), Text: text, Detail: detail, id: id})
	}
	return out, nil
}

// observatoryPage holds the figures computed from the data and the latest
// published ones.
type observatoryPage struct {
	Totals      observatory.Totals
	Departments []departmentRow
	Types       []countRow
	Countries   []countRow
	Themes      []themeRow
	Published   *publishedFigures
	// Charts draw the same figures, by chart name.
	Charts map[string]chartView
}

type departmentRow struct {
	Name, Code                        string
	Count                             int
	Share, PopulationShare, Index     float64
	PublishedShare, PublishedPopShare int
	PublishedIndex                    float64
}

type countRow struct {
	Name, Href string
	Count      int
}

type themeRow struct {
	Name, Href                                 string
	Structures, Projects, Events, FundingCalls int
}

type publishedFigures struct {
	Label, Source string
	Departments   []departmentRow
}

func (s *site) observatory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	body, err := s.loadObservatory(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	desc := fmt.Sprintf("Observatoire de Lianes coopération : %d structures, dont %d en Hauts-de-France, %d projets.",
		body.Totals.Structures, body.Totals.StructuresInRegion, body.Totals.Projects)
	s.render(w, r, http.StatusOK, "observatory", view{Title: "Observatoire du réseau", Section: "observatoire", Body: body, Description: desc})
}

func (s *site) loadObservatory(ctx context.Context) (observatoryPage, error) {
	obs := s.services.Observatory
	var body observatoryPage
	ref, err := reference.Load(ctx, s.services.DB)
	if err != nil {
		return body, err
	}
	if body.Totals, err = obs.Totals(ctx); err != nil {
		return body, err
	}
	depts, err := obs.ByDepartment(ctx)
	if err != nil {
		return body, err
	}
	for _, f := range observatory.Departments(depts, ref.Departments) {
		body.Departments = append(body.Departments, departmentRow{Name: f.Department.Name, Code: f.Department.Code, Count: f.Count,
			Share: f.Share, PopulationShare: float64(f.Department.PopulationShare), Index: f.RepresentationIndex})
	}
	types, err := obs.ByActorType(ctx)
	if err != nil {
		return body, err
	}
	for _, t := range ref.ActorTypes {
		body.Types = append(body.Types, countRow{Name: t.Name, Href: "/structures?type=" + t.Code, Count: types[t.Code]})
	}
	countries, err := obs.ByCountry(ctx)
	if err != nil {
		return body, err
	}
	for _, c := range ref.Countries {
		if n := countries[c.Code]; n > 0 {
			body.Countries = append(body.Countries, countRow{Name: c.Name, Href: "/structures?pays=" + c.Code, Count: n})
		}
	}
	sort.SliceStable(body.Countries, func(i, j int) bool { return body.Countries[i].Count > body.Countries[j].Count })
	themes, err := obs.ByTheme(ctx)
	if err != nil {
		return body, err
	}
	for _, t := range ref.Themes {
		c := themes[t.Code]
		body.Themes = append(body.Themes, themeRow{Name: t.Name, Href: "/structures?theme=" + t.Code,
			Structures: c.Structures, Projects: c.Projects, Events: c.Events, FundingCalls: c.FundingCalls})
	}
	body.Charts, err = chartViews(charts.Figures{Ref: ref, Departments: depts, ActorTypes: types, Countries: countries, Themes: themes})
	if err != nil {
		return body, err
	}
	snaps, err := obs.Snapshots(ctx)
	if err != nil {
		return body, err
	}
	if len(snaps) > 0 {
		latest := snaps[0]
		pub := &publishedFigures{Label: latest.Label, Source: latest.Source}
		for _, d := range latest.DepartmentCounts {
			row := departmentRow{Code: d.Department, Count: d.Count, PublishedShare: d.StructureShare, PublishedPopShare: d.PopulationShare,
				PublishedIndex: observatory.Representation(float64(d.StructureShare), float64(d.PopulationShare))}
			if dep := ref.Department(d.Department); dep != nil {
				row.Name = dep.Name
			}
			pub.Departments = append(pub.Departments, row)
		}
		body.Published = pub
	}
	return body, nil
}

// unknownPage answers the addresses that name no page.
func (s *site) unknownPage(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, notFound(fmt.Sprintf("Aucune page à l'adresse « %s ».", r.URL.Path)))
}

// homePage links the lists and shows what comes next.
type homePage struct {
	Events, Calls         []link
	Structures, OpenCalls int
	UpcomingEvents        int
	Staff                 bool
}

func (s *site) home(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	today := s.today()
	var body homePage
	events, err := s.services.Events.List(ctx, event.Filter{Upcoming: true, On: today}, listing.Order{Field: event.OrderDate},
		listing.Args{First: ptr(4)})
	if err == nil {
		body.UpcomingEvents = events.Info.Total
		body.Events, err = s.eventLinks(ctx, events.IDs)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	calls, err := s.services.Calls.List(ctx, fundingcall.Filter{OpenOn: today}, listing.Order{Field: fundingcall.OrderDeadline},
		listing.Args{First: ptr(4)})
	if err == nil {
		body.OpenCalls = calls.Info.Total
		body.Calls, err = s.callLinks(ctx, calls.IDs)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	totals, err := s.services.Observatory.Totals(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	body.Structures = totals.Structures
	body.Staff = access.AtLeast(ctx, access.Staff)
	s.render(w, r, http.StatusOK, "home", view{Title: "Lianes coopération", Section: "accueil", Body: body,
		Description: "Le réseau régional multi-acteurs de la coopération internationale en Hauts-de-France : appels à projets, agenda, annuaire des structures et observatoire."})
}
