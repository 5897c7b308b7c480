package db

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
)

// ReadRows runs a statement with its parameters' values ($1…) and gives fn
// the columns of each of its rows in turn, as the driver holds them: the
// bytes are valid only during fn. ctx says whether to prepare it
// (WithPrepared).
//
// It is for the statements run for most requests, a compiled GraphQL read
// asked again, where the machinery of database/sql around the driver (its
// rows, their context watch, their conversions) cost as much as pgx itself.
// On PostgreSQL the statement goes to pgx directly, on a connection of the
// same pool; bun's query hooks do not see it.
func ReadRows(ctx context.Context, idb bun.IDB, query string, args []any, fn func(columns [][]byte) error) error {
	if bdb, ok := idb.(*bun.DB); ok && IsPostgres(bdb) {
		conn, err := bdb.DB.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close()
		return conn.Raw(func(dc any) error {
			pc, ok := dc.(preparingConn)
			if !ok {
				return errors.New("db: a PostgreSQL connection not opened by db.Open")
			}
			mode := pgx.QueryExecModeSimpleProtocol
			if prepared, _ := ctx.Value(preparedKey{}).(bool); prepared {
				mode = pgx.QueryExecModeCacheStatement
			}
			rows, err := pc.Conn.Conn().Query(ctx, query, append([]any{mode}, args...)...)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				if err := fn(rows.RawValues()); err != nil {
					return err
				}
			}
			rows.Close()
			return rows.Err()
		})
	}
	// The driver binds the values (preparingConn, keepingConn): bun, given
	// none, leaves the text alone.
	rows, err := idb.QueryContext(WithArgs(ctx, args), query)
	if err != nil {
		return err
	}
	return ScanRows(rows, fn)
}

// ScanRows gives fn the columns of each of rows in turn, as the driver holds
// them (valid only during fn), and closes rows.
func ScanRows(rows *sql.Rows, fn func(columns [][]byte) error) error {
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return err
	}
	columns := make([][]byte, len(names))
	raw := make([]any, len(names))
	for i := range columns {
		raw[i] = (*sql.RawBytes)(&columns[i])
	}
	for rows.Next() {
		if err := rows.Scan(raw...); err != nil {
			return err
		}
		if err := fn(columns); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}
