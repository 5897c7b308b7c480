// Package network holds the actors of the network: structures, their
// offices, their contacts and the partnerships between them.
package network

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// Structure is an organisation of the network, in the region or abroad.
type Structure struct {
	bun.BaseModel `bun:"table:structures,alias:s"`

	ID   int64  `bun:"id,pk,autoincrement" json:"id"`
	Name string `bun:"name,notnull" json:"name"`
	// SortName is the folded name, ordered byte-wise the same on both databases.
	SortName string `bun:"sort_name,notnull" json:"-"`
	// OtherNames are acronyms and other spellings used to find it ("MEL").
	OtherNames []string `bun:"-" json:"otherNames"`
	ActorType  string   `bun:"actor_type_code,nullzero" json:"actorType,omitempty"`
	// SourceType is the type as the source wrote it, when it had to be mapped
	// to one of the 19 types.
	SourceType  string    `bun:"source_type,notnull" json:"sourceType,omitempty"`
	Department  string    `bun:"department_code,nullzero" json:"department,omitempty"`
	Commune     string    `bun:"commune,notnull" json:"commune,omitempty"`
	Country     string    `bun:"country_code,nullzero" json:"country,omitempty"`
	Email       string    `bun:"email,notnull" json:"email,omitempty"`
	Phone       string    `bun:"phone,notnull" json:"phone,omitempty"`
	Website     string    `bun:"website,notnull" json:"website,omitempty"`
	Description string    `bun:"description,notnull" json:"description,omitempty"`
	Themes      []string  `bun:"-" json:"themes"`
	Version     int       `bun:"version,notnull" json:"version"`
	CreatedAt   time.Time `bun:"created_at,notnull" json:"createdAt"`
	UpdatedAt   time.Time `bun:"updated_at,notnull" json:"updatedAt"`
}

// Office is a place where a structure receives the public (an antenne).
type Office struct {
	bun.BaseModel `bun:"table:structure_offices,alias:so"`

	ID          int64  `bun:"id,pk,autoincrement" json:"id"`
	StructureID int64  `bun:"structure_id,notnull" json:"structure"`
	Name        string `bun:"name,notnull" json:"name"`
	Commune     string `bun:"commune,notnull" json:"commune,omitempty"`
	Department  string `bun:"department_code,nullzero" json:"department,omitempty"`
	Address     string `bun:"address,notnull" json:"address,omitempty"`
}

// Contact is a named person. Everything about a contact is personal data.
type Contact struct {
	bun.BaseModel `bun:"table:contacts,alias:c"`

	ID          int64  `bun:"id,pk,autoincrement" json:"id"`
	StructureID int64  `bun:"structure_id,nullzero" json:"structure,omitempty"`
	Name        string `bun:"name,notnull" json:"name"`
	// SortName is the folded name, ordered byte-wise the same on both databases.
	SortName string `bun:"sort_name,notnull" json:"-"`
	Role     string `bun:"role,notnull" json:"role,omitempty"`
	Email    string `bun:"email,notnull" json:"email,omitempty"`
	Phone    string `bun:"phone,notnull" json:"phone,omitempty"`
	// Consent says the person agreed to be shown to the network's members.
	Consent   bool      `bun:"consent,notnull" json:"consent"`
	Version   int       `bun:"version,notnull" json:"version"`
	CreatedAt time.Time `bun:"created_at,notnull" json:"createdAt"`
	UpdatedAt time.Time `bun:"updated_at,notnull" json:"updatedAt"`
}

// Partnership links two structures.
type Partnership struct {
	bun.BaseModel `bun:"table:partnerships,alias:pa"`

	ID          int64         `bun:"id,pk,autoincrement" json:"id"`
	StructureID int64         `bun:"structure_id,notnull" json:"structure"`
	PartnerID   int64         `bun:"partner_id,notnull" json:"partner"`
	Kind        string        `bun:"kind,notnull" json:"kind"`
	Since       period.Period `bun:"embed:since_" json:"since"`
	Description string        `bun:"description,notnull" json:"description,omitempty"`
	Version     int           `bun:"version,notnull" json:"version"`
	CreatedAt   time.Time     `bun:"created_at,notnull" json:"createdAt"`
	UpdatedAt   time.Time     `bun:"updated_at,notnull" json:"updatedAt"`
}

// Join tables of structures.
var (
	StructureNames  = db.Link{Table: "structure_names", Owner: "structure_id", Value: "name"}
	StructureThemes = db.Link{Table: "structure_themes", Owner: "structure_id", Value: "theme_code"}
	// StructureCountries is where a structure acts: its own country and
	// those of the projects it leads or joins. Its table names the
	// structure as {parent}, which the compiled reads replace by the
	// structure's id in each half of the union: one index probe each,
	// whichever database plans it.
	StructureCountries = db.Link{Table: countriesOf("= {parent}"), Owner: "structure_id", Value: "country_code"}
)

// countriesOf is the table of where structures act, each half of the union
// narrowed to the structures whose id is cond ("IN (1, 2)", "= {parent}").
func countriesOf(cond string) string {
	return `(SELECT id AS structure_id, country_code FROM structures WHERE id ` + cond + ` AND country_code IS NOT NULL
		UNION SELECT structure_id, country_code FROM structure_project_countries WHERE structure_id ` + cond + `)`
}

var _ bun.BeforeAppendModelHook = (*Structure)(nil)

// BeforeAppendModel keeps SortName in step with Name on every write.
func (x *Structure) BeforeAppendModel(_ context.Context, _ bun.Query) error {
	x.SortName = search.Fold(x.Name)
	return nil
}

var _ bun.BeforeAppendModelHook = (*Contact)(nil)

// BeforeAppendModel keeps SortName in step with Name on every write.
func (x *Contact) BeforeAppendModel(_ context.Context, _ bun.Query) error {
	x.SortName = search.Fold(x.Name)
	return nil
}
