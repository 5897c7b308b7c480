package dataset

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/period"
)

func TestDemoDocument(t *testing.T) {
	d, err := Demo()
	require.NoError(t, err)
	require.NoError(t, Validate(d, "demo"))

	require.Len(t, d.ActorTypes, 19)
	require.Len(t, d.Departments, 5)

	kinds := map[string]int{}
	for _, e := range d.Events {
		kinds[e.Kind]++
	}
	require.Equal(t, map[string]int{event.KindWebinar: 15, event.KindWorkingGroup: 20, event.KindPublic: 6}, kinds)
	require.Len(t, d.Events, 41)

	require.Len(t, d.SupportSessions, 54)
	dated := 0
	for _, s := range d.SupportSessions {
		if s.Date.IsFixed() {
			dated++
			require.Equal(t, period.Day, s.Date.Precision)
			require.NotEmpty(t, s.Date.Time, s.Subject)
		}
	}
	require.Equal(t, 53, dated)

	byName := map[string]int64{}
	for _, s := range d.Structures {
		byName[s.Name] = s.ID
	}
	require.NotContains(t, byName, "MEL", "MEL is an other name of the Métropole Européenne de Lille")
	mel := byName["Métropole Européenne de Lille"]
	melSessions := 0
	for _, s := range d.SupportSessions {
		if s.StructureID == mel {
			melSessions++
		}
	}
	require.Equal(t, 2, melSessions, "the two identical 2 March rows are one session")

	var francophonie, amiens *event.Event
	for i := range d.Events {
		switch d.Events[i].Title {
		case "Atelier de travail « Francophonie »":
			francophonie = &d.Events[i]
		case "Ouverture de l’antenne d’Amiens":
			amiens = &d.Events[i]
		}
	}
	require.NotNil(t, francophonie)
	require.Equal(t, period.Date("2021-04-15"), francophonie.Date.From, "the table wins")
	require.Contains(t, francophonie.Note, "16 avril 2021")
	require.NotNil(t, amiens)
	require.False(t, amiens.Date.IsFixed())
	require.Equal(t, "A définir", amiens.Date.Label)

	// Mapped source types keep the source's wording beside the mapped type.
	for _, s := range d.Structures {
		switch s.Name {
		case "CERAPS":
			require.Equal(t, "institut-recherche", s.ActorType)
			require.Equal(t, "Laboratoire", s.SourceType)
		case "Chargéos":
			require.Equal(t, "entreprise", s.ActorType)
		case "Sourires d'Indonésie":
			require.Empty(t, s.ActorType, "the table gives no type: none is invented")
		}
	}

	snap := d.ObservatorySnapshots[0]
	total := 0
	for _, c := range snap.TypeCounts {
		total += c.Count
	}
	require.Equal(t, 780, total)
	depts, shares := 0, 0
	for _, c := range snap.DepartmentCounts {
		depts += c.Count
		shares += c.StructureShare
	}
	require.Equal(t, 758, depts)
	require.Equal(t, 97, shares)
	require.Len(t, d.Trainings, 4)
}

func mustPeriod(t *testing.T, label string) period.Period {
	t.Helper()
	p, err := period.Parse(label, 2021)
	require.NoError(t, err)
	return p
}
