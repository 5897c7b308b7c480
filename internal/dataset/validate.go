package dataset

import (
	"fmt"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
)

// Problem is one thing wrong in an input, located by record and field.
type Problem struct {
	Where   string // "structures[3] (id 12)", "ligne 4"
	Field   string
	Message string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Where)
	if p.Field != "" {
		fmt.Fprintf(&b, ", champ « %s »", p.Field)
	}
	b.WriteString(" : ")
	b.WriteString(p.Message)
	return b.String()
}

// Problems is the list of everything wrong in an input. Nothing of an input
// with problems is written.
type Problems struct {
	Source string // the file
	List   []Problem
}

// maxShown bounds the message: a broken file of 10 000 rows should not print
// 10 000 lines.
const maxShown = 20

func (ps *Problems) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s : %d erreur(s), rien n'a été importé", ps.Source, len(ps.List))
	for i, p := range ps.List {
		if i == maxShown {
			fmt.Fprintf(&b, "\n  … et %d autre(s)", len(ps.List)-maxShown)
			break
		}
		b.WriteString("\n  ")
		b.WriteString(p.String())
	}
	return b.String()
}

func (ps *Problems) add(where, field, format string, args ...any) {
	ps.List = append(ps.List, Problem{Where: where, Field: field, Message: fmt.Sprintf(format, args...)})
}

func (ps *Problems) err() error {
	if len(ps.List) == 0 {
		return nil
	}
	return ps
}

type validator struct {
	ps                                                    *Problems
	actorTypes, departments, audiences, themes, countries map[string]bool
	structures, projects, calls                           map[int64]bool
}

func codeSet[T any](items []T, code func(T) string) map[string]bool {
	m := make(map[string]bool, len(items))
	for _, it := range items {
		m[code(it)] = true
	}
	return m
}

func where(kind string, i int, id int64) string {
	if id == 0 {
		return fmt.Sprintf("%s[%d]", kind, i)
	}
	return fmt.Sprintf("%s[%d] (id %d)", kind, i, id)
}

func (v *validator) codes(w, field, what string, known map[string]bool, codes ...string) {
	seen := map[string]bool{}
	for _, c := range codes {
		if c == "" {
			continue
		}
		if !known[c] {
			v.ps.add(w, field, "%s « %s » inconnu", what, c)
		}
		if seen[c] {
			v.ps.add(w, field, "%s « %s » en double", what, c)
		}
		seen[c] = true
	}
}

func (v *validator) refs(w, field, what string, known map[int64]bool, ids ...int64) {
	for _, id := range ids {
		if id != 0 && !known[id] {
			v.ps.add(w, field, "%s %d inexistant(e)", what, id)
		}
	}
}

func (v *validator) text(w, field, value string) {
	if strings.TrimSpace(value) == "" {
		v.ps.add(w, field, "ne doit pas être vide")
	}
}

func (v *validator) period(w, field string, p period.Period) {
	if err := p.Validate(); err != nil {
		v.ps.add(w, field, "%s", err)
	}
}

func (v *validator) oneOf(w, field, value string, allowed map[string]string) {
	if _, ok := allowed[value]; !ok {
		keys := make([]string, 0, len(allowed))
		for k := range allowed {
			keys = append(keys, k)
		}
		v.ps.add(w, field, "valeur « %s » inconnue (attendu : %s)", value, strings.Join(sortedStrings(keys), ", "))
	}
}

// ids checks that ids are positive and unique, and returns them.
func ids[T any](ps *Problems, kind string, items []T, id func(T) int64) map[int64]bool {
	seen := make(map[int64]bool, len(items))
	for i, it := range items {
		n := id(it)
		switch {
		case n <= 0:
			ps.add(where(kind, i, 0), "id", "doit être un entier positif")
		case seen[n]:
			ps.add(where(kind, i, n), "id", "id %d en double", n)
		}
		seen[n] = true
	}
	return seen
}

var projectStatuses = map[string]string{
	project.StatusPlanned: "en projet", project.StatusActive: "en cours", project.StatusFinished: "terminé",
}

var callStatuses = map[string]string{
	fundingcall.StatusActive: "actif", fundingcall.StatusClosed: "clos", fundingcall.StatusCancelled: "annulé",
}

// Validate checks a whole document: required fields, known codes, existing
// references, coherent dates. It returns *Problems.
func Validate(d *Document, source string) error {
	ps := &Problems{Source: source}
	v := &validator{ps: ps}

	for i, a := range d.ActorTypes {
		v.text(where("actorTypes", i, 0), "code", a.Code)
		v.text(where("actorTypes", i, 0), "name", a.Name)
	}
	for i, dep := range d.Departments {
		v.text(where("departments", i, 0), "code", dep.Code)
		v.text(where("departments", i, 0), "name", dep.Name)
		if dep.PopulationShare < 0 || dep.PopulationShare > 100 {
			ps.add(where("departments", i, 0), "populationShare", "doit être entre 0 et 100")
		}
	}
	v.actorTypes = codeSet(d.ActorTypes, func(a refActorType) string { return a.Code })
	v.departments = codeSet(d.Departments, func(a refDepartment) string { return a.Code })
	v.audiences = codeSet(d.Audiences, func(a refAudience) string { return a.Code })
	v.themes = codeSet(d.Themes, func(a refTheme) string { return a.Code })
	v.countries = codeSet(d.Countries, func(a refCountry) string { return a.Code })
	for i, a := range d.Audiences {
		w := where("audiences", i, 0)
		v.text(w, "code", a.Code)
		v.text(w, "name", a.Name)
		v.codes(w, "actorTypes", "type d'acteur", v.actorTypes, a.ActorTypes...)
	}
	for i, t := range d.Themes {
		v.text(where("themes", i, 0), "name", t.Name)
	}
	for i, c := range d.Countries {
		v.text(where("countries", i, 0), "name", c.Name)
	}

	v.structures = ids(ps, "structures", d.Structures, func(s refStructure) int64 { return s.ID })
	v.projects = ids(ps, "projects", d.Projects, func(p refProject) int64 { return p.ID })
	v.calls = ids(ps, "fundingCalls", d.FundingCalls, func(f refCall) int64 { return f.ID })

	for i, s := range d.Structures {
		w := where("structures", i, s.ID)
		v.text(w, "name", s.Name)
		v.codes(w, "actorType", "type d'acteur", v.actorTypes, s.ActorType)
		v.codes(w, "department", "département", v.departments, s.Department)
		v.codes(w, "country", "pays", v.countries, s.Country)
		v.codes(w, "themes", "thème", v.themes, s.Themes...)
		for _, n := range s.OtherNames {
			v.text(w, "otherNames", n)
		}
	}
	ids(ps, "offices", d.Offices, func(o refOffice) int64 { return o.ID })
	for i, o := range d.Offices {
		w := where("offices", i, o.ID)
		v.text(w, "name", o.Name)
		v.refs(w, "structure", "structure", v.structures, o.StructureID)
		v.codes(w, "department", "département", v.departments, o.Department)
	}
	ids(ps, "contacts", d.Contacts, func(c refContact) int64 { return c.ID })
	for i, c := range d.Contacts {
		w := where("contacts", i, c.ID)
		v.text(w, "name", c.Name)
		v.refs(w, "structure", "structure", v.structures, c.StructureID)
	}
	ids(ps, "partnerships", d.Partnerships, func(p refPartnership) int64 { return p.ID })
	for i, p := range d.Partnerships {
		w := where("partnerships", i, p.ID)
		v.text(w, "kind", p.Kind)
		v.refs(w, "structure", "structure", v.structures, p.StructureID)
		v.refs(w, "partner", "structure", v.structures, p.PartnerID)
		if p.StructureID == 0 || p.PartnerID == 0 {
			ps.add(w, "partner", "un partenariat relie deux structures")
		}
		if p.StructureID == p.PartnerID {
			ps.add(w, "partner", "une structure ne peut pas être sa propre partenaire")
		}
		v.period(w, "since", p.Since)
	}
	for i, p := range d.Projects {
		w := where("projects", i, p.ID)
		v.text(w, "title", p.Title)
		v.refs(w, "lead", "structure", v.structures, p.LeadID)
		v.refs(w, "partners", "structure", v.structures, p.PartnerIDs...)
		v.codes(w, "countries", "pays", v.countries, p.Countries...)
		v.codes(w, "themes", "thème", v.themes, p.Themes...)
		v.oneOf(w, "status", p.Status, projectStatuses)
		v.period(w, "starts", p.Starts)
		v.period(w, "ends", p.Ends)
		if p.Starts.IsFixed() && p.Ends.IsFixed() && p.Ends.To < p.Starts.From {
			ps.add(w, "ends", "la fin (%s) précède le début (%s)", p.Ends, p.Starts)
		}
	}
	for i, f := range d.FundingCalls {
		w := where("fundingCalls", i, f.ID)
		v.text(w, "title", f.Title)
		v.oneOf(w, "territory", f.Territory, fundingcall.Territories)
		v.oneOf(w, "status", f.Status, callStatuses)
		v.codes(w, "audiences", "public", v.audiences, f.Audiences...)
		v.codes(w, "themes", "thème", v.themes, f.Themes...)
		v.codes(w, "countries", "pays", v.countries, f.Countries...)
		v.period(w, "opens", f.Opens)
		v.period(w, "deadline", f.Deadline)
		if f.Opens.IsFixed() && f.Deadline.IsFixed() && f.Deadline.To < f.Opens.From {
			ps.add(w, "deadline", "la date limite (%s) précède l'ouverture (%s)", f.Deadline, f.Opens)
		}
	}
	ids(ps, "events", d.Events, func(e refEvent) int64 { return e.ID })
	for i, e := range d.Events {
		w := where("events", i, e.ID)
		v.text(w, "title", e.Title)
		v.oneOf(w, "kind", e.Kind, event.Kinds)
		v.oneOf(w, "status", e.Status, event.Statuses)
		v.codes(w, "audiences", "public", v.audiences, e.Audiences...)
		v.codes(w, "themes", "thème", v.themes, e.Themes...)
		v.codes(w, "countries", "pays", v.countries, e.Countries...)
		v.refs(w, "organisers", "structure", v.structures, e.OrganiserIDs...)
		v.refs(w, "fundingCalls", "appel à projets", v.calls, e.FundingCallIDs...)
		v.period(w, "date", e.Date)
	}
	ids(ps, "supportSessions", d.SupportSessions, func(s refSession) int64 { return s.ID })
	for i, s := range d.SupportSessions {
		w := where("supportSessions", i, s.ID)
		v.text(w, "subject", s.Subject)
		if s.StructureID == 0 {
			ps.add(w, "structure", "un accompagnement concerne une structure")
		}
		v.refs(w, "structure", "structure", v.structures, s.StructureID)
		v.codes(w, "department", "département", v.departments, s.Department)
		v.refs(w, "fundingCall", "appel à projets", v.calls, s.FundingCallID)
		v.refs(w, "project", "projet", v.projects, s.ProjectID)
		v.period(w, "date", s.Date)
		if s.DurationMinutes != nil && *s.DurationMinutes <= 0 {
			ps.add(w, "durationMinutes", "doit être positive")
		}
	}
	ids(ps, "trainings", d.Trainings, func(t programme.TrainingCycle) int64 { return t.ID })
	var modules []programme.TrainingModule
	for i, t := range d.Trainings {
		w := where("trainings", i, t.ID)
		v.text(w, "title", t.Title)
		for j, m := range t.Modules {
			v.text(fmt.Sprintf("%s.modules[%d]", w, j), "title", m.Title)
		}
		modules = append(modules, t.Modules...)
	}
	ids(ps, "trainings[].modules", modules, func(m programme.TrainingModule) int64 { return m.ID })
	ids(ps, "publications", d.Publications, func(p programme.Publication) int64 { return p.ID })
	for i, p := range d.Publications {
		w := where("publications", i, p.ID)
		v.text(w, "title", p.Title)
		v.oneOf(w, "kind", p.Kind, programme.PublicationKinds)
		v.period(w, "date", p.Date)
	}
	ids(ps, "censusCampaigns", d.CensusCampaigns, func(c programme.CensusCampaign) int64 { return c.ID })
	for i, c := range d.CensusCampaigns {
		w := where("censusCampaigns", i, c.ID)
		v.text(w, "title", c.Title)
		v.period(w, "date", c.Date)
	}
	ids(ps, "programmeActions", d.ProgrammeActions, func(a programme.Action) int64 { return a.ID })
	var items []programme.ActionItem
	for i, a := range d.ProgrammeActions {
		w := where("programmeActions", i, a.ID)
		v.text(w, "title", a.Title)
		if a.Axis < 1 || a.Axis > 4 {
			ps.add(w, "axis", "le programme a 4 axes : %d n'en est pas un", a.Axis)
		}
		v.refs(w, "structures", "structure", v.structures, a.StructureIDs...)
		v.period(w, "date", a.Date)
		for j, it := range a.Items {
			v.text(fmt.Sprintf("%s.items[%d]", w, j), "title", it.Title)
		}
		items = append(items, a.Items...)
	}
	ids(ps, "programmeActions[].items", items, func(it programme.ActionItem) int64 { return it.ID })
	ids(ps, "observatorySnapshots", d.ObservatorySnapshots, func(s refSnapshot) int64 { return s.ID })
	for i, s := range d.ObservatorySnapshots {
		w := where("observatorySnapshots", i, s.ID)
		v.text(w, "label", s.Label)
		if _, err := period.ParseDate(string(s.TakenOn)); err != nil {
			ps.add(w, "takenOn", "%s", err)
		}
		for _, c := range s.TypeCounts {
			v.codes(w, "typeCounts", "type d'acteur", v.actorTypes, c.ActorType)
		}
		for _, c := range s.DepartmentCounts {
			v.codes(w, "departmentCounts", "département", v.departments, c.Department)
		}
	}
	return ps.err()
}
