// Package changes is how the staff change the graph: create, update and
// delete records, merge structures. Each change is checked field by field,
// written in one transaction with its audit entry, refused when it carries an
// outdated version, and reflected in the search index.
package changes

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"reflect"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/audit"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/reference"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// FieldError is a mistake in one field of an input.
type FieldError struct {
	Field, Message string
}

// InvalidError lists the mistakes of an input; nothing was written.
type InvalidError struct {
	Errors []FieldError
}

func (e *InvalidError) Error() string {
	var parts []string
	for _, f := range e.Errors {
		parts = append(parts, fmt.Sprintf("champ « %s » : %s", f.Field, f.Message))
	}
	return strings.Join(parts, " ; ")
}

// Errors of a change.
var (
	ErrNotFound = errors.New("enregistrement introuvable")
	// ErrConflict: the record changed since the version the caller read.
	ErrConflict = errors.New("l'enregistrement a été modifié entre-temps : rechargez-le et refaites votre modification")
)

// Service applies changes; staff only.
type Service struct {
	DB    *bun.DB
	Clock clock.Clock
	// Announcer, when set, hears of new, changed and deleted records in the
	// transaction that writes them: an announcement is queued (or withdrawn)
	// if and only if the change is committed.
	Announcer Announcer
}

// Announcer queues the announcements of changes.
type Announcer interface {
	Created(ctx context.Context, tx bun.IDB, rec any) error
	Changed(ctx context.Context, tx bun.IDB, before, after any) error
	Deleted(ctx context.Context, tx bun.IDB, rec any) error
}

// checker collects field errors against the reference lists and the data.
type checker struct {
	ctx  context.Context
	tx   bun.IDB
	ref  *reference.Lists
	errs []FieldError
}

func (c *checker) add(field, format string, args ...any) {
	c.errs = append(c.errs, FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (c *checker) required(field, value string) {
	if strings.TrimSpace(value) == "" {
		c.add(field, "obligatoire, ne doit pas être vide")
	}
}

func (c *checker) code(field, what string, known func(string) bool, values ...string) {
	seen := map[string]bool{}
	for _, v := range values {
		if v != "" && !known(v) {
			c.add(field, "%s « %s » inconnu", what, v)
		}
		if seen[v] {
			c.add(field, "%s « %s » en double", what, v)
		}
		seen[v] = true
	}
}

// exists checks that ids are records of table, each named once.
func (c *checker) exists(field, what, table string, ids ...int64) {
	seen := map[int64]bool{}
	for _, id := range ids {
		if id == 0 {
			continue
		}
		if seen[id] {
			c.add(field, "%s %d en double", what, id)
			continue
		}
		seen[id] = true
		n, err := c.tx.NewSelect().TableExpr(table).Where("id = ?", id).Count(c.ctx)
		if err != nil || n == 0 {
			c.add(field, "%s %d inexistant(e)", what, id)
		}
	}
}

func (c *checker) err() error {
	if len(c.errs) == 0 {
		return nil
	}
	return &InvalidError{Errors: c.errs}
}

// link is a join table of a record and its values.
type link struct {
	table  db.Link
	values []any
}

// spec says how to change one kind of record.
type spec[T any] struct {
	kind     string // audit and search kind
	table    string
	alias    string
	validate func(c *checker, rec *T)
	links    func(rec *T) []link
	// load reads a record with its links, for the audit trail and the answer.
	load func(ctx context.Context, idb bun.IDB, id int64) (*T, error)
}

// field reads or writes the common fields of the records by name: ID,
// Version, CreatedAt, UpdatedAt.
func field(rec any, name string) reflect.Value { return reflect.ValueOf(rec).Elem().FieldByName(name) }

// Authorize says whether the caller may change records at all. Transports
// call it before reading an input, so that a caller without the right learns
// nothing from the checks of what it sent.
func (s *Service) Authorize(ctx context.Context) error { return access.Require(ctx, access.Staff) }

func (s *Service) begin(ctx context.Context) (time.Time, error) {
	if err := s.Authorize(ctx); err != nil {
		return time.Time{}, err
	}
	return s.Clock.Now().UTC().Truncate(time.Microsecond), nil
}

type inputErrorsKey struct{}

// WithInputErrors carries the mistakes a transport found while reading an
// input (a date it could not read, an id of the wrong type) to the change's
// checks, so that the caller hears of every wrong field at once, not only of
// the first ones read.
func WithInputErrors(ctx context.Context, errs []FieldError) context.Context {
	return context.WithValue(ctx, inputErrorsKey{}, errs)
}

func (s *Service) check(ctx context.Context, tx bun.IDB, validate func(*checker)) error {
	ref, err := reference.Load(ctx, tx)
	if err != nil {
		return err
	}
	read, _ := ctx.Value(inputErrorsKey{}).([]FieldError)
	c := &checker{ctx: ctx, tx: tx, ref: ref}
	validate(c)
	// A field the transport could not read is named once, with what the
	// transport said of it.
	named := map[string]bool{}
	for _, e := range read {
		named[e.Field] = true
	}
	errs := append([]FieldError{}, read...)
	for _, e := range c.errs {
		if !named[e.Field] {
			errs = append(errs, e)
		}
	}
	c.errs = errs
	return c.err()
}

func writeLinks(ctx context.Context, tx bun.IDB, id int64, links []link) error {
	for _, l := range links {
		if _, err := tx.NewDelete().TableExpr(l.table.Table).Where("? = ?", bun.Ident(l.table.Owner), id).Exec(ctx); err != nil {
			return fmt.Errorf("changes: links: %w", err)
		}
		pairs := make([][2]any, len(l.values))
		for i, v := range l.values {
			pairs[i] = [2]any{id, v}
		}
		if err := l.table.Insert(ctx, tx, pairs); err != nil {
			return err
		}
	}
	return nil
}

// create inserts a record with its links.
func create[T any](ctx context.Context, s *Service, sp spec[T], rec *T) (*T, error) {
	now, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	var out *T
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.check(ctx, tx, func(c *checker) { c.texts(rec); sp.validate(c, rec) }); err != nil {
			return err
		}
		field(rec, "ID").SetInt(0)
		field(rec, "Version").SetInt(1)
		field(rec, "CreatedAt").Set(reflect.ValueOf(now))
		field(rec, "UpdatedAt").Set(reflect.ValueOf(now))
		if _, err := tx.NewInsert().Model(rec).Returning("id").Exec(ctx); err != nil {
			return fmt.Errorf("changes: create %s: %w", sp.kind, err)
		}
		id := field(rec, "ID").Int()
		if err := writeLinks(ctx, tx, id, sp.links(rec)); err != nil {
			return err
		}
		if out, err = sp.load(ctx, tx, id); err != nil {
			return err
		}
		if err := search.ReindexRecords(ctx, tx, sp.kind, id); err != nil {
			return err
		}
		if s.Announcer != nil {
			if err := s.Announcer.Created(ctx, tx, out); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.ActionCreate, sp.kind, id, nil, out, "")
	})
	return out, err
}

// update replaces a record's fields and links, if it is still at version.
func update[T any](ctx context.Context, s *Service, sp spec[T], id int64, version int, rec *T) (*T, error) {
	now, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	var out *T
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		before, err := sp.load(ctx, tx, id)
		if err != nil {
			return err
		}
		if err := s.check(ctx, tx, func(c *checker) { c.texts(rec); sp.validate(c, rec) }); err != nil {
			return err
		}
		field(rec, "ID").SetInt(id)
		field(rec, "Version").SetInt(int64(version + 1))
		field(rec, "CreatedAt").Set(field(before, "CreatedAt"))
		field(rec, "UpdatedAt").Set(reflect.ValueOf(now))
		// The version in the WHERE clause is what refuses a colleague's stale
		// edit: two updates from the same version, only one row matches.
		res, err := tx.NewUpdate().Model(rec).WherePK().Where(sp.alias+".version = ?", version).Exec(ctx)
		if err != nil {
			return fmt.Errorf("changes: update %s: %w", sp.kind, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		if err := writeLinks(ctx, tx, id, sp.links(rec)); err != nil {
			return err
		}
		if out, err = sp.load(ctx, tx, id); err != nil {
			return err
		}
		if err := search.ReindexRecords(ctx, tx, sp.kind, id); err != nil {
			return err
		}
		if s.Announcer != nil {
			if err := s.Announcer.Changed(ctx, tx, before, out); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.ActionUpdate, sp.kind, id, before, out, "")
	})
	return out, err
}

// remove deletes a record, if it is still at version; what links to it goes
// with it or is unlinked, as the schema says.
func remove[T any](ctx context.Context, s *Service, sp spec[T], id int64, version int) error {
	now, err := s.begin(ctx)
	if err != nil {
		return err
	}
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		before, err := sp.load(ctx, tx, id)
		if err != nil {
			return err
		}
		res, err := tx.NewDelete().TableExpr(sp.table).Where("id = ? AND version = ?", id, version).Exec(ctx)
		if err != nil {
			return fmt.Errorf("changes: delete %s: %w", sp.kind, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		if err := search.ReindexRecords(ctx, tx, sp.kind, id); err != nil {
			return err
		}
		if s.Announcer != nil {
			if err := s.Announcer.Deleted(ctx, tx, before); err != nil {
				return err
			}
		}
		return audit.Record(ctx, tx, now, audit.ActionDelete, sp.kind, id, before, nil, "")
	})
}

// one reads one record of a model type by id, or ErrNotFound.
func one[T any](ctx context.Context, idb bun.IDB, alias string, id int64) (*T, error) {
	rec := new(T)
	err := idb.NewSelect().Model(rec).Where(alias+".id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("changes: load: %w", err)
	}
	return rec, nil
}

func anys[V any](values []V) []any {
	out := make([]any, len(values))
	for i, v := range values {
		out[i] = v
	}
	return out
}

func linked[V int64 | string](ctx context.Context, idb bun.IDB, l db.Link, id int64) ([]V, error) {
	m, err := db.LoadLinksOf[V](ctx, idb, l, []int64{id})
	if err != nil {
		return nil, err
	}
	if m[id] == nil {
		return []V{}, nil
	}
	return m[id], nil
}
