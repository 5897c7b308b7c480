package discord_test

import (
	"context"
	"crypto/ed25519"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/bots/core"
	discordbot "github.com/lianes-cooperation/lianes/bots/discord"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/replay"
)

// replica is a second server over e's database, with the same application
// key, as a second replica behind a load balancer.
func replica(t *testing.T, bdb *bun.DB, e *env) *env {
	t.Helper()
	pub := e.priv.Public().(ed25519.PublicKey)
	brain := core.New(domain.New(bdb, demoClock), demoClock, "https://lianes.test")
	bot, err := discordbot.New(discordbot.Config{BotToken: "token", AppID: "APP", PublicKey: hex.EncodeToString(pub),
		APIURL: e.rest.URL, StaffRoles: []string{"RSTAFF"}}, brain, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	srv := httptest.NewServer(bot.Handler())
	t.Cleanup(srv.Close)
	return &env{bot: bot, srv: srv, rest: e.rest, priv: e.priv}
}

// TestReplayedInteractionRunsOnceAcrossReplicas: a signed staff command
// re-sent verbatim within the five minutes, to the same replica or another
// one, adds one call (issue 14, item 8).
func TestReplayedInteractionRunsOnceAcrossReplicas(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		other := replica(t, bdb, e)
		guard := &replay.Guard{DB: bdb}
		e.bot.Replays, other.bot.Replays = guard, guard
		body := command(discordbot.StaffCommand, "appel", []string{"RSTAFF"},
			[2]string{"texte", "Fonds rejoué 2021 ; date limite 15/03/2021 ; thèmes eau"})
		signedAt := time.Now()
		status, out := e.send(t, body, signedAt, e.priv, nil)
		require.Equal(t, http.StatusOK, status)
		raw, _ := json.Marshal(out)
		require.Contains(t, string(raw), "Fonds rejoué 2021")
		for _, r := range []*env{e, other, e} {
			status, out = r.send(t, body, signedAt, e.priv, nil)
			require.Equal(t, http.StatusOK, status)
			raw, _ = json.Marshal(out)
			require.Contains(t, string(raw), "déjà été traitée")
		}
		e.bot.Wait()
		n, err := bdb.NewSelect().TableExpr("funding_calls").Where("title = ?", "Fonds rejoué 2021").Count(context.Background())
		require.NoError(t, err)
		require.EqualValues(t, 1, n)
	})
}
