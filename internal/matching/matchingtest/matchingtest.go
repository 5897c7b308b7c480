// Package matchingtest adds to the demo network what the "pour nous" tests
// ask about: an association of the Nord working on water in Burkina Faso,
// and calls and events that fit it, or not, or are closed to it.
package matchingtest

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/project"
)

// Names of the fixture's records.
const (
	Association = "Eau Vive Burkina Nord"
	// WaterBurkina fits best: associations, water, Burkina Faso, regional.
	WaterBurkina = "Accès à l'eau potable au Burkina Faso"
	// WaterAnywhere fits by its theme: associations, water, national.
	WaterAnywhere = "Fonds eau et assainissement"
	// Closed is about water in Burkina but open to local authorities only.
	Closed = "Eau et collectivités burkinabè"
	// Past closed before the day of the tests.
	Past = "Appel eau clos en 2020"
	// WaterEvent is an event on water in Burkina for associations.
	WaterEvent = "Rencontre des acteurs de l'eau au Burkina"
	// ClosedEvent is for local authorities only.
	ClosedEvent = "Réunion des élus sur l'eau"
)

// Fixture holds the ids of the records added.
type Fixture struct {
	Association                               int64
	WaterBurkina, WaterAnywhere, Closed, Past int64
	WaterEvent, ClosedEvent                   int64
	Project                                   int64
}

// Seed adds the fixture through the changes service (as staff), so that
// search and the other indexes know it. The demo must be seeded already;
// days are of 2021, the demo's year (the tests ask on 4 January 2021).
func Seed(t testing.TB, s *domain.Services) Fixture {
	t.Helper()
	ctx := access.WithActor(access.WithRole(context.Background(), access.Staff), "tests")
	var f Fixture
	st, err := s.Changes.CreateStructure(ctx, &network.Structure{Name: Association, ActorType: "association-locale",
		Department: "59", Commune: "Lille", Country: "FR", Themes: []string{"eau-assainissement"}})
	require.NoError(t, err)
	f.Association = st.ID
	p, err := s.Changes.CreateProject(ctx, &project.Project{Title: "Puits à Koudougou", LeadID: st.ID,
		Countries: []string{"BF"}, Themes: []string{"eau-assainissement"}, Status: project.StatusActive,
		Starts: period.NotFixed(""), Ends: period.NotFixed("")})
	require.NoError(t, err)
	f.Project = p.ID
	call := func(title string, audiences, themes, countries []string, territory string, deadline period.Date, status string) int64 {
		c, err := s.Changes.CreateFundingCall(ctx, &fundingcall.FundingCall{Title: title, Funder: "Financeur des tests",
			Audiences: audiences, Themes: themes, Countries: countries, Territory: territory, Status: status,
			Opens: period.NotFixed(""), Deadline: period.OnDay(deadline, "")})
		require.NoError(t, err)
		return c.ID
	}
	f.WaterBurkina = call(WaterBurkina, []string{"associations"}, []string{"eau-assainissement"}, []string{"BF"}, "regional",
		period.NewDate(2021, 3, 31), fundingcall.StatusActive)
	f.WaterAnywhere = call(WaterAnywhere, []string{"associations", "collectivites"}, []string{"eau-assainissement"}, nil, "national",
		period.NewDate(2021, 2, 15), fundingcall.StatusActive)
	f.Closed = call(Closed, []string{"collectivites"}, []string{"eau-assainissement"}, []string{"BF"}, "regional",
		period.NewDate(2021, 3, 1), fundingcall.StatusActive)
	f.Past = call(Past, []string{"associations"}, []string{"eau-assainissement"}, []string{"BF"}, "regional",
		period.NewDate(2020, 12, 1), fundingcall.StatusActive)
	ev := func(title string, audiences []string, day period.Date) int64 {
		e, err := s.Changes.CreateEvent(ctx, &event.Event{Kind: event.KindPublic, Title: title, Audiences: audiences,
			Themes: []string{"eau-assainissement"}, Countries: []string{"BF"}, Status: event.StatusConfirmed,
			Date: period.OnDay(day, "")})
		require.NoError(t, err)
		return e.ID
	}
	f.WaterEvent = ev(WaterEvent, []string{"associations"}, period.NewDate(2021, 2, 10))
	f.ClosedEvent = ev(ClosedEvent, []string{"collectivites"}, period.NewDate(2021, 2, 3))
	return f
}
