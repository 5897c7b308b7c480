// Package project holds cooperation projects: a lead structure, partners,
// countries, themes and dates.
package project

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// Statuses of a project.
const (
	StatusPlanned  = "en_projet"
	StatusActive   = "en_cours"
	StatusFinished = "termine"
)

// Project is a cooperation project.
type Project struct {
	bun.BaseModel `bun:"table:projects,alias:p"`

	ID    int64  `bun:"id,pk,autoincrement" json:"id"`
	Title string `bun:"title,notnull" json:"title"`
	// SortTitle is the folded title, ordered byte-wise the same on both databases.
	SortTitle   string        `bun:"sort_title,notnull" json:"-"`
	Description string        `bun:"description,notnull" json:"description,omitempty"`
	LeadID      int64         `bun:"lead_structure_id,nullzero" json:"lead,omitempty"`
	PartnerIDs  []int64       `bun:"-" json:"partners"`
	Countries   []string      `bun:"-" json:"countries"`
	Themes      []string      `bun:"-" json:"themes"`
	Status      string        `bun:"status,notnull" json:"status"`
	Starts      period.Period `bun:"embed:starts_" json:"starts"`
	Ends        period.Period `bun:"embed:ends_" json:"ends"`
	Version     int           `bun:"version,notnull" json:"version"`
	CreatedAt   time.Time     `bun:"created_at,notnull" json:"createdAt"`
	UpdatedAt   time.Time     `bun:"updated_at,notnull" json:"updatedAt"`
}

// Join tables of projects.
var (
	Partners  = db.Link{Table: "project_partners", Owner: "project_id", Value: "structure_id"}
	Countries = db.Link{Table: "project_countries", Owner: "project_id", Value: "country_code"}
	Themes    = db.Link{Table: "project_themes", Owner: "project_id", Value: "theme_code"}
)

var _ bun.BeforeAppendModelHook = (*Project)(nil)

// BeforeAppendModel keeps SortTitle in step with Title on every write.
func (x *Project) BeforeAppendModel(_ context.Context, _ bun.Query) error {
	x.SortTitle = search.Fold(x.Title)
	return nil
}
