package graph_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/lianes-cooperation/lianes/graph"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/uptrace/bun"
)

// benchQuery is the measured shape: 50 structures ordered by name, each with
// its first 5 projects as lead, each with its partner structures.
const benchQuery = `{"query":"{ structures(first: 50, orderBy: {field: NAME}) { nodes { name projects(role: LEAD, first: 5) { nodes { title partners { nodes { name } } } } } } }"}`

// benchDB opens LIANES_BENCH_DATABASE_URL (seeded with `lianes seed
// --synthetic 10000`), or seeds a fresh database of the given kind with
// LIANES_BENCH_N structures (10 000 by default).
func benchDB(b *testing.B, kind string) *bun.DB {
	b.Helper()
	ctx := context.Background()
	if url := os.Getenv("LIANES_BENCH_DATABASE_URL"); url != "" {
		if (kind == "postgres") != strings.HasPrefix(url, "postgres") {
			b.Skipf("LIANES_BENCH_DATABASE_URL is not %s", kind)
		}
		bdb, err := db.Open(ctx, url)
		if err != nil {
			b.Fatal(err)
		}
		b.Cleanup(func() { _ = bdb.Close() })
		return bdb
	}
	n := 10_000
	if v := os.Getenv("LIANES_BENCH_N"); v != "" {
		n = atoi(v)
	}
	bdb := dbtest.Open(b, kind)
	if _, err := dataset.SeedSynthetic(ctx, bdb, n, time.Now()); err != nil {
		b.Fatal(err)
	}
	return bdb
}

func atoi(s string) int {
	n := 0
	for _, r := range s {
		n = n*10 + int(r-'0')
	}
	return n
}

// BenchmarkStructuresProjectsPartners measures the query in process, without
// the network: time per request, p50 and p99, and SQL statements per request,
// answered as compiled SQL (what the server does) and by the resolvers alone.
func BenchmarkStructuresProjectsPartners(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			bdb := benchDB(b, kind)
			counter := &statements{}
			bdb.AddQueryHook(counter)
			for _, path := range []string{"compiled", "resolvers"} {
				b.Run(path, func(b *testing.B) {
					benchBodyOn(b, bdb, counter, path == "resolvers", benchQuery)
				})
			}
		})
	}
}

// BenchmarkOtherShapes measures nested shapes whose relation is a UNION
// (a structure's projects in any role, its partners from either end), which
// a compiled read must match inside each arm to stay fast on SQLite, and a
// page far into a list with its cursors.
func BenchmarkOtherShapes(b *testing.B) {
	shapes := map[string]string{
		"projects-any-role": `{"query":"{ structures(first: 50) { nodes { name projects(first: 5) { totalCount nodes { title } } } } }"}`,
		"partners":          `{"query":"{ structures(first: 50) { nodes { name partners(first: 5) { totalCount nodes { name } } } } }"}`,
		"cursors": `{"query":"{ structures(first: 50, after: \"aTo1MDAw\") { totalCount pageInfo { hasNextPage startCursor endCursor }` +
			` edges { cursor node { name } } } }"}`,
	}
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			bdb := benchDB(b, kind)
			counter := &statements{}
			bdb.AddQueryHook(counter)
			for _, name := range []string{"projects-any-role", "partners", "cursors"} {
				for _, path := range []string{"compiled", "resolvers"} {
					b.Run(name+"/"+path, func(b *testing.B) {
						benchBodyOn(b, bdb, counter, path == "resolvers", shapes[name])
					})
				}
			}
		})
	}
}

func benchBodyOn(b *testing.B, bdb *bun.DB, counter *statements, resolversOnly bool, body string) {
	h := graph.NewHandler(&graph.Resolver{Services: domain.New(bdb, clock.System{}), Clock: clock.System{}, ResolversOnly: resolversOnly},
		graph.DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	do := func() {
		req := httptest.NewRequest(http.MethodPost, "/graphql", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK || strings.Contains(rec.Body.String(), `"errors"`) {
			b.Fatalf("status %d: %.300s", rec.Code, rec.Body.String())
		}
	}
	do()
	latencies := make([]time.Duration, 0, b.N)
	counter.n.Store(0)
	b.ResetTimer()
	for range b.N {
		start := time.Now()
		do()
		latencies = append(latencies, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(latencies)
	b.ReportMetric(float64(counter.n.Load())/float64(b.N), "sql/op")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latencies[min(len(latencies)-1, len(latencies)*99/100)].Microseconds())/1000, "p99-ms")
}
