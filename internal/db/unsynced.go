package db

import (
	"context"

	"github.com/uptrace/bun"
)

// Unsynced runs fn in a transaction whose commit does not wait for the disk
// on PostgreSQL (synchronous_commit off): for counters whose last few
// increments may be lost in a crash, such as the rate limits', a commit
// then costs no flush. SQLite in WAL mode with synchronous NORMAL already
// commits without one.
func Unsynced(ctx context.Context, bdb *bun.DB, fn func(ctx context.Context, tx bun.Tx) error) error {
	return bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if IsPostgres(bdb) {
			if _, err := tx.ExecContext(ctx, "SET LOCAL synchronous_commit TO OFF"); err != nil {
				return err
			}
		}
		return fn(ctx, tx)
	})
}
