package fundingcall

import (
	"context"
	"errors"
	"fmt"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// ErrNotFound is returned for a call that does not exist.
var ErrNotFound = errors.New("appel à projets introuvable")

// Service reads funding calls.
type Service struct {
	DB *bun.DB
}

// Filter selects calls.
type Filter struct {
	Query                                               string
	Audiences, Themes, Countries, Territories, Statuses []string
	// OpenOn keeps the calls open that day.
	OpenOn period.Date
	// Fit, two audiences or more, lists first by deadline the calls open to
	// the most of them: a student association (associations, young people)
	// sees the calls for young associations before those for any association.
	Fit []string
}

// Orders of calls.
const (
	OrderDeadline  = "deadline"
	OrderTitle     = "title"
	OrderRelevance = search.OrderRelevance
)

// IsOpen says whether the call is open on day: active, opened (or with no
// known opening) and not past its deadline. A call whose deadline is not
// known stays open until its status says otherwise.
func (f *FundingCall) IsOpen(day period.Date) bool {
	if f.Status != StatusActive {
		return false
	}
	if f.Opens.IsFixed() && f.Opens.From > day {
		return false
	}
	return !f.Deadline.IsFixed() || f.Deadline.To >= day
}

// OpenCondition is IsOpen in SQL, for the alias fc and the day ?0.
const OpenCondition = "fc.status = 'actif' AND (fc.opens_from IS NULL OR fc.opens_from <= ?0) AND (fc.deadline_to IS NULL OR fc.deadline_to >= ?0)"

// List pages the calls that match f: by deadline, unknown deadlines last.
func (s *Service) List(ctx context.Context, f Filter, order listing.Order, a listing.Args) (listing.Page, error) {
	q := s.DB.NewSelect().TableExpr("funding_calls AS fc")
	for _, cond := range s.Conditions(f) {
		q = q.Where("?", bun.Safe(cond))
	}
	orderBy := func(order listing.Order) string { return ListOrder(s.DB, order) }
	if len(f.Fit) > 1 {
		fit := s.DB.QueryGen().FormatQuery(`(SELECT COUNT(*) FROM funding_call_audiences AS fit
			WHERE fit.funding_call_id = fc.id AND fit.audience_code IN (?)) DESC, `, bun.List(f.Fit))
		orderBy = func(order listing.Order) string {
			if order.Field != OrderDeadline {
				return ListOrder(s.DB, order)
			}
			return fit + ListOrder(s.DB, order)
		}
	}
	return search.List{Query: q, ID: "fc.id", Kind: search.KindFundingCall, Text: f.Query, Order: order, RelevanceFirst: true,
		OrderBy: orderBy}.Page(ctx, s.DB, a)
}

// Conditions returns the SQL conditions (on the alias fc) that select the
// calls matching f, its search query aside: the list's and those of the
// compiled GraphQL reads.
func (s *Service) Conditions(f Filter) []string {
	var conds []string
	add := func(query string, args ...any) { conds = append(conds, s.DB.QueryGen().FormatQuery(query, args...)) }
	for _, c := range []struct {
		values []string
		cond   string
	}{
		{f.Territories, "fc.territory IN (?)"}, {f.Statuses, "fc.status IN (?)"},
		// IN rather than EXISTS, as for events: the few calls of a theme
		// are found from the theme.
		{f.Audiences, "fc.id IN (SELECT fa.funding_call_id FROM funding_call_audiences AS fa WHERE fa.audience_code IN (?))"},
		{f.Themes, "fc.id IN (SELECT ft.funding_call_id FROM funding_call_themes AS ft WHERE ft.theme_code IN (?))"},
		{f.Countries, "fc.id IN (SELECT fk.funding_call_id FROM funding_call_countries AS fk WHERE fk.country_code IN (?))"},
	} {
		if len(c.values) > 0 {
			add(c.cond, bun.List(c.values))
		}
	}
	if f.OpenOn != "" {
		add(OpenCondition, f.OpenOn)
	}
	return conds
}

// ListOrder is the ORDER BY of a list of calls (alias fc) in the given
// order: by deadline, unknown deadlines last, unless by title; relevance,
// which only a search has, falls back to the deadline.
func ListOrder(idb bun.IDB, order listing.Order) string {
	dir := order.Dir()
	if order.Field == OrderTitle {
		return db.Bytewise(idb, "fc.sort_title") + " " + dir + ", fc.id " + dir
	}
	return "CASE WHEN fc.deadline_to IS NULL THEN 1 ELSE 0 END, fc.deadline_to " + dir + ", " +
		db.Bytewise(idb, "fc.sort_title") + " " + dir + ", fc.id " + dir
}

// FundingCalls reads calls by id.
func (s *Service) FundingCalls(ctx context.Context, ids []int64) (map[int64]*FundingCall, error) {
	return db.ByIDs(ctx, s.DB, "fc.id", ids, func(x *FundingCall) int64 { return x.ID })
}

// FundingCall reads one call.
func (s *Service) FundingCall(ctx context.Context, id int64) (*FundingCall, error) {
	m, err := s.FundingCalls(ctx, []int64{id})
	if err != nil {
		return nil, fmt.Errorf("funding call: %w", err)
	}
	if m[id] == nil {
		return nil, ErrNotFound
	}
	return m[id], nil
}

// AudiencesOf returns the audience codes of calls.
func (s *Service) AudiencesOf(ctx context.Context, ids []int64) (map[int64][]string, error) {
	return db.LoadLinksOf[string](ctx, s.DB, Audiences, ids)
}

// ThemesOf returns the theme codes of calls.
func (s *Service) ThemesOf(ctx context.Context, ids []int64) (map[int64][]string, error) {
	return db.LoadLinksOf[string](ctx, s.DB, Themes, ids)
}

// CountriesOf returns the country codes of calls.
func (s *Service) CountriesOf(ctx context.Context, ids []int64) (map[int64][]string, error) {
	return db.LoadLinksOf[string](ctx, s.DB, Countries, ids)
}
