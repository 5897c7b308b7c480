package core_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/matching/matchingtest"
)

func titles(a core.Answer) []string {
	var out []string
	for _, it := range a.Items {
		out = append(out, it.Title)
	}
	return out
}

// A member of an association working on water in Burkina asks for their
// structure: the calls that fit, ranked, with their reasons and deadlines;
// the call closed to associations is absent. Unlinked, they are asked who
// they are.
func TestPourNous(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		brain := newBrain(t, bdb)
		f := matchingtest.Seed(t, brain.Services)
		ctx := context.Background()
		member := core.Asker{Platform: "test", ID: "U1", Role: access.Member, Structure: f.Association}

		a, err := brain.Ask(ctx, member, "quels appels pour nous ?")
		require.NoError(t, err)
		require.Equal(t, core.IntentForUs, a.Intent)
		require.Equal(t, "Pour "+matchingtest.Association+" : les appels à projets ouverts qui vous correspondent", a.Title)
		got := titles(a)
		require.Equal(t, []string{matchingtest.WaterBurkina, matchingtest.WaterAnywhere}, got[:2], "best first")
		require.Equal(t, "ouvert aux associations ; thème eau et assainissement ; pays Burkina Faso ; "+
			"appel régional, pour les structures des Hauts-de-France ; date limite : 31 mars 2021", a.Items[0].Detail)
		require.Equal(t, "31 mars 2021", a.Items[0].Date)
		require.NotContains(t, got, matchingtest.Closed, "open to local authorities only")
		require.NotContains(t, got, matchingtest.Past)
		require.NotContains(t, got, "Appel à projets généraliste de la DAECT")
		require.Equal(t, []string{"profil : " + matchingtest.Association}, a.Understood)
		require.Contains(t, a.Lines[0], "thèmes : Eau et assainissement ; pays : Burkina Faso ; département : Nord")

		// The same ranking as GraphQL's: the next page goes on.
		require.Len(t, a.Items, brain.MaxItems)
		require.Equal(t, "quels appels pour nous ? page 2", a.Actions[0].Command)
		next, err := brain.Ask(ctx, member, a.Actions[0].Command)
		require.NoError(t, err)
		require.Equal(t, core.IntentForUs, next.Intent)
		require.NotEmpty(t, next.Items)
		require.NotContains(t, titles(next), got[0])

		a, err = brain.Ask(ctx, member, "nos prochains événements")
		require.NoError(t, err)
		require.Equal(t, core.IntentForUs, a.Intent)
		require.Contains(t, titles(a)[:2], matchingtest.WaterEvent)
		require.NotContains(t, titles(a), matchingtest.ClosedEvent)

		a, err = brain.Ask(ctx, member, "quoi de neuf pour notre asso ?")
		require.NoError(t, err)
		require.Equal(t, core.IntentForUs, a.Intent)
		require.Contains(t, titles(a), matchingtest.WaterBurkina)
		require.Contains(t, titles(a), matchingtest.WaterEvent)

		// Facts written in the message are read as before, not the profile.
		a, err = brain.Ask(ctx, member, "notre asso travaille au Burkina sur l'eau, quels appels ?")
		require.NoError(t, err)
		require.Equal(t, core.IntentCalls, a.Intent)

		// Unlinked: who are you?
		a, err = brain.Ask(ctx, core.Asker{Platform: "test", ID: "U2", Role: access.Member}, "quels appels pour nous ?")
		require.NoError(t, err)
		require.Equal(t, core.IntentForUs, a.Intent)
		require.Equal(t, "De quelle structure êtes-vous ?", a.Title)
		require.Contains(t, a.Lines[0], "« je suis de <nom de votre structure> »")
		require.Empty(t, a.Items)
	})
}
