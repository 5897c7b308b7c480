package network

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// ErrNotFound is returned for a structure, contact or partnership that does
// not exist, or that the caller may not see.
var ErrNotFound = errors.New("introuvable")

// Service reads the actors of the network.
type Service struct {
	DB *bun.DB
}

// StructureFilter selects structures; lists are "or", fields are "and".
type StructureFilter struct {
	Query                                                           string
	ActorTypes, Departments, Communes, Countries, Themes, Audiences []string
	// ActsIn keeps the structures of these countries or with a project
	// there; WorksOn those with these themes, their own or their projects'.
	ActsIn, WorksOn []string
	// Among keeps only these structures (none: no such restriction): a
	// caller that found the few matches of selective criteria has them
	// ordered without walking the whole directory.
	Among []int64
}

// Orders of structures.
const (
	OrderName      = "name"
	OrderCreated   = "created"
	OrderUpdated   = "updated"
	OrderRelevance = search.OrderRelevance
)

// ListStructures pages the structures that match f, in the given order;
// with a query and no order, the most relevant first.
func (s *Service) ListStructures(ctx context.Context, f StructureFilter, order listing.Order, a listing.Args) (listing.Page, error) {
	q := s.DB.NewSelect().TableExpr("structures AS s")
	for _, cond := range s.Conditions(f) {
		q = q.Where("?", bun.Safe(cond))
	}
	return search.List{Query: q, ID: "s.id", Kind: search.KindStructure, Text: f.Query, Order: order, RelevanceFirst: true,
		OrderBy: func(order listing.Order) string { return ListOrder(s.DB, order) }}.Page(ctx, s.DB, a)
}

// Conditions returns the SQL conditions (on the alias s) that select the
// structures matching f, its search query aside: the list's and those of
// the compiled GraphQL reads.
func (s *Service) Conditions(f StructureFilter) []string {
	var conds []string
	add := func(query string, args ...any) { conds = append(conds, s.DB.QueryGen().FormatQuery(query, args...)) }
	if len(f.Among) > 0 {
		add("s.id IN (?)", bun.List(f.Among))
	}
	if len(f.ActorTypes) > 0 {
		add("s.actor_type_code IN (?)", bun.List(f.ActorTypes))
	}
	if len(f.Departments) > 0 {
		add("s.department_code IN (?)", bun.List(f.Departments))
	}
	if len(f.Communes) > 0 {
		// LOWER folds every letter on PostgreSQL (with a UTF-8 locale) but
		// only A to Z on SQLite, where "Étaples" stays "Étaples": each
		// commune is asked folded fully, folded as SQLite would fold it as
		// written, and as SQLite would fold it written with a capital at
		// each word's start ("étaples", "saint-étienne-au-mont"), so that a
		// name is found on both databases however its accents were typed.
		var folded []string
		for _, c := range f.Communes {
			c = strings.TrimSpace(c)
			folded = append(folded, strings.ToLower(c))
			for _, v := range []string{asciiLower(c), asciiLower(wordsCapitalized(c))} {
				if !slices.Contains(folded, v) {
					folded = append(folded, v)
				}
			}
		}
		add("LOWER(s.commune) IN (?)", bun.List(folded))
	}
	if len(f.Countries) > 0 {
		add("s.country_code IN (?)", bun.List(f.Countries))
	}
	if len(f.Themes) > 0 {
		add("EXISTS (SELECT 1 FROM structure_themes AS st WHERE st.structure_id = s.id AND st.theme_code IN (?))", bun.List(f.Themes))
	}
	if len(f.Audiences) > 0 {
		add("s.actor_type_code IN (SELECT aat.actor_type_code FROM audience_actor_types AS aat WHERE aat.audience_code IN (?))", bun.List(f.Audiences))
	}
	// EXISTS rather than IN (a union): walking the structures in name order,
	// the first page is found without computing every match. The structure's
	// projects, led or joined, are one correlated union: as two EXISTS joined
	// by OR, PostgreSQL hashes both whole (every project of the network read,
	// 0.3 s at 100 000 structures); as one, it looks up each structure's own
	// (5 ms).
	const ownProjects = `(SELECT p.id FROM projects AS p WHERE p.lead_structure_id = s.id
		UNION ALL SELECT pp.project_id FROM project_partners AS pp WHERE pp.structure_id = s.id) AS sp`
	if len(f.ActsIn) > 0 {
		// structure_project_countries is kept by the database (migration
		// 20261130000001): one probe per structure.
		add(`(s.country_code IN (?0)
			OR EXISTS (SELECT 1 FROM structure_project_countries AS spc WHERE spc.structure_id = s.id AND spc.country_code IN (?0)))`,
			bun.List(f.ActsIn))
	}
	if len(f.WorksOn) > 0 {
		add(`(EXISTS (SELECT 1 FROM structure_themes AS st WHERE st.structure_id = s.id AND st.theme_code IN (?0))
			OR EXISTS (SELECT 1 FROM `+ownProjects+` JOIN project_themes AS pt ON pt.project_id = sp.id
				WHERE pt.theme_code IN (?0)))`, bun.List(f.WorksOn))
	}
	return conds
}

// asciiLower folds A to Z only, as SQLite's LOWER does.
func asciiLower(s string) string {
	return strings.Map(func(r rune) rune {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}, s)
}

// wordsCapitalized writes s with a capital at the start of each word (after
// a space, a hyphen or an apostrophe) and small letters elsewhere, as
// commune names are written.
func wordsCapitalized(s string) string {
	start := true
	return strings.Map(func(r rune) rune {
		out := unicode.ToLower(r)
		if start {
			out = unicode.ToUpper(r)
		}
		start = strings.ContainsRune(" -'’", r)
		return out
	}, s)
}

// Structures reads structures by id.
func (s *Service) Structures(ctx context.Context, ids []int64) (map[int64]*Structure, error) {
	return db.ByIDs(ctx, s.DB, "s.id", ids, func(x *Structure) int64 { return x.ID })
}

// Structure reads one structure.
func (s *Service) Structure(ctx context.Context, id int64) (*Structure, error) {
	m, err := s.Structures(ctx, []int64{id})
	if err != nil {
		return nil, fmt.Errorf("structure: %w", err)
	}
	if m[id] == nil {
		return nil, ErrNotFound
	}
	return m[id], nil
}

// OtherNames returns the other names of structures.
func (s *Service) OtherNames(ctx context.Context, ids []int64) (map[int64][]string, error) {
	return db.LoadLinksOf[string](ctx, s.DB, StructureNames, ids)
}

// Themes returns the theme codes of structures.
func (s *Service) Themes(ctx context.Context, ids []int64) (map[int64][]string, error) {
	return db.LoadLinksOf[string](ctx, s.DB, StructureThemes, ids)
}

// OfficeRelation links structures to their offices, in the order they were
// recorded.
var OfficeRelation = listing.Relation{From: "structure_offices AS so", Parent: "so.structure_id", Child: "so.id", Order: "so.id"}

// Offices returns the offices of structures.
func (s *Service) Offices(ctx context.Context, ids []int64) (map[int64][]Office, error) {
	var rows []Office
	if err := s.DB.NewSelect().Model(&rows).Where("so.structure_id IN (?)", bun.List(ids)).
		OrderExpr("so.structure_id, so.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("offices: %w", err)
	}
	out := map[int64][]Office{}
	for _, o := range rows {
		out[o.StructureID] = append(out[o.StructureID], o)
	}
	return out, nil
}

// Countries returns where structures act: their own country and those of the
// projects they lead or take part in.
func (s *Service) Countries(ctx context.Context, ids []int64) (map[int64][]string, error) {
	if len(ids) == 0 {
		return map[int64][]string{}, nil
	}
	in := make([]string, len(ids))
	for i, id := range ids {
		in[i] = strconv.FormatInt(id, 10)
	}
	table := countriesOf("IN ("+strings.Join(in, ", ")+")") + " AS sc"
	return db.LoadLinksOf[string](ctx, s.DB, db.Link{Table: table, Owner: "structure_id", Value: "country_code"}, nil)
}

// ContactsOf pages the contacts of structures that the caller may see.
func (s *Service) ContactsOf(ctx context.Context, structures []int64, a listing.Args) (map[int64]listing.Page, error) {
	return ContactRelation(ctx, s.DB).Load(ctx, s.DB, structures, a)
}

// ContactRelation links structures to the contacts the caller may see
// (alias c), by name.
func ContactRelation(ctx context.Context, idb bun.IDB) listing.Relation {
	cond, any := access.ContactsVisible(ctx, "c")
	if !any {
		cond = "1 = 0"
	}
	return listing.Relation{
		From: "contacts AS c", Parent: "c.structure_id", Child: "c.id",
		Order: ContactOrder(idb), Where: cond,
	}
}

// ContactOrder is the ORDER BY of a list of contacts (alias c): by name.
func ContactOrder(idb bun.IDB) string {
	return db.Bytewise(idb, "c.sort_name") + ", c.id"
}

// Contacts reads the contacts the caller may see, by id.
func (s *Service) Contacts(ctx context.Context, ids []int64) (map[int64]*Contact, error) {
	cond, any := access.ContactsVisible(ctx, "c")
	if !any {
		return map[int64]*Contact{}, nil
	}
	out := make(map[int64]*Contact, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Contact
	q := s.DB.NewSelect().Model(&rows).Where("c.id IN (?)", bun.List(ids))
	if cond != "" {
		q = q.Where(cond)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("contacts: %w", err)
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

// partnerLinks sees every partnership from both of its ends.
const partnerLinks = `(SELECT id, structure_id AS owner, partner_id AS other FROM partnerships
	UNION ALL SELECT id, partner_id AS owner, structure_id AS other FROM partnerships) AS pl
	JOIN structures AS ps ON ps.id = pl.other`

// PartnersOf pages the partnerships of structures, in either direction,
// ordered by the partner's name. The pages hold partnership ids.
func (s *Service) PartnersOf(ctx context.Context, structures []int64, a listing.Args) (map[int64]listing.Page, error) {
	rel := PartnerRelation(s.DB)
	rel.Child = "pl.id"
	return rel.Load(ctx, s.DB, structures, a)
}

// OnePartnerRelation is PartnerRelation for statements that read the
// partners of one structure at a time ({parent} is its id), matched inside
// each arm of the UNION.
func OnePartnerRelation(idb bun.IDB) listing.Relation {
	return listing.Relation{From: `(SELECT id, partner_id AS other FROM partnerships WHERE structure_id = {parent}
		UNION ALL SELECT id, structure_id FROM partnerships WHERE partner_id = {parent}) AS pl
		JOIN structures AS ps ON ps.id = pl.other`, Child: "ps.id", Order: db.Bytewise(idb, "ps.sort_name") + ", pl.id", Link: "pl.id"}
}

// PartnerRelation links structures to their partners (alias ps), whichever
// end of the partnership each is at, by name.
func PartnerRelation(idb bun.IDB) listing.Relation {
	return listing.Relation{From: partnerLinks, Parent: "pl.owner", Child: "ps.id", Order: db.Bytewise(idb, "ps.sort_name") + ", pl.id"}
}

// Partnerships reads partnerships by id.
func (s *Service) Partnerships(ctx context.Context, ids []int64) (map[int64]*Partnership, error) {
	return db.ByIDs(ctx, s.DB, "pa.id", ids, func(x *Partnership) int64 { return x.ID })
}

// Other returns the end of a partnership that is not structure.
func (p *Partnership) Other(structure int64) int64 {
	if p.StructureID == structure {
		return p.PartnerID
	}
	return p.StructureID
}

// ListContacts pages the contacts the caller may see, by name.
func (s *Service) ListContacts(ctx context.Context, query string, a listing.Args) (listing.Page, error) {
	cond, any := access.ContactsVisible(ctx, "c")
	if !any {
		return listing.Window(nil, a)
	}
	q := s.DB.NewSelect().TableExpr("contacts AS c").OrderExpr(ContactOrder(s.DB))
	if cond != "" {
		q = q.Where(cond)
	}
	if strings.TrimSpace(query) != "" {
		hits, err := search.LookupAll(ctx, s.DB, query, search.KindContact)
		if err != nil {
			return listing.Page{}, err
		}
		ids := search.IDs(hits)
		if len(ids) == 0 {
			return listing.Window(nil, a)
		}
		q = q.Where("c.id IN (?)", bun.List(ids))
	}
	return listing.Query(ctx, q, "c.id", a)
}

// ListPartnerships pages partnerships, optionally of one kind, oldest first.
func (s *Service) ListPartnerships(ctx context.Context, kind string, a listing.Args) (listing.Page, error) {
	q := s.DB.NewSelect().TableExpr("partnerships AS pa").OrderExpr(PartnershipOrder)
	for _, cond := range PartnershipConditions(kind) {
		q = q.Where("?", bun.Safe(cond)) // written already: not formatted again
	}
	return listing.Query(ctx, q, "pa.id", a)
}

// PartnershipOrder is the order of a list of partnerships (alias pa):
// oldest first.
const PartnershipOrder = "pa.id"

// PartnershipConditions are the SQL conditions (alias pa) of a list of
// partnerships of one kind, none for "" (every kind).
func PartnershipConditions(kind string) []string {
	if kind == "" {
		return nil
	}
	return []string{"pa.kind = " + db.Literal(kind)}
}

// ListOrder is the ORDER BY of a list of structures (alias s) in the given
// order; relevance, which only a search has, falls back to the name.
func ListOrder(idb bun.IDB, order listing.Order) string {
	switch order.Field {
	case OrderCreated:
		return "s.created_at " + order.Dir() + ", s.id " + order.Dir()
	case OrderUpdated:
		return "s.updated_at " + order.Dir() + ", s.id " + order.Dir()
	default:
		return db.Bytewise(idb, "s.sort_name") + " " + order.Dir() + ", s.id " + order.Dir()
	}
}
