package matching_test

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
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/matching"
	"github.com/lianes-cooperation/lianes/internal/matching/matchingtest"
	"github.com/lianes-cooperation/lianes/internal/period"
)

var day = period.NewDate(2021, 1, 4)

func setup(t *testing.T, bdb *bun.DB) (*domain.Services, matchingtest.Fixture) {
	t.Helper()
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	s := domain.New(bdb, clock.Fixed(time.Date(2021, 1, 4, 9, 0, 0, 0, clock.Paris)))
	return s, matchingtest.Seed(t, s)
}

func all() listing.Args { n := listing.MaxSize; return listing.Args{First: &n} }

func TestCallsThatFitAnAssociationOnWaterInBurkina(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		s, f := setup(t, bdb)
		ctx := context.Background()
		p, err := s.Matching.FundingCalls(ctx, f.Association, day, all())
		require.NoError(t, err)
		require.Equal(t, matchingtest.Association, p.Profile.Name)
		require.Equal(t, []string{"eau-assainissement"}, p.Profile.Themes)
		require.Equal(t, []string{"BF"}, p.Profile.Countries, "the countries of its project")
		ids := p.IDs()
		require.GreaterOrEqual(t, len(ids), 3)
		require.Equal(t, f.WaterBurkina, ids[0], "water, Burkina, associations, regional: first")
		require.Equal(t, f.WaterAnywhere, ids[1], "water, associations")
		first := p.Matches[0]
		require.Equal(t, []string{"ouvert aux associations", "thème eau et assainissement", "pays Burkina Faso",
			"appel régional, pour les structures des Hauts-de-France"}, first.Reasons)
		require.InDelta(t, 1+2+3+1, first.Score, 1e-9)
		require.True(t, first.Fits)
		require.NotContains(t, ids, f.Closed, "open to local authorities only")
		require.NotContains(t, ids, f.Past, "closed before the day")
		for i := 1; i < len(p.Matches); i++ {
			require.GreaterOrEqual(t, p.Matches[i-1].Score, p.Matches[i].Score, "best first: the database's order is Go's score")
		}
		calls, err := s.Calls.FundingCalls(ctx, ids)
		require.NoError(t, err)
		for _, m := range p.Matches {
			require.Contains(t, m.Reasons[0], "ouvert", "%s: the audience comes first", calls[m.ID].Title)
		}
		// The demo's calls for local authorities only are left out too.
		for _, m := range p.Matches {
			require.NotEqual(t, "Appel à projets généraliste de la DAECT", calls[m.ID].Title)
			require.NotEqual(t, "Appels à projet des instituts français", calls[m.ID].Title)
		}

		// Pages: first/after follow the same order.
		two := 2
		page1, err := s.Matching.FundingCalls(ctx, f.Association, day, listing.Args{First: &two})
		require.NoError(t, err)
		require.Equal(t, ids[:2], page1.IDs())
		require.True(t, page1.Info.HasNext())
		after := listing.Cursor(1)
		page2, err := s.Matching.FundingCalls(ctx, f.Association, day, listing.Args{First: &two, After: &after})
		require.NoError(t, err)
		require.Equal(t, ids[2:4], page2.IDs())

		_, err = s.Matching.FundingCalls(ctx, 999_999, day, all())
		require.ErrorIs(t, err, matching.ErrNotFound)
	})
}

func TestEventsThatFit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		s, f := setup(t, bdb)
		p, err := s.Matching.Events(context.Background(), f.Association, day, all())
		require.NoError(t, err)
		ids := p.IDs()
		require.NotEmpty(t, ids)
		// The demo's working group "Accès à l'eau au Burkina Faso" (May), organised
		// by Lianes coopération in the Nord, comes first; then the fixture's.
		events, err := s.Events.Events(context.Background(), ids[:2])
		require.NoError(t, err)
		require.Equal(t, "Accès à l’eau au Burkina Faso", events[ids[0]].Title)
		require.Equal(t, []string{"ouvert aux associations", "thème eau et assainissement", "pays Burkina Faso",
			"organisé par une structure du Nord"}, p.Matches[0].Reasons)
		require.Equal(t, f.WaterEvent, ids[1])
		require.Equal(t, []string{"ouvert aux associations", "thème eau et assainissement", "pays Burkina Faso"}, p.Matches[1].Reasons)
		require.NotContains(t, ids, f.ClosedEvent)
	})
}

func TestScoreInGo(t *testing.T) {
	p := &matching.Profile{ID: 7, Name: "Asso", ActorType: "association-locale", Department: "59",
		Audiences: []string{"associations", "reseau"}, Themes: []string{"eau-assainissement"}, Countries: []string{"BF"}}
	_, ok := p.Score(matching.Facts{Audiences: []string{"collectivites"}}, nil)
	require.False(t, ok, "closed to its type")
	m, ok := p.Score(matching.Facts{}, nil)
	require.True(t, ok)
	require.Equal(t, []string{"ouvert à tous les publics"}, m.Reasons)
	require.True(t, m.Fits, "no theme nor country: for everyone")
	m, ok = p.Score(matching.Facts{Audiences: []string{"reseau"}, Themes: []string{"energie"}}, nil)
	require.True(t, ok)
	require.False(t, m.Fits, "another theme")
	require.Equal(t, []string{"ouvert à tout le réseau"}, m.Reasons)
	m, ok = p.Score(matching.Facts{Event: true, Audiences: []string{"citoyens"}, Organisers: []int64{7}}, nil)
	require.True(t, ok)
	require.Equal(t, []string{"ouvert au grand public", "organisé par Asso"}, m.Reasons)
	require.InDelta(t, 2.5, m.Score, 1e-9)
}
