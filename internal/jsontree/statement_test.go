package jsontree_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/jsontree"
)

// TestRecordIDsAreBound: a record asked by its id is a parameter of the
// statement on both databases, so that the same query for another record is
// the same text, prepared once per connection; each run reads its own.
func TestRecordIDsAreBound(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		_, err := bdb.ExecContext(ctx, "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
		require.NoError(t, err)
		_, err = bdb.ExecContext(ctx, "INSERT INTO things VALUES (1, 'un'), (2, 'deux ?')")
		require.NoError(t, err)
		doc := func(id int64) jsontree.Object {
			return jsontree.Object{{Key: "thing", Value: jsontree.Record{Table: "things", ID: id,
				Value: jsontree.Object{{Key: "name", Value: jsontree.Column("name")}, {Key: "mark", Value: jsontree.String("?")}}}}}
		}
		one, two := jsontree.SQL(bdb, doc(1)), jsontree.SQL(bdb, doc(2))
		require.Equal(t, one.SQL, two.SQL, "one text for every record")
		require.Equal(t, []any{int64(2)}, two.Args)

		names := map[*jsontree.Statement]string{&one: "un", &two: "deux ?"}
		for _, c := range []context.Context{ctx, db.WithPrepared(ctx)} {
			for range 3 {
				for st, name := range names {
					var got struct{ Thing struct{ Name, Mark string } }
					raw, err := jsontree.ReadSQL(c, bdb, *st)
					require.NoError(t, err)
					require.NoError(t, json.Unmarshal(raw, &got))
					require.Equal(t, name, got.Thing.Name)
					require.Equal(t, "?", got.Thing.Mark, "a ? in the text is not a parameter")

					raw, err = jsontree.AppendResponse(c, bdb, *st, nil)
					require.NoError(t, err)
					var resp struct {
						Data struct{ Thing struct{ Name string } }
					}
					require.NoError(t, json.Unmarshal(raw, &resp))
					require.Equal(t, name, resp.Data.Thing.Name)
				}
			}
		}
	})
}

// TestWholeReferenceListsAreLookedUp: a record of a short reference list
// read whole (Record.Whole) gives the very document its subquery gives: the
// record, null for a null link, null for a code the list lacks. On
// PostgreSQL it is looked up in a map of the list, unless its value reads
// more than its own row.
func TestWholeReferenceListsAreLookedUp(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		for _, q := range []string{
			"CREATE TABLE kinds (code TEXT PRIMARY KEY, name TEXT NOT NULL, rank INTEGER, parent_code TEXT)",
			"CREATE TABLE things (id INTEGER PRIMARY KEY, kind_code TEXT)",
			`INSERT INTO kinds VALUES ('eau', 'Eau "potable" é', 2, NULL), ('ecsi', 'ECSI', NULL, 'eau')`,
			"INSERT INTO things VALUES (1, 'eau'), (2, 'ecsi'), (3, NULL), (4, 'inconnu')",
		} {
			_, err := bdb.ExecContext(ctx, q)
			require.NoError(t, err)
		}
		kind := func(whole bool, value jsontree.Value) jsontree.Value {
			return jsontree.Record{Table: "kinds", Key: "code", Link: "kind_code", Whole: whole, Value: value}
		}
		flat := jsontree.Object{{Key: "code", Value: jsontree.Column("code")}, {Key: "name", Value: jsontree.Column("name")},
			{Key: "rank", Value: jsontree.Column("rank")}, {Key: "id", Value: jsontree.Prefixed{Prefix: "Kind:", Column: "code"}}}
		nested := jsontree.Object{{Key: "name", Value: jsontree.Column("name")},
			{Key: "parent", Value: jsontree.Record{Table: "kinds", Key: "code", Link: "parent_code", Value: flat}}}
		doc := func(whole bool) jsontree.Object {
			var things jsontree.Object
			for id := range int64(4) {
				things = append(things, jsontree.Field{Key: string(rune('a' + id)), Value: jsontree.Record{Table: "things", ID: id + 1,
					Value: jsontree.Object{{Key: "kind", Value: kind(whole, flat)}, {Key: "nested", Value: kind(whole, nested)}}}})
			}
			return things
		}
		read := func(whole bool) (string, string) {
			st := jsontree.SQL(bdb, doc(whole))
			raw, err := jsontree.ReadSQL(ctx, bdb, st)
			require.NoError(t, err)
			return st.SQL, string(raw)
		}
		_, want := read(false)
		text, got := read(true)
		require.Equal(t, want, got)
		require.Contains(t, got, `"Eau \"potable\" é"`)
		var doc4 struct{ D struct{ Kind, Nested any } }
		require.NoError(t, json.Unmarshal([]byte(got), &doc4))
		require.Nil(t, doc4.D.Kind, "a code the list lacks is null")
		maps := strings.Count(text, "jsonb_object_agg")
		if db.IsPostgres(bdb) {
			require.Equal(t, 4, maps, "the flat values of the four things are looked up in a map; the nested ones are not")
		} else {
			require.Zero(t, maps)
		}
	})
}
