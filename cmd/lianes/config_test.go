package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/chatfake"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

func TestServeNamesEveryConfigurationProblem(t *testing.T) {
	t.Setenv("LIANES_SLACK_SIGNING_SECRET", "s3cr3t-valeur")
	t.Setenv("LIANES_DISCORD_BOT_TOKEN", "token")
	t.Setenv("LIANES_DISCORD_PUBLIC_KEY", "abc")
	t.Setenv("LIANES_RATE_PER_TOKEN", "beaucoup")
	_, errOut, code := lianes(t, "--database", dbtest.URL(t, "sqlite"), "serve", "--addr", freeAddr(t),
		"--public-url", "lianes.example.org", "--database-read", "sqlite:autre.db")
	require.Equal(t, 1, code)
	for _, want := range []string{
		"configuration : Slack : LIANES_SLACK_SIGNING_SECRET est défini mais LIANES_SLACK_BOT_TOKEN manque",
		"configuration : Discord : LIANES_DISCORD_BOT_TOKEN est défini mais LIANES_DISCORD_APP_ID manque",
		"configuration : Discord : LIANES_DISCORD_PUBLIC_KEY invalide",
		"configuration : LIANES_RATE_PER_TOKEN vaut « beaucoup » : attendu un nombre entier positif ou nul",
		"configuration : --public-url (LIANES_PUBLIC_URL) « lianes.example.org » : attendu une adresse complète",
		"configuration : --database-read (LIANES_DATABASE_READ_URL) « sqlite:autre.db » : une réplique en lecture est une base PostgreSQL",
		"erreur : configuration à corriger : 6 problème(s), voir ci-dessus",
	} {
		require.Contains(t, errOut, want)
	}
	require.NotContains(t, errOut, "s3cr3t-valeur", "a problem names the setting, never its value")
}

// TestSlackAnnouncementsNeedOnlyTheBotToken: posting needs no signing
// secret, so a deployment that only announces sets the bot token alone.
func TestSlackAnnouncementsNeedOnlyTheBotToken(t *testing.T) {
	fake := chatfake.NewSlack(t)
	t.Setenv("LIANES_SLACK_BOT_TOKEN", "xoxb-annonces")
	t.Setenv("LIANES_SLACK_API_URL", fake.URL)
	database := dbtest.URL(t, "sqlite")
	token := staffToken(t, database)
	s := serve(t, database, "--announce-every", "50ms")
	s.graphql(t, token, "", `mutation { announce(input: {text: "Bienvenue", channels: [{platform: SLACK, channel: "C7"}]}) { id } }`)
	require.Eventually(t, func() bool { return len(fake.Messages("C7")) == 1 }, 10*time.Second, 20*time.Millisecond)
	require.Equal(t, "Bienvenue", fake.Messages("C7")[0].Text)

	resp, err := http.Post(s.base+"/slack/commands", "application/x-www-form-urlencoded", nil)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode, "without a signing secret nothing is received over HTTP")

	out, errOut, code := lianes(t, "healthcheck", "--addr", strings.TrimPrefix(s.base, "http://"))
	require.Zero(t, code, errOut)
	require.Equal(t, "ok\n", out)
	s.stop()
	_, errOut, code = lianes(t, "healthcheck", "--addr", strings.TrimPrefix(s.base, "http://"))
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "service injoignable")
}

// TestMetricsOnTheirOwnAddress: with --metrics-addr, /metrics is served
// there, for a private interface, and not on the service's address.
func TestMetricsOnTheirOwnAddress(t *testing.T) {
	metricsAddr := freeAddr(t)
	s := serve(t, dbtest.URL(t, "sqlite"), "--metrics-addr", metricsAddr)
	families := scrape(t, "http://"+metricsAddr)
	_, ok := sample(families, "lianes_outbox_waiting", nil)
	require.True(t, ok)
	resp, err := http.Get(s.base + "/metrics")
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusNotFound, resp.StatusCode)
}
