package db

import (
	"context"
	"fmt"

	"github.com/uptrace/bun"
)

// TextColumns returns the text columns of the database's tables, by table:
// what an erasure must read to leave no trace of a person anywhere.
func TextColumns(ctx context.Context, idb bun.IDB) (map[string][]string, error) {
	query := `SELECT m.name, p.name FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS p
WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND (upper(p.type) LIKE '%TEXT%' OR upper(p.type) LIKE '%CHAR%')
ORDER BY m.name, p.cid`
	if IsPostgres(idb) {
		query = `SELECT table_name, column_name FROM information_schema.columns
WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying')
ORDER BY table_name, ordinal_position`
	}
	rows, err := idb.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("db: text columns: %w", err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var table, column string
		if err := rows.Scan(&table, &column); err != nil {
			return nil, fmt.Errorf("db: text columns: %w", err)
		}
		out[table] = append(out[table], column)
	}
	return out, rows.Err()
}

// ForgetFreed makes what a transaction deleted or overwrote unreadable from
// the database's files, as far as the database allows: on SQLite, whose
// connections overwrite freed content (secure_delete, set at open), the
// write-ahead log still holds the pages as they were until it is copied back
// and truncated. PostgreSQL keeps old row versions until its vacuum reuses
// their space: nothing to do from here.
func ForgetFreed(ctx context.Context, bdb *bun.DB) error {
	if IsPostgres(bdb) {
		return nil
	}
	if _, err := bdb.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fmt.Errorf("db: checkpoint: %w", err)
	}
	return nil
}
