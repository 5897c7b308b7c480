package graph

import (
	"github.com/lianes-cooperation/lianes/graph/model"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/matching"
)

// The matching connections (Structure.matchingFundingCalls, matchingEvents)
// are answered by the resolvers alone: the compiled reads (graph/compile)
// do not declare them, so a query that asks for them goes to the resolvers.

// matchingCursor is the cursor of the i-th match of a page.
func matchingCursor(p matching.Page, i int) string { return listing.Cursor(p.Info.From + i) }

// matchingInfo is the position of a page of matches.
func matchingInfo(p matching.Page) model.PageInfo {
	info := model.PageInfo{HasNextPage: p.Info.HasNext(), HasPreviousPage: p.Info.HasPrevious()}
	if n := len(p.Matches); n > 0 {
		start, end := matchingCursor(p, 0), matchingCursor(p, n-1)
		info.StartCursor, info.EndCursor = &start, &end
	}
	return info
}
