package jsontree_test

import (
	"context"
	"encoding/json"
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
