package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/project"
)

// The loaders batch what gqlgen asks for within a few milliseconds, which
// depends on scheduling. Prefetching makes it certain: when a list is read,
// the selection below it is walked and every nested field is loaded for all
// the list's records at once, one statement per field, and the resolvers then
// find their data in the loaders' caches. The number of statements of a
// request thus depends on its shape alone.

// selection is what a query asks of the records of a list.
type selection struct {
	op  *graphql.OperationContext
	set ast.SelectionSet
}

// nodeSelection returns the selection of the current connection field's
// nodes (nodes { ... } and edges { node { ... } }).
func nodeSelection(ctx context.Context) selection {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || !graphql.HasOperationContext(ctx) {
		return selection{}
	}
	op := graphql.GetOperationContext(ctx)
	return selection{op: op, set: connectionNodes(op, fc.Field.Selections)}
}

// recordSelection returns the selection of the current field itself, for a
// field that returns one record.
func recordSelection(ctx context.Context) selection {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || !graphql.HasOperationContext(ctx) {
		return selection{}
	}
	return selection{op: graphql.GetOperationContext(ctx), set: fc.Field.Selections}
}

func connectionNodes(op *graphql.OperationContext, set ast.SelectionSet) ast.SelectionSet {
	var nodes ast.SelectionSet
	for _, f := range graphql.CollectFields(op, set, nil) {
		switch f.Name {
		case "nodes":
			nodes = append(nodes, f.Selections...)
		case "edges":
			for _, e := range graphql.CollectFields(op, f.Selections, nil) {
				if e.Name == "node" {
					nodes = append(nodes, e.Selections...)
				}
			}
		}
	}
	return nodes
}

// fields returns the fields selected on a type, fragments resolved.
func (s selection) fields(typ string) []graphql.CollectedField {
	if s.op == nil || len(s.set) == 0 {
		return nil
	}
	return graphql.CollectFields(s.op, s.set, []string{typ, "Node"})
}

func (s selection) sub(set ast.SelectionSet) selection { return selection{op: s.op, set: set} }

func intArg(m map[string]any, name string) *int {
	switch v := m[name].(type) {
	case int64:
		n := int(v)
		return &n
	case int:
		return &v
	}
	return nil
}

func strArg(m map[string]any, name string) *string {
	if v, ok := m[name].(string); ok {
		return &v
	}
	return nil
}

func pagingArgs(f graphql.CollectedField, s selection) listing.Args {
	m := f.ArgumentMap(s.op.Variables)
	return listing.Args{First: intArg(m, "first"), After: strArg(m, "after"), Last: intArg(m, "last"), Before: strArg(m, "before")}
}

// pageIDs gathers the child ids of every parent's page.
func pageIDs(pages []listing.Page) []int64 {
	var ids []int64
	for _, p := range pages {
		ids = append(ids, p.IDs...)
	}
	return ids
}

// prefetch loads, for the records ids of GraphQL type typ, everything sel
// asks of them, recursively.
func (r *Resolver) prefetch(ctx context.Context, typ string, ids []int64, sel selection) error {
	if len(ids) == 0 || sel.op == nil {
		return nil
	}
	l := r.loaders(ctx)
	for _, f := range sel.fields(typ) {
		if err := r.prefetchField(ctx, l, typ, f, ids, sel); err != nil {
			return fmt.Errorf("prefetch %s.%s: %w", typ, f.Name, err)
		}
	}
	return nil
}

func (r *Resolver) prefetchField(ctx context.Context, l *loaders, typ string, f graphql.CollectedField, ids []int64, sel selection) error {
	// relation pages the children of ids and prefetches below them.
	relation := func(name string, load func(context.Context, []int64, listing.Args) (map[int64]listing.Page, error), childType string, records func([]int64) error) error {
		pages, err := l.relation(name, pagingArgs(f, sel), load).LoadAll(ctx, ids)
		if err != nil {
			return err
		}
		children := pageIDs(pages)
		if err := records(children); err != nil {
			return err
		}
		return r.prefetch(ctx, childType, children, sel.sub(connectionNodes(sel.op, f.Selections)))
	}
	structures := func(ids []int64) error { _, err := l.structures.LoadAll(ctx, ids); return err }
	projects := func(ids []int64) error { _, err := l.projects.LoadAll(ctx, ids); return err }
	events := func(ids []int64) error { _, err := l.events.LoadAll(ctx, ids); return err }
	calls := func(ids []int64) error { _, err := l.calls.LoadAll(ctx, ids); return err }
	// record loads one linked record per parent, then what is asked of it.
	record := func(childType string, link func() ([]int64, error), load func([]int64) error) error {
		children, err := link()
		if err != nil || len(children) == 0 {
			return err
		}
		if err := load(children); err != nil {
			return err
		}
		return r.prefetch(ctx, childType, children, sel.sub(f.Selections))
	}

	switch typ + "." + f.Name {
	case "Structure.otherNames":
		_, err := l.otherNames.LoadAll(ctx, ids)
		return err
	case "Structure.themes":
		_, err := l.structureThemes.LoadAll(ctx, ids)
		return err
	case "Structure.offices":
		_, err := l.offices.LoadAll(ctx, ids)
		return err
	case "Structure.countries":
		_, err := l.structureCountry.LoadAll(ctx, ids)
		return err
	case "Structure.projects":
		role := project.RoleAny
		if v, ok := f.ArgumentMap(sel.op.Variables)["role"].(string); ok {
			role = codeOf(v)
		}
		return relation("structure.projects."+role, func(ctx context.Context, ids []int64, a listing.Args) (map[int64]listing.Page, error) {
			return r.Services.Projects.OfStructures(ctx, ids, role, a)
		}, "Project", projects)
	case "Structure.events":
		return relation("structure.events", r.Services.Events.OfOrganisers, "Event", events)
	case "Structure.contacts":
		return relation("structure.contacts", r.Services.Network.ContactsOf, "Contact", func(ids []int64) error {
			_, err := l.contacts.LoadAll(ctx, ids)
			return err
		})
	case "Structure.supportSessions":
		return relation("structure.supportSessions", r.Services.Support.OfStructures, "SupportSession", func(ids []int64) error {
			_, err := l.sessions.LoadAll(ctx, ids)
			return err
		})
	case "Project.partners":
		return relation("project.partners", r.Services.Projects.PartnersOf, "Structure", structures)
	case "Project.countries":
		_, err := l.projectCountries.LoadAll(ctx, ids)
		return err
	case "Project.themes":
		_, err := l.projectThemes.LoadAll(ctx, ids)
		return err
	case "Project.lead":
		return record("Structure", func() ([]int64, error) {
			recs, err := l.projects.LoadAll(ctx, ids)
			var leads []int64
			for _, p := range recs {
				if p != nil && p.LeadID != 0 {
					leads = append(leads, p.LeadID)
				}
			}
			return leads, err
		}, structures)
	case "Event.audiences":
		_, err := l.eventAudiences.LoadAll(ctx, ids)
		return err
	case "Event.themes":
		_, err := l.eventThemes.LoadAll(ctx, ids)
		return err
	case "Event.countries":
		_, err := l.eventCountries.LoadAll(ctx, ids)
		return err
	case "Event.organisers":
		return relation("event.organisers", r.Services.Events.OrganisersOf, "Structure", structures)
	case "Event.fundingCalls":
		return relation("event.fundingCalls", r.Services.Events.FundingCallsOf, "FundingCall", calls)
	case "FundingCall.audiences":
		_, err := l.callAudiences.LoadAll(ctx, ids)
		return err
	case "FundingCall.themes":
		_, err := l.callThemes.LoadAll(ctx, ids)
		return err
	case "FundingCall.countries":
		_, err := l.callCountries.LoadAll(ctx, ids)
		return err
	case "FundingCall.events":
		return relation("fundingCall.events", r.Services.Events.OfFundingCalls, "Event", events)
	case "SupportSession.structure":
		return record("Structure", func() ([]int64, error) {
			recs, err := l.sessions.LoadAll(ctx, ids)
			var out []int64
			for _, s := range recs {
				if s != nil {
					out = append(out, s.StructureID)
				}
			}
			return out, err
		}, structures)
	case "Contact.structure":
		return record("Structure", func() ([]int64, error) {
			recs, err := l.contacts.LoadAll(ctx, ids)
			var out []int64
			for _, c := range recs {
				if c != nil && c.StructureID != 0 {
					out = append(out, c.StructureID)
				}
			}
			return out, err
		}, structures)
	case "TrainingCycle.modules":
		_, err := l.modules.LoadAll(ctx, ids)
		return err
	case "ProgrammeAction.items":
		_, err := l.items.LoadAll(ctx, ids)
		return err
	case "ProgrammeAction.structures":
		return record("Structure", func() ([]int64, error) {
			lists, err := l.actionStructures.LoadAll(ctx, ids)
			var out []int64
			for _, list := range lists {
				out = append(out, list...)
			}
			return out, err
		}, structures)
	case "Structure.actorType", "Structure.department", "Structure.country", "Event.audiences.actorTypes":
		_, err := l.reference(ctx)
		return err
	}
	return nil
}
