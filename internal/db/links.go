package db

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/uptrace/bun"
)

// Link names a join table: each row ties an owner id to a value (a code or
// another record's id).
type Link struct {
	Table, Owner, Value string
}

// LoadLinks reads a whole join table, values in ascending order per owner.
func LoadLinks[V int64 | string](ctx context.Context, idb bun.IDB, l Link) (map[int64][]V, error) {
	return LoadLinksOf[V](ctx, idb, l, nil)
}

// LoadLinksOf reads the values of the given owners (all when owners is nil)
// in one statement.
func LoadLinksOf[V int64 | string](ctx context.Context, idb bun.IDB, l Link, owners []int64) (map[int64][]V, error) {
	q := idb.NewSelect().TableExpr(l.Table).
		ColumnExpr("? AS owner, ? AS value", bun.Ident(l.Owner), bun.Ident(l.Value)).
		OrderExpr("? ASC, ? ASC", bun.Ident(l.Owner), bun.Ident(l.Value))
	if owners != nil {
		if len(owners) == 0 {
			return map[int64][]V{}, nil
		}
		q = q.Where("? IN (?)", bun.Ident(l.Owner), bun.List(owners))
	}
	rows, err := q.Rows(ctx)
	if err != nil {
		return nil, fmt.Errorf("db: load %s: %w", l.Table, err)
	}
	defer rows.Close()
	out := map[int64][]V{}
	for rows.Next() {
		var owner int64
		var value V
		if err := rows.Scan(&owner, &value); err != nil {
			return nil, fmt.Errorf("db: load %s: %w", l.Table, err)
		}
		out[owner] = append(out[owner], value)
	}
	// Sorted here, not by ORDER BY: PostgreSQL's collation and SQLite's byte
	// order disagree on some strings, and both databases must agree.
	for _, values := range out {
		slices.Sort(values)
	}
	return out, rows.Err()
}

// InsertLinks ties owner to each of values.
func InsertLinks[V int64 | string](ctx context.Context, idb bun.IDB, l Link, owner int64, values []V) error {
	pairs := make([][2]any, len(values))
	for i, v := range values {
		pairs[i] = [2]any{owner, v}
	}
	return l.Insert(ctx, idb, pairs)
}

// linkBatch bounds the rows of one INSERT statement.
const linkBatch = 500

// Insert writes (owner, value) pairs, in batches of a few hundred rows.
func (l Link) Insert(ctx context.Context, idb bun.IDB, pairs [][2]any) error {
	for start := 0; start < len(pairs); start += linkBatch {
		chunk := pairs[start:min(start+linkBatch, len(pairs))]
		args := make([]any, 0, 3+2*len(chunk))
		args = append(args, bun.Ident(l.Table), bun.Ident(l.Owner), bun.Ident(l.Value))
		var b strings.Builder
		b.WriteString("INSERT INTO ? (?, ?) VALUES ")
		for i, p := range chunk {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString("(?, ?)")
			args = append(args, p[0], p[1])
		}
		if _, err := idb.NewRaw(b.String(), args...).Exec(ctx); err != nil {
			return fmt.Errorf("db: insert %s: %w", l.Table, err)
		}
	}
	return nil
}
