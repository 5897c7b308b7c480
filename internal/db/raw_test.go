package db_test

import (
	"context"
	"database/sql"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

func TestReadColumn(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		read := func(ctx context.Context, query string, args ...any) (string, error) {
			var got string
			err := db.ReadColumn(ctx, bdb, query, args, func(b []byte) error {
				got = string(b) // the driver's bytes live only during the call
				return nil
			})
			return got, err
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

		_, err := read(ctx, "SELECT name FROM structures WHERE id = -1")
		require.ErrorIs(t, err, sql.ErrNoRows)

		_, err = read(db.WithPrepared(ctx), "SELECT nothing FROM nowhere")
		require.Error(t, err)

		failed := errors.New("refusé")
		err = db.ReadColumn(ctx, bdb, "SELECT 1", nil, func([]byte) error { return failed })
		require.ErrorIs(t, err, failed)

		// In a transaction, through database/sql.
		tx, err := bdb.BeginTx(ctx, nil)
		require.NoError(t, err)
		var inTx string
		require.NoError(t, db.ReadColumn(ctx, tx, "SELECT CAST(CAST($1 AS INTEGER) * 2 AS TEXT)", []any{21}, func(b []byte) error {
			inTx = string(b)
			return nil
		}))
		require.NoError(t, tx.Rollback())
		require.Equal(t, "42", inTx)

		// The connection a failed statement used still works.
		got, err := read(db.WithPrepared(ctx), "SELECT 'encore'")
		require.NoError(t, err)
		require.Equal(t, "encore", got)
	})
}

func itoa(i int) string { return strconv.Itoa(i) }
