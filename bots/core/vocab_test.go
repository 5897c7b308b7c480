package core

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// TestTheVocabularyIsRenewedWithoutMakingAQuestionWait: past its age, the
// vocabulary is read again in the background; the question that finds it
// old is answered with it, and a later one with the new.
func TestTheVocabularyIsRenewedWithoutMakingAQuestionWait(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		_, err := dataset.SeedDemo(ctx, bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		now := clock.Fixed(time.Date(2021, 1, 4, 9, 0, 0, 0, clock.Paris))
		b := New(domain.New(bdb, now), now, "")
		first, err := b.vocabulary(ctx)
		require.NoError(t, err)
		require.NotContains(t, first.communes, "zanzibar ville")

		_, err = bdb.NewUpdate().TableExpr("structures").Set("commune = 'Zanzibar Ville'").Where("id = 1").Exec(ctx)
		require.NoError(t, err)
		b.mu.Lock()
		b.vocabTTL = 0 // every question finds it old
		b.mu.Unlock()

		stale, err := b.vocabulary(ctx)
		require.NoError(t, err)
		require.NotContains(t, stale.communes, "zanzibar ville", "the question does not wait for the renewal")
		require.Eventually(t, func() bool {
			v, err := b.vocabulary(ctx)
			return err == nil && v.communes["zanzibar ville"] == "Zanzibar Ville"
		}, 10*time.Second, 10*time.Millisecond)
		require.Eventually(t, func() bool { // no renewal left running when the test closes the database
			b.mu.Lock()
			defer b.mu.Unlock()
			b.vocabTTL = time.Hour
			return !b.renewing
		}, 10*time.Second, 10*time.Millisecond)
	})
}
