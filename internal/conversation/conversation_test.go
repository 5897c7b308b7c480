package conversation_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/conversation"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

type state struct {
	Intent string   `json:"intent"`
	Themes []string `json:"themes"`
}

func TestAConversationIsRememberedForThirtyMinutes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s := &conversation.Store{DB: bdb}
		start := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
		require.NoError(t, s.Keep(ctx, "slack:U1:C1:1.2", start, state{Intent: "appels", Themes: []string{"eau"}}))

		var got state
		ok, err := s.Recall(ctx, "slack:U1:C1:1.2", start.Add(29*time.Minute), &got)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, state{Intent: "appels", Themes: []string{"eau"}}, got)

		ok, err = s.Recall(ctx, "slack:U2:C1:1.2", start, &got)
		require.NoError(t, err)
		require.False(t, ok, "another person's thread")

		ok, err = s.Recall(ctx, "slack:U1:C1:1.2", start.Add(31*time.Minute), &got)
		require.NoError(t, err)
		require.False(t, ok, "forgotten after 30 minutes of silence")

		// A message keeps it alive: the 30 minutes count from the last one.
		require.NoError(t, s.Keep(ctx, "slack:U1:C1:1.2", start.Add(25*time.Minute), state{Intent: "agenda"}))
		ok, err = s.Recall(ctx, "slack:U1:C1:1.2", start.Add(50*time.Minute), &got)
		require.NoError(t, err)
		require.True(t, ok)
		require.Equal(t, "agenda", got.Intent)

		// Another thread written later sweeps the silent ones away.
		require.NoError(t, s.Keep(ctx, "discord:U3:C9", start.Add(2*time.Hour), state{Intent: "qui"}))
		var n int
		require.NoError(t, bdb.NewSelect().TableExpr("conversations").ColumnExpr("count(*)").Scan(ctx, &n))
		require.Equal(t, 1, n)

		require.NoError(t, s.Forget(ctx, "discord:U3:"))
		ok, err = s.Recall(ctx, "discord:U3:C9", start.Add(2*time.Hour), &got)
		require.NoError(t, err)
		require.False(t, ok)
	})
}
