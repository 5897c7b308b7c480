// Package reference holds the lists every record refers to: actor types,
// departments, audiences, themes and countries.
package reference

import (
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
)

// ActorType is one of the programme's 19 types of actors.
type ActorType struct {
	bun.BaseModel `bun:"table:actor_types,alias:at"`

	Code     string `bun:"code,pk" json:"code" yaml:"code"`
	Name     string `bun:"name,notnull" json:"name" yaml:"name"`
	Position int    `bun:"position,notnull" json:"position" yaml:"-"`
}

// Department is one of the five departments of Hauts-de-France.
type Department struct {
	bun.BaseModel `bun:"table:departments,alias:d"`

	Code string `bun:"code,pk" json:"code" yaml:"code"` // INSEE code
	Name string `bun:"name,notnull" json:"name" yaml:"name"`
	// PopulationShare is the department's share of the regional population,
	// in percent, as the programme gives it.
	PopulationShare int `bun:"population_share,notnull" json:"populationShare" yaml:"populationShare"`
}

// Audience is a public that events and calls address ("associations",
// "collectivités territoriales"...), with the actor types it covers.
type Audience struct {
	bun.BaseModel `bun:"table:audiences,alias:au"`

	Code       string   `bun:"code,pk" json:"code" yaml:"code"`
	Name       string   `bun:"name,notnull" json:"name" yaml:"name"`
	Position   int      `bun:"position,notnull" json:"position" yaml:"-"`
	ActorTypes []string `bun:"-" json:"actorTypes" yaml:"actorTypes"`
}

// Theme is a field of cooperation (eau et assainissement, énergie, ECSI...).
type Theme struct {
	bun.BaseModel `bun:"table:themes,alias:th"`

	Code     string `bun:"code,pk" json:"code" yaml:"code"`
	Name     string `bun:"name,notnull" json:"name" yaml:"name"`
	Position int    `bun:"position,notnull" json:"position" yaml:"-"`
}

// Country is a country by its ISO 3166 code, named in French.
type Country struct {
	bun.BaseModel `bun:"table:countries,alias:co"`

	Code string `bun:"code,pk" json:"code" yaml:"code"`
	Name string `bun:"name,notnull" json:"name" yaml:"name"`
}

// AudienceActorTypes ties audiences to the actor types they cover.
var AudienceActorTypes = db.Link{Table: "audience_actor_types", Owner: "audience_code", Value: "actor_type_code"}
