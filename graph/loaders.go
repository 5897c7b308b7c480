package graph

import (
	"context"
	"fmt"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/observatory"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/reference"
	"github.com/lianes-cooperation/lianes/internal/support"
	"github.com/vikstrous/dataloadgen"
	"sync"
	"time"
)

// batchWait is how long a loader gathers keys before it runs: long enough
// for gqlgen to reach every sibling field, short enough not to show.
const batchWait = 2 * time.Millisecond

// loaders batch the reads of one request, so that the number of SQL
// statements depends on the query's shape, not on the number of rows.
type loaders struct {
	structures   *dataloadgen.Loader[int64, *network.Structure]
	contacts     *dataloadgen.Loader[int64, *network.Contact]
	partnerships *dataloadgen.Loader[int64, *network.Partnership]
	projects     *dataloadgen.Loader[int64, *project.Project]
	events       *dataloadgen.Loader[int64, *event.Event]
	calls        *dataloadgen.Loader[int64, *fundingcall.FundingCall]
	sessions     *dataloadgen.Loader[int64, *support.Session]
	trainings    *dataloadgen.Loader[int64, *programme.TrainingCycle]
	publications *dataloadgen.Loader[int64, *programme.Publication]
	census       *dataloadgen.Loader[int64, *programme.CensusCampaign]
	actions      *dataloadgen.Loader[int64, *programme.Action]

	otherNames       *dataloadgen.Loader[int64, []string]
	structureThemes  *dataloadgen.Loader[int64, []string]
	offices          *dataloadgen.Loader[int64, []network.Office]
	structureCountry *dataloadgen.Loader[int64, []string]
	projectCountries *dataloadgen.Loader[int64, []string]
	projectThemes    *dataloadgen.Loader[int64, []string]
	eventAudiences   *dataloadgen.Loader[int64, []string]
	eventThemes      *dataloadgen.Loader[int64, []string]
	eventCountries   *dataloadgen.Loader[int64, []string]
	callAudiences    *dataloadgen.Loader[int64, []string]
	callThemes       *dataloadgen.Loader[int64, []string]
	callCountries    *dataloadgen.Loader[int64, []string]
	modules          *dataloadgen.Loader[int64, []programme.TrainingModule]
	items            *dataloadgen.Loader[int64, []programme.ActionItem]
	actionStructures *dataloadgen.Loader[int64, []int64]

	// relations pages children per parent; one loader per relation and
	// paging arguments, created on first use.
	mu        sync.Mutex
	relations map[string]*dataloadgen.Loader[int64, listing.Page]

	refOnce sync.Once
	ref     *reference.Lists
	refErr  error

	totalsOnce  sync.Once
	totalsValue observatory.Totals
	totalsErr   error
	snapsOnce   sync.Once
	snaps       []observatory.Snapshot
	snapsErr    error

	svc *domain.Services
}

// mapped wraps a fetch of values by key, for which a missing key has the
// zero value (no themes, an empty page).
func mapped[V any](fetch func(context.Context, []int64) (map[int64]V, error)) *dataloadgen.Loader[int64, V] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []int64) ([]V, []error) {
		m, err := fetch(ctx, keys)
		out := make([]V, len(keys))
		if err != nil {
			return out, []error{err}
		}
		for i, k := range keys {
			out[i] = m[k]
		}
		return out, nil
	}, dataloadgen.WithWait(batchWait))
}

// records wraps a fetch of records, for which a missing key is "not found"
// (or not visible), not an error.
func records[V any](fetch func(context.Context, []int64) (map[int64]*V, error)) *dataloadgen.Loader[int64, *V] {
	return dataloadgen.NewLoader(func(ctx context.Context, keys []int64) ([]*V, []error) {
		m, err := fetch(ctx, keys)
		out := make([]*V, len(keys))
		if err != nil {
			return out, []error{err}
		}
		for i, k := range keys {
			out[i] = m[k]
		}
		return out, nil
	}, dataloadgen.WithWait(batchWait))
}

func newLoaders(s *domain.Services) *loaders {
	return &loaders{
		svc:          s,
		structures:   records(s.Network.Structures),
		contacts:     records(s.Network.Contacts),
		partnerships: records(s.Network.Partnerships),
		projects:     records(s.Projects.Projects),
		events:       records(s.Events.Events),
		calls:        records(s.Calls.FundingCalls),
		sessions:     records(s.Support.Sessions),
		trainings:    records(s.Programme.Trainings),
		publications: records(s.Programme.Publications),
		census:       records(s.Programme.CensusCampaigns),
		actions:      records(s.Programme.Actions),

		otherNames:       mapped(s.Network.OtherNames),
		structureThemes:  mapped(s.Network.Themes),
		offices:          mapped(s.Network.Offices),
		structureCountry: mapped(s.Network.Countries),
		projectCountries: mapped(s.Projects.CountriesOf),
		projectThemes:    mapped(s.Projects.ThemesOf),
		eventAudiences:   mapped(s.Events.AudiencesOf),
		eventThemes:      mapped(s.Events.ThemesOf),
		eventCountries:   mapped(s.Events.CountriesOf),
		callAudiences:    mapped(s.Calls.AudiencesOf),
		callThemes:       mapped(s.Calls.ThemesOf),
		callCountries:    mapped(s.Calls.CountriesOf),
		modules:          mapped(s.Programme.ModulesOf),
		items:            mapped(s.Programme.ItemsOf),
		actionStructures: mapped(s.Programme.StructuresOf),
		relations:        map[string]*dataloadgen.Loader[int64, listing.Page]{},
	}
}

// relation returns the loader of a paged relation for these arguments.
func (l *loaders) relation(name string, a listing.Args, load func(context.Context, []int64, listing.Args) (map[int64]listing.Page, error)) *dataloadgen.Loader[int64, listing.Page] {
	key := fmt.Sprintf("%s|%s", name, argsKey(a))
	l.mu.Lock()
	defer l.mu.Unlock()
	if ld, ok := l.relations[key]; ok {
		return ld
	}
	ld := mapped(func(ctx context.Context, parents []int64) (map[int64]listing.Page, error) {
		return load(ctx, parents, a)
	})
	l.relations[key] = ld
	return ld
}

func argsKey(a listing.Args) string {
	s := func(p *string) string {
		if p == nil {
			return "-"
		}
		return *p
	}
	n := func(p *int) string {
		if p == nil {
			return "-"
		}
		return fmt.Sprint(*p)
	}
	return n(a.First) + "," + s(a.After) + "," + n(a.Last) + "," + s(a.Before)
}

// reference returns the reference lists, read once per request.
func (l *loaders) reference(ctx context.Context) (*reference.Lists, error) {
	l.refOnce.Do(func() { l.ref, l.refErr = reference.Load(ctx, l.svc.Reads) })
	return l.ref, l.refErr
}

type loadersKey struct{}

// withLoaders gives a request its own loaders.
func withLoaders(ctx context.Context, s *domain.Services) context.Context {
	return context.WithValue(ctx, loadersKey{}, &lazyLoaders{make: func() *loaders { return newLoaders(s) }})
}

// lazyLoaders makes a request's loaders when a resolver first needs them: a
// query the compiled path answers never does, and making them costs a
// small query a twentieth of its time.
type lazyLoaders struct {
	once sync.Once
	make func() *loaders
	l    *loaders
}

func (z *lazyLoaders) get() *loaders {
	z.once.Do(func() { z.l = z.make() })
	return z.l
}

// loadersFor returns the request's loaders, or fresh ones for a context that
// has none (a call outside an HTTP request).
func (r *Resolver) loaders(ctx context.Context) *loaders {
	if z, ok := ctx.Value(loadersKey{}).(*lazyLoaders); ok {
		return z.get()
	}
	return newLoaders(r.Services)
}

// totals counts the records once per request, however many of the
// observatory's totals are asked for.
func (l *loaders) totals(ctx context.Context) (observatory.Totals, error) {
	l.totalsOnce.Do(func() { l.totalsValue, l.totalsErr = l.svc.Observatory.Totals(ctx) })
	return l.totalsValue, l.totalsErr
}

// snapshots reads the observatory's snapshots once per request.
func (l *loaders) snapshots(ctx context.Context) ([]observatory.Snapshot, error) {
	l.snapsOnce.Do(func() { l.snaps, l.snapsErr = l.svc.Observatory.Snapshots(ctx) })
	return l.snaps, l.snapsErr
}
