// Package support holds the network's individual support sessions
// (accompagnements): who was advised on what, when.
package support

import (
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/period"
)

// Session is one support session given to one structure. A meeting with three
// structures is three sessions with the same subject and time.
type Session struct {
	bun.BaseModel `bun:"table:support_sessions,alias:ss"`

	ID          int64  `bun:"id,pk,autoincrement" json:"id"`
	StructureID int64  `bun:"structure_id,notnull" json:"structure"`
	Subject     string `bun:"subject,notnull" json:"subject"`
	Department  string `bun:"department_code,nullzero" json:"department,omitempty"`
	// SourceType is the "Type" column as the table has it.
	SourceType string        `bun:"source_type,notnull" json:"sourceType,omitempty"`
	Date       period.Period `bun:"embed:date_" json:"date"`
	// Staff and DurationMinutes are optional: the source has neither.
	Staff           string    `bun:"staff,notnull" json:"staff,omitempty"`
	DurationMinutes *int      `bun:"duration_minutes" json:"durationMinutes,omitempty"`
	FundingCallID   int64     `bun:"funding_call_id,nullzero" json:"fundingCall,omitempty"`
	ProjectID       int64     `bun:"project_id,nullzero" json:"project,omitempty"`
	Version         int       `bun:"version,notnull" json:"version"`
	CreatedAt       time.Time `bun:"created_at,notnull" json:"createdAt"`
	UpdatedAt       time.Time `bun:"updated_at,notnull" json:"updatedAt"`
}
