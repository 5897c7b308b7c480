package graph

import (
	"context"
	"log/slog"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/lianes-cooperation/lianes/graph/compile"
	"github.com/lianes-cooperation/lianes/graph/model"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/jsontree"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
)

// Queries the database can answer whole are compiled into one SQL statement
// (package compile) before the resolvers see them; the resolvers answer
// the others, and any compiled query that fails.

// compiledReads answers the queries it can compile, before the resolvers.
func compiledReads(r *Resolver, plans *plans, log *slog.Logger) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if r.ResolversOnly {
			return next(ctx)
		}
		doc, ok := compile.Compile(ctx, compileInputs{r}, graphql.GetOperationContext(ctx))
		if !ok {
			return next(ctx)
		}
		statement := jsontree.SQL(r.Services.Reads, doc)
		data, err := jsontree.ReadSQL(plans.prepare(ctx, statement.SQL), r.Services.Reads, statement)
		if err != nil {
			// A bug of the compiler, or the database failing: the resolvers
			// answer, and tell the caller if the database is the cause. A
			// caller gone away is no one's fault and not logged.
			if ctx.Err() == nil {
				log.ErrorContext(ctx, "graphql: requête compilée en échec, réponse par les résolveurs", "err", err)
			}
			return next(ctx)
		}
		markCompiled(ctx)
		rememberPlan(ctx, statement, CostOf(ctx))
		return graphql.OneShot(&graphql.Response{Data: data})
	}
}

// compileInputs gives the compiler the resolvers' own readings of ids,
// enums and input types.
type compileInputs struct{ r *Resolver }

func (in compileInputs) Services() *domain.Services { return in.r.Services }

func (in compileInputs) Today(on *period.Date) period.Date { return in.r.today(on) }

func (compileInputs) ParseID(id string) (string, int64, error) { return parseID(id) }

func (compileInputs) Code(enumValue string) string { return codeOf(enumValue) }

func (compileInputs) ProjectStatuses() map[string]model.ProjectStatus { return projectStatuses }

func (compileInputs) StructureList(f *model.StructureFilter, o *model.StructureOrder) (network.StructureFilter, listing.Order) {
	return structureFilter(f), structureOrder(o)
}

func (compileInputs) ProjectList(ctx context.Context, f *model.ProjectFilter, o *model.ProjectOrder) (project.Filter, listing.Order, error) {
	pf, err := projectFilter(ctx, f)
	return pf, projectOrder(o), err
}

func (in compileInputs) EventList(ctx context.Context, f *model.EventFilter, o *model.EventOrder) (event.Filter, listing.Order, error) {
	ef, err := in.r.eventFilter(ctx, f)
	if o == nil {
		return ef, listing.Order{}, err
	}
	return ef, order(strings.ToLower(string(o.Field)), o.Direction), err
}

func (compileInputs) CallList(filter *model.FundingCallFilter, o *model.FundingCallOrder) (fundingcall.Filter, listing.Order) {
	f := deref(filter)
	ff := fundingcall.Filter{Query: deref(f.Query), Audiences: f.Audiences, Themes: f.Themes, Countries: f.Countries,
		Territories: codesOf(f.Territories), Statuses: codesOf(f.Statuses), OpenOn: deref(f.OpenOn)}
	if o == nil {
		return ff, listing.Order{}
	}
	return ff, order(strings.ToLower(string(o.Field)), o.Direction)
}

func (compileInputs) PublicationList(filter *model.PublicationFilter) programme.PublicationFilter {
	f := deref(filter)
	return programme.PublicationFilter{Query: deref(f.Query), Kinds: codesOf(f.Kinds), Series: f.Series}
}
