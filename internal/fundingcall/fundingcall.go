// Package fundingcall holds calls for projects (appels à projets): who funds
// what, for whom, where and until when.
package fundingcall

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// Territories where a call applies.
var Territories = map[string]string{
	"regional":      "régional",
	"national":      "national",
	"europeen":      "européen",
	"international": "international",
}

// Statuses of a call. An active call is open or closed by its dates; a call
// without a known deadline stays open until its status says otherwise.
const (
	StatusActive    = "actif"
	StatusClosed    = "clos"
	StatusCancelled = "annule"
)

// FundingCall is an appel à projets (or à manifestation d'intérêt).
type FundingCall struct {
	bun.BaseModel `bun:"table:funding_calls,alias:fc"`

	ID    int64  `bun:"id,pk,autoincrement" json:"id"`
	Title string `bun:"title,notnull" json:"title"`
	// SortTitle is the folded title, ordered byte-wise the same on both databases.
	SortTitle   string `bun:"sort_title,notnull" json:"-"`
	Funder      string `bun:"funder,notnull" json:"funder,omitempty"`
	Programme   string `bun:"programme,notnull" json:"programme,omitempty"`
	Description string `bun:"description,notnull" json:"description,omitempty"`
	// AudienceText is the eligible public as the source words it.
	AudienceText string        `bun:"audience_text,notnull" json:"audienceText,omitempty"`
	Audiences    []string      `bun:"-" json:"audiences"`
	Themes       []string      `bun:"-" json:"themes"`
	Countries    []string      `bun:"-" json:"countries"`
	Territory    string        `bun:"territory,notnull" json:"territory"`
	Opens        period.Period `bun:"embed:opens_" json:"opens"`
	Deadline     period.Period `bun:"embed:deadline_" json:"deadline"`
	Recurrence   string        `bun:"recurrence,notnull" json:"recurrence,omitempty"`
	URL          string        `bun:"url,notnull" json:"url,omitempty"`
	Status       string        `bun:"status,notnull" json:"status"`
	Version      int           `bun:"version,notnull" json:"version"`
	CreatedAt    time.Time     `bun:"created_at,notnull" json:"createdAt"`
	UpdatedAt    time.Time     `bun:"updated_at,notnull" json:"updatedAt"`
}

// Join tables of funding calls.
var (
	Audiences = db.Link{Table: "funding_call_audiences", Owner: "funding_call_id", Value: "audience_code"}
	Themes    = db.Link{Table: "funding_call_themes", Owner: "funding_call_id", Value: "theme_code"}
	Countries = db.Link{Table: "funding_call_countries", Owner: "funding_call_id", Value: "country_code"}
)

var _ bun.BeforeAppendModelHook = (*FundingCall)(nil)

// BeforeAppendModel keeps SortTitle in step with Title on every write.
func (x *FundingCall) BeforeAppendModel(_ context.Context, _ bun.Query) error {
	x.SortTitle = search.Fold(x.Title)
	return nil
}
