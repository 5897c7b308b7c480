package db_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

func TestMigrateConcurrentStartsAndRerun(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			url := dbtest.URL(t, kind)
			// Two "processes" with their own pools start at once.
			var wg sync.WaitGroup
			applied := make([][]string, 2)
			errs := make([]error, 2)
			for i := range 2 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					bdb, err := db.Open(ctx, url)
					if err != nil {
						errs[i] = err
						return
					}
					defer bdb.Close()
					applied[i], errs[i] = db.Migrate(ctx, bdb)
				}()
			}
			wg.Wait()
			require.NoError(t, errs[0])
			require.NoError(t, errs[1])
			require.True(t, len(applied[0]) == 0 || len(applied[1]) == 0, "one process migrates, the other finds nothing to do: %v", applied)
			require.NotEmpty(t, append(applied[0], applied[1]...))

			bdb, err := db.Open(ctx, url)
			require.NoError(t, err)
			defer bdb.Close()
			again, err := db.Migrate(ctx, bdb)
			require.NoError(t, err)
			require.Empty(t, again)
			pending, err := db.Pending(ctx, bdb)
			require.NoError(t, err)
			require.Empty(t, pending)

			var n int
			require.NoError(t, bdb.NewSelect().TableExpr("structures").ColumnExpr("count(*)").Scan(ctx, &n))
			require.Zero(t, n)
		})
	}
}

func TestSQLitePragmas(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	ctx := context.Background()
	var mode string
	require.NoError(t, bdb.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode))
	require.Equal(t, "wal", mode)
	var fk, busy int
	require.NoError(t, bdb.QueryRowContext(ctx, "PRAGMA foreign_keys").Scan(&fk))
	require.Equal(t, 1, fk)
	require.NoError(t, bdb.QueryRowContext(ctx, "PRAGMA busy_timeout").Scan(&busy))
	require.Positive(t, busy)
}

func TestOpenRejectsUnknownURL(t *testing.T) {
	_, err := db.Open(context.Background(), "mysql://root@localhost/x")
	require.ErrorContains(t, err, "non reconnue")
	require.Equal(t, "postgres://u:xxxxx@h/db", db.Redact("postgres://u:secret@h/db"))
}

// Replicas started together on one new SQLite file all switch it to WAL at
// once; SQLite answers some of them "database is locked" without waiting,
// and Open must ride over it rather than fail the start.
func TestSQLiteOpensOfANewFileAtOnce(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for round := range 30 {
		url := fmt.Sprintf("sqlite:%s/new-%d.db", dir, round)
		var wg sync.WaitGroup
		errs := make([]error, 6)
		for i := range errs {
			wg.Go(func() {
				bdb, err := db.Open(ctx, url)
				if err == nil {
					err = bdb.Close()
				}
				errs[i] = err
			})
		}
		wg.Wait()
		for _, err := range errs {
			require.NoError(t, err, "round %d", round)
		}
	}
}
