package graph

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/lianes-cooperation/lianes/graph/model"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/project"
)

// The schema's enums are the domain's codes in capitals (EventKind WEBINAIRE
// is the kind "webinaire"), except for project statuses.

func enumOf[E ~string](code string) E { return E(strings.ToUpper(code)) }

func codeOf[E ~string](e E) string { return strings.ToLower(string(e)) }

func codesOf[E ~string](es []E) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = codeOf(e)
	}
	return out
}

var projectStatuses = map[string]model.ProjectStatus{
	project.StatusPlanned: model.ProjectStatusPlanned, project.StatusActive: model.ProjectStatusActive,
	project.StatusFinished: model.ProjectStatusFinished,
}

func projectStatusCodes(es []model.ProjectStatus) []string {
	var out []string
	for code, e := range projectStatuses {
		for _, want := range es {
			if e == want {
				out = append(out, code)
			}
		}
	}
	return out
}

func args(first *int, after *string, last *int, before *string) listing.Args {
	return listing.Args{First: first, After: after, Last: last, Before: before}
}

func order(field string, dir *model.SortDirection) listing.Order {
	return listing.Order{Field: field, Desc: dir != nil && *dir == model.SortDirectionDesc}
}

// today is the day of the service's clock in Paris, or the given day.
func (r *Resolver) today(on *period.Date) period.Date {
	if on != nil && *on != "" {
		return *on
	}
	return period.DateOf(r.Clock.Now().In(clock.Paris))
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

func strOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// optionalID reads an optional global id of a given type.
func optionalID(ctx context.Context, field, typ string, id *string) (int64, error) {
	if id == nil || *id == "" {
		return 0, nil
	}
	n, err := parseIDOf(typ, *id)
	if err != nil {
		return 0, inputError(ctx, field, err)
	}
	return n, nil
}

// listArgs are the paging arguments of a top-level list, which is counted
// only when the query asks for its totalCount.
func listArgs(ctx context.Context, first *int, after *string, last *int, before *string) listing.Args {
	a := args(first, after, last, before)
	a.SkipTotal = !selects(ctx, "totalCount")
	return a
}

// selects reports whether the current field's selection holds a field.
func selects(ctx context.Context, name string) bool {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || !graphql.HasOperationContext(ctx) {
		return true
	}
	for _, f := range graphql.CollectFields(graphql.GetOperationContext(ctx), fc.Field.Selections, nil) {
		if f.Name == name {
			return true
		}
	}
	return false
}

// structureFilter is the list filter of a structures query.
func structureFilter(filter *model.StructureFilter) network.StructureFilter {
	f := deref(filter)
	return network.StructureFilter{
		Query: deref(f.Query), ActorTypes: f.ActorTypes, Departments: f.Departments, Communes: f.Communes,
		Countries: f.Countries, Themes: f.Themes, Audiences: f.Audiences,
	}
}

// structureOrder is the order of a structures query.
func structureOrder(o *model.StructureOrder) listing.Order {
	if o == nil {
		return listing.Order{}
	}
	return order(strings.ToLower(strings.ReplaceAll(string(o.Field), "_AT", "")), o.Direction)
}

// projectFilter is the list filter of a projects query.
func projectFilter(ctx context.Context, filter *model.ProjectFilter) (project.Filter, error) {
	f := deref(filter)
	lead, err := optionalID(ctx, "filter.lead", typeStructure, f.Lead)
	if err != nil {
		return project.Filter{}, err
	}
	partner, err := optionalID(ctx, "filter.partner", typeStructure, f.Partner)
	if err != nil {
		return project.Filter{}, err
	}
	return project.Filter{
		Query: deref(f.Query), Countries: f.Countries, Themes: f.Themes, Statuses: projectStatusCodes(f.Statuses),
		LeadID: lead, PartnerID: partner,
	}, nil
}

// projectOrder is the order of a projects query.
func projectOrder(o *model.ProjectOrder) listing.Order {
	if o == nil {
		return listing.Order{}
	}
	return order(strings.ToLower(strings.ReplaceAll(string(o.Field), "_AT", "")), o.Direction)
}
