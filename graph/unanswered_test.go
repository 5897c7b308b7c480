package graph_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// TestUnansweredQuestionsAreKeptForStaffAndErasedWithTheAsker asks the bot
// what it cannot answer, then reads what it kept through GraphQL.
func TestUnansweredQuestionsAreKeptForStaffAndErasedWithTheAsker(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		a := newAPI(t, bdb)
		at := clock.Fixed(a.now)
		brain := core.New(domain.New(bdb, at), at, "")
		awa := core.Asker{Platform: "slack", ID: "U42AWA", Name: "awa", Role: access.Member, Channel: "C1"}
		for _, q := range []string{"Quelle est la météo à Lille demain ?", "blablabla xyzzy", "quels appels pour les assos ?"} {
			_, err := brain.Ask(ctx, awa, q)
			require.NoError(t, err)
		}
		_, err := brain.Ask(ctx, core.Asker{Platform: "discord", ID: "D7", Role: access.Member}, "comment adhérer à Lianes ?")
		require.NoError(t, err)

		query := `{ unansweredQuestions { totalCount nodes { platform intent text asker askedAt } } }`
		for _, role := range []access.Role{access.Anonymous, access.Member} {
			a.role = role
			resp := a.do(query, nil)
			require.NotEmpty(t, resp.Errors, role.String())
			require.Equal(t, "FORBIDDEN", resp.Errors[0].Extensions["code"], role.String())
		}
		a.role = access.Staff
		var out struct {
			UnansweredQuestions struct {
				TotalCount int
				Nodes      []struct{ Platform, Intent, Text, Asker string }
			}
		}
		a.data(query, nil, &out)
		require.Equal(t, 3, out.UnansweredQuestions.TotalCount, "the answered question is not kept")
		got := out.UnansweredQuestions.Nodes
		require.Equal(t, "comment adhérer à Lianes ?", got[0].Text, "the latest first")
		require.Equal(t, "hors_champ", got[0].Intent)
		require.Equal(t, "inconnu", got[1].Intent)
		require.Equal(t, got[1].Asker, got[2].Asker, "one person, one hash")
		require.NotContains(t, got[1].Asker, "U42AWA")
		require.NotContains(t, textValues(t, bdb), "U42AWA", "the asker's id is stored nowhere")

		// Staff cannot erase; an administrator erases one person's questions
		// and conversations, and the others stay.
		mutation := `mutation { eraseChatUser(platform: "slack", id: "U42AWA") { questions } }`
		resp := a.do(mutation, nil)
		require.Equal(t, "FORBIDDEN", resp.Errors[0].Extensions["code"])
		a.role = access.Admin
		var erased struct{ EraseChatUser struct{ Questions int } }
		a.data(mutation, nil, &erased)
		require.Equal(t, 2, erased.EraseChatUser.Questions)
		a.data(query, nil, &out)
		require.Equal(t, 1, out.UnansweredQuestions.TotalCount)
		resp = a.do(`mutation { eraseChatUser(platform: "teams", id: "U1") { questions } }`, nil)
		require.Equal(t, "BAD_USER_INPUT", resp.Errors[0].Extensions["code"])

		// Past the retention, a question is forgotten.
		later := clock.Fixed(a.now.Add(91 * 24 * time.Hour))
		_, err = core.New(domain.New(bdb, later), later, "").Ask(ctx, awa, "quel temps fait-il ?")
		require.NoError(t, err)
		a.data(query, nil, &out)
		require.Equal(t, 1, out.UnansweredQuestions.TotalCount)
		require.Equal(t, "quel temps fait-il ?", out.UnansweredQuestions.Nodes[0].Text)
	})
}
