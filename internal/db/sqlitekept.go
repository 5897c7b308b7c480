package db

import (
	"container/list"
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// keptPerConn is how many statements a SQLite connection keeps prepared,
// the most recently used: the few compiled reads asked over and over.
const keptPerConn = 32

// keeping opens SQLite connections that keep prepared the statements a
// context marks WithPrepared, as pgx keeps PostgreSQL's: SQLite parses and
// plans a text each time it is prepared, most of the work of a small
// compiled read.
type keeping struct {
	dsn    string
	driver driver.Driver
}

func (k keeping) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := k.open(ctx)
	if err != nil {
		return nil, err
	}
	sc, ok := conn.(sqliteConn)
	if !ok {
		_ = conn.Close()
		return nil, errors.New("db: the SQLite driver's connection lacks a method database/sql uses")
	}
	return &keepingConn{sqliteConn: sc, kept: keptStmts{order: list.New(), by: map[string]*list.Element{}}}, nil
}

func (k keeping) Driver() driver.Driver { return k.driver }

// open opens a connection and runs its pragmas. When two processes open a
// new file at once, both switch it to WAL, and SQLite answers one of them
// SQLITE_BUSY without calling the busy handler (waiting could deadlock):
// the busy timeout does not cover it, so the opening is tried again, and
// finds the file already in WAL.
func (k keeping) open(ctx context.Context) (driver.Conn, error) {
	wait := 5 * time.Millisecond
	for attempt := 1; ; attempt++ {
		conn, err := k.driver.Open(k.dsn)
		var serr *sqlite.Error
		if err == nil || attempt == 8 || !errors.As(err, &serr) || serr.Code()&0xff != sqlite3.SQLITE_BUSY {
			return conn, err
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(wait):
		}
		wait *= 2
	}
}

// sqliteConn is what database/sql uses of the driver's connection: the
// wrapper must offer all of it, or database/sql would take slower ways
// round (a Prepare for every query) and lose the transaction options.
type sqliteConn interface {
	driver.Conn
	driver.ConnPrepareContext
	driver.ConnBeginTx
	driver.QueryerContext
	driver.ExecerContext
	driver.Pinger
	driver.SessionResetter
	driver.Validator
}

// sqliteRows is what database/sql uses of the driver's rows.
type sqliteRows interface {
	driver.Rows
	driver.RowsColumnTypeDatabaseTypeName
	driver.RowsColumnTypeLength
	driver.RowsColumnTypeNullable
	driver.RowsColumnTypePrecisionScale
	driver.RowsColumnTypeScanType
}

// keepingConn is a SQLite connection with its kept statements. database/sql
// uses a connection from one goroutine at a time.
type keepingConn struct {
	sqliteConn
	kept keptStmts
}

// QueryContext runs a statement marked WithPrepared from the connection's
// kept ones. A kept statement is taken out while its rows are read, so that
// a second use of the same text meanwhile (rows open side by side in a
// transaction) prepares its own rather than resetting it under the first.
func (c *keepingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	if len(args) == 0 {
		// Given by WithArgs, these did not go through database/sql's
		// conversions, which this driver needs (an int is not an int64).
		args = boundArgs(ctx, args)
		for i := range args {
			v, err := driver.DefaultParameterConverter.ConvertValue(args[i].Value)
			if err != nil {
				return nil, fmt.Errorf("db: parameter $%d: %w", i+1, err)
			}
			args[i].Value = v
		}
	}
	if prepared, _ := ctx.Value(preparedKey{}).(bool); !prepared {
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	stmt := c.kept.take(query)
	if stmt == nil {
		var err error
		if stmt, err = c.PrepareContext(ctx, query); err != nil {
			return nil, err
		}
	}
	sq, ok := stmt.(driver.StmtQueryContext)
	if !ok {
		_ = stmt.Close()
		return c.sqliteConn.QueryContext(ctx, query, args)
	}
	rows, err := sq.QueryContext(ctx, args)
	if err != nil {
		_ = stmt.Close()
		return nil, err
	}
	sr, ok := rows.(sqliteRows)
	if !ok { // read once, then let go
		return &closingRows{Rows: rows, stmt: stmt}, nil
	}
	return &keptRows{sqliteRows: sr, conn: c, query: query, stmt: stmt}, nil
}

// Close finalizes the kept statements with the connection.
func (c *keepingConn) Close() error {
	c.kept.closeAll()
	return c.sqliteConn.Close()
}

// keptRows gives its statement back to the connection when closed: the
// driver resets it for the next use.
type keptRows struct {
	sqliteRows
	conn  *keepingConn
	query string
	stmt  driver.Stmt
}

func (r *keptRows) Close() error {
	if err := r.sqliteRows.Close(); err != nil {
		_ = r.stmt.Close()
		return err
	}
	r.conn.kept.give(r.query, r.stmt)
	return nil
}

// closingRows closes its statement with itself.
type closingRows struct {
	driver.Rows
	stmt driver.Stmt
}

func (r *closingRows) Close() error {
	err := r.Rows.Close()
	return errors.Join(err, r.stmt.Close())
}

// keptStmts holds a connection's prepared statements by text, the least
// recently used let go past keptPerConn.
type keptStmts struct {
	order *list.List // of keptStmt, the most recently given back first
	by    map[string]*list.Element
}

type keptStmt struct {
	query string
	stmt  driver.Stmt
}

// take removes and returns the statement kept for query, nil if none.
func (k *keptStmts) take(query string) driver.Stmt {
	e, ok := k.by[query]
	if !ok {
		return nil
	}
	delete(k.by, query)
	return k.order.Remove(e).(keptStmt).stmt
}

// give keeps stmt for query, or closes it if another is kept meanwhile.
func (k *keptStmts) give(query string, stmt driver.Stmt) {
	if _, ok := k.by[query]; ok {
		_ = stmt.Close()
		return
	}
	k.by[query] = k.order.PushFront(keptStmt{query: query, stmt: stmt})
	if k.order.Len() > keptPerConn {
		_ = k.take(k.order.Back().Value.(keptStmt).query).Close()
	}
}

func (k *keptStmts) closeAll() {
	for e := k.order.Front(); e != nil; e = e.Next() {
		_ = e.Value.(keptStmt).stmt.Close()
	}
	k.order.Init()
	clear(k.by)
}
