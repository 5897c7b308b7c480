package jsontree

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/listing"
)

// TestSplitDocumentsAreTheWholeOnes: a document with lists at its top, read
// in rows, is byte for byte the document read whole, on both databases and
// both ways a statement runs: counts, pageInfo, cursors, nested lists,
// empty lists, lists of values that are not objects, pages from the end,
// more than ten parts (whose numbers must sort as numbers), and text to escape.
func TestSplitDocumentsAreTheWholeOnes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		for _, q := range []string{
			"CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL, grp INTEGER NOT NULL)",
			"CREATE TABLE tags (thing_id INTEGER NOT NULL, label TEXT NOT NULL)",
		} {
			_, err := bdb.ExecContext(ctx, q)
			require.NoError(t, err)
		}
		for i := 1; i <= 12; i++ {
			_, err := bdb.ExecContext(ctx, "INSERT INTO things VALUES (?, ?, ?)", i, fmt.Sprintf("chose <%d> « é » \"%d\"", i, i), i%3)
			require.NoError(t, err)
			for j := range i % 4 {
				_, err := bdb.ExecContext(ctx, "INSERT INTO tags VALUES (?, ?)", i, fmt.Sprintf("étiquette %d & %d", i, j))
				require.NoError(t, err)
			}
		}

		things := func(where string, offset, limit int) *Page {
			return &Page{Table: "things", Alias: "t", Offset: offset, Limit: limit,
				Relation: listing.Relation{From: "things AS t", Child: "t.id", Order: "t.id", Where: where}}
		}
		tags := &Page{Table: "tags", Alias: "g", Key: "thing_id", Limit: -1,
			Relation: listing.Relation{From: "tags AS g", Parent: "g.thing_id", Child: "g.thing_id", Order: "g.label"},
			Shape:    Items{Value: Column("label")}}
		thing := Object{{Key: "id", Value: Prefixed{Prefix: "Thing:", Column: "id"}}, {Key: "name", Value: Column("name")}, {Key: "tags", Value: tags}}

		connection := things("", 2, 5)
		connection.Shape = Object{
			{Key: "totalCount", Value: Count{}},
			{Key: "nodes", Value: Items{Value: thing}},
			{Key: "edges", Value: Items{Value: Object{{Key: "cursor", Value: Cursor{}}, {Key: "node", Value: Object{{Key: "name", Value: Column("name")}}}}}},
			{Key: "pageInfo", Value: Object{{Key: "hasNextPage", Value: HasNext{}}, {Key: "hasPreviousPage", Value: HasPrevious{}},
				{Key: "startCursor", Value: StartCursor{}}, {Key: "endCursor", Value: EndCursor{}}}},
		}
		empty := things("t.grp = 7", 0, 10)
		empty.Shape = Object{{Key: "totalCount", Value: Count{}}, {Key: "nodes", Value: Items{Value: thing}}, {Key: "pageInfo", Value: Object{{Key: "endCursor", Value: EndCursor{}}}}}
		pairs := things("t.grp = 1", 0, -1)
		pairs.Shape = Items{Value: Array{Column("name"), tags}} // not an object: each comes in an array of its own
		last := things("", 0, 0)
		last.Window = func(total string) (string, string) { return "(" + total + ") - 3", total }
		last.Shape = Object{{Key: "nodes", Value: Items{Value: thing}}, {Key: "pageInfo", Value: Object{{Key: "hasPreviousPage", Value: HasPrevious{}}}}}

		docs := map[string]Object{
			"connection": {{Key: "mark", Value: String("?")}, {Key: "things", Value: connection}, {Key: "after", Value: String("fin")}},
			"empty":      {{Key: "things", Value: empty}},
			"pairs":      {{Key: "pairs", Value: pairs}},
			"last":       {{Key: "last", Value: last}},
			"nested":     {{Key: "outer", Value: Object{{Key: "inner", Value: connection}, {Key: "n", Value: String("x")}}}},
		}
		var many Object
		for i := range 12 {
			p := things("", i, 1+i%2)
			p.Shape = Object{{Key: "nodes", Value: Items{Value: Object{{Key: "name", Value: Column("name")}, {Key: "tags", Value: tags}}}}, {Key: "totalCount", Value: Count{}}}
			many = append(many, Field{Key: fmt.Sprintf("p%d", i), Value: p})
		}
		docs["many"] = many

		for name, doc := range docs {
			split := SQL(bdb, doc)
			require.NotNil(t, split.layout, "%s: a list at the top is read in rows", name)
			whole := whole(&builder{idb: bdb}, doc)
			for _, c := range []context.Context{ctx, db.WithPrepared(ctx)} {
				want, err := AppendResponse(c, bdb, whole, nil)
				require.NoError(t, err, name)
				got, err := AppendResponse(c, bdb, split, nil)
				require.NoError(t, err, name)
				require.Equal(t, string(want), string(got), name)

				wantRaw, err := ReadSQL(c, bdb, whole)
				require.NoError(t, err, name)
				gotRaw, err := ReadSQL(c, bdb, split)
				require.NoError(t, err, name)
				require.Equal(t, compact(t, wantRaw), compact(t, gotRaw), name)
			}
		}

		// The parts in the order of their numbers, 10 after 9.
		got, err := AppendResponse(ctx, bdb, SQL(bdb, many), nil)
		require.NoError(t, err)
		require.Less(t, bytes.Index(got, []byte(`"p9"`)), bytes.Index(got, []byte(`"p10"`)))
		require.Contains(t, string(got), `\u003c`, "< escaped as encoding/json does")

		// A document without a list at its top, or whose list holds none,
		// is read whole.
		flat := things("", 0, 20)
		flat.Shape = Object{{Key: "nodes", Value: Items{Value: Object{{Key: "name", Value: Column("name")}}}}, {Key: "totalCount", Value: Count{}}}
		for _, doc := range []Object{
			{{Key: "thing", Value: Record{Table: "things", ID: 3, Value: thing}}},
			{{Key: "flat", Value: flat}},
		} {
			st := SQL(bdb, doc)
			require.Nil(t, st.layout)
			require.False(t, strings.Contains(st.SQL, "UNION ALL"))
		}
	})
}

func compact(t *testing.T, doc []byte) string {
	var out bytes.Buffer
	require.NoError(t, json.Compact(&out, doc), string(doc))
	return out.String()
}
