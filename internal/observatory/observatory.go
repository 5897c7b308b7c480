// Package observatory holds the network's census figures: dated snapshots as
// published, kept even where they do not add up.
package observatory

import (
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/period"
)

// Snapshot is a dated set of published figures.
type Snapshot struct {
	bun.BaseModel `bun:"table:observatory_snapshots,alias:os"`

	ID                int64             `bun:"id,pk,autoincrement" json:"id"`
	TakenOn           period.Date       `bun:"taken_on,notnull" json:"takenOn"`
	Label             string            `bun:"label,notnull" json:"label"`
	Source            string            `bun:"source,notnull" json:"source,omitempty"`
	StructuresTotal   *int              `bun:"structures_total" json:"structuresTotal,omitempty"`
	StructuresRegion  *int              `bun:"structures_region" json:"structuresRegion,omitempty"`
	Contacts          *int              `bun:"contacts" json:"contacts,omitempty"`
	Projects          *int              `bun:"projects" json:"projects,omitempty"`
	SupportStructures *int              `bun:"support_structures" json:"supportStructures,omitempty"`
	SupportHours      *int              `bun:"support_hours" json:"supportHours,omitempty"`
	SupportAsOf       period.Date       `bun:"support_as_of,nullzero" json:"supportAsOf,omitempty"`
	SupportStaff      *int              `bun:"support_staff" json:"supportStaff,omitempty"`
	Note              string            `bun:"note,notnull" json:"note,omitempty"`
	TypeCounts        []TypeCount       `bun:"-" json:"typeCounts"`
	DepartmentCounts  []DepartmentCount `bun:"-" json:"departmentCounts"`
}

// TypeCount is a snapshot's count of structures of one actor type.
type TypeCount struct {
	bun.BaseModel `bun:"table:observatory_type_counts,alias:otc"`

	SnapshotID int64  `bun:"snapshot_id,pk" json:"-"`
	ActorType  string `bun:"actor_type_code,pk" json:"actorType"`
	Count      int    `bun:"count,notnull" json:"count"`
}

// DepartmentCount is a snapshot's count of structures of one department, with
// the shares as published.
type DepartmentCount struct {
	bun.BaseModel `bun:"table:observatory_department_counts,alias:odc"`

	SnapshotID      int64  `bun:"snapshot_id,pk" json:"-"`
	Department      string `bun:"department_code,pk" json:"department"`
	Count           int    `bun:"count,notnull" json:"count"`
	StructureShare  int    `bun:"structure_share,notnull" json:"structureShare"`
	PopulationShare int    `bun:"population_share,notnull" json:"populationShare"`
}
