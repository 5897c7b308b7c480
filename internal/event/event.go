// Package event holds the network's events: webinaires, working groups and
// public events, with their provisional dates.
package event

import (
	"context"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// Kinds of events: the programme table an event belongs to.
const (
	KindWebinar      = "webinaire"
	KindWorkingGroup = "groupe_de_travail"
	KindPublic       = "evenement"
)

// Kinds lists the kinds of events with their French names.
var Kinds = map[string]string{
	KindWebinar:      "webinaire",
	KindWorkingGroup: "groupe de travail",
	KindPublic:       "événement",
}

// Statuses of an event; the programme's calendar is provisional.
const (
	StatusProvisional = "previsionnel"
	StatusConfirmed   = "confirme"
	StatusPostponed   = "reporte"
	StatusCancelled   = "annule"
)

// Statuses lists the statuses with their French names.
var Statuses = map[string]string{
	StatusProvisional: "prévisionnel",
	StatusConfirmed:   "confirmé",
	StatusPostponed:   "reporté",
	StatusCancelled:   "annulé",
}

// Event is a webinaire, a working group meeting or a public event.
type Event struct {
	bun.BaseModel `bun:"table:events,alias:e"`

	ID     int64  `bun:"id,pk,autoincrement" json:"id"`
	Kind   string `bun:"kind,notnull" json:"kind"`
	Format string `bun:"format,notnull" json:"format,omitempty"`
	Title  string `bun:"title,notnull" json:"title"`
	// SortTitle is the folded title, ordered byte-wise the same on both databases.
	SortTitle string `bun:"sort_title,notnull" json:"-"`
	// Content is the programme's "Contenu" column.
	Content string `bun:"content,notnull" json:"content,omitempty"`
	// AudienceText is the programme's own "Public" wording, kept beside the
	// normalised audiences.
	AudienceText    string        `bun:"audience_text,notnull" json:"audienceText,omitempty"`
	Audiences       []string      `bun:"-" json:"audiences"`
	Themes          []string      `bun:"-" json:"themes"`
	Countries       []string      `bun:"-" json:"countries"`
	OrganiserIDs    []int64       `bun:"-" json:"organisers"`
	FundingCallIDs  []int64       `bun:"-" json:"fundingCalls"`
	Online          *bool         `bun:"online" json:"online"`
	Place           string        `bun:"place,notnull" json:"place,omitempty"`
	RegistrationURL string        `bun:"registration_url,notnull" json:"registrationUrl,omitempty"`
	Status          string        `bun:"status,notnull" json:"status"`
	Date            period.Period `bun:"embed:date_" json:"date"`
	// Note records what the source says beside the table, such as another date.
	Note      string    `bun:"note,notnull" json:"note,omitempty"`
	Version   int       `bun:"version,notnull" json:"version"`
	CreatedAt time.Time `bun:"created_at,notnull" json:"createdAt"`
	UpdatedAt time.Time `bun:"updated_at,notnull" json:"updatedAt"`
}

// Join tables of events.
var (
	Audiences    = db.Link{Table: "event_audiences", Owner: "event_id", Value: "audience_code"}
	Themes       = db.Link{Table: "event_themes", Owner: "event_id", Value: "theme_code"}
	Countries    = db.Link{Table: "event_countries", Owner: "event_id", Value: "country_code"}
	Organisers   = db.Link{Table: "event_organisers", Owner: "event_id", Value: "structure_id"}
	FundingCalls = db.Link{Table: "event_funding_calls", Owner: "event_id", Value: "funding_call_id"}
)

var _ bun.BeforeAppendModelHook = (*Event)(nil)

// BeforeAppendModel keeps SortTitle in step with Title on every write.
func (x *Event) BeforeAppendModel(_ context.Context, _ bun.Query) error {
	x.SortTitle = search.Fold(x.Title)
	return nil
}
