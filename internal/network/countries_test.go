package network_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/project"
)

// TestProjectCountriesFollowEveryWrite checks that the table of the countries
// structures act in through their projects, kept by the database's
// triggers, holds what its source view computes after every kind of write:
// an import, the API's changes (projects created, changed, deleted, structures
// merged and deleted) and plain SQL that bypasses the services.
func TestProjectCountriesFollowEveryWrite(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := access.WithRole(context.Background(), access.Staff)
		now := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
		_, err := dataset.SeedSynthetic(ctx, bdb, 200, now)
		require.NoError(t, err)
		same := func(step string) {
			t.Helper()
			var extra, missing int
			require.NoError(t, bdb.NewRaw(`SELECT COUNT(*) FROM (SELECT structure_id, country_code FROM structure_project_countries
				EXCEPT SELECT structure_id, country_code FROM structure_project_countries_source) AS x`).Scan(ctx, &extra))
			require.NoError(t, bdb.NewRaw(`SELECT COUNT(*) FROM (SELECT structure_id, country_code FROM structure_project_countries_source
				EXCEPT SELECT structure_id, country_code FROM structure_project_countries) AS x`).Scan(ctx, &missing))
			require.Zero(t, extra, "%s: rows the projects no longer justify", step)
			require.Zero(t, missing, "%s: rows missing", step)
		}
		same("import")
		var rows int
		require.NoError(t, bdb.NewRaw("SELECT COUNT(*) FROM structure_project_countries").Scan(ctx, &rows))
		require.Greater(t, rows, 50, "the synthetic network's projects have countries")

		s := domain.New(bdb, clock.Fixed(now))
		var ids []int64
		require.NoError(t, bdb.NewRaw("SELECT id FROM structures ORDER BY id LIMIT 6").Scan(ctx, &ids))
		a, b, c, d := ids[0], ids[1], ids[2], ids[3]

		p, err := s.Changes.CreateProject(ctx, &project.Project{Title: "Puits au Sahel", LeadID: a,
			PartnerIDs: []int64{b}, Countries: []string{"BF", "ML"}, Status: project.StatusActive,
			Starts: period.Period{Precision: period.Unknown}, Ends: period.Period{Precision: period.Unknown}})
		require.NoError(t, err)
		same("project created")
		require.True(t, actsIn(t, ctx, s, b, "ML"), "a partner acts in the project's countries")

		p, err = s.Changes.UpdateProject(ctx, p.ID, p.Version, &project.Project{Title: p.Title, LeadID: c,
			PartnerIDs: []int64{d}, Countries: []string{"SN"}, Status: project.StatusActive,
			Starts: period.Period{Precision: period.Unknown}, Ends: period.Period{Precision: period.Unknown}})
		require.NoError(t, err)
		same("lead, partners and countries changed")

		_, err = s.Changes.MergeStructures(ctx, c, version(t, ctx, bdb, "structures", c), d, version(t, ctx, bdb, "structures", d))
		require.NoError(t, err)
		same("partner merged into the lead")

		require.NoError(t, s.Changes.DeleteProject(ctx, p.ID, version(t, ctx, bdb, "projects", p.ID)))
		same("project deleted")

		// Plain SQL, as an operator or a future path might write.
		var pid, other int64
		require.NoError(t, bdb.NewRaw("SELECT project_id FROM project_partners ORDER BY project_id LIMIT 1").Scan(ctx, &pid))
		require.NoError(t, bdb.NewRaw(`SELECT id FROM structures WHERE id NOT IN (SELECT structure_id FROM project_partners
			WHERE project_id = ?) ORDER BY id DESC LIMIT 1`, pid).Scan(ctx, &other))
		for _, q := range []string{
			fmt.Sprintf("DELETE FROM project_countries WHERE project_id = %d", pid),
			fmt.Sprintf("INSERT INTO project_countries (project_id, country_code) VALUES (%d, 'MA')", pid),
			fmt.Sprintf(`UPDATE project_partners SET structure_id = %d WHERE project_id = %d
				AND structure_id = (SELECT MIN(structure_id) FROM project_partners WHERE project_id = %[2]d)`, other, pid),
			fmt.Sprintf("UPDATE projects SET lead_structure_id = NULL WHERE id = %d", pid),
			fmt.Sprintf("DELETE FROM project_partners WHERE project_id = %d", pid),
		} {
			_, err := bdb.ExecContext(ctx, q)
			require.NoError(t, err, q)
			same(q)
		}

		// A structure deleted: its own rows go, and its projects' other
		// structures keep theirs.
		var lead int64
		require.NoError(t, bdb.NewRaw(`SELECT p.lead_structure_id FROM projects AS p JOIN project_partners AS pp ON pp.project_id = p.id
			WHERE p.lead_structure_id IS NOT NULL ORDER BY p.id LIMIT 1`).Scan(ctx, &lead))
		require.NoError(t, s.Changes.DeleteStructure(ctx, lead, version(t, ctx, bdb, "structures", lead)))
		same("structure deleted")
	})
}

func actsIn(t *testing.T, ctx context.Context, s *domain.Services, id int64, country string) bool {
	t.Helper()
	var n int
	q := s.DB.NewSelect().TableExpr("structures AS s").ColumnExpr("COUNT(*)")
	for _, c := range s.Network.Conditions(network.StructureFilter{ActsIn: []string{country}, Among: []int64{id}}) {
		q = q.Where("?", bun.Safe(c))
	}
	require.NoError(t, q.Scan(ctx, &n))
	return n == 1
}

func version(t *testing.T, ctx context.Context, bdb *bun.DB, table string, id int64) int {
	t.Helper()
	var v int
	require.NoError(t, bdb.NewRaw("SELECT version FROM "+table+" WHERE id = ?", id).Scan(ctx, &v))
	return v
}
