// Package listing pages through lists the Relay way (first/after, last/before)
// for top-level lists and for nested ones, where one statement pages the
// children of many parents at once.
package listing

import (
	"context"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
)

// Size limits of a page.
const (
	DefaultSize = 20
	MaxSize     = 100
)

// Args are the Relay paging arguments.
type Args struct {
	First, Last   *int
	After, Before *string
	// SkipTotal spares the count of a top-level list when the caller does not
	// ask for it; one more row tells whether a next page exists.
	SkipTotal bool
}

// InvalidArgsError is a paging argument the caller got wrong.
type InvalidArgsError struct {
	Field, Message string
}

func (e *InvalidArgsError) Error() string { return fmt.Sprintf("%s : %s", e.Field, e.Message) }

// Cursor encodes the position of an item in its list.
func Cursor(index int) string {
	return base64.RawURLEncoding.EncodeToString([]byte("i:" + strconv.Itoa(index)))
}

// CursorSQL returns the SQL of the cursor of the item at a position (an SQL
// expression), for pages the database writes itself.
func CursorSQL(idb bun.IDB, index string) string {
	return db.Base64URL(idb, "'i:' || ("+index+")")
}

// maxPosition bounds a cursor's position: far beyond any list of the
// network, and far from the integer limits that start+first would cross.
const maxPosition = 1_000_000_000

// decode reads a cursor that Cursor wrote: "i:" and a position written in
// decimal digits the canonical way. A forged one (a sign, a fraction,
// leading zeros, a position past maxPosition) is refused the same way on
// every path, compiled or not.
func decode(field, cursor string) (int, error) {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err == nil && strings.HasPrefix(string(raw), "i:") {
		digits := string(raw[2:])
		if n, err := strconv.Atoi(digits); err == nil && n >= 0 && n <= maxPosition && strconv.Itoa(n) == digits {
			return n, nil
		}
	}
	return 0, &InvalidArgsError{Field: field, Message: fmt.Sprintf("curseur « %s » invalide", printable(cursor))}
}

// printable shortens a refused cursor for the message that names it: a
// forged one may be long or hold control characters.
func printable(s string) string {
	const most = 40
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	if utf8.RuneCountInString(s) > most {
		return string([]rune(s)[:most]) + "…"
	}
	return s
}

// bounds are the checked arguments: the window is computed from them once
// the list's length is known.
type bounds struct {
	start         int  // first index allowed by after
	end           *int // index bound set by before
	first, last   *int
	defaultedSize bool
}

// Check validates the arguments.
func (a Args) check() (bounds, error) {
	var b bounds
	for _, n := range []struct {
		name string
		v    *int
	}{{"first", a.First}, {"last", a.Last}} {
		if n.v != nil && (*n.v < 0 || *n.v > MaxSize) {
			return b, &InvalidArgsError{Field: n.name, Message: fmt.Sprintf("doit être entre 0 et %d", MaxSize)}
		}
	}
	if a.After != nil {
		i, err := decode("after", *a.After)
		if err != nil {
			return b, err
		}
		b.start = i + 1
	}
	if a.Before != nil {
		i, err := decode("before", *a.Before)
		if err != nil {
			return b, err
		}
		b.end = &i
	}
	b.first, b.last = a.First, a.Last
	if b.first == nil && b.last == nil {
		n := DefaultSize
		b.first, b.defaultedSize = &n, true
	}
	return b, nil
}

// Forward returns the offset and size of a page asked with first and after
// alone, the way most clients page; ok is false for last or before, or for
// arguments that Check would refuse.
func (a Args) Forward() (offset, limit int, ok bool) {
	if a.Last != nil || a.Before != nil {
		return 0, 0, false
	}
	b, err := a.check()
	if err != nil {
		return 0, 0, false
	}
	return b.start, *b.first, true
}

// WindowSQL returns the SQL of the positions [from, to) of the page in a
// list whose length is the SQL expression total, as window computes them:
// for a page asked from the end (last, before), which the database cuts
// once it knows the list's length. The arguments must be valid (Forward or
// Query would accept them); err says otherwise.
func (a Args) WindowSQL(idb bun.IDB, total string) (from, to string, err error) {
	b, err := a.check()
	if err != nil {
		return "", "", err
	}
	from = db.Least(idb, strconv.Itoa(b.start), total)
	to = total
	if b.end != nil {
		to = db.Least(idb, to, strconv.Itoa(*b.end))
	}
	to = db.Greatest(idb, to, from)
	if b.first != nil {
		to = db.Least(idb, to, "("+from+") + "+strconv.Itoa(*b.first))
	}
	if b.last != nil {
		from = db.Greatest(idb, from, "("+to+") - "+strconv.Itoa(*b.last))
	}
	return from, to, nil
}

// window returns the [from, to) slice of a list of total items.
func (b bounds) window(total int) (from, to int) {
	from, to = min(b.start, total), total
	if b.end != nil {
		to = min(to, *b.end)
	}
	if to < from {
		to = from
	}
	if b.first != nil {
		to = min(to, from+*b.first)
	}
	if b.last != nil {
		from = max(from, to-*b.last)
	}
	return from, to
}

// Info is the position of a page in its list. Total is -1 when it was not
// counted; More then says whether items follow.
type Info struct {
	From, To, Total int
	More            bool
}

// HasNext reports whether items follow the page.
func (i Info) HasNext() bool {
	if i.Total < 0 {
		return i.More
	}
	return i.To < i.Total
}

// HasPrevious reports whether items precede the page.
func (i Info) HasPrevious() bool { return i.From > 0 }

// Page is one page of a list of ids, in list order.
type Page struct {
	IDs  []int64
	Info Info
}

// Window pages an id list already in its order (a ranked search result).
func Window(ids []int64, a Args) (Page, error) {
	b, err := a.check()
	if err != nil {
		return Page{}, err
	}
	from, to := b.window(len(ids))
	return Page{IDs: ids[from:to], Info: Info{From: from, To: to, Total: len(ids)}}, nil
}

// Query pages a query that selects the records' ids, in its order: one
// statement counts, one reads the page. idColumn is the id expression.
func Query(ctx context.Context, q *bun.SelectQuery, idColumn string, a Args) (Page, error) {
	b, err := a.check()
	if err != nil {
		return Page{}, err
	}
	if a.SkipTotal && b.last == nil && b.end == nil {
		limit := *b.first
		page := Page{Info: Info{From: b.start, To: b.start, Total: -1}}
		var whole *bun.SelectQuery // the list without the page's offset and limit, set on q itself
		if b.start > 0 {
			whole = q.Clone()
		}
		// One more row tells whether items follow, also after an empty page
		// (first: 0).
		if err := q.ColumnExpr(idColumn).Offset(int64(b.start)).Limit(int64(limit+1)).Scan(ctx, &page.IDs); err != nil {
			return Page{}, fmt.Errorf("listing: page: %w", err)
		}
		if len(page.IDs) > limit {
			page.IDs, page.Info.More = page.IDs[:limit], true
		}
		page.Info.To = b.start + len(page.IDs)
		if len(page.IDs) == 0 && b.start > 0 {
			// A page past the end: items precede it only if the list has
			// any, as when it is counted (window).
			some, err := whole.Exists(ctx)
			if err != nil {
				return Page{}, fmt.Errorf("listing: page: %w", err)
			}
			if !some {
				page.Info.From, page.Info.To = 0, 0
			}
		}
		return page, nil
	}
	n, err := q.Count(ctx)
	if err != nil {
		return Page{}, fmt.Errorf("listing: count: %w", err)
	}
	total := int(n)
	from, to := b.window(total)
	page := Page{Info: Info{From: from, To: to, Total: total}}
	if to == from {
		return page, nil
	}
	if err := q.ColumnExpr(idColumn).Offset(int64(from)).Limit(int64(to-from)).Scan(ctx, &page.IDs); err != nil {
		return Page{}, fmt.Errorf("listing: page: %w", err)
	}
	return page, nil
}

// Relation is a one-to-many or many-to-many link, paged per parent. A
// relation for reads of one parent at a time (internal/jsontree) may name the
// parent's id {parent} in From or Where instead of giving Parent; Load, which
// reads many parents at once, does not take those.
type Relation struct {
	From   string // FROM clause, with aliases
	Parent string // the parent id expression
	Child  string // the child id expression
	Order  string // ORDER BY within a parent's children
	Where  string // optional extra condition
	// Link is the id of the row that ties a child to its parent (a
	// partnership between two structures), for lists whose edges show it;
	// optional.
	Link string
}

// Load pages the children of every parent in one statement: a window
// function numbers each parent's children and counts them.
func (r Relation) Load(ctx context.Context, idb bun.IDB, parents []int64, a Args) (map[int64]Page, error) {
	b, err := a.check()
	if err != nil {
		return nil, err
	}
	out := make(map[int64]Page, len(parents))
	if len(parents) == 0 {
		return out, nil
	}
	where := r.Parent + " IN (?)"
	if r.Where != "" {
		where += " AND (" + r.Where + ")"
	}
	// The window is computed from each parent's total in SQL, so that
	// last/before work without a second statement; the limits are plain
	// integers, never user text.
	args := []any{bun.List(parents)}
	start := b.start
	hi := "total"
	if b.end != nil {
		hi = fmt.Sprintf("CASE WHEN total < %d THEN total ELSE %d END", *b.end, *b.end)
	}
	if b.first != nil {
		hi = fmt.Sprintf("CASE WHEN (%[1]s) < %[2]d THEN (%[1]s) ELSE %[2]d END", hi, start+*b.first)
	}
	lo := strconv.Itoa(start)
	if b.last != nil {
		lo = fmt.Sprintf("CASE WHEN (%[1]s) - %[2]d > %[3]d THEN (%[1]s) - %[2]d ELSE %[3]d END", hi, *b.last, start)
	}
	cond := fmt.Sprintf("rn > (%s) AND rn <= (%s)", lo, hi)
	query := fmt.Sprintf(`SELECT child, parent, total FROM (
  SELECT %s AS child, %s AS parent,
    ROW_NUMBER() OVER (PARTITION BY %s ORDER BY %s) AS rn,
    COUNT(*) OVER (PARTITION BY %s) AS total
  FROM %s WHERE %s
) AS w WHERE %s ORDER BY parent, rn`, r.Child, r.Parent, r.Parent, r.Order, r.Parent, r.From, where, cond)
	rows, err := idb.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("listing: relation: %w", err)
	}
	defer rows.Close()
	totals := map[int64]int{}
	for rows.Next() {
		var child, parent int64
		var total int
		if err := rows.Scan(&child, &parent, &total); err != nil {
			return nil, fmt.Errorf("listing: relation: %w", err)
		}
		p := out[parent]
		p.IDs = append(p.IDs, child)
		out[parent] = p
		totals[parent] = total
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	// A parent with no row in the window may still have children outside it
	// (a cursor past the end, first: 0): count those in one more statement.
	var uncounted []int64
	for _, parent := range parents {
		if _, ok := totals[parent]; !ok {
			uncounted = append(uncounted, parent)
		}
	}
	if len(uncounted) > 0 && (b.start > 0 || b.end != nil || (b.first != nil && *b.first == 0) || (b.last != nil && *b.last == 0)) {
		countRows, err := idb.QueryContext(ctx, fmt.Sprintf("SELECT %s, COUNT(*) FROM %s WHERE %s GROUP BY %s",
			r.Parent, r.From, where, r.Parent), bun.List(uncounted))
		if err != nil {
			return nil, fmt.Errorf("listing: relation count: %w", err)
		}
		defer countRows.Close()
		for countRows.Next() {
			var parent int64
			var total int
			if err := countRows.Scan(&parent, &total); err != nil {
				return nil, fmt.Errorf("listing: relation count: %w", err)
			}
			totals[parent] = total
		}
		if err := countRows.Err(); err != nil {
			return nil, err
		}
	}
	for _, parent := range parents {
		p := out[parent]
		total := totals[parent]
		from, to := b.window(total)
		p.Info = Info{From: from, To: to, Total: total}
		out[parent] = p
	}
	return out, nil
}

// Order is a sort field of a list and its direction. Fields are named by each
// list ("name", "date", "relevance").
type Order struct {
	Field string
	Desc  bool
}

// Dir returns the SQL direction keyword.
func (o Order) Dir() string {
	if o.Desc {
		return "DESC"
	}
	return "ASC"
}

// Ranked keeps the ids of ranked (best first) that are in allowed, in rank
// order, reversed when desc.
func Ranked(ranked, allowed []int64, desc bool) []int64 {
	keep := make(map[int64]bool, len(allowed))
	for _, id := range allowed {
		keep[id] = true
	}
	out := make([]int64, 0, len(allowed))
	for _, id := range ranked {
		if keep[id] {
			out = append(out, id)
		}
	}
	if desc {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out
}

// Search runs a filtered query either in its own order or, for a relevance
// order, in the order of the ranked ids. q must select from the table whose
// id is idColumn, with its filters (including "id IN ranked") applied.
func Search(ctx context.Context, q *bun.SelectQuery, idColumn string, ranked []int64, byRelevance, desc bool, a Args) (Page, error) {
	if !byRelevance {
		return Query(ctx, q, idColumn, a)
	}
	var allowed []int64
	if err := q.ColumnExpr(idColumn).Scan(ctx, &allowed); err != nil {
		return Page{}, fmt.Errorf("listing: search: %w", err)
	}
	return Window(Ranked(ranked, allowed, desc), a)
}

// Reverse returns an ORDER BY list sorting the other way round, each term's
// direction turned (both databases put NULLs at the same end for ASC and
// the other for DESC, so the turned list is the exact reverse); ok is false
// for a list it cannot read (a NULLS clause, unbalanced brackets or quotes).
func Reverse(order string) (reversed string, ok bool) {
	var terms []string
	depth, quote, start := 0, rune(0), 0
	for i, r := range order {
		switch {
		case quote != 0:
			if r == quote {
				quote = 0
			}
		case r == '\'' || r == '"':
			quote = r
		case r == '(':
			depth++
		case r == ')':
			depth--
		case r == ',' && depth == 0:
			terms = append(terms, order[start:i])
			start = i + 1
		}
	}
	if depth != 0 || quote != 0 {
		return "", false
	}
	terms = append(terms, order[start:])
	for i, term := range terms {
		term = strings.TrimSpace(term)
		upper := strings.ToUpper(term)
		switch {
		case term == "" || strings.Contains(upper, " NULLS "):
			return "", false
		case strings.HasSuffix(upper, " DESC"):
			terms[i] = strings.TrimSpace(term[:len(term)-len(" DESC")]) + " ASC"
		case strings.HasSuffix(upper, " ASC"):
			terms[i] = strings.TrimSpace(term[:len(term)-len(" ASC")]) + " DESC"
		default:
			terms[i] = term + " DESC"
		}
	}
	return strings.Join(terms, ", "), true
}

// AtTheEnd tells whether the page is the end of the list (last, without
// first or before): read from the end, it is the first rows of the
// reversed list.
func (a Args) AtTheEnd() bool { return a.Last != nil && a.First == nil && a.Before == nil }
