package graph

import (
	"context"

	"github.com/vikstrous/dataloadgen"

	"github.com/lianes-cooperation/lianes/graph/model"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/support"
)

// page is a loaded page of records with their cursors.
type page[T any] struct {
	nodes   []T
	cursors []string
	info    model.PageInfo
	total   int
}

// loadPage reads the records of a page of ids through a loader. A record
// the caller may not see is left out of the page.
func loadPage[T any](ctx context.Context, ld *dataloadgen.Loader[int64, *T], p listing.Page) (page[T], error) {
	out := page[T]{total: p.Info.Total, info: model.PageInfo{
		HasNextPage: p.Info.HasNext(), HasPreviousPage: p.Info.HasPrevious(),
	}}
	recs, err := ld.LoadAll(ctx, p.IDs)
	if err != nil {
		return out, err
	}
	out.nodes = make([]T, 0, len(recs))
	out.cursors = make([]string, 0, len(recs))
	for i, rec := range recs {
		if rec == nil {
			continue
		}
		out.nodes = append(out.nodes, *rec)
		out.cursors = append(out.cursors, listing.Cursor(p.Info.From+i))
	}
	if n := len(out.cursors); n > 0 {
		out.info.StartCursor, out.info.EndCursor = &out.cursors[0], &out.cursors[n-1]
	}
	return out, nil
}

// relationPage loads the page of one parent from a relation loader.
func relationPage[T any](ctx context.Context, rel *dataloadgen.Loader[int64, listing.Page], parent int64, ld *dataloadgen.Loader[int64, *T]) (page[T], error) {
	p, err := rel.Load(ctx, parent)
	if err != nil {
		return page[T]{}, err
	}
	return loadPage(ctx, ld, p)
}

func structureConnection(p page[network.Structure], err error) (model.StructureConnection, error) {
	edges := make([]model.StructureEdge, len(p.nodes))
	for i := range p.nodes {
		edges[i] = model.StructureEdge{Cursor: p.cursors[i], Node: p.nodes[i]}
	}
	return model.StructureConnection{Edges: edges, Nodes: p.nodes, PageInfo: p.info, TotalCount: p.total}, err
}

func contactConnection(p page[network.Contact], err error) (model.ContactConnection, error) {
	edges := make([]model.ContactEdge, len(p.nodes))
	for i := range p.nodes {
		edges[i] = model.ContactEdge{Cursor: p.cursors[i], Node: p.nodes[i]}
	}
	return model.ContactConnection{Edges: edges, Nodes: p.nodes, PageInfo: p.info, TotalCount: p.total}, err
}

func projectConnection(p page[project.Project], err error) (model.ProjectConnection, error) {
	edges := make([]model.ProjectEdge, len(p.nodes))
	for i := range p.nodes {
		edges[i] = model.ProjectEdge{Cursor: p.cursors[i], Node: p.nodes[i]}
	}
	return model.ProjectConnection{Edges: edges, Nodes: p.nodes, PageInfo: p.info, TotalCount: p.total}, err
}

func eventConnection(p page[event.Event], err error) (model.EventConnection, error) {
	edges := make([]model.EventEdge, len(p.nodes))
	for i := range p.nodes {
		edges[i] = model.EventEdge{Cursor: p.cursors[i], Node: p.nodes[i]}
	}
	return model.EventConnection{Edges: edges, Nodes: p.nodes, PageInfo: p.info, TotalCount: p.total}, err
}

func fundingCallConnection(p page[fundingcall.FundingCall], err error) (model.FundingCallConnection, error) {
	edges := make([]model.FundingCallEdge, len(p.nodes))
	for i := range p.nodes {
		edges[i] = model.FundingCallEdge{Cursor: p.cursors[i], Node: p.nodes[i]}
	}
	return model.FundingCallConnection{Edges: edges, Nodes: p.nodes, PageInfo: p.info, TotalCount: p.total}, err
}

func supportSessionConnection(p page[support.Session], err error) (model.SupportSessionConnection, error) {
	edges := make([]model.SupportSessionEdge, len(p.nodes))
	for i := range p.nodes {
		edges[i] = model.SupportSessionEdge{Cursor: p.cursors[i], Node: p.nodes[i]}
	}
	return model.SupportSessionConnection{Edges: edges, Nodes: p.nodes, PageInfo: p.info, TotalCount: p.total}, err
}

func trainingConnection(p page[programme.TrainingCycle], err error) (model.TrainingCycleConnection, error) {
	edges := make([]model.TrainingCycleEdge, len(p.nodes))
	for i := range p.nodes {
		edges[i] = model.TrainingCycleEdge{Cursor: p.cursors[i], Node: p.nodes[i]}
	}
	return model.TrainingCycleConnection{Edges: edges, Nodes: p.nodes, PageInfo: p.info, TotalCount: p.total}, err
}

func publicationConnection(p page[programme.Publication], err error) (model.PublicationConnection, error) {
	edges := make([]model.PublicationEdge, len(p.nodes))
	for i := range p.nodes {
		edges[i] = model.PublicationEdge{Cursor: p.cursors[i], Node: p.nodes[i]}
	}
	return model.PublicationConnection{Edges: edges, Nodes: p.nodes, PageInfo: p.info, TotalCount: p.total}, err
}

func censusConnection(p page[programme.CensusCampaign], err error) (model.CensusCampaignConnection, error) {
	edges := make([]model.CensusCampaignEdge, len(p.nodes))
	for i := range p.nodes {
		edges[i] = model.CensusCampaignEdge{Cursor: p.cursors[i], Node: p.nodes[i]}
	}
	return model.CensusCampaignConnection{Edges: edges, Nodes: p.nodes, PageInfo: p.info, TotalCount: p.total}, err
}

func actionConnection(p page[programme.Action], err error) (model.ProgrammeActionConnection, error) {
	edges := make([]model.ProgrammeActionEdge, len(p.nodes))
	for i := range p.nodes {
		edges[i] = model.ProgrammeActionEdge{Cursor: p.cursors[i], Node: p.nodes[i]}
	}
	return model.ProgrammeActionConnection{Edges: edges, Nodes: p.nodes, PageInfo: p.info, TotalCount: p.total}, err
}

// listed loads a top-level page of records of GraphQL type typ, and
// prefetches what the query asks of them; or returns the listing error.
func listed[T any](ctx context.Context, r *Resolver, typ string, ld *dataloadgen.Loader[int64, *T],
	fetch func(context.Context, []int64) (map[int64]*T, error), p listing.Page, err error) (page[T], error) {
	if err != nil {
		return page[T]{}, err
	}
	if _, err := prime(ctx, ld, p.IDs, fetch); err != nil {
		return page[T]{}, err
	}
	if err := r.prefetch(ctx, typ, p.IDs, nodeSelection(ctx)); err != nil {
		return page[T]{}, err
	}
	return loadPage(ctx, ld, p)
}

// single loads one record of GraphQL type typ and prefetches what the query
// asks of it.
func single[T any](ctx context.Context, r *Resolver, typ string, ld *dataloadgen.Loader[int64, *T], id int64) (*T, error) {
	rec, err := ld.Load(ctx, id)
	if err != nil || rec == nil {
		return rec, err
	}
	return rec, r.prefetch(ctx, typ, []int64{id}, recordSelection(ctx))
}
