package graph

import (
	"context"
	"fmt"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vikstrous/dataloadgen"

	"github.com/lianes-cooperation/lianes/graph/compile"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/project"
)

// The loaders batch what gqlgen asks for within a few milliseconds, which
// depends on scheduling. Prefetching makes it certain: when a list is read,
// the selection below it is walked and every nested field is loaded for all
// the list's records at once, one statement per field, and the resolvers then
// find their data in the loaders' caches. The number of statements of a
// request thus depends on its shape alone.

// selection is what a query asks of the records of a list: the selection
// sets that apply to them (nodes { … } and edges { node { … } } are two).
//
// The sets are always the query's own, never one assembled here: gqlgen
// caches the fields of a selection set for the whole operation by the
// address of its elements, so a set built and dropped here could leave its
// fields to another born later at the same address, and the answer would
// then show the wrong fields.
type selection struct {
	op   *graphql.OperationContext
	sets []ast.SelectionSet
}

// nodeSelection returns the selection of the current connection field's
// nodes (nodes { ... } and edges { node { ... } }).
func nodeSelection(ctx context.Context) selection {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || !graphql.HasOperationContext(ctx) {
		return selection{}
	}
	op := graphql.GetOperationContext(ctx)
	return selection{op: op, sets: connectionNodes(op, []ast.SelectionSet{fc.Field.Selections})}
}

// recordSelection returns the selection of the current field itself, for a
// field that returns one record.
func recordSelection(ctx context.Context) selection {
	fc := graphql.GetFieldContext(ctx)
	if fc == nil || fc.Field.Field == nil || !graphql.HasOperationContext(ctx) {
		return selection{}
	}
	return selection{op: graphql.GetOperationContext(ctx), sets: []ast.SelectionSet{fc.Field.Selections}}
}

// connectionNodes returns the selection sets of the nodes of connections.
func connectionNodes(op *graphql.OperationContext, sets []ast.SelectionSet) []ast.SelectionSet {
	var nodes []ast.SelectionSet
	for _, set := range sets {
		for _, f := range graphql.CollectFields(op, set, nil) {
			switch f.Name {
			case "nodes":
				nodes = append(nodes, f.Selections)
			case "edges":
				for _, e := range graphql.CollectFields(op, f.Selections, nil) {
					if e.Name == "node" {
						nodes = append(nodes, e.Selections)
					}
				}
			}
		}
	}
	return nodes
}

// field is a field selected on the records, with its selection sets
// wherever the query asks for it with the same arguments.
type field struct {
	graphql.CollectedField
	subs []ast.SelectionSet
}

// fields returns the fields selected on a type, fragments resolved, each
// once for the same arguments.
func (s selection) fields(typ string) []field {
	if s.op == nil {
		return nil
	}
	var out []field
	index := map[string]int{}
	for _, set := range s.sets {
		for _, f := range graphql.CollectFields(s.op, set, []string{typ, "Node"}) {
			key := f.Name + fmt.Sprint(f.ArgumentMap(s.op.Variables))
			if i, ok := index[key]; ok {
				out[i].subs = append(out[i].subs, f.Selections)
				continue
			}
			index[key] = len(out)
			out = append(out, field{CollectedField: f, subs: []ast.SelectionSet{f.Selections}})
		}
	}
	return out
}

func (s selection) sub(sets []ast.SelectionSet) selection { return selection{op: s.op, sets: sets} }

func pagingArgs(f graphql.CollectedField, s selection) listing.Args {
	return compile.Paging(f.ArgumentMap(s.op.Variables))
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

// prime fetches the values of keys directly (no batching wait: the keys are
// all known) and puts them in a loader's cache; a missing key is cached as
// the zero value (no record, no link).
func prime[V any](ctx context.Context, ld *dataloadgen.Loader[int64, V], ids []int64, fetch func(context.Context, []int64) (map[int64]V, error)) (map[int64]V, error) {
	ids = unique(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	m, err := fetch(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, id := range ids {
		ld.Prime(id, m[id])
	}
	return m, nil
}

func unique(ids []int64) []int64 {
	seen := make(map[int64]bool, len(ids))
	out := ids[:0:0]
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	return out
}

func (r *Resolver) prefetchField(ctx context.Context, l *loaders, typ string, f field, ids []int64, sel selection) error {
	s := r.Services
	// relation pages the children of ids, reads them, and prefetches below.
	relation := func(name string, load func(context.Context, []int64, listing.Args) (map[int64]listing.Page, error),
		childType string, records func([]int64) error) error {
		a := pagingArgs(f.CollectedField, sel)
		pages, err := prime(ctx, l.relation(name, a, load), ids, func(ctx context.Context, ids []int64) (map[int64]listing.Page, error) {
			return load(ctx, ids, a)
		})
		if err != nil {
			return err
		}
		var children []int64
		for _, p := range pages {
			children = append(children, p.IDs...)
		}
		if err := records(children); err != nil {
			return err
		}
		return r.prefetch(ctx, childType, unique(children), sel.sub(connectionNodes(sel.op, f.subs)))
	}
	structures := func(ids []int64) error { _, err := prime(ctx, l.structures, ids, s.Network.Structures); return err }
	// record reads one linked record per parent, then what is asked of it.
	record := func(childType string, children []int64, load func([]int64) error) error {
		if len(children) == 0 {
			return nil
		}
		if err := load(children); err != nil {
			return err
		}
		return r.prefetch(ctx, childType, unique(children), sel.sub(f.subs))
	}
	links := func(ld *dataloadgen.Loader[int64, []string], fetch func(context.Context, []int64) (map[int64][]string, error)) error {
		_, err := prime(ctx, ld, ids, fetch)
		return err
	}

	switch typ + "." + f.Name {
	case "Structure.otherNames":
		return links(l.otherNames, s.Network.OtherNames)
	case "Structure.themes":
		return links(l.structureThemes, s.Network.Themes)
	case "Structure.countries":
		return links(l.structureCountry, s.Network.Countries)
	case "Structure.offices":
		_, err := prime(ctx, l.offices, ids, s.Network.Offices)
		return err
	case "Structure.projects":
		role := project.RoleAny
		if v, ok := f.ArgumentMap(sel.op.Variables)["role"].(string); ok {
			role = codeOf(v)
		}
		return relation("structure.projects."+role, func(ctx context.Context, ids []int64, a listing.Args) (map[int64]listing.Page, error) {
			return s.Projects.OfStructures(ctx, ids, role, a)
		}, "Project", func(ids []int64) error { _, err := prime(ctx, l.projects, ids, s.Projects.Projects); return err })
	case "Structure.events":
		return relation("structure.events", s.Events.OfOrganisers, "Event",
			func(ids []int64) error { _, err := prime(ctx, l.events, ids, s.Events.Events); return err })
	case "Structure.contacts":
		return relation("structure.contacts", s.Network.ContactsOf, "Contact",
			func(ids []int64) error { _, err := prime(ctx, l.contacts, ids, s.Network.Contacts); return err })
	case "Structure.supportSessions":
		return relation("structure.supportSessions", s.Support.OfStructures, "SupportSession",
			func(ids []int64) error { _, err := prime(ctx, l.sessions, ids, s.Support.Sessions); return err })
	case "Structure.partners":
		a := pagingArgs(f.CollectedField, sel)
		pages, err := prime(ctx, l.relation("structure.partners", a, s.Network.PartnersOf), ids,
			func(ctx context.Context, ids []int64) (map[int64]listing.Page, error) {
				return s.Network.PartnersOf(ctx, ids, a)
			})
		if err != nil {
			return err
		}
		var links []int64
		for _, p := range pages {
			links = append(links, p.IDs...)
		}
		partnerships, err := prime(ctx, l.partnerships, links, s.Network.Partnerships)
		if err != nil {
			return err
		}
		var others []int64
		for parent, p := range pages {
			for _, id := range p.IDs {
				if x := partnerships[id]; x != nil {
					others = append(others, x.Other(parent))
				}
			}
		}
		if err := structures(others); err != nil {
			return err
		}
		return r.prefetch(ctx, "Structure", unique(others), sel.sub(connectionNodes(sel.op, f.subs)))
	case "Project.partners":
		return relation("project.partners", s.Projects.PartnersOf, "Structure", structures)
	case "Project.countries":
		return links(l.projectCountries, s.Projects.CountriesOf)
	case "Project.themes":
		return links(l.projectThemes, s.Projects.ThemesOf)
	case "Project.lead":
		recs, err := l.projects.LoadAll(ctx, ids) // cached: the projects were just read
		var leads []int64
		for _, p := range recs {
			if p != nil && p.LeadID != 0 {
				leads = append(leads, p.LeadID)
			}
		}
		if err != nil {
			return err
		}
		return record("Structure", leads, structures)
	case "Event.audiences":
		return links(l.eventAudiences, s.Events.AudiencesOf)
	case "Event.themes":
		return links(l.eventThemes, s.Events.ThemesOf)
	case "Event.countries":
		return links(l.eventCountries, s.Events.CountriesOf)
	case "Event.organisers":
		return relation("event.organisers", s.Events.OrganisersOf, "Structure", structures)
	case "Event.fundingCalls":
		return relation("event.fundingCalls", s.Events.FundingCallsOf, "FundingCall",
			func(ids []int64) error { _, err := prime(ctx, l.calls, ids, s.Calls.FundingCalls); return err })
	case "FundingCall.audiences":
		return links(l.callAudiences, s.Calls.AudiencesOf)
	case "FundingCall.themes":
		return links(l.callThemes, s.Calls.ThemesOf)
	case "FundingCall.countries":
		return links(l.callCountries, s.Calls.CountriesOf)
	case "FundingCall.events":
		return relation("fundingCall.events", s.Events.OfFundingCalls, "Event",
			func(ids []int64) error { _, err := prime(ctx, l.events, ids, s.Events.Events); return err })
	case "SupportSession.structure":
		recs, err := l.sessions.LoadAll(ctx, ids)
		if err != nil {
			return err
		}
		var parents []int64
		for _, x := range recs {
			if x != nil {
				parents = append(parents, x.StructureID)
			}
		}
		return record("Structure", parents, structures)
	case "Contact.structure":
		recs, err := l.contacts.LoadAll(ctx, ids)
		if err != nil {
			return err
		}
		var parents []int64
		for _, x := range recs {
			if x != nil && x.StructureID != 0 {
				parents = append(parents, x.StructureID)
			}
		}
		return record("Structure", parents, structures)
	case "TrainingCycle.modules":
		_, err := prime(ctx, l.modules, ids, s.Programme.ModulesOf)
		return err
	case "ProgrammeAction.items":
		_, err := prime(ctx, l.items, ids, s.Programme.ItemsOf)
		return err
	case "ProgrammeAction.structures":
		lists, err := prime(ctx, l.actionStructures, ids, s.Programme.StructuresOf)
		if err != nil {
			return err
		}
		var children []int64
		for _, list := range lists {
			children = append(children, list...)
		}
		return record("Structure", children, structures)
	case "Structure.actorType", "Structure.department", "Structure.country":
		_, err := l.reference(ctx)
		return err
	}
	return nil
}
