// Package programme holds what the network's programme plans besides events:
// training cycles, publications, census campaigns and undated actions.
package programme

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// TrainingCycle is a permanent training track made of modules.
type TrainingCycle struct {
	bun.BaseModel `bun:"table:training_cycles,alias:tc"`

	ID          int64            `bun:"id,pk,autoincrement" json:"id"`
	Title       string           `bun:"title,notnull" json:"title"`
	Description string           `bun:"description,notnull" json:"description,omitempty"`
	Position    int              `bun:"position,notnull" json:"position"`
	Modules     []TrainingModule `bun:"-" json:"modules"`
}

// TrainingModule is one module of a cycle.
type TrainingModule struct {
	bun.BaseModel `bun:"table:training_modules,alias:tm"`

	ID       int64  `bun:"id,pk,autoincrement" json:"id"`
	CycleID  int64  `bun:"cycle_id,notnull" json:"-"`
	Position int    `bun:"position,notnull" json:"position"`
	Title    string `bun:"title,notnull" json:"title"`
}

// Publication kinds.
var PublicationKinds = map[string]string{
	"revue":          "revue",
	"rapport":        "rapport",
	"capitalisation": "capitalisation",
	"barometre":      "baromètre",
	"brochure":       "brochure",
}

// Publication is a review, a report, a barometer or a brochure.
type Publication struct {
	bun.BaseModel `bun:"table:publications,alias:pu"`

	ID    int64  `bun:"id,pk,autoincrement" json:"id"`
	Title string `bun:"title,notnull" json:"title"`
	// SortTitle is the folded title, ordered byte-wise the same on both databases.
	SortTitle   string        `bun:"sort_title,notnull" json:"-"`
	Series      string        `bun:"series,notnull" json:"series,omitempty"`
	Kind        string        `bun:"kind,notnull" json:"kind"`
	Description string        `bun:"description,notnull" json:"description,omitempty"`
	Date        period.Period `bun:"embed:date_" json:"date"`
	Version     int           `bun:"version,notnull" json:"version"`
	CreatedAt   time.Time     `bun:"created_at,notnull" json:"createdAt"`
	UpdatedAt   time.Time     `bun:"updated_at,notnull" json:"updatedAt"`
}

// CensusCampaign is a campaign that adds actors of one kind to the observatory.
type CensusCampaign struct {
	bun.BaseModel `bun:"table:census_campaigns,alias:cc"`

	ID          int64         `bun:"id,pk,autoincrement" json:"id"`
	Title       string        `bun:"title,notnull" json:"title"`
	Description string        `bun:"description,notnull" json:"description,omitempty"`
	Date        period.Period `bun:"embed:date_" json:"date"`
}

// Action is a planned action of the programme that is not an event of the
// three tables, often without a date (Ready to Move's webinaires, Coop Lab...).
type Action struct {
	bun.BaseModel `bun:"table:programme_actions,alias:pac"`

	ID           int64         `bun:"id,pk,autoincrement" json:"id"`
	Title        string        `bun:"title,notnull" json:"title"`
	Axis         int           `bun:"axis,notnull" json:"axis"`
	Description  string        `bun:"description,notnull" json:"description,omitempty"`
	PlannedCount *int          `bun:"planned_count" json:"plannedCount,omitempty"`
	URL          string        `bun:"url,notnull" json:"url,omitempty"`
	Date         period.Period `bun:"embed:date_" json:"date"`
	Items        []ActionItem  `bun:"-" json:"items"`
	StructureIDs []int64       `bun:"-" json:"structures"`
}

// ActionItem is a part of an action: a tool, a place, a session.
type ActionItem struct {
	bun.BaseModel `bun:"table:programme_action_items,alias:pai"`

	ID          int64  `bun:"id,pk,autoincrement" json:"id"`
	ActionID    int64  `bun:"action_id,notnull" json:"-"`
	Position    int    `bun:"position,notnull" json:"position"`
	Title       string `bun:"title,notnull" json:"title"`
	Description string `bun:"description,notnull" json:"description,omitempty"`
}

// ActionStructures ties programme actions to the structures taking part.
var ActionStructures = db.Link{Table: "programme_action_structures", Owner: "action_id", Value: "structure_id"}

var _ bun.BeforeAppendModelHook = (*Publication)(nil)

// BeforeAppendModel keeps SortTitle in step with Title on every write.
func (x *Publication) BeforeAppendModel(_ context.Context, _ bun.Query) error {
	x.SortTitle = search.Fold(x.Title)
	return nil
}
