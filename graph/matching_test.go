package graph_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/matching/matchingtest"
)

type matchPage struct {
	Structure struct {
		MatchingFundingCalls struct {
			TotalCount int `json:"totalCount"`
			PageInfo   struct {
				HasNextPage bool   `json:"hasNextPage"`
				EndCursor   string `json:"endCursor"`
			} `json:"pageInfo"`
			Edges []struct {
				Cursor string `json:"cursor"`
				Node   struct {
					Score       float64  `json:"score"`
					Reasons     []string `json:"reasons"`
					FundingCall struct {
						ID    string `json:"id"`
						Title string `json:"title"`
					} `json:"fundingCall"`
				} `json:"node"`
			} `json:"edges"`
		} `json:"matchingFundingCalls"`
		MatchingEvents struct {
			Nodes []struct {
				Score   float64  `json:"score"`
				Reasons []string `json:"reasons"`
				Event   struct {
					Title string `json:"title"`
				} `json:"event"`
			} `json:"nodes"`
		} `json:"matchingEvents"`
	} `json:"node"`
}

// Structure.matchingFundingCalls pages the calls that fit, best first, with
// their reasons; first/after go on in the same order.
func TestMatchingConnections(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		f := matchingtest.Seed(t, domain.New(bdb, clock.Fixed(a.now)))
		id := fmt.Sprintf("Structure:%d", f.Association)
		const q = `query($id: ID!, $first: Int, $after: String) { node(id: $id) { ... on Structure {
			matchingFundingCalls(now: "2021-01-04", first: $first, after: $after) {
				totalCount pageInfo { hasNextPage endCursor } edges { cursor node { score reasons fundingCall { id title } } } }
			matchingEvents(first: 3) { nodes { score reasons event { title } } } } } }`
		var all matchPage
		a.data(q, map[string]any{"id": id, "first": 100}, &all)
		calls := all.Structure.MatchingFundingCalls
		require.GreaterOrEqual(t, calls.TotalCount, 4)
		require.Len(t, calls.Edges, calls.TotalCount)
		first := calls.Edges[0].Node
		require.Equal(t, matchingtest.WaterBurkina, first.FundingCall.Title)
		require.Equal(t, 7.0, first.Score, "1 + 2 + 3 + 1")
		require.Equal(t, []string{"ouvert aux associations", "thème eau et assainissement", "pays Burkina Faso",
			"appel régional, pour les structures des Hauts-de-France"}, first.Reasons)
		require.Equal(t, matchingtest.WaterAnywhere, calls.Edges[1].Node.FundingCall.Title)
		for i, e := range calls.Edges {
			require.NotEqual(t, matchingtest.Closed, e.Node.FundingCall.Title)
			require.NotEmpty(t, e.Node.Reasons)
			if i > 0 {
				require.LessOrEqual(t, e.Node.Score, calls.Edges[i-1].Node.Score, "best first")
			}
		}
		require.Contains(t, []string{matchingtest.WaterEvent, "Accès à l’eau au Burkina Faso"}, all.Structure.MatchingEvents.Nodes[0].Event.Title)

		// Two at a time, the same order.
		var seen []string
		after := any(nil)
		for range 10 {
			var p matchPage
			a.data(q, map[string]any{"id": id, "first": 2, "after": after}, &p)
			for _, e := range p.Structure.MatchingFundingCalls.Edges {
				seen = append(seen, e.Node.FundingCall.ID)
			}
			if !p.Structure.MatchingFundingCalls.PageInfo.HasNextPage {
				break
			}
			after = p.Structure.MatchingFundingCalls.PageInfo.EndCursor
		}
		var want []string
		for _, e := range calls.Edges {
			want = append(want, e.Node.FundingCall.ID)
		}
		require.Equal(t, want, seen)

		// Priced: a matching per structure of a list.
		r := a.do(`{ structures(first: 100) { nodes { matchingFundingCalls(first: 5) { totalCount } } } }`, nil)
		require.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", errorCode(t, r))
		require.Empty(t, a.do(`{ structures(first: 5) { nodes { matchingFundingCalls(first: 5) { totalCount } matchingEvents(first: 5) { totalCount } } } }`, nil).Errors)
	})
}
