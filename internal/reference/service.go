package reference

import (
	"context"
	"fmt"
	"sort"

	"github.com/uptrace/bun"
)

// Lists are all the reference lists, read together: they are small.
type Lists struct {
	ActorTypes  []ActorType
	Departments []Department
	Audiences   []Audience
	Themes      []Theme
	Countries   []Country

	actorTypes  map[string]*ActorType
	departments map[string]*Department
	audiences   map[string]*Audience
	themes      map[string]*Theme
	countries   map[string]*Country
}

// Load reads every reference list in one statement: they are small, and a
// request that shows a theme and a department should not pay for six reads.
func Load(ctx context.Context, idb bun.IDB) (*Lists, error) {
	rows, err := idb.QueryContext(ctx, `
		SELECT 'a' AS kind, code, name, position AS num, '' AS extra FROM actor_types
		UNION ALL SELECT 'd', code, name, population_share, '' FROM departments
		UNION ALL SELECT 'u', code, name, position, '' FROM audiences
		UNION ALL SELECT 't', code, name, position, '' FROM themes
		UNION ALL SELECT 'c', code, name, 0, '' FROM countries
		UNION ALL SELECT 'l', audience_code, '', 0, actor_type_code FROM audience_actor_types`)
	if err != nil {
		return nil, fmt.Errorf("reference lists: %w", err)
	}
	defer rows.Close()
	l := &Lists{}
	links := map[string][]string{}
	for rows.Next() {
		var kind, code, name, extra string
		var num int
		if err := rows.Scan(&kind, &code, &name, &num, &extra); err != nil {
			return nil, fmt.Errorf("reference lists: %w", err)
		}
		switch kind {
		case "a":
			l.ActorTypes = append(l.ActorTypes, ActorType{Code: code, Name: name, Position: num})
		case "d":
			l.Departments = append(l.Departments, Department{Code: code, Name: name, PopulationShare: num})
		case "u":
			l.Audiences = append(l.Audiences, Audience{Code: code, Name: name, Position: num})
		case "t":
			l.Themes = append(l.Themes, Theme{Code: code, Name: name, Position: num})
		case "c":
			l.Countries = append(l.Countries, Country{Code: code, Name: name})
		case "l":
			links[code] = append(links[code], extra)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("reference lists: %w", err)
	}
	// Ordered here rather than in SQL, so that both databases agree.
	sort.Slice(l.ActorTypes, func(i, j int) bool { return l.ActorTypes[i].Position < l.ActorTypes[j].Position })
	sort.Slice(l.Departments, func(i, j int) bool { return l.Departments[i].Code < l.Departments[j].Code })
	sort.Slice(l.Audiences, func(i, j int) bool { return l.Audiences[i].Position < l.Audiences[j].Position })
	sort.Slice(l.Themes, func(i, j int) bool { return l.Themes[i].Position < l.Themes[j].Position })
	sort.Slice(l.Countries, func(i, j int) bool { return l.Countries[i].Code < l.Countries[j].Code })
	l.actorTypes, l.departments = map[string]*ActorType{}, map[string]*Department{}
	l.audiences, l.themes, l.countries = map[string]*Audience{}, map[string]*Theme{}, map[string]*Country{}
	for i := range l.ActorTypes {
		l.actorTypes[l.ActorTypes[i].Code] = &l.ActorTypes[i]
	}
	for i := range l.Departments {
		l.departments[l.Departments[i].Code] = &l.Departments[i]
	}
	for i := range l.Audiences {
		a := &l.Audiences[i]
		a.ActorTypes = links[a.Code]
		sort.Strings(a.ActorTypes)
		l.audiences[a.Code] = a
	}
	for i := range l.Themes {
		l.themes[l.Themes[i].Code] = &l.Themes[i]
	}
	for i := range l.Countries {
		l.countries[l.Countries[i].Code] = &l.Countries[i]
	}
	return l, nil
}

// ActorType returns the actor type of a code, or nil.
func (l *Lists) ActorType(code string) *ActorType { return l.actorTypes[code] }

// Department returns the department of a code, or nil.
func (l *Lists) Department(code string) *Department { return l.departments[code] }

// Audience returns the audience of a code, or nil.
func (l *Lists) Audience(code string) *Audience { return l.audiences[code] }

// Theme returns the theme of a code, or nil.
func (l *Lists) Theme(code string) *Theme { return l.themes[code] }

// Country returns the country of a code, or nil.
func (l *Lists) Country(code string) *Country { return l.countries[code] }

// ThemesOf maps codes to themes, skipping unknown ones.
func (l *Lists) ThemesOf(codes []string) []Theme {
	out := make([]Theme, 0, len(codes))
	for _, c := range codes {
		if t := l.themes[c]; t != nil {
			out = append(out, *t)
		}
	}
	return out
}

// CountriesOf maps codes to countries, skipping unknown ones.
func (l *Lists) CountriesOf(codes []string) []Country {
	out := make([]Country, 0, len(codes))
	for _, c := range codes {
		if t := l.countries[c]; t != nil {
			out = append(out, *t)
		}
	}
	return out
}

// AudiencesOf maps codes to audiences, skipping unknown ones.
func (l *Lists) AudiencesOf(codes []string) []Audience {
	out := make([]Audience, 0, len(codes))
	for _, c := range codes {
		if t := l.audiences[c]; t != nil {
			out = append(out, *t)
		}
	}
	return out
}

// ActorTypesOf maps codes to actor types, skipping unknown ones.
func (l *Lists) ActorTypesOf(codes []string) []ActorType {
	out := make([]ActorType, 0, len(codes))
	for _, c := range codes {
		if t := l.actorTypes[c]; t != nil {
			out = append(out, *t)
		}
	}
	return out
}
