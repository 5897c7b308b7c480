package slack_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/replay"
)

// TestReplayedOrResignedCommandsRunOnceAcrossReplicas: a staff command sent
// again verbatim, or with its signature's hex digits in upper case (which
// Slack's verifier accepts), to the same replica or another one, adds one
// event, not three (issue 14, item 8).
func TestReplayedOrResignedCommandsRunOnceAcrossReplicas(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		other := newEnv(t, bdb) // a second replica over the same database: the demo is seeded once
		guard := &replay.Guard{DB: bdb}
		e.bot.Replays, other.bot.Replays = guard, guard
		count := func() int {
			n, err := bdb.NewSelect().TableExpr("events").Where("title = ?", "Forum des solidarités").Count(context.Background())
			require.NoError(t, err)
			return int(n)
		}
		body := slashBody("ajouter événement Forum des solidarités ; type événement ; date 20/05/2021", "USTAFF", e.slack.URL+"/response")
		h := sign(secret, body, time.Now())
		upper := h.Clone()
		upper.Set("X-Slack-Signature", "v0="+strings.ToUpper(strings.TrimPrefix(h.Get("X-Slack-Signature"), "v0=")))

		status, raw := e.send(t, "/slack/commands", form, body, h)
		require.Equal(t, http.StatusOK, status)
		require.Contains(t, raw, "Événement ajouté")
		for _, replica := range []*env{e, other} {
			for _, header := range []http.Header{h, upper} {
				status, raw = replica.send(t, "/slack/commands", form, body, header)
				require.Equal(t, http.StatusOK, status)
				require.Empty(t, raw, "a replay is acknowledged, not answered")
			}
		}
		require.Equal(t, 1, count())

		// Events: the same event id reaches two replicas, answered once.
		event := eventBody("EvReplica", "<@UBOT> quels sont les prochains webinaires ?")
		for i, replica := range []*env{e, other} {
			status, _ := replica.send(t, "/slack/events", "application/json", event, sign(secret, event, time.Now().Add(time.Duration(i)*time.Second)))
			require.Equal(t, http.StatusOK, status)
		}
		e.bot.Wait()
		other.bot.Wait()
		require.Equal(t, 1, e.slack.postCount()+other.slack.postCount())
	})
}
