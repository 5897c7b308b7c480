package search

import (
	"context"

	"github.com/lianes-cooperation/lianes/internal/access"
)

// VisibleKinds keeps the kinds of records the caller may search: contacts
// from members up, support sessions for the staff. Kinds the caller may not
// see are not searched at all, so that a hit never reveals that a record
// exists.
func VisibleKinds(ctx context.Context, kinds []string) []string {
	out := make([]string, 0, len(kinds))
	for _, k := range kinds {
		if k == KindContact && !access.AtLeast(ctx, access.Member) {
			continue
		}
		if k == KindSupport && !access.AtLeast(ctx, access.Staff) {
			continue
		}
		out = append(out, k)
	}
	return out
}
