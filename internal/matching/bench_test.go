package matching_test

import (
	"context"
	"os"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/matching"
	"github.com/lianes-cooperation/lianes/internal/period"
)

// benchDB opens LIANES_BENCH_DATABASE_URL (seeded with `lianes seed
// --synthetic 100000`), or seeds a fresh database of the given kind with
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
		n, _ = strconv.Atoi(v)
	}
	bdb := dbtest.Open(b, kind)
	if _, err := dataset.SeedSynthetic(ctx, bdb, n, time.Now()); err != nil {
		b.Fatal(err)
	}
	return bdb
}

// BenchmarkMatching ranks the calls, then the events, of structures spread
// over the network, as of 4 January 2021 (nearly every synthetic call and
// event is still to come): a page of 20, reasons included. It reports p50
// and p99 per ranking.
func BenchmarkMatching(b *testing.B) {
	for _, kind := range []string{"sqlite", "postgres"} {
		b.Run(kind, func(b *testing.B) {
			bdb := benchDB(b, kind)
			s := &matching.Service{DB: bdb}
			var n int64
			if err := bdb.NewSelect().TableExpr("structures").ColumnExpr("max(id)").Scan(context.Background(), &n); err != nil {
				b.Fatal(err)
			}
			day := "2021-01-04"
			first := 20
			for _, which := range []string{"calls", "events"} {
				b.Run(which, func(b *testing.B) {
					var times []time.Duration
					i := int64(0)
					for b.Loop() {
						i++
						id := 1 + (i*7919)%n
						start := time.Now()
						var err error
						if which == "calls" {
							_, err = s.FundingCalls(context.Background(), id, matchingDay(day), listing.Args{First: &first})
						} else {
							_, err = s.Events(context.Background(), id, matchingDay(day), listing.Args{First: &first})
						}
						if err != nil {
							b.Fatal(err)
						}
						times = append(times, time.Since(start))
					}
					sort.Slice(times, func(i, j int) bool { return times[i] < times[j] })
					b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "p50-ms")
					b.ReportMetric(float64(times[len(times)*99/100].Microseconds())/1000, "p99-ms")
				})
			}
		})
	}
}

func matchingDay(s string) period.Date { return period.Date(s) }
