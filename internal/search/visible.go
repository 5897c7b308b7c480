package search

import (
	"context"
	"slices"

	"github.com/uptrace/bun"

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

// hideUnseen narrows a query over search_terms to the records the caller
// may see. Ranking a contact the caller may not see would let a hidden
// record push visible ones out of the results, and so tell a member that a
// guessed name belongs to a contact who did not consent (issue 14, item 6).
func hideUnseen(ctx context.Context, q *bun.SelectQuery, kinds []string) *bun.SelectQuery {
	if len(kinds) > 0 && !slices.Contains(kinds, KindContact) {
		return q
	}
	cond, some := access.ContactsVisible(ctx, "c")
	switch {
	case !some:
		return q.Where("kind <> ?", KindContact)
	case cond != "":
		return q.Where("NOT (kind = ? AND record_id IN (SELECT c.id FROM contacts AS c WHERE NOT ("+cond+")))", KindContact)
	}
	return q
}
