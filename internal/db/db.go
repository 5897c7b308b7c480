// Package db opens the database (PostgreSQL in production, an embedded SQLite
// file by default) and migrates it. It is the only place of the code that
// knows which dialect it talks to.
package db

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"
	"github.com/uptrace/bun/dialect/pgdialect"
	"github.com/uptrace/bun/dialect/sqlitedialect"
	"modernc.org/sqlite" // registers the pure-Go "sqlite" driver
)

// DefaultURL is the embedded database used when none is configured.
const DefaultURL = "sqlite:lianes.db"

// Open connects to the database named by rawURL: a postgres:// URL or
// sqlite:PATH. It checks the connection before returning.
func Open(ctx context.Context, rawURL string) (*bun.DB, error) {
	if rawURL == "" {
		rawURL = DefaultURL
	}
	var (
		bdb *bun.DB
		err error
	)
	switch {
	case strings.HasPrefix(rawURL, "postgres://"), strings.HasPrefix(rawURL, "postgresql://"):
		bdb, err = openPostgres(rawURL)
	case strings.HasPrefix(rawURL, "sqlite:"):
		bdb, err = openSQLite(strings.TrimPrefix(rawURL, "sqlite:"))
	default:
		return nil, fmt.Errorf("base de données « %s » non reconnue : attendu postgres://… ou sqlite:CHEMIN", Redact(rawURL))
	}
	if err != nil {
		return nil, err
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := bdb.PingContext(pingCtx); err != nil {
		_ = bdb.Close()
		return nil, fmt.Errorf("connexion à %s impossible : %w", Redact(rawURL), err)
	}
	return bdb, nil
}

func openPostgres(rawURL string) (*bun.DB, error) {
	cfg, err := pgx.ParseConfig(rawURL)
	if err != nil {
		return nil, fmt.Errorf("base de données %s : URL invalide : %w", Redact(rawURL), err)
	}
	// bun writes the values into the SQL text, so most statements are new to
	// the server: preparing and caching each one would cost a round trip and
	// fill the cache with statements never seen again. Those a context marks
	// as repeated (WithPrepared) are prepared once per connection.
	cfg.DefaultQueryExecMode = pgx.QueryExecModeSimpleProtocol
	cfg.StatementCacheCapacity = 64 // per connection: they are large, and few are hot
	// InstantText reads a timestamp's text, whose form the server's DateStyle
	// decides: pinned to ISO on every connection, whatever the server's
	// default or the URL says.
	cfg.RuntimeParams["DateStyle"] = "ISO, YMD"
	sqldb := sql.OpenDB(preparing{stdlib.GetConnector(*cfg)})
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(20)
	return bun.NewDB(sqldb, pgdialect.New()), nil
}

func openSQLite(path string) (*bun.DB, error) {
	if path == "" {
		return nil, errors.New("base SQLite sans chemin : attendu sqlite:CHEMIN")
	}
	// WAL lets readers run beside the writer; the busy timeout makes a second
	// process wait for the lock rather than fail; immediate transactions take
	// the write lock at BEGIN, so two writers never deadlock on an upgrade.
	q := url.Values{}
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(NORMAL)")
	// Deleted content is overwritten, not left in free pages: an erasure
	// must leave no trace in the file.
	q.Add("_pragma", "secure_delete(1)")
	// No memory map (mmap_size): SQLite maps the file once per connection,
	// and every mapping's pages count in the process's resident memory, which
	// reached 230 MB under the benchmark's load against 105 MB without, for
	// 6–13% more answers a second on the largest reads (docs/benchmarks.md,
	// "Memory").
	q.Add("_txlock", "immediate")
	q.Add("_time_format", "sqlite")
	if err := registerSQLiteFunctions(); err != nil {
		return nil, fmt.Errorf("db: open sqlite: %w", err)
	}
	// The driver the package registered, opened through a connector that
	// keeps the repeated statements prepared (keeping).
	registered, err := sql.Open("sqlite", "")
	if err != nil {
		return nil, fmt.Errorf("db: open sqlite: %w", err)
	}
	sqldb := sql.OpenDB(keeping{dsn: "file:" + path + "?" + q.Encode(), driver: registered.Driver()})
	_ = registered.Close() // it opened no connection
	// database/sql keeps 2 idle connections by default: under a few
	// concurrent requests, every other one would open a connection (its
	// pragmas, its functions) and close it after.
	sqldb.SetMaxOpenConns(20)
	sqldb.SetMaxIdleConns(20)
	return bun.NewDB(sqldb, sqlitedialect.New()), nil
}

// IsPostgres reports whether db talks to PostgreSQL.
func IsPostgres(db bun.IDB) bool { return db.Dialect().Name() == dialect.PG }

// Redact hides the password of a database URL, so that it can be logged.
func Redact(rawURL string) string {
	u, err := url.Parse(rawURL)
	if err != nil || u.User == nil {
		return rawURL
	}
	if _, has := u.User.Password(); has {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	return u.String()
}

// ResetSequences moves the identity sequences of tables past their largest id,
// after rows were inserted with explicit ids (an import). SQLite's
// AUTOINCREMENT follows explicit ids by itself.
func ResetSequences(ctx context.Context, db bun.IDB, tables ...string) error {
	if !IsPostgres(db) {
		return nil
	}
	for _, table := range tables {
		if _, err := db.ExecContext(ctx, fmt.Sprintf(
			"SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), COALESCE((SELECT MAX(id) FROM %[1]s), 0) + 1, false)",
			table)); err != nil {
			return fmt.Errorf("db: reset sequence of %s: %w", table, err)
		}
	}
	return nil
}

// Bytewise orders a text expression by its bytes: PostgreSQL otherwise sorts
// by its locale's collation, and the two databases would disagree.
func Bytewise(idb bun.IDB, expr string) string {
	if IsPostgres(idb) {
		return expr + ` COLLATE "C"`
	}
	return expr
}

// ByIDs reads the records of model type T with the given ids, keyed by id,
// in one statement. idColumn is the qualified id column ("s.id").
func ByIDs[T any](ctx context.Context, idb bun.IDB, idColumn string, ids []int64, id func(*T) int64) (map[int64]*T, error) {
	out := make(map[int64]*T, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []T
	if err := idb.NewSelect().Model(&rows).Where(idColumn+" IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("db: by ids: %w", err)
	}
	for i := range rows {
		out[id(&rows[i])] = &rows[i]
	}
	return out, nil
}

// Analyze refreshes the planner's statistics after a bulk load, so that the
// first queries on new data use their indexes.
func Analyze(ctx context.Context, idb bun.IDB) error {
	if _, err := idb.ExecContext(ctx, "ANALYZE"); err != nil {
		return fmt.Errorf("db: analyze: %w", err)
	}
	return nil
}

// sqliteBase64URL is the name of the function Base64URL calls on SQLite.
const sqliteBase64URL = "lianes_base64url"

// The driver keeps its functions for the whole process and refuses a second
// registration of a name: they are registered once, before the first
// connection that needs them.
var registerSQLiteFunctions = sync.OnceValue(func() error {
	return sqlite.RegisterDeterministicScalarFunction(sqliteBase64URL, 1,
		func(_ *sqlite.FunctionContext, args []driver.Value) (driver.Value, error) {
			switch v := args[0].(type) {
			case nil:
				return nil, nil
			case string:
				return base64.RawURLEncoding.EncodeToString([]byte(v)), nil
			case []byte:
				return base64.RawURLEncoding.EncodeToString(v), nil
			default:
				return base64.RawURLEncoding.EncodeToString(fmt.Append(nil, v)), nil
			}
		})
})

type preparedKey struct{}

// WithPrepared marks the statements run with ctx as ones the server runs over
// and over with the same text (the compiled GraphQL reads): on PostgreSQL
// they are prepared once per connection and their plan kept, which spares
// the planning of a large statement on every request. SQLite connections
// keep them prepared too (keeping).
func WithPrepared(ctx context.Context) context.Context {
	return context.WithValue(ctx, preparedKey{}, true)
}

// preparing opens PostgreSQL connections that prepare the statements of a
// context marked WithPrepared. bun never passes arguments to the driver, so
// the execution mode pgx reads from them is added here.
type preparing struct{ driver.Connector }

func (p preparing) Connect(ctx context.Context) (driver.Conn, error) {
	conn, err := p.Connector.Connect(ctx)
	if err != nil {
		return nil, err
	}
	return preparingConn{conn.(*stdlib.Conn)}, nil
}

type preparingConn struct{ *stdlib.Conn }

func (c preparingConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	args = boundArgs(ctx, args)
	if prepared, _ := ctx.Value(preparedKey{}).(bool); prepared {
		args = append([]driver.NamedValue{{Value: pgx.QueryExecModeCacheStatement}}, args...)
	}
	return c.Conn.QueryContext(ctx, query, args)
}

type argsKey struct{}

// WithArgs gives the values of a statement's parameters ($1…, on both
// databases) to the driver. bun writes its own arguments into the SQL text,
// which then differs for every value and is planned anew each time; a
// statement written with parameters keeps one text, planned once per
// connection when prepared. Only for statements with no argument of bun's.
func WithArgs(ctx context.Context, args []any) context.Context {
	if len(args) == 0 {
		return ctx
	}
	return context.WithValue(ctx, argsKey{}, args)
}

// boundArgs returns the values WithArgs gave ctx as the driver's
// arguments, when the statement has none of its own.
func boundArgs(ctx context.Context, args []driver.NamedValue) []driver.NamedValue {
	if bound, _ := ctx.Value(argsKey{}).([]any); len(bound) > 0 && len(args) == 0 {
		for i, v := range bound {
			args = append(args, driver.NamedValue{Ordinal: i + 1, Value: v})
		}
	}
	return args
}

// ArgsOf returns the parameters' values WithArgs gave ctx: what a query
// hook needs to show a statement whole.
func ArgsOf(ctx context.Context) []any {
	args, _ := ctx.Value(argsKey{}).([]any)
	return args
}
