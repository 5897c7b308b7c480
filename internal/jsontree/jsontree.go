// Package jsontree reads a tree of records as one JSON document written by
// the database itself, in one SQL statement: an object per record, nested
// pages of related records, their counts. It is how a read whose shape is
// known in advance (a GraphQL query) is answered without loading rows into
// memory and encoding them again: the work left to Go is passing bytes on,
// and, for a list of records that hold lists, joining the records' rows
// (split.go).
//
// The same tree gives the same document on PostgreSQL and SQLite.
package jsontree

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/listing"
)

// Value is one JSON value of the document, computed from the record at hand
// (or, for the parts of a page, from the page).
type Value interface {
	sql(b *builder, at scope) string
	// columns adds the columns of the current record's row the value reads,
	// so that a page selects those alone.
	columns(add func(string))
}

// scope is where a value is computed: the alias of the current record's row,
// and the page being written, if any.
type scope struct {
	row  string
	page *pageScope
}

type pageScope struct {
	list   *Page
	parent string // the alias of the parent's row, "" for a top-level list
}

// Column is a column of the current record, written as its JSON value.
type Column string

func (c Column) sql(_ *builder, at scope) string { return at.row + "." + string(c) }

func (c Column) columns(add func(string)) { add(string(c)) }

// Prefixed is a column of the current record written as a string after a
// prefix ("Structure:" and the id make a global id).
type Prefixed struct {
	Prefix, Column string
}

func (p Prefixed) columns(add func(string)) { add(p.Column) }

func (p Prefixed) sql(_ *builder, at scope) string {
	return db.Literal(p.Prefix) + " || " + at.row + "." + p.Column
}

// Mapped is a column of the current record written as the string its value
// maps to, Else for a value not in the map (a stored code shown as a GraphQL
// enum value).
type Mapped struct {
	Column string
	Values map[string]string
	Else   string
}

func (m Mapped) columns(add func(string)) { add(m.Column) }

func (m Mapped) sql(_ *builder, at scope) string {
	// In key order: the same query must give the same text, which
	// PostgreSQL's prepared statements are found by.
	var b strings.Builder
	b.WriteString("CASE " + at.row + "." + m.Column)
	for _, k := range slices.Sorted(maps.Keys(m.Values)) {
		b.WriteString(" WHEN " + db.Literal(k) + " THEN " + db.Literal(m.Values[k]))
	}
	b.WriteString(" ELSE " + db.Literal(m.Else) + " END")
	return b.String()
}

// Expr is an SQL expression over the current record's columns, each
// written {row}.column in SQL and named in Reads: a value computed in SQL
// from several columns (a period's relation to a day, a flag).
type Expr struct {
	SQL   string
	Reads []string
}

func (e Expr) columns(add func(string)) {
	for _, c := range e.Reads {
		add(c)
	}
}

func (e Expr) sql(_ *builder, at scope) string { return strings.ReplaceAll(e.SQL, "{row}", at.row) }

// String is a constant string.
type String string

func (s String) sql(*builder, scope) string { return db.Literal(string(s)) }

func (String) columns(func(string)) {}

// Field is one key of an object and its value.
type Field struct {
	Key   string
	Value Value
}

// Object is a JSON object whose keys come in the given order.
type Object []Field

func (o Object) columns(add func(string)) {
	for _, f := range o {
		f.Value.columns(add)
	}
}

func (o Object) sql(b *builder, at scope) string {
	pairs := make([]string, 0, 2*len(o))
	for _, f := range o {
		pairs = append(pairs, db.Literal(f.Key), f.Value.sql(b, at))
	}
	return db.JSONObject(b.idb, pairs)
}

// Array is a JSON array of the given values, in order.
type Array []Value

func (a Array) columns(add func(string)) {
	for _, v := range a {
		v.columns(add)
	}
}

func (a Array) sql(b *builder, at scope) string {
	values := make([]string, len(a))
	for i, v := range a {
		values[i] = v.sql(b, at)
	}
	return db.JSONArray(b.idb, values)
}

// Switch is the value of the case a column of the current record names
// (a search hit's record, of the kind its row says), or null for none.
type Switch struct {
	Column string
	Cases  map[string]Value
}

func (s Switch) columns(add func(string)) {
	add(s.Column)
	for _, k := range slices.Sorted(maps.Keys(s.Cases)) {
		s.Cases[k].columns(add)
	}
}

func (s Switch) sql(b *builder, at scope) string {
	var sb strings.Builder
	sb.WriteString("SELECT CASE " + at.row + "." + s.Column)
	for _, k := range slices.Sorted(maps.Keys(s.Cases)) { // one text for one query
		sb.WriteString(" WHEN " + db.Literal(k) + " THEN " + s.Cases[k].sql(b, at))
	}
	sb.WriteString(" END")
	return db.JSONSubquery(b.idb, sb.String()) // SQLite marks the chosen document as JSON again
}

// Record is one record of a table linked from the current one, or null:
// the record whose key is in the current record's column Link, or the one
// with the id ID at the top of the document.
type Record struct {
	Table string
	// Key is the column Link refers to, "id" when empty.
	Key  string
	Link string
	ID   int64
	// Where, when set, is a condition on the record's row ({row}): a
	// record that fails it is null, as one that does not exist.
	Where string
	Value Value
	// Whole marks a short table linked by a text key (a reference list:
	// 17 themes, 63 countries). On PostgreSQL a record's Value is then
	// looked up in a map of the whole table, built once per statement,
	// rather than by a subquery per link: PostgreSQL scans such a table
	// rather than use its index, once per linked record, which cost a page
	// of 50 projects with their themes and countries a third of its rate.
	// It applies only to a Value computed from the record's own row.
	Whole bool
}

func (r Record) columns(add func(string)) {
	if r.Link != "" {
		add(r.Link)
	}
}

func (r Record) sql(b *builder, at scope) string {
	alias := b.alias()
	var key string
	if r.Link != "" {
		key = at.row + "." + r.Link
	} else {
		key = b.bind(r.ID)
	}
	value := r.Value.sql(b, scope{row: alias})
	if r.Whole && r.Where == "" && r.Link != "" && db.IsPostgres(b.idb) && ownRow(r.Value) {
		// The map's values are the records' documents as text, so that a
		// key missing from it, or a null link, gives null as the
		// subquery would. An uncorrelated subquery is run once per
		// statement.
		return fmt.Sprintf("((SELECT jsonb_object_agg(%s.%s, (%s)::text) FROM %s AS %s) ->> (%s)::text)::json",
			alias, keyOr(r.Key), value, r.Table, alias, key)
	}
	where := fmt.Sprintf("%s.%s = %s", alias, keyOr(r.Key), key)
	if r.Where != "" {
		where += " AND (" + strings.ReplaceAll(r.Where, "{row}", alias) + ")"
	}
	return db.JSONSubquery(b.idb, fmt.Sprintf("SELECT %s FROM %s AS %s WHERE %s", value, r.Table, alias, where))
}

// ownRow tells whether a value is computed from the current record's row
// alone, with no subquery of its own.
func ownRow(v Value) bool {
	switch v := v.(type) {
	case Object:
		for _, f := range v {
			if !ownRow(f.Value) {
				return false
			}
		}
		return true
	case Column, Prefixed, Mapped, String, Expr:
		return true
	}
	return false
}

func keyOr(key string) string {
	if key == "" {
		return "id"
	}
	return key
}

// Page is a page of records: at the top of the document a list of a table,
// below a record the records a relation links to it. Its value is the value
// of Shape, computed for the page: Items, Count, HasNext and HasPrevious are
// the page's parts.
type Page struct {
	// Table holds the records, with Alias as the alias that Relation and
	// Order use for it, and Key the column Relation's Child refers to ("id"
	// when empty). ParentKey is the parent's column Relation's Parent (or
	// {parent}) refers to, "id" when empty.
	Table, Alias, Key, ParentKey string
	// Relation says how records hang on their parent (Parent and Child), in
	// which order, and under which condition. At the top, Parent is empty and
	// From, Child, Order and Where describe the whole list.
	Relation listing.Relation
	// Offset and Limit select the page within the list; a negative Limit
	// takes the whole list.
	Offset, Limit int
	// Window, when set, selects the page instead from the list's length
	// (a page asked from the end: last, before): it returns the SQL of the
	// positions [from, to) of the page given the SQL of the length.
	Window func(total string) (from, to string)
	// Numbered, for a top-level list whose records are costly to find (a
	// search narrows it: each hit is looked up in the table to be filtered
	// and ordered), finds and numbers them once for the whole statement
	// (WITH): the count, the page and its cursors read those numbers, where
	// each of them found the records again (the count alone was 40% of a
	// searched page's statement). Not for a list whose rows carry a Link.
	Numbered bool
	// FromEnd, for a top-level page at the end of its list (Window set,
	// last without first or before), is the list's order reversed: the page
	// is then read as the first rows of the reversed list, where walking the
	// list from its start read every record before the page (the last 25
	// of 1 786 structures: all 1 786 fetched from the table).
	FromEnd string
	Shape   Value
}

// columns of a page below a record: the relation starts from the record's id.
func (p *Page) columns(add func(string)) { add(keyOr(p.ParentKey)) }

func (p *Page) sql(b *builder, at scope) string {
	return p.Shape.sql(b, scope{row: at.row, page: &pageScope{list: p, parent: at.row}})
}

// from returns the FROM and WHERE clauses of the page's whole list, below
// the parent's row when there is one; withRecord joins the records' table
// when the relation does not read it already. A relation may name the
// parent's id {parent} in its From or Where, to match it where a condition
// from outside would not reach (inside a UNION).
func (p *Page) from(parent string, withRecord bool) string {
	rel := p.Relation
	if parent != "" { // at the top, Where holds the caller's filters, whose text is theirs
		ofParent := strings.NewReplacer("{parent}", parent+"."+keyOr(p.ParentKey))
		rel.From, rel.Where = ofParent.Replace(rel.From), ofParent.Replace(rel.Where)
	}
	from := rel.From
	if key := keyOr(p.Key); withRecord && rel.Child != p.Alias+"."+key {
		from += fmt.Sprintf(" JOIN %s AS %s ON %s.%s = %s", p.Table, p.Alias, p.Alias, key, rel.Child)
	}
	var where []string
	if rel.Parent != "" {
		where = append(where, rel.Parent+" = "+parent+"."+keyOr(p.ParentKey))
	}
	if rel.Where != "" {
		where = append(where, "("+rel.Where+")")
	}
	if len(where) > 0 {
		from += " WHERE " + strings.Join(where, " AND ")
	}
	return from
}

// numbered returns the name of the statement's common table that holds the
// ids of a Numbered list's records (id_) and their places in it from 1
// (n_), or "" for a list that is not numbered.
func (ps *pageScope) numbered(b *builder) string {
	p := ps.list
	if !p.Numbered || ps.parent != "" {
		return ""
	}
	return b.with(fmt.Sprintf("SELECT %s AS id_, ROW_NUMBER() OVER (ORDER BY %s) AS n_ FROM %s",
		p.Relation.Child, p.Relation.Order, p.from("", true)))
}

// Items is the array of the page's records, each written as Value.
type Items struct{ Value Value }

func (Items) columns(func(string)) {}

func (it Items) sql(b *builder, at scope) string {
	alias, rows := it.rows(b, at)
	return db.JSONSubquery(b.idb, fmt.Sprintf("SELECT %s FROM (%s) AS %s",
		db.JSONArrayAgg(b.idb, it.Value.sql(b, scope{row: alias})), rows, alias))
}

// rows returns the query of the page's rows, in order, and the alias its
// records' values read them by.
func (it Items) rows(b *builder, at scope) (alias, rows string) {
	p := at.page.list
	alias = b.alias()
	var cols []string
	seen, numbered := map[string]bool{}, false
	it.Value.columns(func(c string) {
		switch {
		case seen[c]:
		case c == position:
			numbered = true
		case c == LinkID:
			cols = append(cols, p.Relation.Link+" AS "+LinkID)
		default:
			cols = append(cols, p.Alias+"."+c)
		}
		seen[c] = true
	})
	if len(cols) == 0 {
		cols = append(cols, "1 AS one_") // a row per record, even when nothing of it is written
	}
	// The array follows the order of the subquery's rows. Neither database
	// promises it in general, but both keep it when an aggregate reads a
	// sorted and limited subquery, which hand-written SQL of this kind relies
	// on; an ORDER BY in the aggregate would cost a sort per page, a third of
	// the statement's time on PostgreSQL. The tests compare
	// the order with the resolvers' on both databases.
	cut := ""
	if p.Limit >= 0 {
		cut = fmt.Sprintf(" LIMIT %d", p.Limit)
	}
	if p.Offset > 0 {
		cut += fmt.Sprintf(" OFFSET %d", p.Offset)
	}
	rows = fmt.Sprintf("SELECT %s FROM %s ORDER BY %s%s", strings.Join(cols, ", "), p.from(at.page.parent, true), p.Relation.Order, cut)
	if m := at.page.numbered(b); m != "" {
		// The page is the records numbered within its bounds, in that order.
		var from, to string
		if p.Window != nil {
			lo, hi := p.Window("c.total_")
			total := at.page.total(b)
			from, to = fmt.Sprintf("(SELECT %s FROM %s)", lo, total), fmt.Sprintf("(SELECT %s FROM %s)", hi, total)
		} else {
			from, to = strconv.Itoa(p.Offset), strconv.Itoa(p.Offset+p.Limit)
		}
		if numbered {
			cols = append(cols, m+".n_ - 1 AS "+position)
		}
		within := fmt.Sprintf("%s.n_ > %s", m, from)
		if p.Window != nil || p.Limit >= 0 {
			within += fmt.Sprintf(" AND %s.n_ <= %s", m, to)
		}
		rows = fmt.Sprintf("SELECT %s FROM %s JOIN %s AS %s ON %s.%s = %s.id_ WHERE %s ORDER BY %s.n_",
			strings.Join(cols, ", "), m, p.Table, p.Alias, p.Alias, keyOr(p.Key), m, within, m)
	} else if p.Window != nil && at.page.parent == "" {
		// A top-level list cut where its length, counted once for the whole
		// statement, says: the database keeps only the rows up to the page's
		// end as it sorts, where numbering every row sorted the whole list,
		// each row with all its columns (ten times slower for a page of 30
		// 000 projects by date). SQLite takes no LIMIT that refers to an
		// outer row, so a page below a record is numbered (below).
		from, to := p.Window("c.total_")
		total := at.page.total(b)
		rows = fmt.Sprintf("SELECT %s FROM %s ORDER BY %s LIMIT (SELECT (%s) - (%s) FROM %s) OFFSET (SELECT %s FROM %s)",
			strings.Join(cols, ", "), p.from("", true), p.Relation.Order, to, from, total, from, total)
		if p.FromEnd != "" {
			// The page's rows from its last, turned back: r_ counts from the
			// list's last record.
			placed := ""
			if numbered {
				placed = fmt.Sprintf(", (SELECT %s FROM %s) - q.r_ AS %s", to, total, position)
			}
			rows = fmt.Sprintf("SELECT q.*%s FROM (SELECT r.*, ROW_NUMBER() OVER () AS r_ FROM (SELECT %s FROM %s ORDER BY %s LIMIT (SELECT (%s) - (%s) FROM %s)) AS r) AS q ORDER BY q.r_ DESC",
				placed, strings.Join(cols, ", "), p.from("", true), p.FromEnd, to, from, total)
		} else if numbered {
			rows = fmt.Sprintf("SELECT q.*, ROW_NUMBER() OVER () - 1 + (SELECT %s FROM %s) AS %s FROM (%s) AS q", from, total, position, rows)
		}
	} else if p.Window != nil {
		// Cut where the list's length says: each row numbered and the list
		// counted over the whole list, which a page from the end needs.
		from, to := p.Window("w.total_")
		rows = fmt.Sprintf("SELECT w.* FROM (SELECT %s, ROW_NUMBER() OVER (ORDER BY %s) - 1 AS %s, COUNT(*) OVER () AS total_ FROM %s) AS w"+
			" WHERE w.%s >= %s AND w.%s < %s ORDER BY w.%s", strings.Join(cols, ", "), p.Relation.Order, position,
			p.from(at.page.parent, true), position, from, position, to, position)
	} else if numbered {
		// Cursors need each record's position in the whole list: numbered
		// once the page is cut, in the order its rows come, plus the offset;
		// a window over the whole list would number every record of it.
		rows = fmt.Sprintf("SELECT q.*, ROW_NUMBER() OVER () + %d AS %s FROM (%s) AS q", p.Offset-1, position, rows)
	}
	return alias, rows
}

// Count is the number of records in the whole list, beyond the page.
type Count struct{}

func (Count) columns(func(string)) {}

func (Count) sql(b *builder, at scope) string {
	if at.page.list.Window != nil && at.page.parent == "" {
		return "(SELECT c.total_ FROM " + at.page.total(b) + ")"
	}
	return at.page.count(b)
}

func (ps *pageScope) count(b *builder) string {
	if m := ps.numbered(b); m != "" {
		return "(SELECT COUNT(*) FROM " + m + ")"
	}
	return "(SELECT COUNT(*) FROM " + ps.list.from(ps.parent, false) + ")"
}

// windowed returns the SQL of a value of a page cut from the list's
// length, given the SQL of the page's positions [from, to) and of the
// length.
func (ps *pageScope) windowed(b *builder, value func(from, to, total string) string) string {
	from, to := ps.list.Window("c.total_")
	return "(SELECT " + value(from, to, "c.total_") + " FROM " + ps.total(b) + ")"
}

// total returns a FROM item holding the length of the list as c.total_. A
// top-level list is counted once in the statement (WITH) however many of
// its values need the length, a page from the end up to eight times.
func (ps *pageScope) total(b *builder) string {
	list := ps.numbered(b) // the numbered records, when there are
	if list == "" {
		list = ps.list.from(ps.parent, false)
	}
	count := "SELECT COUNT(*) AS total_ FROM " + list
	if ps.parent != "" {
		return "(" + count + ") AS c"
	}
	return b.with(count) + " AS c"
}

// size is the number of records on the page, counted without going past it.
func (ps *pageScope) size(b *builder) string {
	p := ps.list
	if p.Limit < 0 {
		return ps.count(b)
	}
	if m := ps.numbered(b); m != "" {
		return fmt.Sprintf("(SELECT COUNT(*) FROM %s WHERE n_ > %d AND n_ <= %d)", m, p.Offset, p.Offset+p.Limit)
	}
	return fmt.Sprintf("(SELECT COUNT(*) FROM (SELECT 1 AS one_ FROM %s LIMIT %d OFFSET %d) AS c)", p.from(ps.parent, false), p.Limit, p.Offset)
}

// HasNext tells whether records follow the page.
type HasNext struct{}

func (HasNext) columns(func(string)) {}

// Whether a record lies beyond the page is asked of the database directly,
// rather than by counting the whole list, which a long list pays for.
func (HasNext) sql(b *builder, at scope) string {
	p := at.page.list
	if p.Window != nil {
		return db.JSONBool(b.idb, at.page.windowed(b, func(_, to, total string) string { return "(" + to + ") < " + total }))
	}
	if p.Limit < 0 {
		return db.JSONBool(b.idb, "1 = 0")
	}
	if m := at.page.numbered(b); m != "" {
		return db.JSONBool(b.idb, fmt.Sprintf("EXISTS (SELECT 1 FROM %s WHERE n_ > %d)", m, p.Offset+p.Limit))
	}
	return db.JSONBool(b.idb, fmt.Sprintf("EXISTS (SELECT 1 FROM %s LIMIT 1 OFFSET %d)", p.from(at.page.parent, false), p.Offset+p.Limit))
}

// HasPrevious tells whether records precede the page.
type HasPrevious struct{}

func (HasPrevious) columns(func(string)) {}

func (HasPrevious) sql(b *builder, at scope) string {
	if at.page.list.Window != nil {
		return db.JSONBool(b.idb, at.page.windowed(b, func(from, _, _ string) string { return "(" + from + ") > 0" }))
	}
	if at.page.list.Offset == 0 {
		return db.JSONBool(b.idb, "1 = 0")
	}
	if m := at.page.numbered(b); m != "" {
		return db.JSONBool(b.idb, "EXISTS (SELECT 1 FROM "+m+")")
	}
	return db.JSONBool(b.idb, "EXISTS (SELECT 1 FROM "+at.page.list.from(at.page.parent, false)+")")
}

// LinkID is the column of a page's rows that holds the id of the row tying
// each record to the parent (Relation.Link), for a value that shows it: a
// Record linked by LinkID.
const LinkID = "link_id_"

// position is the column of a record's position in its list, for cursors.
const position = "position_"

// Cursor is the cursor of the current record in its page's list.
type Cursor struct{}

func (Cursor) columns(add func(string)) { add(position) }

func (Cursor) sql(b *builder, at scope) string {
	return listing.CursorSQL(b.idb, at.row+"."+position)
}

// StartCursor is the cursor of the page's first record, null for an empty
// page.
type StartCursor struct{}

func (StartCursor) columns(func(string)) {}

func (StartCursor) sql(b *builder, at scope) string {
	if at.page.list.Window != nil {
		return at.page.windowed(b, func(from, to, _ string) string {
			return "CASE WHEN (" + to + ") > (" + from + ") THEN " + listing.CursorSQL(b.idb, from) + " END"
		})
	}
	return fmt.Sprintf("CASE WHEN %s > 0 THEN %s END", at.page.size(b), listing.CursorSQL(b.idb, strconv.Itoa(at.page.list.Offset)))
}

// EndCursor is the cursor of the page's last record, null for an empty page.
type EndCursor struct{}

func (EndCursor) columns(func(string)) {}

func (EndCursor) sql(b *builder, at scope) string {
	if at.page.list.Window != nil {
		return at.page.windowed(b, func(from, to, _ string) string {
			return "CASE WHEN (" + to + ") > (" + from + ") THEN " + listing.CursorSQL(b.idb, "("+to+") - 1") + " END"
		})
	}
	n := at.page.size(b)
	return fmt.Sprintf("CASE WHEN %s > 0 THEN %s END", n, listing.CursorSQL(b.idb, fmt.Sprintf("%d + %s - 1", at.page.list.Offset, n)))
}

// builder writes one statement; aliases are numbered so that a record's row
// never hides another of the same table further up.
type builder struct {
	idb   bun.IDB
	n     int
	args  []any
	withs []string // the statement's common tables, named common_1…
}

// with names a query computed once for the whole statement, the same
// query once.
func (b *builder) with(query string) string {
	i := slices.Index(b.withs, query)
	if i < 0 {
		b.withs, i = append(b.withs, query), len(b.withs)
	}
	return "common_" + strconv.Itoa(i+1)
}

// withClause is the statement's WITH clause, empty without common tables.
// MATERIALIZED: computed once, however many times the statement reads it
// (PostgreSQL 12 and SQLite 3.35 know the word).
func (b *builder) withClause() string {
	if len(b.withs) == 0 {
		return ""
	}
	tables := make([]string, len(b.withs))
	for i, q := range b.withs {
		tables[i] = "common_" + strconv.Itoa(i+1) + " AS MATERIALIZED (" + q + ")"
	}
	return "WITH " + strings.Join(tables, ", ") + " "
}

// bind writes a record's id as a parameter ($1…, which SQLite's driver
// reads too), bound when the statement runs: the same query for another
// record is then the same text, which the database plans once per
// connection (db.WithPrepared) where it planned every id anew, three times
// the statement's own work for a small one on PostgreSQL, and most of it on
// SQLite.
func (b *builder) bind(id int64) string {
	b.args = append(b.args, id)
	return "$" + strconv.Itoa(len(b.args))
}

func (b *builder) alias() string {
	b.n++
	return "j" + strconv.Itoa(b.n)
}

// Statement is the SQL statement that reads a document, with the values its
// parameters are bound to.
type Statement struct {
	SQL  string
	Args []any
	// layout, for a statement whose document comes in rows (split), says
	// how they make it; nil when it comes whole, the one value of one row.
	layout *layout
}

// SQL returns the statement that reads the document.
func SQL(idb bun.IDB, doc Object) Statement {
	b := &builder{idb: idb}
	if splits(doc, scope{}) {
		return split(b, doc)
	}
	return whole(b, doc)
}

// whole returns the statement that reads the document as one value.
func whole(b *builder, doc Object) Statement {
	text := "SELECT " + doc.sql(b, scope{})
	return Statement{SQL: b.withClause() + text, Args: b.args}
}

// ReadSQL runs a statement SQL returned and returns the document as the
// database wrote it: GraphQL's handler compacts and escapes it when it
// encodes the response. A context marked db.WithPrepared prepares it on
// PostgreSQL: worth it for a statement run again and again, a round trip and
// a slot of the connection's cache lost for one run once.
func ReadSQL(ctx context.Context, idb bun.IDB, statement Statement) ([]byte, error) {
	rows, err := idb.QueryContext(db.WithArgs(ctx, statement.Args), statement.SQL)
	if err != nil {
		return nil, fmt.Errorf("jsontree: read: %w", err)
	}
	a := assembler{layout: statement.layout, add: func(out, doc []byte) []byte { return append(out, doc...) }}
	if err := db.ScanRows(rows, a.row); err != nil {
		return nil, fmt.Errorf("jsontree: read: %w", err)
	}
	doc, err := a.end()
	if err != nil {
		return nil, fmt.Errorf("jsontree: read: %w", err)
	}
	return doc, nil
}

// AppendResponse runs a statement SQL returned and appends to out the
// GraphQL response that carries its document, {"data":…}, in the bytes
// GraphQL's handler writes for it: compact, and with <, >, &, U+2028 and
// U+2029 escaped in strings as encoding/json escapes them. The document is
// read in place from the driver's rows, so that it is copied once, escaped
// on the way; a caller that answers many requests appends to a buffer it
// keeps. As for ReadSQL, ctx says whether to prepare it.
func AppendResponse(ctx context.Context, idb bun.IDB, statement Statement, out []byte) ([]byte, error) {
	a := assembler{layout: statement.layout, out: append(out, `{"data":`...), add: appendEscaped}
	err := db.ReadRows(ctx, idb, statement.SQL, statement.Args, a.row)
	if err == nil {
		out, err = a.end()
	}
	if err != nil {
		return a.out, fmt.Errorf("jsontree: read: %w", err)
	}
	return append(out, '}'), nil
}

// appendEscaped appends doc to out, compact, with the characters
// encoding/json escapes for HTML escaped in strings. Runs of plain bytes are
// copied whole: for a list of names, a byte-by-byte copy was a sixth of the
// server's time.
func appendEscaped(out, doc []byte) []byte {
	const hex = "0123456789abcdef"
	inString, from := false, 0
	for i := 0; i < len(doc); i++ {
		c := doc[i]
		if !notable[c] {
			continue
		}
		switch {
		case c == '"':
			inString = !inString
		case !inString && c <= ' ': // a space between tokens
			out = append(out, doc[from:i]...)
			from = i + 1
		case c == '\\':
			i++ // the escaped character is kept as it is
		case c == '<' || c == '>' || c == '&':
			out = append(out, doc[from:i]...)
			out = append(out, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			from = i + 1
		case c == 0xe2 && i+2 < len(doc) && doc[i+1] == 0x80 && doc[i+2]&^1 == 0xa8: // U+2028, U+2029
			out = append(out, doc[from:i]...)
			out = append(out, '\\', 'u', '2', '0', '2', hex[doc[i+2]&0xf])
			i += 2
			from = i + 1
		}
	}
	return append(out, doc[from:]...)
}

// notable marks the bytes appendEscaped looks at: quotes and backslashes,
// what it escapes, and the spaces between tokens (inside a string they are
// kept as they are).
var notable = func() (t [256]bool) {
	for _, c := range []byte{'"', '\\', '<', '>', '&', 0xe2, ' ', '\n', '\t', '\r'} {
		t[c] = true
	}
	return t
}()
