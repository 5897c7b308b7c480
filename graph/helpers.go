package graph

import (
	"context"
	"fmt"
	"github.com/lianes-cooperation/lianes/graph/model"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/reference"
	"github.com/vikstrous/dataloadgen"
)

// structure loads a structure that must exist (a foreign key points to it).
func (r *Resolver) structure(ctx context.Context, id int64) (network.Structure, error) {
	s, err := r.loaders(ctx).structures.Load(ctx, id)
	if err != nil {
		return network.Structure{}, err
	}
	if s == nil {
		return network.Structure{}, fmt.Errorf("structure %d manquante", id)
	}
	return *s, nil
}

func (r *Resolver) themes(ctx context.Context, ld *dataloadgen.Loader[int64, []string], id int64) ([]reference.Theme, error) {
	codes, err := ld.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	ref, err := r.loaders(ctx).reference(ctx)
	if err != nil {
		return nil, err
	}
	return ref.ThemesOf(codes), nil
}

func (r *Resolver) countries(ctx context.Context, ld *dataloadgen.Loader[int64, []string], id int64) ([]reference.Country, error) {
	codes, err := ld.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	ref, err := r.loaders(ctx).reference(ctx)
	if err != nil {
		return nil, err
	}
	return ref.CountriesOf(codes), nil
}

func (r *Resolver) audiences(ctx context.Context, ld *dataloadgen.Loader[int64, []string], id int64) ([]reference.Audience, error) {
	codes, err := ld.Load(ctx, id)
	if err != nil {
		return nil, err
	}
	ref, err := r.loaders(ctx).reference(ctx)
	if err != nil {
		return nil, err
	}
	return ref.AudiencesOf(codes), nil
}

// eventFilter reads the GraphQL event filter.
func (r *Resolver) eventFilter(ctx context.Context, filter *model.EventFilter) (event.Filter, error) {
	f := deref(filter)
	organiser, err := optionalID(ctx, "filter.organiser", typeStructure, f.Organiser)
	if err != nil {
		return event.Filter{}, err
	}
	between := deref(f.Between)
	relations := make([]period.Relation, len(f.Relations))
	for i, rel := range f.Relations {
		relations[i] = period.Relation(codeOf(rel))
	}
	return event.Filter{
		Query: deref(f.Query), Kinds: codesOf(f.Kinds), Formats: f.Formats, Statuses: codesOf(f.Statuses),
		Audiences: f.Audiences, Themes: f.Themes, Countries: f.Countries,
		From: deref(between.From), To: deref(between.To), Relations: relations, On: r.today(f.On),
		OrganiserID: organiser,
	}, nil
}
