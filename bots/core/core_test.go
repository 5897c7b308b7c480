package core_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

func exported(t *testing.T, bdb *bun.DB) string {
	t.Helper()
	d, err := dataset.Export(context.Background(), bdb)
	require.NoError(t, err)
	var b strings.Builder
	require.NoError(t, d.WriteJSON(&b))
	return b.String()
}

func allText(a core.Answer) string {
	parts := []string{a.Title}
	parts = append(parts, a.Lines...)
	for _, it := range a.Items {
		parts = append(parts, it.Title, it.Detail, it.Date)
	}
	for _, act := range a.Actions {
		parts = append(parts, act.Label, act.Command)
	}
	return strings.Join(parts, "\n")
}

func TestHostileAndEmptyInputsGetCalmAnswers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		brain := newBrain(t, bdb)
		before := exported(t, bdb)
		ask := func(text string) core.Answer {
			a, err := brain.Ask(context.Background(), core.Asker{Platform: "test", Role: access.Member}, text)
			require.NoError(t, err)
			require.NotEmpty(t, a.Title)
			return a
		}
		for _, text := range []string{
			"", " ", "\n\t", "?!", "@everyone", "@here appels", "<!channel> <!here> <@U123> <#C42>",
			"**gras** _italique_ `code` ~barré~ [lien](http://x)", "<script>alert('x')</script>",
			"'; DROP TABLE structures; --", "appels' OR 1=1 --", "\x00\x01\x02", "🙂🙂🙂",
			"quels appels @everyone pour les assos ?",
		} {
			a := ask(text)
			out := allText(a)
			for _, bad := range []string{"@everyone", "@here", "<!channel>", "<!here>", "<@U123>", "<script>", "DROP TABLE", "**gras**"} {
				require.NotContains(t, out, bad, "answer to %q", text)
			}
		}
		long := ask(strings.Repeat("appels pour les assos ", 400))
		require.Equal(t, core.IntentTooLong, long.Intent)
		require.Empty(t, long.Items)

		a := ask("quels appels @everyone pour les assos ?")
		require.Equal(t, core.IntentCalls, a.Intent, "the mention is dropped, the question answered")
		require.Equal(t, before, exported(t, bdb), "nothing is ever changed")
	})
}

func TestDataNeverMentionsAnyone(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	brain := newBrain(t, bdb)
	_, err := bdb.NewUpdate().TableExpr("events").Set("title = ?", "Webinaire @everyone <!channel> <@U1>").
		Where("id = 1").Exec(context.Background())
	require.NoError(t, err)
	a, err := brain.Ask(context.Background(), core.Asker{Role: access.Member}, "prochains webinaires")
	require.NoError(t, err)
	out := allText(a)
	require.Contains(t, out, "Webinaire @\u200beveryone")
	require.NotContains(t, out, "@everyone")
	require.NotContains(t, out, "<!channel>")
	require.NotContains(t, out, "<@U1>")
}

func TestVoirPlusPagesThrough(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	brain := newBrain(t, bdb)
	ctx := context.Background()
	a, err := brain.Ask(ctx, core.Asker{Role: access.Member}, "agenda")
	require.NoError(t, err)
	require.Len(t, a.Items, brain.MaxItems)
	require.Len(t, a.Actions, 1)
	require.Equal(t, "voir plus", a.Actions[0].Label)
	require.Equal(t, "agenda page 2", a.Actions[0].Command)
	next, err := brain.Ask(ctx, core.Asker{Role: access.Member}, a.Actions[0].Command)
	require.NoError(t, err)
	require.NotEqual(t, a.Items[0].ID, next.Items[0].ID)
	require.Equal(t, "Le programme Erasmus + « Initiés »", next.Items[0].Title,
		"the ninth event of the agenda opens the second page")
}
