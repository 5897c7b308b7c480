package dataset

import (
	"bytes"
	"context"
	"embed"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"
	"go.yaml.in/yaml/v3"

	"github.com/lianes-cooperation/lianes/internal/audit"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/observatory"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/reference"
	"github.com/lianes-cooperation/lianes/internal/search"
	"github.com/lianes-cooperation/lianes/internal/support"
)

//go:embed data/*.yaml
var dataFiles embed.FS

const (
	referenceFile = "data/reference.yaml"
	demoPath      = "data/programme-2021.yaml"
	// DemoName is the name under which the demo dataset is recorded as seeded.
	DemoName = "programme-2021"
)

type referenceLists struct {
	ActorTypes  []reference.ActorType  `yaml:"actorTypes"`
	Departments []reference.Department `yaml:"departments"`
	Audiences   []reference.Audience   `yaml:"audiences"`
	Themes      []reference.Theme      `yaml:"themes"`
	Countries   []reference.Country    `yaml:"countries"`
}

// Reference returns the built-in reference lists as a document holding
// nothing else.
func Reference() (*Document, error) {
	raw, err := dataFiles.ReadFile(referenceFile)
	if err != nil {
		return nil, err
	}
	var lists referenceLists
	if err := strictYAML(raw, &lists); err != nil {
		return nil, fmt.Errorf("%s : %w", referenceFile, err)
	}
	d := &Document{
		ActorTypes: lists.ActorTypes, Departments: lists.Departments, Audiences: lists.Audiences,
		Themes: lists.Themes, Countries: lists.Countries,
	}
	for i := range d.ActorTypes {
		d.ActorTypes[i].Position = i + 1
	}
	for i := range d.Audiences {
		d.Audiences[i].Position = i + 1
	}
	for i := range d.Themes {
		d.Themes[i].Position = i + 1
	}
	d.normalise()
	return d, nil
}

func strictYAML(raw []byte, dest any) error {
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	return dec.Decode(dest)
}

// The demo file's shapes: what a person writes, resolved into a Document.
type (
	demoFile struct {
		Year             int               `yaml:"year"`
		TypeMapping      map[string]string `yaml:"typeMapping"`
		Structures       []demoStructure   `yaml:"structures"`
		Contacts         []demoContact     `yaml:"contacts"`
		Partnerships     []demoPartnership `yaml:"partnerships"`
		FundingCalls     []demoCall        `yaml:"fundingCalls"`
		Projects         []demoProject     `yaml:"projects"`
		Events           []demoEvent       `yaml:"events"`
		SupportSessions  []demoSession     `yaml:"supportSessions"`
		Trainings        []demoTraining    `yaml:"trainings"`
		Publications     []demoPublication `yaml:"publications"`
		CensusCampaigns  []demoCensus      `yaml:"censusCampaigns"`
		ProgrammeActions []demoAction      `yaml:"programmeActions"`
		Observatory      demoSnapshot      `yaml:"observatory"`
	}
	demoStructure struct {
		Name        string       `yaml:"name"`
		OtherNames  []string     `yaml:"otherNames"`
		Type        string       `yaml:"type"`
		Department  string       `yaml:"department"`
		Commune     string       `yaml:"commune"`
		Country     string       `yaml:"country"`
		Email       string       `yaml:"email"`
		Phone       string       `yaml:"phone"`
		Website     string       `yaml:"website"`
		Description string       `yaml:"description"`
		Themes      []string     `yaml:"themes"`
		Offices     []demoOffice `yaml:"offices"`
	}
	demoOffice struct {
		Name       string `yaml:"name"`
		Commune    string `yaml:"commune"`
		Department string `yaml:"department"`
		Address    string `yaml:"address"`
	}
	demoContact struct {
		Structure string `yaml:"structure"`
		Name      string `yaml:"name"`
		Role      string `yaml:"role"`
		Email     string `yaml:"email"`
		Phone     string `yaml:"phone"`
		Consent   bool   `yaml:"consent"`
	}
	demoPartnership struct {
		Structure   string `yaml:"structure"`
		Partner     string `yaml:"partner"`
		Kind        string `yaml:"kind"`
		Since       string `yaml:"since"`
		Description string `yaml:"description"`
	}
	demoCall struct {
		Key         string   `yaml:"key"`
		Title       string   `yaml:"title"`
		Funder      string   `yaml:"funder"`
		Programme   string   `yaml:"programme"`
		Description string   `yaml:"description"`
		Audience    string   `yaml:"audience"`
		Audiences   []string `yaml:"audiences"`
		Themes      []string `yaml:"themes"`
		Countries   []string `yaml:"countries"`
		Territory   string   `yaml:"territory"`
		Opens       string   `yaml:"opens"`
		Deadline    string   `yaml:"deadline"`
		Recurrence  string   `yaml:"recurrence"`
		URL         string   `yaml:"url"`
		Status      string   `yaml:"status"`
	}
	demoProject struct {
		Key         string   `yaml:"key"`
		Title       string   `yaml:"title"`
		Description string   `yaml:"description"`
		Lead        string   `yaml:"lead"`
		Partners    []string `yaml:"partners"`
		Countries   []string `yaml:"countries"`
		Themes      []string `yaml:"themes"`
		Status      string   `yaml:"status"`
		Starts      string   `yaml:"starts"`
		Ends        string   `yaml:"ends"`
	}
	demoEvent struct {
		Table      string   `yaml:"table"`
		Period     string   `yaml:"period"`
		Title      string   `yaml:"title"`
		Content    string   `yaml:"content"`
		Public     string   `yaml:"public"`
		Format     string   `yaml:"format"`
		Audiences  []string `yaml:"audiences"`
		Themes     []string `yaml:"themes"`
		Countries  []string `yaml:"countries"`
		Organisers []string `yaml:"organisers"`
		Calls      []string `yaml:"calls"`
		Online     *bool    `yaml:"online"`
		Place      string   `yaml:"place"`
		Status     string   `yaml:"status"`
		Note       string   `yaml:"note"`
	}
	demoSession struct {
		Structure  string `yaml:"structure"`
		Subject    string `yaml:"subject"`
		Department string `yaml:"department"`
		Type       string `yaml:"type"`
		Start      string `yaml:"start"`
		Call       string `yaml:"call"`
		Project    string `yaml:"project"`
	}
	demoTraining struct {
		Title       string   `yaml:"title"`
		Description string   `yaml:"description"`
		Modules     []string `yaml:"modules"`
	}
	demoPublication struct {
		Title       string `yaml:"title"`
		Series      string `yaml:"series"`
		Kind        string `yaml:"kind"`
		Date        string `yaml:"date"`
		Description string `yaml:"description"`
	}
	demoCensus struct {
		Title       string `yaml:"title"`
		Description string `yaml:"description"`
		Date        string `yaml:"date"`
	}
	demoAction struct {
		Title        string     `yaml:"title"`
		Axis         int        `yaml:"axis"`
		Description  string     `yaml:"description"`
		PlannedCount *int       `yaml:"plannedCount"`
		URL          string     `yaml:"url"`
		Date         string     `yaml:"date"`
		Structures   []string   `yaml:"structures"`
		Items        []demoItem `yaml:"items"`
	}
	demoSnapshot struct {
		TakenOn           string                `yaml:"takenOn"`
		Label             string                `yaml:"label"`
		Source            string                `yaml:"source"`
		StructuresTotal   *int                  `yaml:"structuresTotal"`
		StructuresRegion  *int                  `yaml:"structuresRegion"`
		Contacts          *int                  `yaml:"contacts"`
		Projects          *int                  `yaml:"projects"`
		SupportStructures *int                  `yaml:"supportStructures"`
		SupportHours      *int                  `yaml:"supportHours"`
		SupportAsOf       string                `yaml:"supportAsOf"`
		SupportStaff      *int                  `yaml:"supportStaff"`
		Note              string                `yaml:"note"`
		TypeCounts        map[string]int        `yaml:"typeCounts"`
		DepartmentCounts  []demoDepartmentCount `yaml:"departmentCounts"`
	}
	demoDepartmentCount struct {
		Department      string `yaml:"department"`
		Count           int    `yaml:"count"`
		StructureShare  int    `yaml:"structureShare"`
		PopulationShare int    `yaml:"populationShare"`
	}
)

// demoItem is an action item, written as a bare title or as a map.
type demoItem struct {
	Title       string `yaml:"title"`
	Description string `yaml:"description"`
}

// UnmarshalYAML accepts "Amiens" as well as {title: ..., description: ...}.
func (it *demoItem) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		it.Title = n.Value
		return nil
	}
	type plain demoItem
	return n.Decode((*plain)(it))
}

// builder resolves the names of the demo file into ids and codes, collecting
// every problem rather than stopping at the first.
type builder struct {
	ps   *Problems
	ref  *Document
	year int
	doc  *Document

	structures  map[string]int64 // folded name or other name -> id
	calls       map[string]int64 // key -> id
	projects    map[string]int64 // key -> id
	typeMapping map[string]string
	nextID      map[string]int64
	declared    map[int64]bool // structures of the structures list or of a support row
}

func (b *builder) id(kind string) int64 {
	b.nextID[kind]++
	return b.nextID[kind]
}

func (b *builder) period(w, field, label string) period.Period {
	p, err := period.Parse(label, b.year)
	if err != nil {
		b.ps.add(w, field, "%s", err)
	}
	return p
}

func (b *builder) structure(w, field, name string) int64 {
	if name == "" {
		return 0
	}
	id, ok := b.structures[search.Fold(name)]
	if !ok {
		b.ps.add(w, field, "structure « %s » inconnue", name)
	}
	return id
}

func (b *builder) structureList(w, field string, names []string) []int64 {
	var ids []int64
	for _, n := range names {
		if id := b.structure(w, field, n); id != 0 {
			ids = append(ids, id)
		}
	}
	return ids
}

// department accepts an INSEE code or a name.
func (b *builder) department(w, field, value string) string {
	value = strings.TrimSpace(value)
	if value == "" {
		return ""
	}
	for _, d := range b.ref.Departments {
		if d.Code == value || search.Fold(d.Name) == search.Fold(value) {
			return d.Code
		}
	}
	b.ps.add(w, field, "département « %s » inconnu", value)
	return ""
}

// country accepts an ISO code or a French name.
func (b *builder) country(w, field, value string) string {
	if value == "" {
		return ""
	}
	for _, c := range b.ref.Countries {
		if c.Code == strings.ToUpper(value) || search.Fold(c.Name) == search.Fold(value) {
			return c.Code
		}
	}
	b.ps.add(w, field, "pays « %s » inconnu", value)
	return ""
}

// actorType accepts a code, one of the 19 names, or a source name mapped by
// typeMapping.
func (b *builder) actorType(w, field, value string) string {
	if value == "" {
		return ""
	}
	for _, t := range b.ref.ActorTypes {
		if t.Code == value || search.Fold(t.Name) == search.Fold(value) {
			return t.Code
		}
	}
	if code, ok := b.typeMapping[value]; ok {
		return code
	}
	b.ps.add(w, field, "type d'acteur « %s » inconnu", value)
	return ""
}

func (b *builder) addStructure(s network.Structure) int64 {
	s.ID = b.id("structure")
	b.doc.Structures = append(b.doc.Structures, s)
	for _, n := range append([]string{s.Name}, s.OtherNames...) {
		b.structures[search.Fold(n)] = s.ID
	}
	return s.ID
}

// Demo builds the document of the 2021 programme from its data file.
func Demo() (*Document, error) {
	ref, err := Reference()
	if err != nil {
		return nil, err
	}
	raw, err := dataFiles.ReadFile(demoPath)
	if err != nil {
		return nil, err
	}
	var f demoFile
	if err := strictYAML(raw, &f); err != nil {
		return nil, fmt.Errorf("%s : %w", demoPath, err)
	}
	b := &builder{
		ps: &Problems{Source: demoPath}, ref: ref, year: f.Year,
		doc: &Document{
			ActorTypes: ref.ActorTypes, Departments: ref.Departments, Audiences: ref.Audiences,
			Themes: ref.Themes, Countries: ref.Countries,
		},
		structures: map[string]int64{}, calls: map[string]int64{}, projects: map[string]int64{},
		typeMapping: f.TypeMapping, nextID: map[string]int64{}, declared: map[int64]bool{},
	}
	for code := range f.TypeMapping {
		b.actorType("typeMapping", code, f.TypeMapping[code])
	}
	b.buildStructures(f)
	b.buildCalls(f)
	b.buildProjects(f)
	b.buildSessions(f) // creates the structures known only from the support table
	for _, s := range b.doc.Structures {
		if !b.declared[s.ID] {
			b.ps.add("projects", "lead/partners", "structure « %s » inconnue : ni dans structures, ni dans le tableau des accompagnements", s.Name)
		}
	}
	b.buildEvents(f)
	b.buildRest(f)
	if err := b.ps.err(); err != nil {
		return nil, err
	}
	b.doc.normalise()
	return b.doc, nil
}

func (b *builder) buildStructures(f demoFile) {
	for i, s := range f.Structures {
		w := where("structures", i, 0)
		id := b.addStructure(network.Structure{
			Name: s.Name, OtherNames: s.OtherNames, ActorType: b.actorType(w, "type", s.Type),
			Department: b.department(w, "department", s.Department), Commune: s.Commune,
			Country: b.country(w, "country", s.Country), Email: s.Email, Phone: s.Phone, Website: s.Website,
			Description: s.Description, Themes: s.Themes,
		})
		b.declared[id] = true
		for _, o := range s.Offices {
			b.doc.Offices = append(b.doc.Offices, network.Office{
				ID: b.id("office"), StructureID: id, Name: o.Name, Commune: o.Commune,
				Department: b.department(w, "offices", o.Department), Address: o.Address,
			})
		}
	}
	for i, c := range f.Contacts {
		w := where("contacts", i, 0)
		b.doc.Contacts = append(b.doc.Contacts, network.Contact{
			ID: b.id("contact"), StructureID: b.structure(w, "structure", c.Structure), Name: c.Name,
			Role: c.Role, Email: c.Email, Phone: c.Phone, Consent: c.Consent,
		})
	}
	for i, p := range f.Partnerships {
		w := where("partnerships", i, 0)
		b.doc.Partnerships = append(b.doc.Partnerships, network.Partnership{
			ID: b.id("partnership"), StructureID: b.structure(w, "structure", p.Structure),
			PartnerID: b.structure(w, "partner", p.Partner), Kind: p.Kind,
			Since: b.period(w, "since", p.Since), Description: p.Description,
		})
	}
}

func (b *builder) buildCalls(f demoFile) {
	for i, c := range f.FundingCalls {
		w := where("fundingCalls", i, 0)
		countries := make([]string, 0, len(c.Countries))
		for _, name := range c.Countries {
			countries = append(countries, b.country(w, "countries", name))
		}
		status := c.Status
		if status == "" {
			status = fundingcall.StatusActive
		}
		id := b.id("call")
		b.calls[c.Key] = id
		b.doc.FundingCalls = append(b.doc.FundingCalls, fundingcall.FundingCall{
			ID: id, Title: c.Title, Funder: c.Funder, Programme: c.Programme, Description: c.Description,
			AudienceText: c.Audience, Audiences: c.Audiences, Themes: c.Themes, Countries: countries,
			Territory: c.Territory, Opens: b.period(w, "opens", c.Opens), Deadline: b.period(w, "deadline", c.Deadline),
			Recurrence: c.Recurrence, URL: c.URL, Status: status,
		})
	}
}

func (b *builder) buildProjects(f demoFile) {
	for i, p := range f.Projects {
		w := where("projects", i, 0)
		countries := make([]string, 0, len(p.Countries))
		for _, name := range p.Countries {
			countries = append(countries, b.country(w, "countries", name))
		}
		status := p.Status
		if status == "" {
			status = project.StatusActive
		}
		id := b.id("project")
		b.projects[p.Key] = id
		b.doc.Projects = append(b.doc.Projects, project.Project{
			ID: id, Title: p.Title, Description: p.Description, LeadID: b.structureOrNew(p.Lead),
			PartnerIDs: b.structuresOrNew(p.Partners), Countries: countries, Themes: p.Themes, Status: status,
			Starts: b.period(w, "starts", p.Starts), Ends: b.period(w, "ends", p.Ends),
		})
	}
}

// structureOrNew finds a structure by name, or reserves it for the support
// row that will describe it. Projects come from support rows, so their
// structures may be known only from there.
func (b *builder) structureOrNew(name string) int64 {
	if name == "" {
		return 0
	}
	if id, ok := b.structures[search.Fold(name)]; ok {
		return id
	}
	return b.addStructure(network.Structure{Name: name})
}

func (b *builder) structuresOrNew(names []string) []int64 {
	var ids []int64
	for _, n := range names {
		ids = append(ids, b.structureOrNew(n))
	}
	return ids
}

func (b *builder) buildSessions(f demoFile) {
	type sessionKey struct {
		structure      int64
		subject, start string
	}
	seen := map[sessionKey]bool{}
	described := map[int64]bool{} // structures whose type and department are set
	for _, s := range b.doc.Structures {
		if s.ActorType != "" || s.Department != "" {
			described[s.ID] = true
		}
	}
	for i, s := range f.SupportSessions {
		w := where("supportSessions", i, 0)
		typeCode := b.actorType(w, "type", s.Type)
		dept := b.department(w, "department", s.Department)
		id := b.structureOrNew(s.Structure)
		b.declared[id] = true
		if !described[id] {
			st := &b.doc.Structures[id-1]
			st.ActorType, st.Department = typeCode, dept
			if typeCode != "" && !b.isTypeName(s.Type) {
				st.SourceType = s.Type
			}
			described[id] = true
		}
		key := sessionKey{id, s.Subject, s.Start}
		if seen[key] {
			continue // the same session written twice (MEL / Métropole Européenne de Lille)
		}
		seen[key] = true
		session := support.Session{
			ID: b.id("session"), StructureID: id, Subject: s.Subject, Department: dept, SourceType: s.Type,
			Date: b.period(w, "start", s.Start),
		}
		if s.Call != "" {
			if session.FundingCallID = b.calls[s.Call]; session.FundingCallID == 0 {
				b.ps.add(w, "call", "appel à projets « %s » inconnu", s.Call)
			}
		}
		if s.Project != "" {
			if session.ProjectID = b.projects[s.Project]; session.ProjectID == 0 {
				b.ps.add(w, "project", "projet « %s » inconnu", s.Project)
			}
		}
		b.doc.SupportSessions = append(b.doc.SupportSessions, session)
	}
}

func (b *builder) isTypeName(value string) bool {
	for _, t := range b.ref.ActorTypes {
		if search.Fold(t.Name) == search.Fold(value) {
			return true
		}
	}
	return false
}

func (b *builder) buildEvents(f demoFile) {
	lianes := b.structures[search.Fold("Lianes coopération")]
	for i, e := range f.Events {
		w := where("events", i, 0)
		organisers := []int64{lianes}
		if len(e.Organisers) > 0 {
			organisers = b.structureList(w, "organisers", e.Organisers)
		}
		var calls []int64
		for _, key := range e.Calls {
			id, ok := b.calls[key]
			if !ok {
				b.ps.add(w, "calls", "appel à projets « %s » inconnu", key)
			}
			calls = append(calls, id)
		}
		countries := make([]string, 0, len(e.Countries))
		for _, name := range e.Countries {
			countries = append(countries, b.country(w, "countries", name))
		}
		status := e.Status
		if status == "" {
			status = event.StatusProvisional // "Ce calendrier prévisionnel et donc sujet à évolutions."
		}
		online := e.Online
		if online == nil && e.Table == event.KindWebinar {
			yes := true // webinaires are online by definition
			online = &yes
		}
		b.doc.Events = append(b.doc.Events, event.Event{
			ID: b.id("event"), Kind: e.Table, Format: e.Format, Title: e.Title, Content: e.Content,
			AudienceText: e.Public, Audiences: e.Audiences, Themes: e.Themes, Countries: countries,
			OrganiserIDs: organisers, FundingCallIDs: calls, Online: online, Place: e.Place, Status: status,
			Date: b.period(w, "period", e.Period), Note: e.Note,
		})
	}
}

func (b *builder) buildRest(f demoFile) {
	for i, t := range f.Trainings {
		cycle := programme.TrainingCycle{ID: b.id("training"), Title: t.Title, Description: t.Description, Position: i + 1}
		for j, m := range t.Modules {
			cycle.Modules = append(cycle.Modules, programme.TrainingModule{ID: b.id("module"), Position: j + 1, Title: m})
		}
		b.doc.Trainings = append(b.doc.Trainings, cycle)
	}
	for i, p := range f.Publications {
		w := where("publications", i, 0)
		b.doc.Publications = append(b.doc.Publications, programme.Publication{
			ID: b.id("publication"), Title: p.Title, Series: p.Series, Kind: p.Kind, Description: p.Description,
			Date: b.period(w, "date", p.Date),
		})
	}
	for i, c := range f.CensusCampaigns {
		w := where("censusCampaigns", i, 0)
		b.doc.CensusCampaigns = append(b.doc.CensusCampaigns, programme.CensusCampaign{
			ID: b.id("census"), Title: c.Title, Description: c.Description, Date: b.period(w, "date", c.Date),
		})
	}
	for i, a := range f.ProgrammeActions {
		w := where("programmeActions", i, 0)
		action := programme.Action{
			ID: b.id("action"), Title: a.Title, Axis: a.Axis, Description: a.Description,
			PlannedCount: a.PlannedCount, URL: a.URL, Date: b.period(w, "date", a.Date),
			StructureIDs: b.structureList(w, "structures", a.Structures),
		}
		for j, it := range a.Items {
			action.Items = append(action.Items, programme.ActionItem{
				ID: b.id("item"), Position: j + 1, Title: it.Title, Description: it.Description,
			})
		}
		b.doc.ProgrammeActions = append(b.doc.ProgrammeActions, action)
	}
	o := f.Observatory
	w := "observatory"
	snap := observatory.Snapshot{
		ID: b.id("snapshot"), TakenOn: period.Date(o.TakenOn), Label: o.Label, Source: o.Source,
		StructuresTotal: o.StructuresTotal, StructuresRegion: o.StructuresRegion, Contacts: o.Contacts,
		Projects: o.Projects, SupportStructures: o.SupportStructures, SupportHours: o.SupportHours,
		SupportAsOf: period.Date(o.SupportAsOf), SupportStaff: o.SupportStaff, Note: o.Note,
	}
	for _, t := range b.ref.ActorTypes { // in the programme's order
		if n, ok := o.TypeCounts[t.Code]; ok {
			snap.TypeCounts = append(snap.TypeCounts, observatory.TypeCount{ActorType: t.Code, Count: n})
		}
	}
	for code := range o.TypeCounts {
		b.actorType(w, "typeCounts", code)
	}
	for _, c := range o.DepartmentCounts {
		snap.DepartmentCounts = append(snap.DepartmentCounts, observatory.DepartmentCount{
			Department: b.department(w, "departmentCounts", c.Department), Count: c.Count,
			StructureShare: c.StructureShare, PopulationShare: c.PopulationShare,
		})
	}
	sortDepartmentCounts(snap.DepartmentCounts)
	b.doc.ObservatorySnapshots = append(b.doc.ObservatorySnapshots, snap)
}

func sortDepartmentCounts(cs []observatory.DepartmentCount) {
	for i := 1; i < len(cs); i++ {
		for j := i; j > 0 && cs[j].Department < cs[j-1].Department; j-- {
			cs[j], cs[j-1] = cs[j-1], cs[j]
		}
	}
}

// SeedResult says what a seed did.
type SeedResult struct {
	AlreadySeeded bool
	Document      *Document
}

// SeedDemo loads the 2021 programme into a database without records, in one
// transaction. Seeding a database that already holds it changes nothing.
func SeedDemo(ctx context.Context, bdb *bun.DB, now time.Time) (SeedResult, error) {
	doc, err := Demo()
	if err != nil {
		return SeedResult{}, err
	}
	done, err := bdb.NewSelect().TableExpr("dataset_seeds").Where("name = ?", DemoName).Exists(ctx)
	if err != nil {
		return SeedResult{}, fmt.Errorf("dataset: seed: %w", err)
	}
	if done {
		return SeedResult{AlreadySeeded: true, Document: doc}, nil
	}
	if err := Validate(doc, demoPath); err != nil {
		return SeedResult{}, err
	}
	doc.fillDefaults(now)
	err = bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		empty, err := isEmpty(ctx, tx)
		if err != nil {
			return err
		}
		if !empty {
			return fmt.Errorf("%w (les données de démonstration se chargent dans une base neuve)", ErrNotEmpty)
		}
		if err := importTx(ctx, tx, doc); err != nil {
			return err
		}
		if err := audit.Record(ctx, tx, now, audit.ActionImport, "dataset", 0, nil, nil,
			"chargement du programme d'action 2021 : "+doc.CountsLine()); err != nil {
			return err
		}
		_, err = tx.NewInsert().TableExpr("dataset_seeds").
			Model(&map[string]any{"name": DemoName, "applied_at": instant(now)}).Exec(ctx)
		return err
	})
	if err != nil {
		return SeedResult{}, fmt.Errorf("dataset: seed: %w", err)
	}
	return SeedResult{Document: doc}, db.Analyze(ctx, bdb)
}

// SeedReference loads the built-in reference lists; it is what a database
// needs before structures can be imported from a CRM.
func SeedReference(ctx context.Context, bdb *bun.DB) error {
	ref, err := Reference()
	if err != nil {
		return err
	}
	return bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		return UpsertReference(ctx, tx, ref)
	})
}
