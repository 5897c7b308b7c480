package core_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/announce"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

func TestTwoReadingsAskWhichWasMeant(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		brain := newBrain(t, bdb)
		asker := core.Asker{Platform: "test", ID: "U1", Role: access.Member}

		a, err := brain.Ask(ctx, asker, "formations ou webinaires sur l'eau ?")
		require.NoError(t, err)
		require.Equal(t, core.IntentClarify, a.Intent)
		require.Empty(t, a.Items, "no guess")
		require.Len(t, a.Actions, 2)
		require.Equal(t, "Les formations", a.Actions[0].Label)
		require.Equal(t, "L'agenda", a.Actions[1].Label)

		// Each button asks the question one way, with the same criteria.
		trainings, err := brain.Ask(ctx, asker, a.Actions[0].Command)
		require.NoError(t, err)
		require.Equal(t, core.IntentTrainings, trainings.Intent)
		require.Equal(t, "Formations « Services essentiels »", trainings.Items[0].Title)
		agenda, err := brain.Ask(ctx, asker, a.Actions[1].Command)
		require.NoError(t, err)
		require.Equal(t, core.IntentAgenda, agenda.Intent)
		require.Contains(t, agenda.Understood, "thème : Eau et assainissement")

		// A list named after "sur" is what the first is about: no question.
		a, err = brain.Ask(ctx, asker, "webinaire sur les appels à projets")
		require.NoError(t, err)
		require.Equal(t, core.IntentAgenda, a.Intent)
		a, err = brain.Ask(ctx, asker, "appel à projets erasmus")
		require.NoError(t, err)
		require.Equal(t, core.IntentCalls, a.Intent, "« à projets » names no list")
	})
}

func TestAQuestionTheBotCannotAnswerIsPassedToTheStaff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		brain := newBrain(t, bdb)
		asker := core.Asker{Platform: announce.Slack, ID: "U7", Name: "awa", Role: access.Member, Channel: "C1", Thread: "C1:1.5",
			Link: "https://slack.com/app_redirect?channel=C1"}

		// Without a staff channel, the bot gives the team's contact.
		a, err := brain.Ask(ctx, asker, "transmets à l'équipe")
		require.NoError(t, err)
		require.Equal(t, core.IntentHandoff, a.Intent)
		require.Contains(t, allText(a), "contact@lianescooperation.org")

		brain.Handoff = &announce.Target{Platform: announce.Slack, Channel: "CSTAFF"}
		a, err = brain.Ask(ctx, asker, "Quelle est la météo à Lille demain ?")
		require.NoError(t, err)
		require.Equal(t, core.IntentOutOfScope, a.Intent)
		require.Len(t, a.Actions, 1)
		require.Equal(t, "Transmettre à l'équipe", a.Actions[0].Label)

		a, err = brain.Ask(ctx, asker, "ok, transmets à l'équipe stp")
		require.NoError(t, err)
		require.Equal(t, core.IntentHandoff, a.Intent)
		require.Contains(t, a.Title, "transmis")

		// The button carries the question itself, for a conversation without memory.
		alone := asker
		alone.Thread = ""
		a, err = brain.Ask(ctx, alone, "transmettre : comment adhérer à Lianes ?")
		require.NoError(t, err)
		require.Equal(t, core.IntentHandoff, a.Intent)

		log, err := brain.Services.Announce.Log(access.WithRole(ctx, access.Staff), 10)
		require.NoError(t, err)
		require.Len(t, log, 2)
		var texts []string
		for _, an := range log {
			require.Equal(t, announce.KindHandoff, an.Kind)
			require.Len(t, an.Deliveries, 1)
			require.Equal(t, "CSTAFF", an.Deliveries[0].Channel)
			texts = append(texts, an.Text)
		}
		require.Contains(t, texts, "Question transmise par awa (slack, salon C1, https://slack.com/app_redirect?channel=C1) : « Quelle est la météo à Lille demain ? »")
		require.Contains(t, texts, "Question transmise par awa (slack, salon C1, https://slack.com/app_redirect?channel=C1) : « comment adhérer à Lianes ? »")
	})
}

var _ = bun.DB{}
