package project

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// ErrNotFound is returned for a project that does not exist.
var ErrNotFound = errors.New("projet introuvable")

// Service reads projects.
type Service struct {
	DB *bun.DB
}

// Filter selects projects.
type Filter struct {
	Query                       string
	Countries, Themes, Statuses []string
	LeadID, PartnerID           int64
}

// Orders of projects.
const (
	OrderTitle     = "title"
	OrderStarts    = "starts"
	OrderCreated   = "created"
	OrderRelevance = search.OrderRelevance
)

// List pages the projects that match f.
func (s *Service) List(ctx context.Context, f Filter, order listing.Order, a listing.Args) (listing.Page, error) {
	q := s.DB.NewSelect().TableExpr("projects AS p")
	for _, cond := range s.Conditions(f) {
		q = q.Where("?", bun.Safe(cond))
	}
	return search.List{Query: q, ID: "p.id", Kind: search.KindProject, Text: f.Query, Order: order, RelevanceFirst: true,
		OrderBy: func(order listing.Order) string { return ListOrder(s.DB, order) }}.Page(ctx, s.DB, a)
}

// Conditions returns the SQL conditions (on the alias p) that select the
// projects matching f, its search query aside: the list's and those of the
// compiled GraphQL reads.
func (s *Service) Conditions(f Filter) []string {
	var conds []string
	add := func(query string, args ...any) { conds = append(conds, s.DB.QueryGen().FormatQuery(query, args...)) }
	if len(f.Countries) > 0 {
		add("EXISTS (SELECT 1 FROM project_countries AS pc WHERE pc.project_id = p.id AND pc.country_code IN (?))", bun.List(f.Countries))
	}
	if len(f.Themes) > 0 {
		add("EXISTS (SELECT 1 FROM project_themes AS pt WHERE pt.project_id = p.id AND pt.theme_code IN (?))", bun.List(f.Themes))
	}
	if len(f.Statuses) > 0 {
		add("p.status IN (?)", bun.List(f.Statuses))
	}
	if f.LeadID != 0 {
		add("p.lead_structure_id = ?", f.LeadID)
	}
	if f.PartnerID != 0 {
		add("EXISTS (SELECT 1 FROM project_partners AS pp WHERE pp.project_id = p.id AND pp.structure_id = ?)", f.PartnerID)
	}
	return conds
}

// Projects reads projects by id.
func (s *Service) Projects(ctx context.Context, ids []int64) (map[int64]*Project, error) {
	return db.ByIDs(ctx, s.DB, "p.id", ids, func(x *Project) int64 { return x.ID })
}

// Project reads one project.
func (s *Service) Project(ctx context.Context, id int64) (*Project, error) {
	m, err := s.Projects(ctx, []int64{id})
	if err != nil {
		return nil, fmt.Errorf("project: %w", err)
	}
	if m[id] == nil {
		return nil, ErrNotFound
	}
	return m[id], nil
}

// CountriesOf returns the country codes of projects.
func (s *Service) CountriesOf(ctx context.Context, ids []int64) (map[int64][]string, error) {
	return db.LoadLinksOf[string](ctx, s.DB, Countries, ids)
}

// ThemesOf returns the theme codes of projects.
func (s *Service) ThemesOf(ctx context.Context, ids []int64) (map[int64][]string, error) {
	return db.LoadLinksOf[string](ctx, s.DB, Themes, ids)
}

// PartnersOf pages the partner structures of projects, in the order they
// were recorded: read from the index of project_partners alone, without a
// join, which is what makes the nested partners of many projects cheap.
func (s *Service) PartnersOf(ctx context.Context, projects []int64, a listing.Args) (map[int64]listing.Page, error) {
	return PartnerRelation.Load(ctx, s.DB, projects, a)
}

// PartnerRelation links projects to their partner structures.
var PartnerRelation = listing.Relation{
	From: "project_partners AS pp", Parent: "pp.project_id", Child: "pp.structure_id", Order: "pp.structure_id",
}

// Roles of a structure in a project.
const (
	RoleLead    = "lead"
	RolePartner = "partner"
	RoleAny     = "any"
)

// OfStructures pages the projects of structures, by title: those they lead,
// those they are partners of, or both.
func (s *Service) OfStructures(ctx context.Context, structures []int64, role string, a listing.Args) (map[int64]listing.Page, error) {
	return StructureRelation(s.DB, role).Load(ctx, s.DB, structures, a)
}

// OneStructureRelation is StructureRelation for statements that read the
// projects of one structure at a time ({parent} is its id): for both roles,
// the structure is matched inside each arm of the UNION, which a condition
// from outside would not reach on SQLite (the UNION would be computed whole
// for every structure).
func OneStructureRelation(idb bun.IDB, role string) listing.Relation {
	if role == RoleLead || role == RolePartner {
		return StructureRelation(idb, role)
	}
	return listing.Relation{From: "projects AS p", Child: "p.id", Order: db.Bytewise(idb, "p.sort_title") + ", p.id",
		Where: `p.id IN (SELECT id FROM projects WHERE lead_structure_id = {parent}
			UNION SELECT project_id FROM project_partners WHERE structure_id = {parent})`}
}

// StructureRelation links structures to the projects they lead, those they
// are partners of, or both, by title.
func StructureRelation(idb bun.IDB, role string) listing.Relation {
	var from, parent string
	switch role {
	case RoleLead:
		from, parent = "projects AS p", "p.lead_structure_id"
	case RolePartner:
		from, parent = "project_partners AS pp JOIN projects AS p ON p.id = pp.project_id", "pp.structure_id"
	default:
		from = `(SELECT id AS project_id, lead_structure_id AS structure_id FROM projects WHERE lead_structure_id IS NOT NULL
			UNION SELECT project_id, structure_id FROM project_partners) AS sp JOIN projects AS p ON p.id = sp.project_id`
		parent = "sp.structure_id"
	}
	return listing.Relation{From: from, Parent: parent, Child: "p.id", Order: db.Bytewise(idb, "p.sort_title") + ", p.id"}
}

// ListOrder is the ORDER BY of a list of projects (alias p) in the given
// order; relevance, which only a search has, falls back to the title. Each
// order has its index (the migrations project_order_indexes and
// bytewise_sort), whose expressions must stay these.
func ListOrder(idb bun.IDB, order listing.Order) string {
	dir := order.Dir()
	switch order.Field {
	case OrderStarts:
		return "CASE WHEN p.starts_from IS NULL THEN 1 ELSE 0 END, p.starts_from " + dir + ", p.id " + dir
	case OrderCreated:
		return "p.created_at " + dir + ", p.id " + dir
	default:
		return db.Bytewise(idb, "p.sort_title") + " " + dir + ", p.id " + dir
	}
}
