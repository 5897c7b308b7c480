package graph

import (
	"context"

	"github.com/lianes-cooperation/lianes/graph/model"
	"github.com/lianes-cooperation/lianes/internal/access"
)

// node loads a record by type and number, as the value GraphQL expects for
// the Node interface; nil when it does not exist or the caller may not see it.
func (r *Resolver) node(ctx context.Context, typ string, id int64) (model.Node, error) {
	l := r.loaders(ctx)
	switch typ {
	case typeStructure:
		return nodeOf(l.structures.Load(ctx, id))
	case typeContact:
		return nodeOf(l.contacts.Load(ctx, id))
	case typePartnership:
		return nodeOf(l.partnerships.Load(ctx, id))
	case typeProject:
		return nodeOf(l.projects.Load(ctx, id))
	case typeEvent:
		return nodeOf(l.events.Load(ctx, id))
	case typeFundingCall:
		return nodeOf(l.calls.Load(ctx, id))
	case typeSupport:
		return nodeOf(l.sessions.Load(ctx, id))
	case typeTraining:
		return nodeOf(l.trainings.Load(ctx, id))
	case typePublication:
		return nodeOf(l.publications.Load(ctx, id))
	case typeCensus:
		return nodeOf(l.census.Load(ctx, id))
	case typeAction:
		return nodeOf(l.actions.Load(ctx, id))
	case typeAudit:
		if !access.AtLeast(ctx, access.Admin) {
			return nil, nil
		}
		entries, err := r.Services.Audit.Entries(ctx, []int64{id})
		if err != nil || entries[id] == nil {
			return nil, err
		}
		return entries[id], nil
	case typeSnapshot:
		snaps, err := l.snapshots(ctx)
		for i := range snaps {
			if snaps[i].ID == id {
				return &snaps[i], err
			}
		}
		return nil, err
	}
	return nil, nil
}

// nodeOf returns a record as a Node, or a true nil for a missing one: a nil
// pointer inside a non-nil interface would be a record of nothing.
func nodeOf[T any](rec *T, err error) (model.Node, error) {
	if rec == nil || err != nil {
		return nil, err
	}
	return rec, nil
}
