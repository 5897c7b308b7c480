package db_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

func TestReadRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		// read gives the first column of each row, joined by "|".
		read := func(ctx context.Context, query string, args ...any) (string, error) {
			var got []string
			err := db.ReadRows(ctx, bdb, query, args, func(columns [][]byte) error {
				got = append(got, string(columns[0])) // the driver's bytes live only during the call
				return nil
			})
			return strings.Join(got, "|"), err
		}

		// Both ways a statement runs, and more times than the pool has
		// connections: each is given back.
		for _, c := range []context.Context{ctx, db.WithPrepared(ctx)} {
			for i := range 50 {
				timeout, cancel := context.WithTimeout(c, 10*time.Second)
				got, err := read(timeout, "SELECT 'n° ' || CAST(CAST($1 AS INTEGER) AS TEXT) || ' <&>'", i)
				cancel()
				require.NoError(t, err)
				require.Equal(t, "n° "+itoa(i)+" <&>", got)
			}
		}

		got, err := read(ctx, "SELECT name FROM structures WHERE id = -1")
		require.NoError(t, err)
		require.Empty(t, got, "no row, no call")

		// Every row in the statement's order, every column, whatever the
		// mode: a number in text comes as its digits, NULL as nil.
		for _, c := range []context.Context{ctx, db.WithPrepared(ctx)} {
			var rows []string
			err := db.ReadRows(c, bdb, "SELECT CAST(t.n AS TEXT) AS n_, v FROM (SELECT 2 AS n, 'deux' AS v UNION ALL SELECT 10, NULL UNION ALL SELECT 1, 'un') AS t ORDER BY t.n DESC",
				nil, func(columns [][]byte) error {
					require.Len(t, columns, 2)
					rows = append(rows, fmt.Sprintf("%s=%q/%t", columns[0], columns[1], columns[1] == nil))
					return nil
				})
			require.NoError(t, err)
			require.Equal(t, []string{`10=""/true`, `2="deux"/false`, `1="un"/false`}, rows)
		}

		_, err = read(db.WithPrepared(ctx), "SELECT nothing FROM nowhere")
		require.Error(t, err)

		failed := errors.New("refusé")
		err = db.ReadRows(ctx, bdb, "SELECT 1", nil, func([][]byte) error { return failed })
		require.ErrorIs(t, err, failed)

		// In a transaction, through database/sql.
		tx, err := bdb.BeginTx(ctx, nil)
		require.NoError(t, err)
		var inTx string
		require.NoError(t, db.ReadRows(ctx, tx, "SELECT CAST(CAST($1 AS INTEGER) * 2 AS TEXT)", []any{21}, func(columns [][]byte) error {
			inTx = string(columns[0])
			return nil
		}))
		require.NoError(t, tx.Rollback())
		require.Equal(t, "42", inTx)

		// The connection a failed statement used still works.
		got, err = read(db.WithPrepared(ctx), "SELECT 'encore'")
		require.NoError(t, err)
		require.Equal(t, "encore", got)
	})
}

func itoa(i int) string { return strconv.Itoa(i) }
