package event

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// ErrNotFound is returned for an event that does not exist.
var ErrNotFound = errors.New("événement introuvable")

// Service reads events.
type Service struct {
	DB *bun.DB
}

// Filter selects events.
type Filter struct {
	Query                                                  string
	Kinds, Formats, Statuses, Audiences, Themes, Countries []string
	From, To                                               period.Date // the period meets [From, To]
	Relations                                              []period.Relation
	On                                                     period.Date // day of Relations
	OrganiserID                                            int64
	// Upcoming keeps what is not over on On and not cancelled; NotFixed adds
	// the events whose date is not fixed.
	Upcoming, NotFixed bool
}

// Orders of events.
const (
	OrderDate      = "date"
	OrderTitle     = "title"
	OrderRelevance = search.OrderRelevance
)

// dateOrder lists fixed dates first, by start, end and time, then the others.
// The index events_date_order_idx repeats its text: change both together.
func dateOrder(dir string) string {
	return "CASE WHEN e.date_from IS NULL THEN 1 ELSE 0 END, e.date_from " + dir + ", e.date_to " + dir +
		", e.date_time " + dir + ", e.id " + dir
}

// relationCondition is the SQL form of period.RelationTo for the events table.
func relationCondition(r period.Relation) string {
	switch r {
	case period.Upcoming:
		return "e.date_from > ?0"
	case period.Current:
		return "(e.date_from <= ?0 AND e.date_to >= ?0)"
	case period.Past:
		return "e.date_to < ?0"
	default:
		return "e.date_from IS NULL"
	}
}

// List pages the events that match f.
func (s *Service) List(ctx context.Context, f Filter, order listing.Order, a listing.Args) (listing.Page, error) {
	q := s.DB.NewSelect().TableExpr("events AS e")
	for _, cond := range s.Conditions(f) {
		q = q.Where("?", bun.Safe(cond))
	}
	// What is coming up comes by date, even when a search narrows it.
	return search.List{Query: q, ID: "e.id", Kind: search.KindEvent, Text: f.Query, Order: order, RelevanceFirst: !f.Upcoming,
		OrderBy: func(order listing.Order) string { return ListOrder(s.DB, order) }}.Page(ctx, s.DB, a)
}

// Conditions returns the SQL conditions (on the alias e) that select the
// events matching f, its search query aside: the list's and those of the
// compiled GraphQL reads.
func (s *Service) Conditions(f Filter) []string {
	var conds []string
	add := func(query string, args ...any) { conds = append(conds, s.DB.QueryGen().FormatQuery(query, args...)) }
	for _, c := range []struct {
		values []string
		cond   string
	}{
		{f.Kinds, "e.kind IN (?)"}, {f.Formats, "e.format IN (?)"}, {f.Statuses, "e.status IN (?)"},
		// IN rather than EXISTS: SQLite can then start from the few events
		// of a country or theme, where it probed each upcoming event.
		{f.Audiences, "e.id IN (SELECT ea.event_id FROM event_audiences AS ea WHERE ea.audience_code IN (?))"},
		{f.Themes, "e.id IN (SELECT et.event_id FROM event_themes AS et WHERE et.theme_code IN (?))"},
		{f.Countries, "e.id IN (SELECT ec.event_id FROM event_countries AS ec WHERE ec.country_code IN (?))"},
	} {
		if len(c.values) > 0 {
			add(c.cond, bun.List(c.values))
		}
	}
	if f.From != "" {
		add("e.date_to >= ?", f.From)
		s.startsFrom(add, f.From)
	}
	if f.To != "" {
		add("e.date_from <= ?", f.To)
	}
	if len(f.Relations) > 0 {
		alternatives := make([]string, len(f.Relations))
		for i, r := range f.Relations {
			alternatives[i] = relationCondition(r)
		}
		add("("+strings.Join(alternatives, " OR ")+")", f.On)
	}
	if f.Upcoming {
		add("e.status <> ?", StatusCancelled)
		if f.NotFixed {
			add("(e.date_to >= ? OR e.date_from IS NULL)", f.On)
		} else {
			add("e.date_to >= ?", f.On)
		}
		s.startsFrom(add, f.On)
	}
	if f.OrganiserID != 0 {
		add("e.id IN (SELECT eo.event_id FROM event_organisers AS eo WHERE eo.structure_id = ?)", f.OrganiserID)
	}
	return conds
}

// startsFrom adds, on PostgreSQL, a condition that narrows what ends on or
// after day to what starts no earlier than the first start of those events,
// which it already is: the agenda's index (events_date_order_idx: fixed dates
// first, by start) then starts there instead of walking every past event
// before the first to come, a number that only grows with the years. The
// first start is read from events_date_idx, which stops at the first event
// that ends late enough. Events without a date sort after every fixed one
// and pass. SQLite does not start an index's walk from a row value over an
// expression: there the condition would only cost its test on every row.
func (s *Service) startsFrom(add func(string, ...any), day any) {
	if db.IsPostgres(s.DB) {
		add("(CASE WHEN e.date_from IS NULL THEN 1 ELSE 0 END, e.date_from) >= "+
			"(0, COALESCE((SELECT MIN(m.date_from) FROM events AS m WHERE m.date_to >= ?), '9999'))", day)
	}
}

// ListOrder is the ORDER BY of a list of events (alias e) in the given
// order; relevance, which only a search has, falls back to the date.
func ListOrder(idb bun.IDB, order listing.Order) string {
	if order.Field == OrderTitle {
		return db.Bytewise(idb, "e.sort_title") + " " + order.Dir() + ", e.id " + order.Dir()
	}
	return dateOrder(order.Dir())
}

// Events reads events by id.
func (s *Service) Events(ctx context.Context, ids []int64) (map[int64]*Event, error) {
	return db.ByIDs(ctx, s.DB, "e.id", ids, func(x *Event) int64 { return x.ID })
}

// Event reads one event.
func (s *Service) Event(ctx context.Context, id int64) (*Event, error) {
	m, err := s.Events(ctx, []int64{id})
	if err != nil {
		return nil, fmt.Errorf("event: %w", err)
	}
	if m[id] == nil {
		return nil, ErrNotFound
	}
	return m[id], nil
}

// AudiencesOf returns the audience codes of events.
func (s *Service) AudiencesOf(ctx context.Context, ids []int64) (map[int64][]string, error) {
	return db.LoadLinksOf[string](ctx, s.DB, Audiences, ids)
}

// ThemesOf returns the theme codes of events.
func (s *Service) ThemesOf(ctx context.Context, ids []int64) (map[int64][]string, error) {
	return db.LoadLinksOf[string](ctx, s.DB, Themes, ids)
}

// CountriesOf returns the country codes of events.
func (s *Service) CountriesOf(ctx context.Context, ids []int64) (map[int64][]string, error) {
	return db.LoadLinksOf[string](ctx, s.DB, Countries, ids)
}

// OrganisersOf pages the organisers of events, by name.
func (s *Service) OrganisersOf(ctx context.Context, events []int64, a listing.Args) (map[int64]listing.Page, error) {
	return OrganiserRelation(s.DB).Load(ctx, s.DB, events, a)
}

// OrganiserRelation links events to their organisers (alias s), by name.
func OrganiserRelation(idb bun.IDB) listing.Relation {
	return listing.Relation{
		From: "event_organisers AS eo JOIN structures AS s ON s.id = eo.structure_id", Parent: "eo.event_id",
		Child: "s.id", Order: db.Bytewise(idb, "s.sort_name") + ", s.id",
	}
}

// FundingCallsOf pages the calls events present, by title.
func (s *Service) FundingCallsOf(ctx context.Context, events []int64, a listing.Args) (map[int64]listing.Page, error) {
	return FundingCallRelation(s.DB).Load(ctx, s.DB, events, a)
}

// FundingCallRelation links events to the calls they present (alias fc),
// by title.
func FundingCallRelation(idb bun.IDB) listing.Relation {
	return listing.Relation{
		From: "event_funding_calls AS ef JOIN funding_calls AS fc ON fc.id = ef.funding_call_id", Parent: "ef.event_id",
		Child: "fc.id", Order: db.Bytewise(idb, "fc.sort_title") + ", fc.id",
	}
}

// OfOrganisers pages the events structures organise, by date.
func (s *Service) OfOrganisers(ctx context.Context, structures []int64, a listing.Args) (map[int64]listing.Page, error) {
	return OrganisedRelation.Load(ctx, s.DB, structures, a)
}

// OrganisedRelation links structures to the events they organise (alias
// e), by date.
var OrganisedRelation = listing.Relation{
	From: "event_organisers AS eo JOIN events AS e ON e.id = eo.event_id", Parent: "eo.structure_id",
	Child: "e.id", Order: dateOrder("ASC"),
}

// OfFundingCalls pages the events that present calls, by date.
func (s *Service) OfFundingCalls(ctx context.Context, calls []int64, a listing.Args) (map[int64]listing.Page, error) {
	return PresentingRelation.Load(ctx, s.DB, calls, a)
}

// PresentingRelation links calls to the events that present them (alias
// e), by date.
var PresentingRelation = listing.Relation{
	From: "event_funding_calls AS ef JOIN events AS e ON e.id = ef.event_id", Parent: "ef.funding_call_id",
	Child: "e.id", Order: dateOrder("ASC"),
}

// Matching reads every event that matches f, by date: for feeds, which are
// not paged.
func (s *Service) Matching(ctx context.Context, f Filter) ([]Event, error) {
	p, err := s.List(ctx, f, listing.Order{Field: OrderDate}, listing.Args{First: ptr(listing.MaxSize)})
	if err != nil {
		return nil, err
	}
	ids := append([]int64(nil), p.IDs...)
	for p.Info.HasNext() {
		after := listing.Cursor(p.Info.To - 1)
		if p, err = s.List(ctx, f, listing.Order{Field: OrderDate}, listing.Args{First: ptr(listing.MaxSize), After: &after}); err != nil {
			return nil, err
		}
		ids = append(ids, p.IDs...)
	}
	byID, err := s.Events(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Event, 0, len(ids))
	for _, id := range ids {
		if e := byID[id]; e != nil {
			out = append(out, *e)
		}
	}
	return out, nil
}

func ptr[T any](v T) *T { return &v }
