package db

import (
	"context"
	"database/sql"
	"errors"

	"github.com/jackc/pgx/v5"
	"github.com/uptrace/bun"
)

// ReadColumn runs a statement with its parameters' values ($1…) and gives
// fn the first column of its first row, as the driver holds it: the bytes
// are valid only during fn. A statement with no row is sql.ErrNoRows. ctx
// says whether to prepare it (WithPrepared).
//
// It is for the statements run for most requests, a compiled GraphQL read
// asked again, where the machinery of database/sql around the driver (its
// rows, their context watch, their conversions) cost as much as pgx itself.
// On PostgreSQL the statement goes to pgx directly, on a connection of the
// same pool; bun's query hooks do not see it.
func ReadColumn(ctx context.Context, idb bun.IDB, query string, args []any, fn func([]byte) error) error {
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
			if !rows.Next() {
				if err := rows.Err(); err != nil {
					return err
				}
				return sql.ErrNoRows
			}
			if err := fn(rows.RawValues()[0]); err != nil {
				return err
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
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	var column sql.RawBytes // the driver's memory, valid until the next call on rows
	if err := rows.Scan(&column); err != nil {
		return err
	}
	if err := fn(column); err != nil {
		return err
	}
	return rows.Close()
}
