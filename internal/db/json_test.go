package db_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

func TestBase64URLMatchesGo(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		// Lengths around the padding, bytes that give '+' and '/', and a
		// text long enough for PostgreSQL to wrap its base64 in lines.
		texts := []string{"", "i", "i:", "i:0", "i:12", "i:999999", "???", "??>>", "é~~~", strings.Repeat("l'été ", 30)}
		for _, text := range texts {
			var got string
			require.NoError(t, bdb.QueryRowContext(context.Background(),
				"SELECT "+db.Base64URL(bdb, db.Literal(text))).Scan(&got))
			require.Equal(t, base64.RawURLEncoding.EncodeToString([]byte(text)), got, text)
		}
	})
}

func TestJSONHelpersWriteTheSameDocumentOnBothDatabases(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		rows := "(SELECT 1 AS n, 'un' AS s UNION ALL SELECT 2, 'deux \"2\"' UNION ALL SELECT 3, NULL) AS r"
		items := db.JSONSubquery(bdb, "SELECT "+db.JSONArrayAgg(bdb, db.JSONObject(bdb, []string{"'n'", "x.n", "'s'", "x.s"}))+
			" FROM (SELECT * FROM "+rows+" ORDER BY n DESC) AS x")
		none := db.JSONSubquery(bdb, "SELECT "+db.JSONArrayAgg(bdb, "r.n")+" FROM "+rows+" WHERE r.n > 5")
		doc := db.JSONObject(bdb, []string{
			"'items'", items,
			"'none'", none,
			"'list'", db.JSONArray(bdb, []string{"1", db.Literal("l'a"), db.JSONBool(bdb, "2 > 1")}),
			"'empty'", db.JSONArray(bdb, nil),
			"'no'", db.JSONBool(bdb, "EXISTS (SELECT 1 FROM "+rows+" WHERE r.n = 4)"),
			"'null'", "NULL",
		})
		var raw []byte
		require.NoError(t, bdb.QueryRowContext(context.Background(), "SELECT "+doc).Scan(&raw))
		var v any
		require.NoError(t, json.Unmarshal(raw, &v), string(raw))
		out, err := json.Marshal(v) // keys sorted, spaces gone: the content alone
		require.NoError(t, err)
		require.Equal(t, `{"empty":[],"items":[{"n":3,"s":null},{"n":2,"s":"deux \"2\""},{"n":1,"s":"un"}],`+
			`"list":[1,"l'a",true],"no":false,"none":[],"null":null}`, string(out))
		// The keys keep their order, which the map above does not show.
		require.Less(t, strings.Index(string(raw), `"items"`), strings.Index(string(raw), `"none"`))
		require.Less(t, strings.Index(string(raw), `"list"`), strings.Index(string(raw), `"empty"`))
	})
}

func TestStatementsMarkedPreparedArePreparedOnPostgreSQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		bdb.SetMaxOpenConns(1) // one connection: the one whose prepared statements are listed
		const marked, plain = "SELECT 'marked' AS x", "SELECT 'plain' AS x"
		for range 2 {
			var x string
			require.NoError(t, bdb.QueryRowContext(db.WithPrepared(ctx), marked).Scan(&x))
			require.Equal(t, "marked", x)
			require.NoError(t, bdb.QueryRowContext(ctx, plain).Scan(&x))
		}
		if !db.IsPostgres(bdb) {
			return // SQLite has nothing to list; the statements ran
		}
		var statements []string
		require.NoError(t, bdb.NewSelect().TableExpr("pg_prepared_statements").Column("statement").Scan(ctx, &statements))
		require.Equal(t, []string{marked}, statements)
	})
}
