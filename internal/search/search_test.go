package search_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/search"
)

func TestTerms(t *testing.T) {
	require.Equal(t, search.Terms("l'Énergie"), search.Terms("energies"))
	require.Equal(t, search.Terms("L’eau"), search.Terms("eau"))
	require.Equal(t, search.Terms("d'accès"), search.Terms("acces"))
	require.Equal(t, search.Terms("jeunes"), search.Terms("Jeune"))
	require.Equal(t, []string{"erasmus"}, search.Terms("Erasmus+"))
	require.Equal(t, []string{"erasmus"}, search.Terms("Erasmus +"))
	require.Empty(t, search.Terms("le la les de"))
}

func TestLookupOverTheDemo(t *testing.T) {
	var results [][]search.Hit
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		_, err := dataset.SeedDemo(ctx, bdb, time.Now())
		require.NoError(t, err)

		hits, err := search.Lookup(ctx, bdb, "electrification")
		require.NoError(t, err)
		require.NotEmpty(t, hits)
		require.Equal(t, search.KindProject, hits[0].Kind, "the electrification projects come first: %v", hits)

		hits, err = search.Lookup(ctx, bdb, "Sénégal", search.KindEvent)
		require.NoError(t, err)
		require.NotEmpty(t, hits)

		hits, err = search.Lookup(ctx, bdb, "senegal")
		require.NoError(t, err)
		require.NotEmpty(t, hits)
		results = append(results, hits)

		hits, err = search.Lookup(ctx, bdb, "l'eau", search.KindEvent)
		require.NoError(t, err)
		require.GreaterOrEqual(t, len(hits), 4)

		hits, err = search.Lookup(ctx, bdb, "énergie")
		require.NoError(t, err)
		energy, err := search.Lookup(ctx, bdb, "ENERGIES")
		require.NoError(t, err)
		require.Equal(t, hits, energy)
	})
	if len(results) == 2 {
		require.Equal(t, results[0], results[1], "the same ranking on SQLite and PostgreSQL")
	}
}
