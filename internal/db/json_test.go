package db_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"
	"time"

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

// TestInstantTextMatchesTheDateTimeScalar stores instants as the services
// do (through bun, in a column of the migrations' instant type) and requires
// InstantText to write each as the DateTime scalar does: RFC 3339 in UTC,
// as many decimals as stored, none when whole.
func TestInstantTextMatchesTheDateTimeScalar(t *testing.T) {
	dbtest.Each(t, checkInstantText)
}

// TestInstantTextWhateverTheDateStyle checks the same on a PostgreSQL
// connection whose URL asks for another DateStyle, under which a
// timestamp's text would read "30.11.2026 16:00:57.298073": the
// connection keeps ISO's.
func TestInstantTextWhateverTheDateStyle(t *testing.T) {
	rawURL := dbtest.URL(t, "postgres")
	sep := "?"
	if strings.Contains(rawURL, "?") {
		sep = "&"
	}
	bdb, err := db.Open(context.Background(), rawURL+sep+"DateStyle=German")
	require.NoError(t, err)
	defer bdb.Close()
	checkInstantText(t, bdb)
}

func checkInstantText(t *testing.T, bdb *bun.DB) {
	ctx := context.Background()
	typ := "TIMESTAMP"
	if db.IsPostgres(bdb) {
		typ = "TIMESTAMPTZ"
	}
	_, err := bdb.ExecContext(ctx, "CREATE TABLE instants (id INTEGER, at "+typ+")")
	require.NoError(t, err)
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	instants := []time.Time{
		time.Date(2021, 3, 28, 1, 59, 59, 0, time.UTC),
		time.Date(2021, 3, 28, 3, 0, 0, 500_000_000, paris),
		time.Date(2020, 12, 31, 23, 59, 59, 1_000, time.UTC),
		time.Date(2021, 10, 31, 2, 30, 0, 123_456_000, paris),
		time.Date(2021, 1, 1, 0, 0, 0, 120_000_000, time.FixedZone("", 5*3600+30*60)),
		time.Date(1999, 12, 31, 23, 0, 0, 10_000, time.FixedZone("", -5*3600)),
		time.Date(2026, 11, 30, 16, 0, 57, 298_073_000, time.UTC),
		time.Date(2026, 1, 2, 3, 4, 5, 100_000, time.UTC),
	}
	for i, at := range instants {
		_, err := bdb.ExecContext(ctx, "INSERT INTO instants (id, at) VALUES (?, ?)", i, at)
		require.NoError(t, err)
	}
	for i, at := range instants {
		var got string
		require.NoError(t, bdb.QueryRowContext(ctx, "SELECT "+db.InstantText(bdb, "i.at")+" FROM instants AS i WHERE i.id = ?", i).Scan(&got))
		require.Equal(t, at.UTC().Format(time.RFC3339Nano), got, at.String())
	}
}
