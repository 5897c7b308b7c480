package observatory

import (
	"context"
	"fmt"
	"math"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
)

// Service computes the observatory's figures from the data.
type Service struct {
	DB *bun.DB
}

// Totals are the overall counts.
type Totals struct {
	Structures, StructuresInRegion, Contacts, Projects, SupportedStructures, SupportSessions int
}

// Totals counts the records; aggregate counts are public, whatever the records' own access rules.
func (s *Service) Totals(ctx context.Context) (Totals, error) {
	var t Totals
	err := s.DB.NewRaw(`SELECT
		(SELECT COUNT(*) FROM structures),
		(SELECT COUNT(*) FROM structures WHERE department_code IS NOT NULL),
		(SELECT COUNT(*) FROM contacts),
		(SELECT COUNT(*) FROM projects),
		(SELECT COUNT(DISTINCT structure_id) FROM support_sessions),
		(SELECT COUNT(*) FROM support_sessions)`).Scan(ctx,
		&t.Structures, &t.StructuresInRegion, &t.Contacts, &t.Projects, &t.SupportedStructures, &t.SupportSessions)
	if err != nil {
		return t, fmt.Errorf("observatory: totals: %w", err)
	}
	return t, nil
}

// Count is a number of records for a code.
type Count struct {
	Code  string
	Count int
}

func (s *Service) counts(ctx context.Context, query string) (map[string]int, error) {
	rows, err := s.DB.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("observatory: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var code string
		var n int
		if err := rows.Scan(&code, &n); err != nil {
			return nil, fmt.Errorf("observatory: %w", err)
		}
		out[code] = int(n)
	}
	return out, rows.Err()
}

// ByActorType counts structures per actor type code.
func (s *Service) ByActorType(ctx context.Context) (map[string]int, error) {
	return s.counts(ctx, "SELECT actor_type_code, COUNT(*) FROM structures WHERE actor_type_code IS NOT NULL GROUP BY actor_type_code")
}

// ByDepartment counts structures per department code.
func (s *Service) ByDepartment(ctx context.Context) (map[string]int, error) {
	return s.counts(ctx, "SELECT department_code, COUNT(*) FROM structures WHERE department_code IS NOT NULL GROUP BY department_code")
}

// InDepartments counts the structures of some departments, by code.
func (s *Service) InDepartments(ctx context.Context, codes []string) (map[string]int, error) {
	out := map[string]int{}
	for _, code := range codes {
		n, err := s.DB.NewSelect().TableExpr("structures").Where("department_code = ?", code).Count(ctx)
		if err != nil {
			return nil, fmt.Errorf("observatory: %w", err)
		}
		out[code] = int(n)
	}
	return out, nil
}

// ByCountry counts the structures of each country, or with a project there.
func (s *Service) ByCountry(ctx context.Context) (map[string]int, error) {
	return s.counts(ctx, `SELECT country_code, COUNT(DISTINCT structure_id) FROM (
		SELECT id AS structure_id, country_code FROM structures WHERE country_code IS NOT NULL
		UNION SELECT structure_id, country_code FROM structure_project_countries
	) AS sc GROUP BY country_code`)
}

// ThemeCounts are the records of one theme.
type ThemeCounts struct {
	Structures, Projects, Events, FundingCalls int
}

// ByTheme counts structures, projects, events and calls per theme code.
func (s *Service) ByTheme(ctx context.Context) (map[string]ThemeCounts, error) {
	out := map[string]ThemeCounts{}
	for i, table := range []string{"structure_themes", "project_themes", "event_themes", "funding_call_themes"} {
		m, err := s.counts(ctx, "SELECT theme_code, COUNT(*) FROM "+table+" GROUP BY theme_code")
		if err != nil {
			return nil, err
		}
		for code, n := range m {
			c := out[code]
			switch i {
			case 0:
				c.Structures = n
			case 1:
				c.Projects = n
			case 2:
				c.Events = n
			default:
				c.FundingCalls = n
			}
			out[code] = c
		}
	}
	return out, nil
}

// Snapshots reads every snapshot with its counts, the most recent first.
func (s *Service) Snapshots(ctx context.Context) ([]Snapshot, error) {
	var snaps []Snapshot
	if err := s.DB.NewSelect().Model(&snaps).OrderExpr("os.taken_on DESC, os.id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("observatory: snapshots: %w", err)
	}
	if len(snaps) == 0 {
		return snaps, nil
	}
	var types []TypeCount
	if err := s.DB.NewSelect().Model(&types).Join("JOIN actor_types AS at ON at.code = otc.actor_type_code").
		OrderExpr("otc.snapshot_id, at.position").Scan(ctx); err != nil {
		return nil, fmt.Errorf("observatory: snapshots: %w", err)
	}
	var depts []DepartmentCount
	if err := s.DB.NewSelect().Model(&depts).OrderExpr("odc.snapshot_id, odc.count DESC, " + db.Bytewise(s.DB, "odc.department_code")).Scan(ctx); err != nil {
		return nil, fmt.Errorf("observatory: snapshots: %w", err)
	}
	for i := range snaps {
		for _, t := range types {
			if t.SnapshotID == snaps[i].ID {
				snaps[i].TypeCounts = append(snaps[i].TypeCounts, t)
			}
		}
		for _, d := range depts {
			if d.SnapshotID == snaps[i].ID {
				snaps[i].DepartmentCounts = append(snaps[i].DepartmentCounts, d)
			}
		}
	}
	return snaps, nil
}

// Representation is the share of structures over the share of population:
// above 1 a department is over-represented. It is rounded to two decimals.
func Representation(structureShare, populationShare float64) float64 {
	if populationShare == 0 {
		return 0
	}
	return math.Round(structureShare/populationShare*100) / 100
}

// Share returns part/whole in percent, to one decimal.
func Share(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return math.Round(float64(part)/float64(whole)*1000) / 10
}
