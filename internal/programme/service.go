package programme

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// Service reads trainings, publications, census campaigns and actions.
type Service struct {
	DB *bun.DB
}

// ListTrainings pages the training cycles in their order.
func (s *Service) ListTrainings(ctx context.Context, a listing.Args) (listing.Page, error) {
	return listing.Query(ctx, s.DB.NewSelect().TableExpr("training_cycles AS tc").OrderExpr(TrainingOrder), "tc.id", a)
}

// Trainings reads training cycles by id.
func (s *Service) Trainings(ctx context.Context, ids []int64) (map[int64]*TrainingCycle, error) {
	return db.ByIDs(ctx, s.DB, "tc.id", ids, func(x *TrainingCycle) int64 { return x.ID })
}

// ModulesOf returns the modules of cycles, in order.
func (s *Service) ModulesOf(ctx context.Context, cycles []int64) (map[int64][]TrainingModule, error) {
	var rows []TrainingModule
	if err := s.DB.NewSelect().Model(&rows).Where("tm.cycle_id IN (?)", bun.List(cycles)).
		OrderExpr("tm.cycle_id, tm.position").Scan(ctx); err != nil {
		return nil, fmt.Errorf("training modules: %w", err)
	}
	out := map[int64][]TrainingModule{}
	for _, m := range rows {
		out[m.CycleID] = append(out[m.CycleID], m)
	}
	return out, nil
}

// PublicationFilter selects publications.
type PublicationFilter struct {
	Query         string
	Kinds, Series []string
}

// Orders of the programme's lists (the lists' and the compiled GraphQL
// reads'): cycles by position, publications and census campaigns by date
// (not fixed last), actions by axis.
const (
	TrainingOrder    = "tc.position, tc.id"
	PublicationOrder = "CASE WHEN pu.date_from IS NULL THEN 1 ELSE 0 END, pu.date_from, pu.date_to, pu.id"
	CensusOrder      = "CASE WHEN cc.date_from IS NULL THEN 1 ELSE 0 END, cc.date_from, cc.id"
	ActionOrder      = "pac.axis, pac.id"
)

// PublicationConditions returns the SQL conditions (on the alias pu) that
// select the publications matching f, its search query aside.
func (s *Service) PublicationConditions(f PublicationFilter) []string {
	var conds []string
	if len(f.Kinds) > 0 {
		conds = append(conds, s.DB.QueryGen().FormatQuery("pu.kind IN (?)", bun.List(f.Kinds)))
	}
	if len(f.Series) > 0 {
		conds = append(conds, s.DB.QueryGen().FormatQuery("pu.series IN (?)", bun.List(f.Series)))
	}
	return conds
}

// ListPublications pages publications by planned date, undated last.
func (s *Service) ListPublications(ctx context.Context, f PublicationFilter, a listing.Args) (listing.Page, error) {
	q := s.DB.NewSelect().TableExpr("publications AS pu")
	for _, cond := range s.PublicationConditions(f) {
		q = q.Where("?", bun.Safe(cond))
	}
	if strings.TrimSpace(f.Query) != "" {
		hits, err := search.LookupAll(ctx, s.DB, f.Query, search.KindPublication)
		if err != nil {
			return listing.Page{}, err
		}
		ranked := search.IDs(hits)
		if len(ranked) == 0 {
			return listing.Window(nil, a)
		}
		q = q.Where("pu.id IN (?)", bun.List(ranked))
	}
	return listing.Query(ctx, q.OrderExpr(PublicationOrder), "pu.id", a)
}

// Publications reads publications by id.
func (s *Service) Publications(ctx context.Context, ids []int64) (map[int64]*Publication, error) {
	return db.ByIDs(ctx, s.DB, "pu.id", ids, func(x *Publication) int64 { return x.ID })
}

// ListCensusCampaigns pages census campaigns by date.
func (s *Service) ListCensusCampaigns(ctx context.Context, a listing.Args) (listing.Page, error) {
	return listing.Query(ctx, s.DB.NewSelect().TableExpr("census_campaigns AS cc").
		OrderExpr(CensusOrder), "cc.id", a)
}

// CensusCampaigns reads campaigns by id.
func (s *Service) CensusCampaigns(ctx context.Context, ids []int64) (map[int64]*CensusCampaign, error) {
	return db.ByIDs(ctx, s.DB, "cc.id", ids, func(x *CensusCampaign) int64 { return x.ID })
}

// ListActions pages the programme's actions by axis.
func (s *Service) ListActions(ctx context.Context, a listing.Args) (listing.Page, error) {
	return listing.Query(ctx, s.DB.NewSelect().TableExpr("programme_actions AS pac").OrderExpr(ActionOrder), "pac.id", a)
}

// Actions reads actions by id.
func (s *Service) Actions(ctx context.Context, ids []int64) (map[int64]*Action, error) {
	return db.ByIDs(ctx, s.DB, "pac.id", ids, func(x *Action) int64 { return x.ID })
}

// ItemsOf returns the items of actions, in order.
func (s *Service) ItemsOf(ctx context.Context, actions []int64) (map[int64][]ActionItem, error) {
	var rows []ActionItem
	if err := s.DB.NewSelect().Model(&rows).Where("pai.action_id IN (?)", bun.List(actions)).
		OrderExpr("pai.action_id, pai.position").Scan(ctx); err != nil {
		return nil, fmt.Errorf("action items: %w", err)
	}
	out := map[int64][]ActionItem{}
	for _, it := range rows {
		out[it.ActionID] = append(out[it.ActionID], it)
	}
	return out, nil
}

// StructuresOf returns the ids of the structures of actions.
func (s *Service) StructuresOf(ctx context.Context, actions []int64) (map[int64][]int64, error) {
	return db.LoadLinksOf[int64](ctx, s.DB, ActionStructures, actions)
}
