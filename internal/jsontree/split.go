package jsontree

import (
	"database/sql"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/db"
)

// A document whose top is a list of records that hold lists of their own
// (fifty structures, each with its projects, each with its partners) is read
// in rows, one per record of the top list, rather than as the one value of
// one row. Written whole, such a document is gathered in the database's
// memory, then copied whole by each object around it and by its output: on
// PostgreSQL a page of 50 structures (33 kB) made its server allocate and
// give back hundreds of kilobytes for every statement, which cost as much as
// reading the rows (pgbench: 450-570 statements a second against 800-960 in
// rows, on a virtual machine whose page faults are dear); SQLite parsed it
// again at each level. In rows, each record's value is small and freed at
// once; Go puts the document together around them, from a layout it knows
// beforehand (the keys, the brackets), with the other values of the top (a
// count, a pageInfo) read in rows of their own. A list of flat records (a
// reference list, names) stays whole: it is small, and a row costs more than
// its share of the document (a tenth less on PostgreSQL for 50 or 100 names,
// half on SQLite).

// layout says how the rows of a split statement make the document. Each row
// is (part, value): the parts come in order, the rows of a list part in its
// order.
type layout struct {
	parts []part
	end   string // the text after the last part
}

// part is a place in the document filled by rows.
type part struct {
	before string // the document's text from the previous part to this one
	list   bool   // records of a list, joined by commas, none or more; otherwise one value
	// wrapped values come as a one-element JSON array: a value that is not
	// an object (a count, a column) is written as JSON that way alone.
	wrapped bool
}

// splits tells whether v, at the top of the document, holds a list read in
// rows: a top-level page's items, when they hold lists.
func splits(v Value, at scope) bool {
	switch v := v.(type) {
	case Object:
		for _, f := range v {
			if splits(f.Value, at) {
				return true
			}
		}
	case *Page:
		return at.page == nil && splits(v.Shape, scope{page: &pageScope{list: v}})
	case Items:
		return at.page != nil && at.page.parent == "" && holdsList(v.Value)
	}
	return false
}

// holdsList tells whether v, a record's value, holds a list.
func holdsList(v Value) bool {
	switch v := v.(type) {
	case *Page:
		return true
	case Object:
		return slices.ContainsFunc(v, func(f Field) bool { return holdsList(f.Value) })
	case Array:
		return slices.ContainsFunc(v, holdsList)
	case Record:
		return holdsList(v.Value)
	case Switch:
		for _, c := range v.Cases {
			if holdsList(c) {
				return true
			}
		}
	}
	return false
}

// splitter writes a split statement: the layout, and a SELECT of (part, n,
// value) for each part.
type splitter struct {
	b       *builder
	text    strings.Builder // the document's text since the last part
	layout  layout
	selects []string
}

func split(b *builder, doc Object) Statement {
	s := &splitter{b: b}
	s.value(doc, scope{})
	s.layout.end = s.text.String()
	// The parts in order and each list in its own: n numbers the rows as
	// the list's subquery gives them, as json_agg reads them when whole.
	// (An output column named part would be what ORDER BY part sorts by on
	// PostgreSQL: the number's text, where 10 comes before 2.)
	text := "SELECT CAST(parts.part AS TEXT) AS part_, parts.doc FROM (" + strings.Join(s.selects, " UNION ALL ") +
		") AS parts ORDER BY parts.part, parts.n"
	return Statement{SQL: b.withClause() + text, Args: b.args, layout: &s.layout}
}

// value writes v: the objects and pages that hold a list are written key by
// key, the rest as one value.
func (s *splitter) value(v Value, at scope) {
	if !splits(v, at) {
		s.part(false, fmt.Sprintf("0 AS n, %s AS doc", db.JSONArray(s.b.idb, []string{v.sql(s.b, at)})), true)
		return
	}
	switch v := v.(type) {
	case Object:
		s.text.WriteByte('{')
		for i, f := range v {
			if i > 0 {
				s.text.WriteByte(',')
			}
			key, _ := json.Marshal(f.Key) // a string: no error
			s.text.Write(key)
			s.text.WriteByte(':')
			s.value(f.Value, at)
		}
		s.text.WriteByte('}')
	case *Page:
		s.value(v.Shape, scope{page: &pageScope{list: v}})
	case Items:
		alias, rows := v.rows(s.b, at)
		value, wrapped := v.Value.sql(s.b, scope{row: alias}), true
		if _, ok := v.Value.(Object); ok {
			wrapped = false // an object is JSON as it is
		} else {
			value = db.JSONArray(s.b.idb, []string{value})
		}
		s.text.WriteByte('[')
		s.part(true, fmt.Sprintf("ROW_NUMBER() OVER () AS n, %s AS doc FROM (%s) AS %s", value, rows, alias), wrapped)
		s.text.WriteByte(']')
	}
}

// part ends the text before a part and adds the part's SELECT, given its
// columns after the part's number.
func (s *splitter) part(list bool, columns string, wrapped bool) {
	s.layout.parts = append(s.layout.parts, part{before: s.text.String(), list: list, wrapped: wrapped})
	s.text.Reset()
	s.selects = append(s.selects, fmt.Sprintf("SELECT %d AS part, %s", len(s.layout.parts)-1, columns))
}

// assembler puts a document together from the rows of its statement, each
// value passed through add. Without a layout, the document is the first
// column of the one row.
type assembler struct {
	layout *layout
	out    []byte
	add    func(out, doc []byte) []byte
	next   int  // the part after the one being filled
	first  bool // no row yet in the part being filled
	rows   int
}

func (a *assembler) row(columns [][]byte) error {
	a.rows++
	if a.layout == nil {
		if a.rows == 1 {
			a.out = a.add(a.out, columns[0])
		}
		return nil
	}
	n, err := strconv.Atoi(string(columns[0]))
	if err != nil || n < a.next-1 || n >= len(a.layout.parts) || len(columns) != 2 {
		return fmt.Errorf("jsontree: row of part %q out of the layout", columns[0])
	}
	for a.next <= n {
		if a.next < n && !a.layout.parts[a.next].list {
			return fmt.Errorf("jsontree: part %d of one value has no row", a.next)
		}
		a.out = append(a.out, a.layout.parts[a.next].before...)
		a.next, a.first = a.next+1, true
	}
	p, doc := a.layout.parts[n], columns[1]
	if !a.first {
		if !p.list {
			return fmt.Errorf("jsontree: part %d has several rows", n)
		}
		a.out = append(a.out, ',')
	}
	a.first = false
	if p.wrapped {
		if len(doc) < 2 || doc[0] != '[' || doc[len(doc)-1] != ']' {
			return fmt.Errorf("jsontree: part %d: a one-element array expected, got %.40q", n, doc)
		}
		doc = doc[1 : len(doc)-1]
	}
	a.out = a.add(a.out, doc)
	return nil
}

// end closes the document and returns it.
func (a *assembler) end() ([]byte, error) {
	if a.layout == nil {
		if a.rows == 0 {
			return a.out, sql.ErrNoRows
		}
		return a.out, nil
	}
	for ; a.next < len(a.layout.parts); a.next++ {
		if !a.layout.parts[a.next].list {
			return a.out, fmt.Errorf("jsontree: part %d of one value has no row", a.next)
		}
		a.out = append(a.out, a.layout.parts[a.next].before...)
	}
	return append(a.out, a.layout.end...), nil
}
