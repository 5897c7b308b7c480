package web

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/reference"
	"github.com/lianes-cooperation/lianes/internal/support"
)

// record is a record's page: what it is, its facts, and the records it is
// tied to, each a link to its own page.
type record struct {
	Kind     string // "Structure", "Appel à projets"…
	Date     string
	Status   string
	Body     string
	Facts    []fact
	Sections []section
	Calendar string // the event's own .ics
	Notice   string
}

// fact is a line of the record: a text, a link, or links (themes, countries).
type fact struct {
	Label, Value, Href string
	External           bool
	Links              []link
}

// link is a record in a list: its page, its name and a detail.
type link struct {
	Href, Text, Detail string
	id                 int64 // the record's, to put search hits back in order
}

// section is a list of tied records under a heading.
type section struct {
	Title string
	Items []link
	Empty string // said when the list is empty; the section is left out when this is empty too
}

// nested is as many tied records as a page shows.
var nested = listing.Args{First: ptr(listing.MaxSize), SkipTotal: true}

func ptr[T any](v T) *T { return &v }

// record serves /fiche/{id}, the page a chat answer links to, for every kind
// of record the visitor may see.
func (s *site) record(w http.ResponseWriter, r *http.Request) {
	typ, id, ok := parseGlobalID(r.PathValue("id"))
	if !ok {
		s.fail(w, r, notFound(fmt.Sprintf("Fiche « %s » introuvable : l'adresse attendue est du type /fiche/Structure:12.", r.PathValue("id"))))
		return
	}
	v, err := s.loadRecord(r.Context(), typ, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "record", v)
}

func parseGlobalID(s string) (string, int64, bool) {
	typ, num, ok := strings.Cut(s, ":")
	n, err := strconv.ParseInt(num, 10, 64)
	return typ, n, ok && err == nil && n > 0
}

func (s *site) loadRecord(ctx context.Context, typ string, id int64) (view, error) {
	ref, err := reference.Load(ctx, s.services.DB)
	if err != nil {
		return view{}, err
	}
	missing := notFound(fmt.Sprintf("Fiche « %s:%d » introuvable : elle n'existe pas, ou n'est pas visible sans connexion.", typ, id))
	switch typ {
	case "Structure":
		return s.structurePage(ctx, ref, id, missing)
	case "Project":
		return s.projectPage(ctx, ref, id, missing)
	case "Event":
		return s.eventPage(ctx, ref, id, missing)
	case "FundingCall":
		return s.callPage(ctx, ref, id, missing)
	case "TrainingCycle":
		return s.trainingPage(ctx, id, missing)
	case "Publication":
		return s.publicationPage(ctx, id, missing)
	case "SupportSession":
		return s.sessionPage(ctx, ref, id, missing)
	case "Contact":
		return s.contactPage(ctx, id, missing)
	case "ProgrammeAction":
		return s.actionPage(ctx, id, missing)
	case "CensusCampaign":
		m, err := s.services.Programme.CensusCampaigns(ctx, []int64{id})
		if err != nil || m[id] == nil {
			return view{}, orMissing(err, missing)
		}
		x := m[id]
		return view{Title: x.Title, Description: summary(x.Date.String()+". "+x.Description, 200),
			Body: record{Kind: "Recensement", Date: x.Date.String(), Body: x.Description}}, nil
	}
	return view{}, missing
}

func orMissing(err, missing error) error {
	if err != nil {
		return err
	}
	return missing
}

// textFacts keeps the facts that have a value.
func textFacts(facts ...fact) []fact {
	out := facts[:0]
	for _, f := range facts {
		if f.Value != "" || len(f.Links) > 0 {
			out = append(out, f)
		}
	}
	return out
}

func themeLinks(ref *reference.Lists, codes []string, list string) []link {
	var out []link
	for _, t := range ref.ThemesOf(codes) {
		out = append(out, link{Href: list + "?theme=" + t.Code, Text: t.Name})
	}
	return out
}

func countryLinks(ref *reference.Lists, codes []string, list string) []link {
	var out []link
	for _, c := range ref.CountriesOf(codes) {
		out = append(out, link{Href: list + "?pays=" + c.Code, Text: c.Name})
	}
	return out
}

func audienceLinks(ref *reference.Lists, codes []string, list string) []link {
	var out []link
	for _, a := range ref.AudiencesOf(codes) {
		out = append(out, link{Href: list + "?public=" + a.Code, Text: a.Name})
	}
	return out
}

// structureLinks reads structures by id, in the ids' order.
func (s *site) structureLinks(ctx context.Context, ref *reference.Lists, ids []int64) ([]link, error) {
	m, err := s.services.Network.Structures(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]link, 0, len(ids))
	for _, id := range ids {
		if x := m[id]; x != nil {
			out = append(out, link{Href: ficheURL("Structure", id), Text: x.Name, Detail: structureDetail(ref, x), id: id})
		}
	}
	return out, nil
}

func structureDetail(ref *reference.Lists, x *network.Structure) string {
	var parts []string
	if t := ref.ActorType(x.ActorType); t != nil {
		parts = append(parts, t.Name)
	}
	if x.Commune != "" {
		parts = append(parts, x.Commune)
	} else if d := ref.Department(x.Department); d != nil {
		parts = append(parts, d.Name)
	} else if c := ref.Country(x.Country); c != nil {
		parts = append(parts, c.Name)
	}
	return strings.Join(parts, ", ")
}

func (s *site) projectLinks(ctx context.Context, ids []int64) ([]link, error) {
	m, err := s.services.Projects.Projects(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]link, 0, len(ids))
	for _, id := range ids {
		if x := m[id]; x != nil {
			out = append(out, link{Href: ficheURL("Project", id), Text: x.Title, Detail: projectStatuses[x.Status], id: id})
		}
	}
	return out, nil
}

var projectStatuses = map[string]string{project.StatusPlanned: "en projet", project.StatusActive: "en cours", project.StatusFinished: "terminé"}

func (s *site) eventLinks(ctx context.Context, ids []int64) ([]link, error) {
	m, err := s.services.Events.Events(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]link, 0, len(ids))
	for _, id := range ids {
		if x := m[id]; x != nil {
			out = append(out, link{Href: ficheURL("Event", id), Text: x.Title, Detail: x.Date.String() + " (" + event.Kinds[x.Kind] + ")", id: id})
		}
	}
	return out, nil
}

func (s *site) callLinks(ctx context.Context, ids []int64) ([]link, error) {
	m, err := s.services.Calls.FundingCalls(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]link, 0, len(ids))
	for _, id := range ids {
		if x := m[id]; x != nil {
			out = append(out, link{Href: ficheURL("FundingCall", id), Text: x.Title, Detail: deadline(x), id: id})
		}
	}
	return out, nil
}

func deadline(x *fundingcall.FundingCall) string {
	if !x.Deadline.IsFixed() {
		return "date limite non communiquée"
	}
	return "date limite : " + x.Deadline.String()
}

func (s *site) sessionLinks(ctx context.Context, ids []int64) ([]link, error) {
	m, err := s.services.Support.Sessions(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]link, 0, len(ids))
	for _, id := range ids {
		if x := m[id]; x != nil {
			out = append(out, link{Href: ficheURL("SupportSession", id), Text: x.Subject, Detail: x.Date.String(), id: id})
		}
	}
	return out, nil
}

func (s *site) structurePage(ctx context.Context, ref *reference.Lists, id int64, missing error) (view, error) {
	net := s.services.Network
	x, err := net.Structure(ctx, id)
	if err != nil {
		if err == network.ErrNotFound {
			return view{}, missing
		}
		return view{}, err
	}
	ids := []int64{id}
	themes, err := net.Themes(ctx, ids)
	if err != nil {
		return view{}, err
	}
	countries, err := net.Countries(ctx, ids)
	if err != nil {
		return view{}, err
	}
	names, err := net.OtherNames(ctx, ids)
	if err != nil {
		return view{}, err
	}
	offices, err := net.Offices(ctx, ids)
	if err != nil {
		return view{}, err
	}
	rec := record{Kind: "Structure", Body: x.Description}
	typeName, deptName, countryName := "", "", ""
	if t := ref.ActorType(x.ActorType); t != nil {
		typeName = t.Name
	}
	if d := ref.Department(x.Department); d != nil {
		deptName = d.Name + " (" + d.Code + ")"
	}
	if c := ref.Country(x.Country); c != nil {
		countryName = c.Name
	}
	var officeNames []string
	for _, o := range offices[id] {
		officeNames = append(officeNames, strings.TrimSpace(o.Name+" "+o.Commune))
	}
	rec.Facts = textFacts(
		fact{Label: "Type d'acteur", Value: typeName, Href: hrefIf(x.ActorType, "/structures?type="+x.ActorType)},
		fact{Label: "Autres noms", Value: strings.Join(names[id], ", ")},
		fact{Label: "Département", Value: deptName, Href: hrefIf(x.Department, "/structures?departement="+x.Department)},
		fact{Label: "Commune", Value: x.Commune},
		fact{Label: "Pays", Value: countryName},
		fact{Label: "Antennes", Value: strings.Join(officeNames, " ; ")},
		fact{Label: "Site", Value: x.Website, Href: x.Website, External: true},
		fact{Label: "Courriel", Value: x.Email, Href: hrefIf(x.Email, "mailto:"+x.Email)},
		fact{Label: "Téléphone", Value: x.Phone},
		fact{Label: "Thèmes", Links: themeLinks(ref, themes[id], "/structures")},
		fact{Label: "Pays d'action", Links: countryLinks(ref, countries[id], "/structures")},
	)

	led, err := s.services.Projects.OfStructures(ctx, ids, project.RoleLead, nested)
	if err != nil {
		return view{}, err
	}
	ledLinks, err := s.projectLinks(ctx, led[id].IDs)
	if err != nil {
		return view{}, err
	}
	joined, err := s.services.Projects.OfStructures(ctx, ids, project.RolePartner, nested)
	if err != nil {
		return view{}, err
	}
	joinedLinks, err := s.projectLinks(ctx, joined[id].IDs)
	if err != nil {
		return view{}, err
	}
	partnerships, err := net.PartnersOf(ctx, ids, nested)
	if err != nil {
		return view{}, err
	}
	ps, err := net.Partnerships(ctx, partnerships[id].IDs)
	if err != nil {
		return view{}, err
	}
	var partnerIDs []int64
	said := map[int64]string{} // what each partnership says, beside the partner
	for _, pid := range partnerships[id].IDs {
		if p := ps[pid]; p != nil {
			partnerIDs = append(partnerIDs, p.Other(id))
			said[p.Other(id)] = p.Description
		}
	}
	partnerLinks, err := s.structureLinks(ctx, ref, partnerIDs)
	if err != nil {
		return view{}, err
	}
	for i, l := range partnerLinks {
		partnerLinks[i].Detail = strings.Join(nonEmpty(l.Detail, said[l.id]), " ; ")
	}
	organised, err := s.services.Events.OfOrganisers(ctx, ids, nested)
	if err != nil {
		return view{}, err
	}
	eventLinks, err := s.eventLinks(ctx, organised[id].IDs)
	if err != nil {
		return view{}, err
	}
	rec.Sections = []section{
		{Title: "Projets portés", Items: ledLinks, Empty: "Aucun projet porté connu."},
		{Title: "Projets en partenariat", Items: joinedLinks},
		{Title: "Partenaires", Items: partnerLinks, Empty: "Aucun partenaire connu."},
		{Title: "Événements organisés", Items: eventLinks},
	}
	contacts, err := s.contactSection(ctx, id)
	if err != nil {
		return view{}, err
	}
	rec.Sections = append(rec.Sections, contacts)
	if access.AtLeast(ctx, access.Staff) {
		sessions, err := s.services.Support.OfStructures(ctx, ids, nested)
		if err != nil {
			return view{}, err
		}
		links, err := s.sessionLinks(ctx, sessions[id].IDs)
		if err != nil {
			return view{}, err
		}
		rec.Sections = append(rec.Sections, section{Title: "Accompagnements (équipe)", Items: links, Empty: "Aucun accompagnement."})
	}
	desc := strings.Join(nonEmpty(typeName, x.Commune, deptName), ", ")
	if len(ledLinks) > 0 {
		desc += ". Porte : " + ledLinks[0].Text
	}
	if x.Description != "" {
		desc += ". " + x.Description
	}
	return view{Title: x.Name, Description: summary(desc, 200), Body: rec}, nil
}

// contactSection lists the structure's contacts the visitor may see:
// none anonymously, names of those who consented for members, all with their
// e-mail and phone for the staff.
func (s *site) contactSection(ctx context.Context, structure int64) (section, error) {
	sec := section{Title: "Contacts"}
	if _, any := access.ContactsVisible(ctx, "c"); !any {
		sec.Empty = "Les contacts sont réservés aux membres du réseau : connectez-vous pour les voir."
		return sec, nil
	}
	pages, err := s.services.Network.ContactsOf(ctx, []int64{structure}, nested)
	if err != nil {
		return sec, err
	}
	ids := pages[structure].IDs
	m, err := s.services.Network.Contacts(ctx, ids)
	if err != nil {
		return sec, err
	}
	for _, id := range ids {
		if c := m[id]; c != nil {
			sec.Items = append(sec.Items, link{Href: ficheURL("Contact", id), Text: c.Name, Detail: contactDetail(ctx, c)})
		}
	}
	sec.Empty = "Aucun contact visible."
	return sec, nil
}

func contactDetail(ctx context.Context, c *network.Contact) string {
	parts := []string{c.Role}
	if access.AtLeast(ctx, access.Staff) {
		parts = append(parts, c.Email, c.Phone)
	}
	return strings.Join(nonEmpty(parts...), " · ")
}

func nonEmpty(values ...string) []string {
	var out []string
	for _, v := range values {
		if strings.TrimSpace(v) != "" {
			out = append(out, v)
		}
	}
	return out
}

func hrefIf(value, href string) string {
	if value == "" {
		return ""
	}
	return href
}

func (s *site) projectPage(ctx context.Context, ref *reference.Lists, id int64, missing error) (view, error) {
	x, err := s.services.Projects.Project(ctx, id)
	if err != nil {
		if err == project.ErrNotFound {
			return view{}, missing
		}
		return view{}, err
	}
	ids := []int64{id}
	countries, err := s.services.Projects.CountriesOf(ctx, ids)
	if err != nil {
		return view{}, err
	}
	themes, err := s.services.Projects.ThemesOf(ctx, ids)
	if err != nil {
		return view{}, err
	}
	partners, err := s.services.Projects.PartnersOf(ctx, ids, nested)
	if err != nil {
		return view{}, err
	}
	partnerLinks, err := s.structureLinks(ctx, ref, partners[id].IDs)
	if err != nil {
		return view{}, err
	}
	var lead []link
	if x.LeadID != 0 {
		if lead, err = s.structureLinks(ctx, ref, []int64{x.LeadID}); err != nil {
			return view{}, err
		}
	}
	rec := record{Kind: "Projet", Status: projectStatuses[x.Status], Body: x.Description}
	leadFact := fact{Label: "Porteur"}
	if len(lead) == 1 {
		leadFact.Value, leadFact.Href = lead[0].Text, lead[0].Href
	}
	dates := ""
	if x.Starts.IsFixed() {
		dates = "début : " + x.Starts.String()
	}
	if x.Ends.IsFixed() {
		dates = strings.TrimPrefix(dates+" ; fin : "+x.Ends.String(), " ; ")
	}
	rec.Facts = textFacts(leadFact,
		fact{Label: "Dates", Value: dates},
		fact{Label: "Pays", Links: countryLinks(ref, countries[id], "/structures")},
		fact{Label: "Thèmes", Links: themeLinks(ref, themes[id], "/structures")},
	)
	rec.Sections = []section{{Title: "Partenaires", Items: partnerLinks, Empty: "Aucun partenaire connu."}}
	if access.AtLeast(ctx, access.Staff) {
		p, err := s.services.Support.List(ctx, support.Filter{ProjectID: id}, nested)
		if err != nil {
			return view{}, err
		}
		links, err := s.sessionLinks(ctx, p.IDs)
		if err != nil {
			return view{}, err
		}
		rec.Sections = append(rec.Sections, section{Title: "Accompagnements (équipe)", Items: links})
	}
	desc := "Projet"
	if leadFact.Value != "" {
		desc += " porté par " + leadFact.Value
	}
	if cs := ref.CountriesOf(countries[id]); len(cs) > 0 {
		desc += " (" + cs[0].Name + ")"
	}
	if x.Description != "" {
		desc += ". " + x.Description
	}
	return view{Title: x.Title, Description: summary(desc, 200), Body: rec}, nil
}

func (s *site) eventPage(ctx context.Context, ref *reference.Lists, id int64, missing error) (view, error) {
	svc := s.services.Events
	x, err := svc.Event(ctx, id)
	if err != nil {
		if err == event.ErrNotFound {
			return view{}, missing
		}
		return view{}, err
	}
	ids := []int64{id}
	audiences, err := svc.AudiencesOf(ctx, ids)
	if err != nil {
		return view{}, err
	}
	themes, err := svc.ThemesOf(ctx, ids)
	if err != nil {
		return view{}, err
	}
	countries, err := svc.CountriesOf(ctx, ids)
	if err != nil {
		return view{}, err
	}
	organisers, err := svc.OrganisersOf(ctx, ids, nested)
	if err != nil {
		return view{}, err
	}
	organiserLinks, err := s.structureLinks(ctx, ref, organisers[id].IDs)
	if err != nil {
		return view{}, err
	}
	calls, err := svc.FundingCallsOf(ctx, ids, nested)
	if err != nil {
		return view{}, err
	}
	callLinks, err := s.callLinks(ctx, calls[id].IDs)
	if err != nil {
		return view{}, err
	}
	place := x.Place
	if place == "" && x.Online != nil && *x.Online {
		place = "en ligne"
	}
	rec := record{Kind: capitalise(event.Kinds[x.Kind]), Date: x.Date.String(), Status: event.Statuses[x.Status], Body: x.Content}
	rec.Facts = textFacts(
		fact{Label: "Précision de la date", Value: precisionNames[x.Date.Precision]},
		fact{Label: "Lieu", Value: place},
		fact{Label: "Forme", Value: x.Format},
		fact{Label: "Public", Value: x.AudienceText},
		fact{Label: "Publics", Links: audienceLinks(ref, audiences[id], "/agenda")},
		fact{Label: "Thèmes", Links: themeLinks(ref, themes[id], "/agenda")},
		fact{Label: "Pays", Links: countryLinks(ref, countries[id], "/agenda")},
		fact{Label: "Inscription", Value: x.RegistrationURL, Href: x.RegistrationURL, External: true},
		fact{Label: "Remarque", Value: x.Note},
	)
	rec.Sections = []section{
		{Title: "Organisé par", Items: organiserLinks},
		{Title: "Appels à projets présentés", Items: callLinks},
	}
	if x.Date.IsFixed() {
		rec.Calendar = ficheURL("Event", id) + "/agenda.ics"
	}
	desc := capitalise(event.Kinds[x.Kind]) + ", " + x.Date.String()
	if place != "" {
		desc += ", " + place
	}
	if x.Content != "" {
		desc += ". " + x.Content
	}
	return view{Title: x.Title, Description: summary(desc, 200), Body: rec}, nil
}

// eventICS serves one event as an iCalendar file, for "add to calendar".
func (s *site) eventICS(w http.ResponseWriter, r *http.Request) {
	typ, id, ok := parseGlobalID(r.PathValue("id"))
	if !ok || typ != "Event" {
		s.fail(w, r, notFound("Seul un événement s'ajoute à un agenda."))
		return
	}
	x, err := s.services.Events.Event(r.Context(), id)
	if err == event.ErrNotFound || (err == nil && !x.Date.IsFixed()) {
		s.fail(w, r, notFound("Événement introuvable, ou sans date fixée."))
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeCalendar(w, []event.Event{*x}, fmt.Sprintf("evenement-%d.ics", id))
}

func capitalise(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	return strings.ToUpper(string(r[0])) + string(r[1:])
}

func (s *site) callPage(ctx context.Context, ref *reference.Lists, id int64, missing error) (view, error) {
	svc := s.services.Calls
	x, err := svc.FundingCall(ctx, id)
	if err != nil {
		if err == fundingcall.ErrNotFound {
			return view{}, missing
		}
		return view{}, err
	}
	ids := []int64{id}
	audiences, err := svc.AudiencesOf(ctx, ids)
	if err != nil {
		return view{}, err
	}
	themes, err := svc.ThemesOf(ctx, ids)
	if err != nil {
		return view{}, err
	}
	countries, err := svc.CountriesOf(ctx, ids)
	if err != nil {
		return view{}, err
	}
	events, err := s.services.Events.OfFundingCalls(ctx, ids, nested)
	if err != nil {
		return view{}, err
	}
	eventLinks, err := s.eventLinks(ctx, events[id].IDs)
	if err != nil {
		return view{}, err
	}
	status := "fermé"
	if x.IsOpen(s.today()) {
		status = "ouvert"
	}
	opens := ""
	if x.Opens.IsFixed() {
		opens = x.Opens.String()
	}
	rec := record{Kind: "Appel à projets", Date: capitalise(deadline(x)), Status: status, Body: x.Description}
	rec.Facts = textFacts(
		fact{Label: "Financeur", Value: x.Funder},
		fact{Label: "Programme", Value: x.Programme},
		fact{Label: "Public", Value: x.AudienceText},
		fact{Label: "Publics", Links: audienceLinks(ref, audiences[id], "/appels")},
		fact{Label: "Thèmes", Links: themeLinks(ref, themes[id], "/appels")},
		fact{Label: "Pays", Links: countryLinks(ref, countries[id], "/appels")},
		fact{Label: "Territoire", Value: fundingcall.Territories[x.Territory], Href: hrefIf(x.Territory, "/appels?territoire="+x.Territory)},
		fact{Label: "Ouverture", Value: opens},
		fact{Label: "Récurrence", Value: x.Recurrence},
		fact{Label: "Lien", Value: x.URL, Href: x.URL, External: true},
	)
	rec.Sections = []section{{Title: "Présenté lors de", Items: eventLinks}}
	desc := strings.Join(nonEmpty(x.Funder, x.Programme, deadline(x)), ", ")
	if x.Description != "" {
		desc += ". " + x.Description
	}
	return view{Title: x.Title, Description: summary(desc, 200), Body: rec}, nil
}

func (s *site) trainingPage(ctx context.Context, id int64, missing error) (view, error) {
	m, err := s.services.Programme.Trainings(ctx, []int64{id})
	if err != nil || m[id] == nil {
		return view{}, orMissing(err, missing)
	}
	modules, err := s.services.Programme.ModulesOf(ctx, []int64{id})
	if err != nil {
		return view{}, err
	}
	x := m[id]
	sec := section{Title: "Modules"}
	for _, mod := range modules[id] {
		sec.Items = append(sec.Items, link{Text: mod.Title, Detail: fmt.Sprintf("module %d", mod.Position)})
	}
	return view{Title: x.Title, Description: summary(fmt.Sprintf("Cycle de formation en %d modules. %s", len(modules[id]), x.Description), 200),
		Body: record{Kind: "Formation", Body: x.Description, Sections: []section{sec}}}, nil
}

func (s *site) publicationPage(ctx context.Context, id int64, missing error) (view, error) {
	m, err := s.services.Programme.Publications(ctx, []int64{id})
	if err != nil || m[id] == nil {
		return view{}, orMissing(err, missing)
	}
	x := m[id]
	rec := record{Kind: "Publication", Date: x.Date.String(), Body: x.Description,
		Facts: textFacts(fact{Label: "Genre", Value: programme.PublicationKinds[x.Kind]}, fact{Label: "Collection", Value: x.Series},
			fact{Label: "Précision de la date", Value: precisionNames[x.Date.Precision]})}
	return view{Title: x.Title, Description: summary(capitalise(programme.PublicationKinds[x.Kind])+", "+x.Date.String()+". "+x.Description, 200), Body: rec}, nil
}

func (s *site) actionPage(ctx context.Context, id int64, missing error) (view, error) {
	m, err := s.services.Programme.Actions(ctx, []int64{id})
	if err != nil || m[id] == nil {
		return view{}, orMissing(err, missing)
	}
	items, err := s.services.Programme.ItemsOf(ctx, []int64{id})
	if err != nil {
		return view{}, err
	}
	x := m[id]
	sec := section{Title: "Contenu"}
	for _, it := range items[id] {
		sec.Items = append(sec.Items, link{Text: it.Title, Detail: it.Description})
	}
	date := ""
	if x.Date.IsFixed() {
		date = x.Date.String()
	}
	return view{Title: x.Title, Description: summary(x.Description, 200),
		Body: record{Kind: "Action du programme", Date: date, Body: x.Description, Sections: []section{sec},
			Facts: textFacts(fact{Label: "Lien", Value: x.URL, Href: x.URL, External: true})}}, nil
}

// sessionPage shows a support session to the staff; to anyone else it does
// not exist, as in the API.
func (s *site) sessionPage(ctx context.Context, ref *reference.Lists, id int64, missing error) (view, error) {
	m, err := s.services.Support.Sessions(ctx, []int64{id})
	if err != nil || m[id] == nil {
		return view{}, orMissing(err, missing)
	}
	x := m[id]
	structure, err := s.structureLinks(ctx, ref, []int64{x.StructureID})
	if err != nil {
		return view{}, err
	}
	rec := record{Kind: "Accompagnement", Date: x.Date.String(), Notice: "Réservé à l'équipe."}
	structureFact := fact{Label: "Structure"}
	if len(structure) == 1 {
		structureFact.Value, structureFact.Href = structure[0].Text, structure[0].Href
	}
	deptName := ""
	if d := ref.Department(x.Department); d != nil {
		deptName = d.Name
	}
	rec.Facts = textFacts(structureFact, fact{Label: "Sujet", Value: x.Subject}, fact{Label: "Département", Value: deptName},
		fact{Label: "Type", Value: x.SourceType}, fact{Label: "Chargé·e d'accompagnement", Value: x.Staff})
	if x.ProjectID != 0 {
		links, err := s.projectLinks(ctx, []int64{x.ProjectID})
		if err != nil {
			return view{}, err
		}
		rec.Sections = append(rec.Sections, section{Title: "Projet", Items: links})
	}
	if x.FundingCallID != 0 {
		links, err := s.callLinks(ctx, []int64{x.FundingCallID})
		if err != nil {
			return view{}, err
		}
		rec.Sections = append(rec.Sections, section{Title: "Appel à projets", Items: links})
	}
	return view{Title: x.Subject, Description: "Accompagnement, " + x.Date.String(), Body: rec}, nil
}

// contactPage shows a person as the visitor's role may: not at all
// anonymously, name and role to members when the person consented, e-mail
// and phone to the staff.
func (s *site) contactPage(ctx context.Context, id int64, missing error) (view, error) {
	m, err := s.services.Network.Contacts(ctx, []int64{id})
	if err != nil || m[id] == nil {
		return view{}, orMissing(err, missing)
	}
	x := m[id]
	rec := record{Kind: "Contact", Facts: textFacts(fact{Label: "Fonction", Value: x.Role})}
	if x.StructureID != 0 {
		st, err := s.services.Network.Structures(ctx, []int64{x.StructureID})
		if err != nil {
			return view{}, err
		}
		if st[x.StructureID] != nil {
			rec.Facts = append(rec.Facts, fact{Label: "Structure", Value: st[x.StructureID].Name, Href: ficheURL("Structure", x.StructureID)})
		}
	}
	if access.AtLeast(ctx, access.Staff) {
		rec.Facts = append(rec.Facts, textFacts(fact{Label: "Courriel", Value: x.Email, Href: hrefIf(x.Email, "mailto:"+x.Email)},
			fact{Label: "Téléphone", Value: x.Phone})...)
		if !x.Consent {
			rec.Notice = "Cette personne n'a pas consenti à être montrée aux membres : fiche réservée à l'équipe."
		}
	}
	// A person's page is never unfurled with their details.
	return view{Title: x.Name, Description: "Contact du réseau Lianes coopération.", Body: rec}, nil
}
