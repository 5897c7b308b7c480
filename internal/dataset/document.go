// Package dataset moves the whole network in and out of the database: the
// JSON export and import, the demo dataset of the 2021 programme, and the
// CSV import of structures from a CRM.
package dataset

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/observatory"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/reference"
	"github.com/lianes-cooperation/lianes/internal/support"
)

// Format names the version of the export document.
const Format = "lianes-export/1"

// Document is the whole dataset, one array per kind of record. Records refer
// to each other by id; reference lists by code.
type Document struct {
	Format string `json:"format"`

	ActorTypes  []reference.ActorType  `json:"actorTypes"`
	Departments []reference.Department `json:"departments"`
	Audiences   []reference.Audience   `json:"audiences"`
	Themes      []reference.Theme      `json:"themes"`
	Countries   []reference.Country    `json:"countries"`

	Structures           []network.Structure        `json:"structures"`
	Offices              []network.Office           `json:"offices"`
	Contacts             []network.Contact          `json:"contacts"`
	Partnerships         []network.Partnership      `json:"partnerships"`
	Projects             []project.Project          `json:"projects"`
	FundingCalls         []fundingcall.FundingCall  `json:"fundingCalls"`
	Events               []event.Event              `json:"events"`
	SupportSessions      []support.Session          `json:"supportSessions"`
	Trainings            []programme.TrainingCycle  `json:"trainings"`
	Publications         []programme.Publication    `json:"publications"`
	CensusCampaigns      []programme.CensusCampaign `json:"censusCampaigns"`
	ProgrammeActions     []programme.Action         `json:"programmeActions"`
	ObservatorySnapshots []observatory.Snapshot     `json:"observatorySnapshots"`
}

// Counts returns the number of records of each kind, by JSON name.
func (d *Document) Counts() map[string]int {
	return map[string]int{
		"actorTypes": len(d.ActorTypes), "departments": len(d.Departments), "audiences": len(d.Audiences),
		"themes": len(d.Themes), "countries": len(d.Countries), "structures": len(d.Structures),
		"offices": len(d.Offices), "contacts": len(d.Contacts), "partnerships": len(d.Partnerships),
		"projects": len(d.Projects), "fundingCalls": len(d.FundingCalls), "events": len(d.Events),
		"supportSessions": len(d.SupportSessions), "trainings": len(d.Trainings),
		"publications": len(d.Publications), "censusCampaigns": len(d.CensusCampaigns),
		"programmeActions": len(d.ProgrammeActions), "observatorySnapshots": len(d.ObservatorySnapshots),
	}
}

// CountsLine renders Counts as one readable line, kinds in alphabetical order.
func (d *Document) CountsLine() string {
	counts := d.Counts()
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	line := ""
	for i, k := range keys {
		if i > 0 {
			line += ", "
		}
		line += fmt.Sprintf("%s %d", k, counts[k])
	}
	return line
}

// WriteJSON writes the document as indented JSON, French text unescaped.
func (d *Document) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// ReadJSON reads a document written by WriteJSON. Unknown fields are refused,
// so that a typo in a hand-edited file is not silently dropped.
func ReadJSON(r io.Reader, name string) (*Document, error) {
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	var d Document
	if err := dec.Decode(&d); err != nil {
		return nil, fmt.Errorf("%s : JSON illisible : %w", name, err)
	}
	if d.Format != Format {
		return nil, fmt.Errorf("%s : format « %s » inconnu, attendu « %s »", name, d.Format, Format)
	}
	return &d, nil
}

// instant normalises a timestamp to what both databases keep: UTC, to the
// microsecond.
func instant(t time.Time) time.Time { return t.UTC().Truncate(time.Microsecond) }

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// normalise gives every list a value so that an export always has the same
// shape, and every timestamp the precision the databases keep.
func (d *Document) normalise() {
	d.Format = Format
	d.ActorTypes, d.Departments, d.Audiences = orEmpty(d.ActorTypes), orEmpty(d.Departments), orEmpty(d.Audiences)
	d.Themes, d.Countries = orEmpty(d.Themes), orEmpty(d.Countries)
	d.Structures, d.Offices, d.Contacts = orEmpty(d.Structures), orEmpty(d.Offices), orEmpty(d.Contacts)
	d.Partnerships, d.Projects, d.FundingCalls = orEmpty(d.Partnerships), orEmpty(d.Projects), orEmpty(d.FundingCalls)
	d.Events, d.SupportSessions, d.Trainings = orEmpty(d.Events), orEmpty(d.SupportSessions), orEmpty(d.Trainings)
	d.Publications, d.CensusCampaigns = orEmpty(d.Publications), orEmpty(d.CensusCampaigns)
	d.ProgrammeActions, d.ObservatorySnapshots = orEmpty(d.ProgrammeActions), orEmpty(d.ObservatorySnapshots)
	for i := range d.Audiences {
		d.Audiences[i].ActorTypes = orEmpty(d.Audiences[i].ActorTypes)
	}
	for i := range d.Structures {
		s := &d.Structures[i]
		s.OtherNames, s.Themes = orEmpty(s.OtherNames), orEmpty(s.Themes)
		s.CreatedAt, s.UpdatedAt = instant(s.CreatedAt), instant(s.UpdatedAt)
	}
	for i := range d.Contacts {
		c := &d.Contacts[i]
		c.CreatedAt, c.UpdatedAt = instant(c.CreatedAt), instant(c.UpdatedAt)
	}
	for i := range d.Partnerships {
		p := &d.Partnerships[i]
		p.CreatedAt, p.UpdatedAt = instant(p.CreatedAt), instant(p.UpdatedAt)
	}
	for i := range d.Projects {
		p := &d.Projects[i]
		p.PartnerIDs, p.Countries, p.Themes = orEmpty(p.PartnerIDs), orEmpty(p.Countries), orEmpty(p.Themes)
		p.CreatedAt, p.UpdatedAt = instant(p.CreatedAt), instant(p.UpdatedAt)
	}
	for i := range d.FundingCalls {
		f := &d.FundingCalls[i]
		f.Audiences, f.Themes, f.Countries = orEmpty(f.Audiences), orEmpty(f.Themes), orEmpty(f.Countries)
		f.CreatedAt, f.UpdatedAt = instant(f.CreatedAt), instant(f.UpdatedAt)
	}
	for i := range d.Events {
		e := &d.Events[i]
		e.Audiences, e.Themes, e.Countries = orEmpty(e.Audiences), orEmpty(e.Themes), orEmpty(e.Countries)
		e.OrganiserIDs, e.FundingCallIDs = orEmpty(e.OrganiserIDs), orEmpty(e.FundingCallIDs)
		e.CreatedAt, e.UpdatedAt = instant(e.CreatedAt), instant(e.UpdatedAt)
	}
	for i := range d.SupportSessions {
		s := &d.SupportSessions[i]
		s.CreatedAt, s.UpdatedAt = instant(s.CreatedAt), instant(s.UpdatedAt)
	}
	for i := range d.Trainings {
		d.Trainings[i].Modules = orEmpty(d.Trainings[i].Modules)
	}
	for i := range d.Publications {
		p := &d.Publications[i]
		p.CreatedAt, p.UpdatedAt = instant(p.CreatedAt), instant(p.UpdatedAt)
	}
	for i := range d.ProgrammeActions {
		a := &d.ProgrammeActions[i]
		a.Items, a.StructureIDs = orEmpty(a.Items), orEmpty(a.StructureIDs)
	}
	for i := range d.ObservatorySnapshots {
		s := &d.ObservatorySnapshots[i]
		s.TypeCounts, s.DepartmentCounts = orEmpty(s.TypeCounts), orEmpty(s.DepartmentCounts)
	}
}
