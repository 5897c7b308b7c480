package tokens_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/tokens"
)

func TestTokenLifecycle(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		s := &tokens.Service{DB: bdb}
		now := time.Now()
		plain, tok, err := s.Create(ctx, "CRM", access.Staff, nil, now)
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(plain, "lianes_"))

		// Only a hash is stored.
		var stored []string
		require.NoError(t, bdb.NewSelect().TableExpr("api_tokens").ColumnExpr("token_hash").Scan(ctx, &stored))
		require.NotContains(t, stored, plain)
		require.NotContains(t, stored[0], plain[len("lianes_"):])

		got, role, err := s.Authenticate(ctx, plain, now)
		require.NoError(t, err)
		require.Equal(t, access.Staff, role)
		require.Equal(t, tok.ID, got.ID)
		_, _, err = s.Authenticate(ctx, plain+"x", now)
		require.ErrorIs(t, err, tokens.ErrUnknown)

		_, err = s.Revoke(ctx, "CRM", now)
		require.NoError(t, err)
		_, _, err = s.Authenticate(ctx, plain, now)
		require.ErrorIs(t, err, tokens.ErrRevoked)

		soon := now.Add(time.Hour)
		short, _, err := s.Create(ctx, "site", access.Member, &soon, now)
		require.NoError(t, err)
		_, _, err = s.Authenticate(ctx, short, now.Add(2*time.Hour))
		require.ErrorIs(t, err, tokens.ErrExpired)

		past := now.Add(-time.Hour)
		_, _, err = s.Create(ctx, "vieux", access.Member, &past, now)
		require.ErrorContains(t, err, "déjà passée")
		_, _, err = s.Create(ctx, " ", access.Member, nil, now)
		require.ErrorContains(t, err, "nom")

		all, err := s.List(ctx)
		require.NoError(t, err)
		require.Len(t, all, 2)
	})
}

// TestRevocationElsewhereAppliesWithinSeconds: a server keeps a valid token
// a few seconds without reading it again; a revocation made by another
// process (the command line) applies once they are over, and expiry at
// once.
func TestRevocationElsewhereAppliesWithinSeconds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		server, cli := &tokens.Service{DB: bdb}, &tokens.Service{DB: bdb}
		now := time.Now()
		plain, _, err := cli.Create(ctx, "CRM", access.Staff, nil, now)
		require.NoError(t, err)
		_, role, err := server.Authenticate(ctx, plain, now)
		require.NoError(t, err)
		require.Equal(t, access.Staff, role)

		_, err = cli.Revoke(ctx, "CRM", now)
		require.NoError(t, err)
		_, _, err = server.Authenticate(ctx, plain, now.Add(time.Second))
		require.NoError(t, err, "read a second ago: not read again yet")
		_, _, err = server.Authenticate(ctx, plain, now.Add(6*time.Second))
		require.ErrorIs(t, err, tokens.ErrRevoked)

		soon := now.Add(2 * time.Second)
		short, _, err := cli.Create(ctx, "site", access.Member, &soon, now)
		require.NoError(t, err)
		_, _, err = server.Authenticate(ctx, short, now)
		require.NoError(t, err)
		_, _, err = server.Authenticate(ctx, short, now.Add(3*time.Second))
		require.ErrorIs(t, err, tokens.ErrExpired, "expiry is checked on every request")
	})
}
