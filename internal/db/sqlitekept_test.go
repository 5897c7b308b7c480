package db

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
)

// kept lists the texts a SQLite connection keeps prepared.
func kept(t *testing.T, conn *sql.Conn) []string {
	t.Helper()
	var texts []string
	require.NoError(t, conn.Raw(func(dc any) error {
		for e := dc.(*keepingConn).kept.order.Front(); e != nil; e = e.Next() {
			texts = append(texts, e.Value.(keptStmt).query)
		}
		return nil
	}))
	return texts
}

func openSQLiteTest(t *testing.T) *bun.DB {
	t.Helper()
	bdb, err := Open(context.Background(), "sqlite:"+filepath.Join(t.TempDir(), "kept.db"))
	require.NoError(t, err)
	t.Cleanup(func() { bdb.Close() })
	return bdb
}

// TestSQLiteKeepsRepeatedStatements: a statement marked WithPrepared is
// prepared once per connection and run again with other values; others are
// not kept; the least recently used go past keptPerConn; a failing one is not
// kept; two rows of one text open side by side each read their own.
func TestSQLiteKeepsRepeatedStatements(t *testing.T) {
	ctx := context.Background()
	prepared := WithPrepared(ctx)
	bdb := openSQLiteTest(t)
	conn, err := bdb.DB.Conn(ctx)
	require.NoError(t, err)
	defer conn.Close()

	const double = "SELECT CAST(? AS INTEGER) * 2"
	for i := range 50 {
		var got int
		require.NoError(t, conn.QueryRowContext(prepared, double, i).Scan(&got))
		require.Equal(t, 2*i, got, "the values of each run, not the first one's")
	}
	var got int
	require.NoError(t, conn.QueryRowContext(ctx, "SELECT 1").Scan(&got))
	require.Equal(t, []string{double}, kept(t, conn), "kept once; an unmarked statement is not")

	// A statement whose run fails is let go, and the next run works.
	const parse = "SELECT json(?)"
	require.Error(t, conn.QueryRowContext(prepared, parse, "{pas du json").Scan(new(string)))
	require.NotContains(t, kept(t, conn), parse)
	var doc string
	require.NoError(t, conn.QueryRowContext(prepared, parse, `{"a": 1}`).Scan(&doc))
	require.Equal(t, `{"a":1}`, doc)

	// Past keptPerConn texts, the least recently used is let go.
	for i := range keptPerConn + 5 {
		require.NoError(t, conn.QueryRowContext(prepared, "SELECT "+strconv.Itoa(i)).Scan(&got))
		require.Equal(t, i, got)
	}
	texts := kept(t, conn)
	require.Len(t, texts, keptPerConn)
	require.Equal(t, "SELECT "+strconv.Itoa(keptPerConn+4), texts[0])
	require.NotContains(t, texts, double)

	// Two rows of the same text open at once in a transaction.
	tx, err := conn.BeginTx(ctx, nil)
	require.NoError(t, err)
	const series = "SELECT value FROM json_each(?)"
	first, err := tx.QueryContext(prepared, series, "[1,2,3]")
	require.NoError(t, err)
	require.True(t, first.Next())
	second, err := tx.QueryContext(prepared, series, "[10,20,30]")
	require.NoError(t, err)
	var a, b []int
	for ok := true; ok; ok = first.Next() {
		var v int
		require.NoError(t, first.Scan(&v))
		a = append(a, v)
		if second.Next() {
			require.NoError(t, second.Scan(&v))
			b = append(b, v)
		}
	}
	require.NoError(t, first.Err())
	require.NoError(t, first.Close())
	require.NoError(t, second.Close())
	require.NoError(t, tx.Rollback())
	require.Equal(t, []int{1, 2, 3}, a)
	require.Equal(t, []int{10, 20, 30}, b)
	require.Equal(t, series, kept(t, conn)[0])
	require.NoError(t, conn.QueryRowContext(prepared, series, "[7]").Scan(&got))
	require.Equal(t, 7, got)
}

// TestSQLiteKeepsItsConnections: a few concurrent requests do not open and
// close a connection each time (database/sql keeps 2 idle by default), which
// would lose the kept statements with them.
func TestSQLiteKeepsItsConnections(t *testing.T) {
	ctx := context.Background()
	bdb := openSQLiteTest(t)
	for range 3 {
		var wg sync.WaitGroup
		conns := make(chan *sql.Conn, 8)
		for range 8 {
			wg.Go(func() {
				conn, err := bdb.DB.Conn(ctx)
				if err != nil {
					panic(fmt.Sprint("conn: ", err))
				}
				conns <- conn
			})
		}
		wg.Wait()
		close(conns)
		for conn := range conns {
			require.NoError(t, conn.Close())
		}
	}
	stats := bdb.DB.Stats()
	require.Zero(t, stats.MaxIdleClosed)
	require.Equal(t, 8, stats.OpenConnections)
}

// BenchmarkSQLiteKeptStatement reads twelve rows by id in one statement, as
// a compiled node lookup does, prepared anew each time or kept.
func BenchmarkSQLiteKeptStatement(b *testing.B) {
	ctx := context.Background()
	bdb, err := Open(ctx, "sqlite:"+filepath.Join(b.TempDir(), "kept.db"))
	require.NoError(b, err)
	defer bdb.Close()
	_, err = bdb.ExecContext(ctx, "CREATE TABLE things (id INTEGER PRIMARY KEY, name TEXT NOT NULL, commune TEXT)")
	require.NoError(b, err)
	_, err = bdb.ExecContext(ctx, "WITH RECURSIVE n(v) AS (SELECT 1 UNION ALL SELECT v + 1 FROM n WHERE v < 1000) "+
		"INSERT INTO things SELECT v, 'chose ' || v, 'Lille' FROM n")
	require.NoError(b, err)
	var parts []string
	var args []any
	for i := range 12 {
		parts = append(parts, fmt.Sprintf("(SELECT json_object('id', 'Thing:' || t%[1]d.id, 'name', t%[1]d.name, 'commune', t%[1]d.commune) "+
			"FROM things AS t%[1]d WHERE t%[1]d.id = $%[1]d)", i+1))
		args = append(args, int64(i*80+1))
	}
	query := "SELECT json_array(" + strings.Join(parts, ", ") + ")"
	for name, c := range map[string]context.Context{"prepared each time": ctx, "kept": WithPrepared(ctx)} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := ReadRows(c, bdb, query, args, func([][]byte) error { return nil }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
