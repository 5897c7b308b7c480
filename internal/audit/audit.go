// Package audit keeps the audit trail: every change records who made it,
// when, to which record, and the fields before and after.
package audit

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/listing"
)

// Entry is one change.
type Entry struct {
	bun.BaseModel `bun:"table:audit_log,alias:au"`

	ID       int64     `bun:"id,pk,autoincrement" json:"id"`
	At       time.Time `bun:"at,notnull" json:"at"`
	Actor    string    `bun:"actor,notnull" json:"actor"`
	Action   string    `bun:"action,notnull" json:"action"`
	Kind     string    `bun:"kind,notnull" json:"kind"`
	RecordID int64     `bun:"record_id,nullzero" json:"recordId,omitempty"`
	Before   string    `bun:"before_json,notnull" json:"before,omitempty"`
	After    string    `bun:"after_json,notnull" json:"after,omitempty"`
	Note     string    `bun:"note,notnull" json:"note,omitempty"`
}

// Actions.
const (
	ActionCreate = "create"
	ActionUpdate = "update"
	ActionDelete = "delete"
	ActionMerge  = "merge"
	ActionImport = "import"
	ActionErase  = "erase"
)

// Record writes an entry in the caller's transaction; before and after are
// marshalled to JSON (nil for none). The actor comes from ctx.
func Record(ctx context.Context, idb bun.IDB, at time.Time, action, kind string, id int64, before, after any, note string) error {
	e := Entry{At: at.UTC().Truncate(time.Microsecond), Actor: access.ActorFrom(ctx), Action: action, Kind: kind, RecordID: id, Note: note}
	for _, v := range []struct {
		value any
		dest  *string
	}{{before, &e.Before}, {after, &e.After}} {
		if v.value == nil {
			continue
		}
		raw, err := json.Marshal(v.value)
		if err != nil {
			return fmt.Errorf("audit: record: %w", err)
		}
		*v.dest = string(raw)
	}
	if _, err := idb.NewInsert().Model(&e).Exec(ctx); err != nil {
		return fmt.Errorf("audit: record: %w", err)
	}
	return nil
}

// Filter selects entries.
type Filter struct {
	Actor, Action, Kind string
	RecordID            int64
	From, To            time.Time
}

// Service reads the audit trail: for admins only.
type Service struct {
	DB *bun.DB
}

func (s *Service) query(f Filter) *bun.SelectQuery {
	q := s.DB.NewSelect().TableExpr("audit_log AS au")
	if f.Actor != "" {
		q = q.Where("au.actor = ?", f.Actor)
	}
	if f.Action != "" {
		q = q.Where("au.action = ?", f.Action)
	}
	if f.Kind != "" {
		q = q.Where("au.kind = ?", f.Kind)
	}
	if f.RecordID != 0 {
		q = q.Where("au.record_id = ?", f.RecordID)
	}
	if !f.From.IsZero() {
		q = q.Where("au.at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		q = q.Where("au.at <= ?", f.To.UTC())
	}
	return q
}

// List pages the entries that match f, newest first.
func (s *Service) List(ctx context.Context, f Filter, a listing.Args) (listing.Page, error) {
	if err := access.Require(ctx, access.Admin); err != nil {
		return listing.Page{}, err
	}
	return listing.Query(ctx, s.query(f).OrderExpr("au.id DESC"), "au.id", a)
}

// Entries reads entries by id.
func (s *Service) Entries(ctx context.Context, ids []int64) (map[int64]*Entry, error) {
	if err := access.Require(ctx, access.Admin); err != nil {
		return nil, err
	}
	out := map[int64]*Entry{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Entry
	if err := s.DB.NewSelect().Model(&rows).Where("au.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("audit: entries: %w", err)
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

// Export writes the whole trail, oldest first, as one JSON array.
func (s *Service) Export(ctx context.Context, w io.Writer) (int, error) {
	if err := access.Require(ctx, access.Admin); err != nil {
		return 0, err
	}
	var rows []Entry
	if err := s.DB.NewSelect().Model(&rows).OrderExpr("au.id").Scan(ctx); err != nil {
		return 0, fmt.Errorf("audit: export: %w", err)
	}
	if rows == nil {
		rows = []Entry{}
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return len(rows), enc.Encode(rows)
}

// Mentioning returns the entries about a record or holding one of values.
func (s *Service) Mentioning(ctx context.Context, kind string, id int64, values []string) ([]Entry, error) {
	if err := access.Require(ctx, access.Admin); err != nil {
		return nil, err
	}
	q := s.DB.NewSelect().Model((*Entry)(nil)).WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		q = q.Where("au.kind = ? AND au.record_id = ?", kind, id)
		for _, v := range values {
			if strings.TrimSpace(v) != "" {
				q = q.WhereOr("au.before_json LIKE ? OR au.after_json LIKE ?", "%"+v+"%", "%"+v+"%")
			}
		}
		return q
	})
	var rows []Entry
	if err := q.OrderExpr("au.id").Scan(ctx, &rows); err != nil {
		return nil, fmt.Errorf("audit: mentions: %w", err)
	}
	return rows, nil
}

// Scrub replaces personal values wherever the trail holds them.
func Scrub(ctx context.Context, idb bun.IDB, values []string) error {
	for _, v := range values {
		if strings.TrimSpace(v) == "" {
			continue
		}
		for _, col := range []string{"before_json", "after_json", "note"} {
			encoded, _ := json.Marshal(v) // as it appears inside JSON
			for _, form := range []string{v, strings.Trim(string(encoded), `"`)} {
				if _, err := idb.NewUpdate().TableExpr("audit_log").
					Set("? = REPLACE(?, ?, ?)", bun.Ident(col), bun.Ident(col), form, "[effacé]").
					Where("? LIKE ?", bun.Ident(col), "%"+form+"%").Exec(ctx); err != nil {
					return fmt.Errorf("audit: scrub: %w", err)
				}
			}
		}
	}
	return nil
}
