package ratelimit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/ratelimit"
)

func TestWindowsCountPerClientAndMinute(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		windows(t, &ratelimit.Store{DB: bdb}, &ratelimit.Store{DB: bdb}) // two replicas
		var n int
		require.NoError(t, bdb.NewSelect().TableExpr("rate_windows").ColumnExpr("count(*)").Scan(context.Background(), &n))
		// Swept: the three windows of 10:00; left: 10:01's, and the two of
		// 10:00 written after the sweep.
		require.Equal(t, 3, n)
	})
	m := ratelimit.NewMemory()
	windows(t, m, m)
}

func windows(t *testing.T, a, b ratelimit.Counter) {
	{
		ctx := context.Background()
		now := time.Date(2026, 11, 29, 10, 0, 40, 0, time.UTC)
		u, err := a.Add(ctx, "ip:1", 1, 0, now)
		require.NoError(t, err)
		require.Equal(t, ratelimit.Usage{Requests: 1, Ends: time.Date(2026, 11, 29, 10, 1, 0, 0, time.UTC)}, ratelimit.Usage{Requests: u.Requests, Cost: u.Cost, Ends: u.Ends.UTC()})
		require.Equal(t, 20, u.RetryAfter(now))
		u, err = b.Add(ctx, "ip:1", 0, 500, now.Add(10*time.Second))
		require.NoError(t, err)
		require.Equal(t, int64(1), u.Requests)
		require.Equal(t, int64(500), u.Cost)
		u, err = a.Add(ctx, "ip:2", 1, 0, now)
		require.NoError(t, err)
		require.Equal(t, int64(1), u.Requests, "each client its own window")
		u, err = a.Add(ctx, "ip:1", 1, 0, now.Add(time.Minute))
		require.NoError(t, err)
		require.Equal(t, int64(1), u.Requests, "each minute its own window")

		require.NoError(t, a.Sweep(ctx, now.Add(11*time.Minute)))
		u, err = a.Add(ctx, "ip:1", 1, 0, now)
		require.NoError(t, err)
		require.Equal(t, int64(1), u.Requests, "a swept window starts again")

		require.NoError(t, ratelimit.Spend(ctx, 1_000), "no budget in the context, nothing counted")
		// Each request has its own budget over the client's shared window.
		request := func() context.Context {
			return ratelimit.WithBudget(ctx, &ratelimit.Budget{Store: a, Client: "ip:3", PerMin: 1_000, Now: now})
		}
		first := request()
		require.NoError(t, ratelimit.Spend(first, 600))
		require.NoError(t, ratelimit.Spend(first, 600), "one request is charged once, by whichever path answers it")
		u, err = a.Add(ctx, "ip:3", 0, 0, now)
		require.NoError(t, err)
		require.Equal(t, int64(600), u.Cost)
		second := request()
		err = ratelimit.Spend(second, 600)
		var exceeded *ratelimit.ExceededError
		require.ErrorAs(t, err, &exceeded)
		require.Equal(t, 20, exceeded.RetryAfter)
		require.ErrorAs(t, ratelimit.Spend(second, 600), &exceeded, "and refused again the same")
	}
}

// BenchmarkAdd measures the one statement a request costs the limiter.
func BenchmarkAdd(b *testing.B) {
	for _, kind := range dbtest.Kinds() {
		b.Run(kind, func(b *testing.B) {
			s := &ratelimit.Store{DB: dbtest.Open(b, kind)}
			ctx := context.Background()
			now := time.Now()
			b.ResetTimer()
			for i := range b.N {
				if _, err := s.Add(ctx, fmt.Sprintf("ip:%d", i%50), 1, 0, now); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
