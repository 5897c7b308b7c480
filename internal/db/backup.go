package db

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"

	"github.com/uptrace/bun"
)

// Snapshot returns the options of a read transaction that sees the whole
// database as of one moment while others write: REPEATABLE READ on
// PostgreSQL, whose default sees each statement's own moment; on SQLite
// every transaction already reads one snapshot.
func Snapshot(idb bun.IDB) *sql.TxOptions {
	if IsPostgres(idb) {
		return &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true}
	}
	return nil
}

// BackupSQLite writes a copy of an SQLite database to path, which must not
// exist, with VACUUM INTO: one read transaction, so the copy is consistent
// while the service keeps writing, and compact.
func BackupSQLite(ctx context.Context, bdb *bun.DB, path string) error {
	if IsPostgres(bdb) {
		return fmt.Errorf("db: backup: VACUUM INTO is SQLite's")
	}
	if _, err := bdb.ExecContext(ctx, "VACUUM INTO ?", path); err != nil {
		return fmt.Errorf("db: backup: %w", err)
	}
	return nil
}

// sqliteHeader begins every SQLite database file.
var sqliteHeader = []byte("SQLite format 3\x00")

// IsSQLiteFile reports whether the file at path is an SQLite database.
func IsSQLiteFile(path string) (bool, error) {
	f, err := os.Open(path)
	if err != nil {
		return false, err
	}
	defer f.Close()
	head := make([]byte, len(sqliteHeader))
	if _, err := io.ReadFull(f, head); err != nil {
		return false, nil // shorter than a header: not a database
	}
	return bytes.Equal(head, sqliteHeader), nil
}
