package support

import (
	"context"
	"errors"
	"strings"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// ErrNotFound is returned for a session that does not exist or that the
// caller may not see.
var ErrNotFound = errors.New("accompagnement introuvable")

// Service reads support sessions. Who was advised on what is for the staff:
// every read checks the caller's role.
type Service struct {
	DB *bun.DB
}

// Filter selects sessions.
type Filter struct {
	Query                                 string
	Departments                           []string
	StructureID, FundingCallID, ProjectID int64
	From, To                              period.Date
	// FundingCalls, Themes, Countries and ActorTypes select the sessions
	// about those calls, about projects or calls on those themes, about
	// projects in those countries, of structures of those types.
	FundingCalls                  []int64
	Themes, Countries, ActorTypes []string
}

// DateOrder lists sessions from the oldest, undated last.
const DateOrder = "CASE WHEN ss.date_from IS NULL THEN 1 ELSE 0 END, ss.date_from, ss.date_time, ss.id"

// List pages the sessions that match f, oldest first. Below staff the list is
// empty: a record the caller may not see is absent, not an error.
func (s *Service) List(ctx context.Context, f Filter, a listing.Args) (listing.Page, error) {
	if !access.AtLeast(ctx, access.Staff) {
		return listing.Window(nil, a)
	}
	q := s.DB.NewSelect().TableExpr("support_sessions AS ss")
	for _, cond := range s.Conditions(f) {
		q = q.Where("?", bun.Safe(cond)) // written already: not formatted again
	}
	var ranked []int64
	if strings.TrimSpace(f.Query) != "" {
		hits, err := search.LookupAll(ctx, s.DB, f.Query, search.KindSupport)
		if err != nil {
			return listing.Page{}, err
		}
		if ranked = search.IDs(hits); len(ranked) == 0 {
			return listing.Window(nil, a)
		}
		q = q.Where("ss.id IN (?)", bun.List(ranked))
	}
	return listing.Query(ctx, q.OrderExpr(DateOrder), "ss.id", a)
}

// Conditions are the SQL conditions (alias ss) of f but its text, which
// the search index answers: what List selects, for the compiled reads too.
// Who may see sessions at all is the caller's to check.
func (s *Service) Conditions(f Filter) []string {
	var conds []string
	add := func(query string, args ...any) { conds = append(conds, s.DB.QueryGen().FormatQuery(query, args...)) }
	if len(f.Departments) > 0 {
		add("ss.department_code IN (?)", bun.List(f.Departments))
	}
	for _, c := range []struct {
		id   int64
		cond string
	}{{f.StructureID, "ss.structure_id = ?"}, {f.FundingCallID, "ss.funding_call_id = ?"}, {f.ProjectID, "ss.project_id = ?"}} {
		if c.id != 0 {
			add(c.cond, c.id)
		}
	}
	if len(f.FundingCalls) > 0 {
		add("ss.funding_call_id IN (?)", bun.List(f.FundingCalls))
	}
	if len(f.Themes) > 0 {
		add("(ss.project_id IN (SELECT project_id FROM project_themes WHERE theme_code IN (?0)) OR "+
			"ss.funding_call_id IN (SELECT funding_call_id FROM funding_call_themes WHERE theme_code IN (?0)))", bun.List(f.Themes))
	}
	if len(f.Countries) > 0 {
		add("ss.project_id IN (SELECT project_id FROM project_countries WHERE country_code IN (?))", bun.List(f.Countries))
	}
	if len(f.ActorTypes) > 0 {
		add("ss.structure_id IN (SELECT id FROM structures WHERE actor_type_code IN (?))", bun.List(f.ActorTypes))
	}
	if f.From != "" {
		add("ss.date_to >= ?", f.From)
	}
	if f.To != "" {
		add("ss.date_from <= ?", f.To)
	}
	return conds
}

// Sessions reads sessions by id; below staff, none.
func (s *Service) Sessions(ctx context.Context, ids []int64) (map[int64]*Session, error) {
	if !access.AtLeast(ctx, access.Staff) {
		return map[int64]*Session{}, nil
	}
	return db.ByIDs(ctx, s.DB, "ss.id", ids, func(x *Session) int64 { return x.ID })
}

// OfStructures pages the sessions of structures; below staff, none.
func (s *Service) OfStructures(ctx context.Context, structures []int64, a listing.Args) (map[int64]listing.Page, error) {
	return StructureRelation(ctx).Load(ctx, s.DB, structures, a)
}

// StructureRelation links structures to their sessions (alias ss), by
// date; below staff, to none.
func StructureRelation(ctx context.Context) listing.Relation {
	where := ""
	if !access.AtLeast(ctx, access.Staff) {
		where = "1 = 0"
	}
	return listing.Relation{From: "support_sessions AS ss", Parent: "ss.structure_id", Child: "ss.id", Order: DateOrder, Where: where}
}
