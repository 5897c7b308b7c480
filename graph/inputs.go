package graph

import (
	"context"
	"errors"
	"strings"

	"github.com/lianes-cooperation/lianes/graph/model"
	"github.com/lianes-cooperation/lianes/internal/changes"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/support"
)

// inputs converts the GraphQL inputs to records, collecting every field in
// error: a change is checked whole, and refused whole.
type inputs struct {
	r    *Resolver
	errs []changes.FieldError
}

func (in *inputs) id(field, typ string, id *string) int64 {
	if id == nil || *id == "" {
		return 0
	}
	n, err := parseIDOf(typ, *id)
	if err != nil {
		in.errs = append(in.errs, changes.FieldError{Field: field, Message: err.Error()})
	}
	return n
}

func (in *inputs) ids(field, typ string, ids []string) []int64 {
	out := make([]int64, 0, len(ids))
	for _, id := range ids {
		if n := in.id(field, typ, &id); n != 0 {
			out = append(out, n)
		}
	}
	return out
}

// period reads a date written in French; a year left out is the clock's.
func (in *inputs) period(field string, label *string) period.Period {
	p, err := period.Parse(deref(label), in.r.Clock.Now().In(clock.Paris).Year())
	if err != nil {
		in.errs = append(in.errs, changes.FieldError{Field: field, Message: err.Error()})
	}
	return p
}

func (in *inputs) err() error {
	if len(in.errs) == 0 {
		return nil
	}
	return &changes.InvalidError{Errors: in.errs}
}

func trimmed(s *string) string { return strings.TrimSpace(deref(s)) }

func orEmpty[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func (r *Resolver) structureInput(x model.StructureInput) (*network.Structure, error) {
	return &network.Structure{Name: strings.TrimSpace(x.Name), OtherNames: orEmpty(x.OtherNames), ActorType: trimmed(x.ActorType),
		Department: trimmed(x.Department), Commune: trimmed(x.Commune), Country: strings.ToUpper(trimmed(x.Country)),
		Email: trimmed(x.Email), Phone: trimmed(x.Phone), Website: trimmed(x.Website), Description: trimmed(x.Description),
		Themes: orEmpty(x.Themes)}, nil
}

func (r *Resolver) contactInput(x model.ContactInput) (*network.Contact, error) {
	in := &inputs{r: r}
	c := &network.Contact{Name: strings.TrimSpace(x.Name), Role: trimmed(x.Role), Email: trimmed(x.Email), Phone: trimmed(x.Phone),
		Consent: deref(x.Consent), StructureID: in.id("structure", typeStructure, x.Structure)}
	return c, in.err()
}

func (r *Resolver) partnershipInput(x model.PartnershipInput) (*network.Partnership, error) {
	in := &inputs{r: r}
	p := &network.Partnership{StructureID: in.id("structure", typeStructure, &x.Structure), PartnerID: in.id("partner", typeStructure, &x.Partner),
		Kind: strings.TrimSpace(x.Kind), Since: in.period("since", x.Since), Description: trimmed(x.Description)}
	return p, in.err()
}

func (r *Resolver) projectInput(x model.ProjectInput) (*project.Project, error) {
	in := &inputs{r: r}
	status := project.StatusActive
	if x.Status != nil {
		status = projectStatusCodes([]model.ProjectStatus{*x.Status})[0]
	}
	p := &project.Project{Title: strings.TrimSpace(x.Title), Description: trimmed(x.Description), LeadID: in.id("lead", typeStructure, x.Lead),
		PartnerIDs: in.ids("partners", typeStructure, x.Partners), Countries: orEmpty(x.Countries), Themes: orEmpty(x.Themes),
		Status: status, Starts: in.period("starts", x.Starts), Ends: in.period("ends", x.Ends)}
	return p, in.err()
}

func (r *Resolver) eventInput(x model.EventInput) (*event.Event, error) {
	in := &inputs{r: r}
	status := event.StatusProvisional
	if x.Status != nil {
		status = codeOf(*x.Status)
	}
	e := &event.Event{Kind: codeOf(x.Kind), Title: strings.TrimSpace(x.Title), Format: trimmed(x.Format), Content: trimmed(x.Content),
		AudienceText: trimmed(x.AudienceText), Audiences: orEmpty(x.Audiences), Themes: orEmpty(x.Themes), Countries: orEmpty(x.Countries),
		Online: x.Online, Place: trimmed(x.Place), RegistrationURL: trimmed(x.RegistrationURL), Status: status,
		Date: in.period("date", &x.Date), Note: trimmed(x.Note), OrganiserIDs: in.ids("organisers", typeStructure, x.Organisers),
		FundingCallIDs: in.ids("fundingCalls", typeFundingCall, x.FundingCalls)}
	return e, in.err()
}

func (r *Resolver) fundingCallInput(x model.FundingCallInput) (*fundingcall.FundingCall, error) {
	in := &inputs{r: r}
	status := fundingcall.StatusActive
	if x.Status != nil {
		status = codeOf(*x.Status)
	}
	f := &fundingcall.FundingCall{Title: strings.TrimSpace(x.Title), Funder: trimmed(x.Funder), Programme: trimmed(x.Programme),
		Description: trimmed(x.Description), AudienceText: trimmed(x.AudienceText), Audiences: orEmpty(x.Audiences),
		Themes: orEmpty(x.Themes), Countries: orEmpty(x.Countries), Territory: codeOf(x.Territory),
		Opens: in.period("opens", x.Opens), Deadline: in.period("deadline", x.Deadline), Recurrence: trimmed(x.Recurrence),
		URL: trimmed(x.URL), Status: status}
	return f, in.err()
}

func (r *Resolver) supportSessionInput(x model.SupportSessionInput) (*support.Session, error) {
	in := &inputs{r: r}
	s := &support.Session{StructureID: in.id("structure", typeStructure, &x.Structure), Subject: strings.TrimSpace(x.Subject),
		Department: trimmed(x.Department), Date: in.period("date", x.Date), Staff: trimmed(x.Staff), DurationMinutes: x.DurationMinutes,
		FundingCallID: in.id("fundingCall", typeFundingCall, x.FundingCall), ProjectID: in.id("project", typeProject, x.Project)}
	return s, in.err()
}

func (r *Resolver) publicationInput(x model.PublicationInput) (*programme.Publication, error) {
	in := &inputs{r: r}
	p := &programme.Publication{Title: strings.TrimSpace(x.Title), Series: trimmed(x.Series), Kind: codeOf(x.Kind),
		Description: trimmed(x.Description), Date: in.period("date", x.Date)}
	return p, in.err()
}

// changed runs a change and returns its record by value, as the schema wants.
func changed[T any](rec *T, err error) (T, error) {
	var zero T
	if err != nil || rec == nil {
		return zero, err
	}
	return *rec, nil
}

// idOf reads the global id of a change's target.
func idOf(ctx context.Context, typ, id string) (int64, error) {
	n, err := parseIDOf(typ, id)
	if err != nil {
		return 0, inputError(ctx, "id", err)
	}
	return n, nil
}

// readErrors hands the fields an input conversion could not read to the
// change's own checks, which name them with every other wrong field; the
// change then writes nothing. Any other error stops here.
func readErrors(ctx context.Context, err error) (context.Context, error) {
	var invalid *changes.InvalidError
	if errors.As(err, &invalid) {
		return changes.WithInputErrors(ctx, invalid.Errors), nil
	}
	return ctx, err
}

// create, update and remove adapt the changes service's calls.
func createWith[I, T any](ctx context.Context, s *changes.Service, convert func(I) (*T, error), input I,
	run func(context.Context, *T) (*T, error)) (T, error) {
	if err := s.Authorize(ctx); err != nil {
		var zero T
		return zero, err
	}
	rec, err := convert(input)
	if ctx, err = readErrors(ctx, err); err != nil {
		var zero T
		return zero, err
	}
	return changed(run(ctx, rec))
}

func updateWith[I, T any](ctx context.Context, s *changes.Service, typ, id string, version int, convert func(I) (*T, error), input I,
	run func(context.Context, int64, int, *T) (*T, error)) (T, error) {
	var zero T
	if err := s.Authorize(ctx); err != nil {
		return zero, err
	}
	n, err := idOf(ctx, typ, id)
	if err != nil {
		return zero, err
	}
	rec, err := convert(input)
	if ctx, err = readErrors(ctx, err); err != nil {
		return zero, err
	}
	return changed(run(ctx, n, version, rec))
}

func deleteWith(ctx context.Context, s *changes.Service, typ, id string, version int, run func(context.Context, int64, int) error) (string, error) {
	if err := s.Authorize(ctx); err != nil {
		return "", err
	}
	n, err := idOf(ctx, typ, id)
	if err != nil {
		return "", err
	}
	if err := run(ctx, n, version); err != nil {
		return "", err
	}
	return globalID(typ, n), nil
}
