package replay_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/replay"
)

func TestFirstIsTrueOnceAcrossGuardsUntilExpiry(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		a, b := &replay.Guard{DB: bdb}, &replay.Guard{DB: bdb} // two replicas
		now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
		first, err := a.First(ctx, "discord", "interaction:1", now, 10*time.Minute)
		require.NoError(t, err)
		require.True(t, first)
		for _, g := range []*replay.Guard{a, b} {
			first, err = g.First(ctx, "discord", "interaction:1", now.Add(time.Minute), 10*time.Minute)
			require.NoError(t, err)
			require.False(t, first)
		}
		first, err = b.First(ctx, "slack", "interaction:1", now, 10*time.Minute)
		require.NoError(t, err)
		require.True(t, first, "each platform its own ids")
		first, err = b.First(ctx, "discord", "interaction:1", now.Add(12*time.Minute), 10*time.Minute)
		require.NoError(t, err)
		require.True(t, first, "expired and swept")

		m := replay.NewMemory()
		first, _ = m.First(ctx, "slack", "k", now, time.Minute)
		require.True(t, first)
		first, _ = m.First(ctx, "slack", "k", now, time.Minute)
		require.False(t, first)
	})
}
