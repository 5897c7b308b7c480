package db_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/support"
)

// TestListOrdersReadAnIndex checks that a page of every root list, in every
// order and direction a client may ask for, is read from an index in that
// order rather than by sorting the whole table: an index whose expression
// drifts from the order's by one word is silently ignored, and the page of
// 50 contacts among 13 333 then costs three times as much. The plan is
// asked of each database with sorting discouraged (PostgreSQL), so that
// only a missing index can leave a sort in it.
func TestListOrdersReadAnIndex(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		type list struct {
			from  string
			order func(listing.Order) string
			by    []string
		}
		lists := map[string]list{
			"structures": {"structures AS s", func(o listing.Order) string { return network.ListOrder(bdb, o) },
				[]string{network.OrderName, network.OrderCreated, network.OrderUpdated}},
			"projects": {"projects AS p", func(o listing.Order) string { return project.ListOrder(bdb, o) },
				[]string{project.OrderTitle, project.OrderStarts, project.OrderCreated}},
			"events": {"events AS e", func(o listing.Order) string { return event.ListOrder(bdb, o) },
				[]string{event.OrderDate, event.OrderTitle}},
			"funding calls": {"funding_calls AS fc", func(o listing.Order) string { return fundingcall.ListOrder(bdb, o) },
				[]string{fundingcall.OrderDeadline, fundingcall.OrderTitle}},
			// These two have one order, in one direction.
			"contacts":         {"contacts AS c", func(listing.Order) string { return network.ContactOrder(bdb) }, []string{""}},
			"support sessions": {"support_sessions AS ss", func(listing.Order) string { return support.DateOrder }, []string{""}},
		}
		for name, l := range lists {
			for _, field := range l.by {
				for _, desc := range []bool{false, true} {
					if field == "" && desc {
						continue
					}
					order := l.order(listing.Order{Field: field, Desc: desc})
					plan := explain(t, bdb, "SELECT * FROM "+l.from+" ORDER BY "+order+" LIMIT 50")
					assert.NotRegexp(t, `(?i)\bsort\b|temp b-tree`, plan,
						"%s by %q (desc %v): ORDER BY %s", name, field, desc, order)
				}
			}
		}
	})
}

// TestCommuneFilterReadsAnIndex checks that the structures of a town are
// found through the index on their folded commune, whose expression must
// stay the one network.Conditions compares.
func TestCommuneFilterReadsAnIndex(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		conds := (&network.Service{DB: bdb}).Conditions(network.StructureFilter{Communes: []string{"Arras"}})
		order := network.ListOrder(bdb, listing.Order{Field: network.OrderName})
		plan := explain(t, bdb, "SELECT * FROM structures AS s WHERE "+strings.Join(conds, " AND ")+" ORDER BY "+order+" LIMIT 25")
		assert.Contains(t, plan, "structures_commune_sort_idx")
		assert.NotRegexp(t, `(?i)\bsort\b|temp b-tree`, plan)
	})
}

// TestLedProjectsReadFromTheIndexAlone checks that a structure's projects as
// lead, by title, with their titles (what a list of structures shows of
// each) are read from the index alone, never from the table.
func TestLedProjectsReadFromTheIndexAlone(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		order := project.ListOrder(bdb, listing.Order{Field: project.OrderTitle})
		plan := explain(t, bdb, "SELECT p.title FROM projects AS p WHERE p.lead_structure_id = 1 ORDER BY "+order+" LIMIT 3")
		assert.Regexp(t, `(?i)(index only scan|covering index) (using )?projects_lead_title_idx`, plan)
	})
}

// explain returns the database's plan for query, one line per step.
func explain(t *testing.T, bdb *bun.DB, query string) string {
	t.Helper()
	ctx := context.Background()
	tx, err := bdb.BeginTx(ctx, nil)
	require.NoError(t, err)
	defer func() { _ = tx.Rollback() }()
	prefix, column := "EXPLAIN QUERY PLAN ", 3 // SQLite: id, parent, notused, detail
	if db.IsPostgres(bdb) {
		// The test databases are near empty, where reading the whole table
		// or sorting it is cheapest: discouraged, only a missing index
		// leaves them in the plan.
		for _, set := range []string{"SET LOCAL enable_sort = off", "SET LOCAL enable_seqscan = off"} {
			_, err := tx.ExecContext(ctx, set)
			require.NoError(t, err)
		}
		prefix, column = "EXPLAIN ", 0
	}
	rows, err := tx.QueryContext(ctx, prefix+query)
	require.NoError(t, err)
	defer rows.Close()
	cols, err := rows.Columns()
	require.NoError(t, err)
	var lines []string
	for rows.Next() {
		values := make([]any, len(cols))
		for i := range values {
			values[i] = new(any)
		}
		require.NoError(t, rows.Scan(values...))
		line := *values[column].(*any)
		if b, ok := line.([]byte); ok {
			line = string(b)
		}
		lines = append(lines, line.(string))
	}
	require.NoError(t, rows.Err())
	return strings.Join(lines, "\n")
}

// TestSessionPeriodsReadAnIndex checks that the support sessions of a day
// are paged and counted from the indexes on their period: the page walks the
// date order with the end checked in the index, never fetching the rows of
// sessions that ended before the day, and the count reads the index by end
// (alone, once the table is vacuumed).
func TestSessionPeriodsReadAnIndex(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		conds := strings.Join((&support.Service{DB: bdb}).Conditions(support.Filter{From: "2021-06-15", To: "2021-06-15"}), " AND ")
		page := explain(t, bdb, "SELECT * FROM support_sessions AS ss WHERE "+conds+" ORDER BY "+support.DateOrder+" LIMIT 50")
		count := explain(t, bdb, "SELECT COUNT(*) FROM support_sessions AS ss WHERE "+conds)
		if db.IsPostgres(bdb) {
			// PostgreSQL names the conditions it checks in the index.
			assert.Regexp(t, `support_sessions_date_idx[^\n]*\n\s*Index Cond: [^\n]*date_to >=`, page)
			assert.Regexp(t, `support_sessions_end_idx[^\n]*\n\s*Index Cond: [^\n]*date_to >=[^\n]*date_from <=`, count)
		} else {
			// SQLite checks a term on an index's column before it reads the
			// row; what its plan shows is that no sort is left.
			assert.Contains(t, page, "support_sessions_date_idx")
			assert.Regexp(t, `COVERING INDEX support_sessions_(end|date)_idx`, count)
		}
		assert.NotRegexp(t, `(?i)\bsort\b|temp b-tree`, page)
	})
}
