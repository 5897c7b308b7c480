package search

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/listing"
)

// OrderRelevance is the order of a list by how well its records match a
// search.
const OrderRelevance = "relevance"

// List is a list of records that a search text may narrow.
type List struct {
	// Query selects the records, filters applied; ID is their id column.
	Query *bun.SelectQuery
	ID    string
	// Kind and Text: the records of the index to keep, none when Text is
	// empty.
	Kind, Text string
	// Order is the order asked for; with a text and no order, the most
	// relevant come first when RelevanceFirst is set.
	Order          listing.Order
	RelevanceFirst bool
	// OrderBy writes the ORDER BY of an order other than relevance.
	OrderBy func(listing.Order) string
}

// Page pages a list: by relevance when it is asked for and there is a text,
// otherwise in the list's own order.
func (l List) Page(ctx context.Context, idb bun.IDB, a listing.Args) (listing.Page, error) {
	q, ranked, any, err := Filter(ctx, idb, l.Query, l.ID, l.Kind, l.Text)
	if err != nil || !any {
		return listing.Page{}, err
	}
	order := l.Order
	if ranked != nil && order.Field == "" && l.RelevanceFirst {
		order.Field = OrderRelevance
	}
	byRelevance := order.Field == OrderRelevance && ranked != nil
	if !byRelevance {
		q = q.OrderExpr(l.OrderBy(order))
	}
	return listing.Search(ctx, q, l.ID, ranked, byRelevance, order.Desc, a)
}

// Ranking returns the SQL of a derived table of the records of kind holding
// every term of text (record_id) and their score (score): Lookup's ranking,
// computed by the database, for statements that page and order a list
// themselves. ok is false when text has no term, which filters nothing.
// Only for the kinds every caller may see: the index is not narrowed by role.
func Ranking(kind, text string) (sql string, ok bool) {
	return ranking(kind, text, "")
}

// RankingByScore is Ranking sorted as RankingOrder sorts it, for a list
// ordered by relevance on the ranking's record_id: the database then joins
// the records of the best hits only, as many as a page needs, rather than
// every hit before sorting them (a common word has thousands).
func RankingByScore(kind, text string, desc bool) (sql string, ok bool) {
	return ranking(kind, text, " ORDER BY "+RankingOrder("", "record_id", desc))
}

func ranking(kind, text, orderBy string) (string, bool) {
	terms := Terms(text)
	if strings.TrimSpace(text) == "" || len(terms) == 0 {
		return "", false
	}
	quoted := make([]string, len(terms))
	for i, t := range terms {
		quoted[i] = db.Literal(t)
	}
	return fmt.Sprintf("(SELECT record_id, SUM(weight) AS score FROM search_terms WHERE kind = %s AND term IN (%s) "+
		"GROUP BY record_id HAVING COUNT(*) = %d%s)", db.Literal(kind), strings.Join(quoted, ", "), len(terms), orderBy), true
}

// RankingOrder is the order of Lookup's hits over a Ranking joined as
// alias (or inside it, when alias is empty), the records' id being
// idColumn: best score first, then by id; all of it reversed when desc.
func RankingOrder(alias, idColumn string, desc bool) string {
	score := "score"
	if alias != "" {
		score = alias + ".score"
	}
	if desc {
		return score + " ASC, " + idColumn + " DESC"
	}
	return score + " DESC, " + idColumn + " ASC"
}
