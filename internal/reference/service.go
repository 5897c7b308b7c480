package reference

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
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

// Load reads every reference list.
func Load(ctx context.Context, idb bun.IDB) (*Lists, error) {
	l := &Lists{}
	for _, q := range []struct {
		dest  any
		order string
	}{
		{&l.ActorTypes, "at.position"}, {&l.Departments, "d.code"}, {&l.Audiences, "au.position"},
		{&l.Themes, "th.position"}, {&l.Countries, db.Bytewise(idb, "co.code")},
	} {
		if err := idb.NewSelect().Model(q.dest).OrderExpr(q.order).Scan(ctx); err != nil {
			return nil, fmt.Errorf("reference lists: %w", err)
		}
	}
	links, err := db.LoadLinks[string](ctx, idb, db.Link{Table: "(SELECT a.position AS pos, aat.actor_type_code FROM audience_actor_types AS aat JOIN audiences AS a ON a.code = aat.audience_code) AS x", Owner: "pos", Value: "actor_type_code"})
	if err != nil {
		return nil, err
	}
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
		a.ActorTypes = links[int64(a.Position)]
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
