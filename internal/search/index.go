package search

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/uptrace/bun"
)

// Kinds of records the index holds.
const (
	KindStructure   = "structure"
	KindFundingCall = "funding_call"
	KindEvent       = "event"
	KindProject     = "project"
	KindTraining    = "training"
	KindPublication = "publication"
	KindAction      = "programme_action"
	KindCensus      = "census_campaign"
	KindSupport     = "support_session"
	KindContact     = "contact"
)

// AllKinds lists every kind the index holds.
var AllKinds = []string{KindStructure, KindFundingCall, KindEvent, KindProject, KindTraining, KindPublication,
	KindAction, KindCensus, KindSupport, KindContact}

// Field weights: a word of a name counts more than a word of a description.
const (
	weightName  = 8
	weightPlace = 4
	weightTag   = 3
	weightText  = 1
)

// source is one field of one kind: a query returning (id, text) pairs, with
// no WHERE clause so that one record can be selected by appending one.
type source struct {
	kind     string
	weight   int
	idColumn string
	query    string
}

var sources = []source{
	{KindStructure, weightName, "s.id", "SELECT s.id, s.name FROM structures AS s"},
	{KindStructure, weightName, "sn.structure_id", "SELECT sn.structure_id, sn.name FROM structure_names AS sn"},
	{KindStructure, weightTag, "s.id", "SELECT s.id, at.name FROM structures AS s JOIN actor_types AS at ON at.code = s.actor_type_code"},
	{KindStructure, weightPlace, "s.id", "SELECT s.id, s.commune FROM structures AS s"},
	{KindStructure, weightPlace, "s.id", "SELECT s.id, d.name FROM structures AS s JOIN departments AS d ON d.code = s.department_code"},
	{KindStructure, weightPlace, "s.id", "SELECT s.id, c.name FROM structures AS s JOIN countries AS c ON c.code = s.country_code"},
	{KindStructure, weightText, "s.id", "SELECT s.id, s.description FROM structures AS s"},
	{KindStructure, weightTag, "st.structure_id", "SELECT st.structure_id, t.name FROM structure_themes AS st JOIN themes AS t ON t.code = st.theme_code"},

	{KindContact, weightName, "c.id", "SELECT c.id, c.name FROM contacts AS c"},
	{KindContact, weightTag, "c.id", "SELECT c.id, c.role FROM contacts AS c"},

	{KindProject, weightName, "p.id", "SELECT p.id, p.title FROM projects AS p"},
	{KindProject, weightText, "p.id", "SELECT p.id, p.description FROM projects AS p"},
	{KindProject, weightPlace, "pc.project_id", "SELECT pc.project_id, c.name FROM project_countries AS pc JOIN countries AS c ON c.code = pc.country_code"},
	{KindProject, weightTag, "pt.project_id", "SELECT pt.project_id, t.name FROM project_themes AS pt JOIN themes AS t ON t.code = pt.theme_code"},

	{KindEvent, weightName, "e.id", "SELECT e.id, e.title FROM events AS e"},
	{KindEvent, weightText, "e.id", "SELECT e.id, e.content FROM events AS e"},
	{KindEvent, weightTag, "e.id", "SELECT e.id, e.format FROM events AS e"},
	{KindEvent, weightText, "e.id", "SELECT e.id, e.audience_text FROM events AS e"},
	{KindEvent, weightText, "e.id", "SELECT e.id, e.place FROM events AS e"},
	{KindEvent, weightTag, "ea.event_id", "SELECT ea.event_id, a.name FROM event_audiences AS ea JOIN audiences AS a ON a.code = ea.audience_code"},
	{KindEvent, weightTag, "et.event_id", "SELECT et.event_id, t.name FROM event_themes AS et JOIN themes AS t ON t.code = et.theme_code"},
	{KindEvent, weightPlace, "ec.event_id", "SELECT ec.event_id, c.name FROM event_countries AS ec JOIN countries AS c ON c.code = ec.country_code"},

	{KindFundingCall, weightName, "f.id", "SELECT f.id, f.title FROM funding_calls AS f"},
	{KindFundingCall, weightTag, "f.id", "SELECT f.id, f.funder FROM funding_calls AS f"},
	{KindFundingCall, weightTag, "f.id", "SELECT f.id, f.programme FROM funding_calls AS f"},
	{KindFundingCall, weightText, "f.id", "SELECT f.id, f.description FROM funding_calls AS f"},
	{KindFundingCall, weightText, "f.id", "SELECT f.id, f.audience_text FROM funding_calls AS f"},
	{KindFundingCall, weightTag, "fa.funding_call_id", "SELECT fa.funding_call_id, a.name FROM funding_call_audiences AS fa JOIN audiences AS a ON a.code = fa.audience_code"},
	{KindFundingCall, weightTag, "ft.funding_call_id", "SELECT ft.funding_call_id, t.name FROM funding_call_themes AS ft JOIN themes AS t ON t.code = ft.theme_code"},
	{KindFundingCall, weightPlace, "fc.funding_call_id", "SELECT fc.funding_call_id, c.name FROM funding_call_countries AS fc JOIN countries AS c ON c.code = fc.country_code"},

	{KindSupport, weightName, "ss.id", "SELECT ss.id, ss.subject FROM support_sessions AS ss"},
	{KindSupport, weightTag, "ss.id", "SELECT ss.id, s.name FROM support_sessions AS ss JOIN structures AS s ON s.id = ss.structure_id"},

	{KindTraining, weightName, "tc.id", "SELECT tc.id, tc.title FROM training_cycles AS tc"},
	{KindTraining, weightTag, "tm.cycle_id", "SELECT tm.cycle_id, tm.title FROM training_modules AS tm"},
	{KindTraining, weightText, "tc.id", "SELECT tc.id, tc.description FROM training_cycles AS tc"},

	{KindPublication, weightName, "pu.id", "SELECT pu.id, pu.title FROM publications AS pu"},
	{KindPublication, weightTag, "pu.id", "SELECT pu.id, pu.series FROM publications AS pu"},
	{KindPublication, weightText, "pu.id", "SELECT pu.id, pu.description FROM publications AS pu"},

	{KindCensus, weightName, "cc.id", "SELECT cc.id, cc.title FROM census_campaigns AS cc"},
	{KindCensus, weightText, "cc.id", "SELECT cc.id, cc.description FROM census_campaigns AS cc"},

	{KindAction, weightName, "pa.id", "SELECT pa.id, pa.title FROM programme_actions AS pa"},
	{KindAction, weightText, "pa.id", "SELECT pa.id, pa.description FROM programme_actions AS pa"},
	{KindAction, weightTag, "pai.action_id", "SELECT pai.action_id, pai.title FROM programme_action_items AS pai"},
}

type termKey struct {
	term string
	id   int64
}

// collect reads the sources of kind (all kinds when kind is empty), limited
// to ids when ids is not nil, and returns each (term, id) with its weight.
func collect(ctx context.Context, idb bun.IDB, kind string, ids []int64) (map[string]map[termKey]int, error) {
	out := map[string]map[termKey]int{}
	for _, src := range sources {
		if kind != "" && src.kind != kind {
			continue
		}
		q := src.query
		var args []any
		if ids != nil {
			q += " WHERE " + src.idColumn + " IN (?)"
			args = append(args, bun.List(ids))
		}
		rows, err := idb.QueryContext(ctx, q, args...)
		if err != nil {
			return nil, fmt.Errorf("search: index %s: %w", src.kind, err)
		}
		m := out[src.kind]
		if m == nil {
			m = map[termKey]int{}
			out[src.kind] = m
		}
		for rows.Next() {
			var id int64
			var text *string
			if err := rows.Scan(&id, &text); err != nil {
				rows.Close()
				return nil, fmt.Errorf("search: index %s: %w", src.kind, err)
			}
			if text == nil {
				continue
			}
			terms := Terms(*text)
			// A word weighs more in a short field than in a long one: a
			// title that is mostly the query ranks first.
			weight := max(1, src.weight*12/(len(terms)+2))
			for _, t := range terms {
				k := termKey{t, id}
				if m[k] < weight {
					m[k] = weight
				}
			}
		}
		if err := rows.Close(); err != nil {
			return nil, err
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func write(ctx context.Context, idb bun.IDB, terms map[string]map[termKey]int) error {
	const batch = 500
	type row struct {
		term, kind string
		id         int64
		weight     int
	}
	var rows []row
	for kind, m := range terms {
		for k, w := range m {
			rows = append(rows, row{k.term, kind, k.id, w})
		}
	}
	for start := 0; start < len(rows); start += batch {
		chunk := rows[start:min(start+batch, len(rows))]
		var b strings.Builder
		b.WriteString("INSERT INTO search_terms (term, kind, record_id, weight) VALUES ")
		args := make([]any, 0, 4*len(chunk))
		for i, r := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?, ?, ?)")
			args = append(args, r.term, r.kind, r.id, r.weight)
		}
		if _, err := idb.NewRaw(b.String(), args...).Exec(ctx); err != nil {
			return fmt.Errorf("search: write index: %w", err)
		}
	}
	return nil
}

// Reindex rebuilds the whole index; imports and seeds call it inside their
// transaction.
func Reindex(ctx context.Context, idb bun.IDB) error {
	if _, err := idb.NewDelete().TableExpr("search_terms").Where("1 = 1").Exec(ctx); err != nil {
		return fmt.Errorf("search: clear index: %w", err)
	}
	terms, err := collect(ctx, idb, "", nil)
	if err != nil {
		return err
	}
	return write(ctx, idb, terms)
}

// ReindexRecords refreshes the index of some records of one kind, after they
// were created, changed or deleted.
func ReindexRecords(ctx context.Context, idb bun.IDB, kind string, ids ...int64) error {
	if len(ids) == 0 {
		return nil
	}
	if _, err := idb.NewDelete().TableExpr("search_terms").
		Where("kind = ? AND record_id IN (?)", kind, bun.List(ids)).Exec(ctx); err != nil {
		return fmt.Errorf("search: clear index: %w", err)
	}
	terms, err := collect(ctx, idb, kind, ids)
	if err != nil {
		return err
	}
	return write(ctx, idb, terms)
}

// Hit is a record that matches a query.
type Hit struct {
	Kind    string
	ID      int64
	Matched int // how many of the query's terms it holds
	Score   int // the sum of the weights of the fields they come from
}

// Lookup returns the records of the given kinds (all when none) that match
// the query, best first. A record must hold every term of the query, unless
// none does: then those holding the most terms are returned, so that a long
// question still finds something.
func Lookup(ctx context.Context, idb bun.IDB, query string, kinds ...string) ([]Hit, error) {
	terms := Terms(query)
	if len(terms) == 0 {
		return nil, nil
	}
	q := idb.NewSelect().TableExpr("search_terms").Column("kind", "record_id", "weight").
		Where("term IN (?)", bun.List(terms))
	if len(kinds) > 0 {
		q = q.Where("kind IN (?)", bun.List(kinds))
	}
	q = hideUnseen(ctx, q, kinds)
	rows, err := q.Rows(ctx)
	if err != nil {
		return nil, fmt.Errorf("search: lookup: %w", err)
	}
	defer rows.Close()
	type key struct {
		kind string
		id   int64
	}
	byRecord := map[key]*Hit{}
	for rows.Next() {
		var k key
		var weight int
		if err := rows.Scan(&k.kind, &k.id, &weight); err != nil {
			return nil, fmt.Errorf("search: lookup: %w", err)
		}
		h := byRecord[k]
		if h == nil {
			h = &Hit{Kind: k.kind, ID: k.id}
			byRecord[k] = h
		}
		h.Matched++
		h.Score += weight
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	best := 0
	for _, h := range byRecord {
		best = max(best, h.Matched)
	}
	hits := make([]Hit, 0, len(byRecord))
	for _, h := range byRecord {
		if h.Matched == best {
			hits = append(hits, *h)
		}
	}
	sort.Slice(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if a.Score != b.Score {
			return a.Score > b.Score
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind // the same tie-break as Top's ORDER BY
		}
		return a.ID < b.ID
	})
	return hits, nil
}

// LookupAll is Lookup without the fallback: only the records that hold
// every term of the query. Lists filtered by a query use it.
func LookupAll(ctx context.Context, idb bun.IDB, query string, kinds ...string) ([]Hit, error) {
	hits, err := Lookup(ctx, idb, query, kinds...)
	if err != nil || len(hits) == 0 {
		return hits, err
	}
	if want := len(Terms(query)); hits[0].Matched < want {
		return nil, nil
	}
	return hits, nil
}

// IDs returns the ids of hits, in their order.
func IDs(hits []Hit) []int64 {
	ids := make([]int64, len(hits))
	for i, h := range hits {
		ids[i] = h.ID
	}
	return ids
}

// Filter narrows q, a query over the records of kind whose id is idColumn,
// to those matching text. It returns the query, the matching ids best first
// (nil when text has no term), and false when nothing matches at all.
func Filter(ctx context.Context, idb bun.IDB, q *bun.SelectQuery, idColumn, kind, text string) (*bun.SelectQuery, []int64, bool, error) {
	if strings.TrimSpace(text) == "" || len(Terms(text)) == 0 {
		return q, nil, true, nil
	}
	hits, err := LookupAll(ctx, idb, text, kind)
	if err != nil {
		return q, nil, false, err
	}
	ranked := IDs(hits)
	if len(ranked) == 0 {
		return q, nil, false, nil
	}
	return q.Where(idColumn+" IN (?)", bun.List(ranked)), ranked, true, nil
}

// topQuery is the statement of Top's rows, false when the query has no
// term or no row is asked.
func topQuery(ctx context.Context, idb bun.IDB, query string, limit int, kinds []string) (*bun.SelectQuery, bool) {
	terms := Terms(query)
	if len(terms) == 0 || limit <= 0 {
		return nil, false
	}
	q := idb.NewSelect().TableExpr("search_terms").
		ColumnExpr("kind, record_id, COUNT(*) AS matched, SUM(weight) AS score").
		Where("term IN (?)", bun.List(terms)).
		GroupExpr("kind, record_id").
		OrderExpr("matched DESC, score DESC, kind, record_id").
		Limit(int64(limit))
	if len(terms) == 1 {
		// One term: each record has one row, no grouping to do.
		q = idb.NewSelect().TableExpr("search_terms").
			ColumnExpr("kind, record_id, 1 AS matched, weight AS score").
			Where("term = ?", terms[0]).
			OrderExpr("weight DESC, kind, record_id").
			Limit(int64(limit))
	}
	if len(kinds) > 0 {
		q = q.Where("kind IN (?)", bun.List(kinds))
	}
	return hideUnseen(ctx, q, kinds), true
}

// TopSQL returns the SQL of a derived table of Top's hits (kind,
// record_id, matched, score), the cut to those holding the most terms
// included, in no order: TopOrder is theirs. ok is false when Top finds
// nothing without looking (no term, no row asked).
func TopSQL(ctx context.Context, idb bun.IDB, query string, limit int, kinds ...string) (sql string, ok bool) {
	q, ok := topQuery(ctx, idb, query, limit, kinds)
	if !ok {
		return "", false
	}
	return "(SELECT kind, record_id, matched, score FROM (SELECT t.*, MAX(t.matched) OVER () AS best_ FROM (" + q.String() +
		") AS t) AS b WHERE b.matched = b.best_)", true
}

// TopOrder is the order of Top's hits in a TopSQL joined as alias.
func TopOrder(alias string) string {
	return alias + ".matched DESC, " + alias + ".score DESC, " + alias + ".kind, " + alias + ".record_id"
}

// Top returns the best records for a query, at most limit of them, ranked
// like Lookup (by kind name, then id, on equal scores) but in SQL, so that a common word over a large network does not
// bring every match back: records holding the most terms first, then by
// weight, kind and id. It is what a search shows a page of.
func Top(ctx context.Context, idb bun.IDB, query string, limit int, kinds ...string) ([]Hit, error) {
	q, ok := topQuery(ctx, idb, query, limit, kinds)
	if !ok {
		return nil, nil
	}
	rows, err := q.Rows(ctx)
	if err != nil {
		return nil, fmt.Errorf("search: top: %w", err)
	}
	defer rows.Close()
	var hits []Hit
	for rows.Next() {
		var h Hit
		if err := rows.Scan(&h.Kind, &h.ID, &h.Matched, &h.Score); err != nil {
			return nil, fmt.Errorf("search: top: %w", err)
		}
		hits = append(hits, h)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// As Lookup: when some records hold every term, the others are left out.
	if len(hits) > 0 {
		best := hits[0].Matched
		for i, h := range hits {
			if h.Matched < best {
				hits = hits[:i]
				break
			}
		}
	}
	return hits, nil
}
