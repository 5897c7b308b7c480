package slack_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/bots/core"
	slackbot "github.com/lianes-cooperation/lianes/bots/slack"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// FuzzSlashCommandText sends any text, signed, as a member's and as the
// staff's slash command: the bot answers 200 with a message (or nothing,
// for a replay), never fails or panics.
func FuzzSlashCommandText(f *testing.F) {
	for _, seed := range []string{"cherche sénégal", "agenda", "", "\x00", "ajouter appel ; date limite 45/13/2021", "<@U1> <#C1|x> &amp;",
		"ajouter événement " + strings.Repeat("x", 5000), "annonce #général demain 9h forum", "\xff\xfe", "appels eau santé jeunesse mali " + strings.Repeat("mot ", 200)} {
		f.Add(seed, false)
		f.Add(seed, true)
	}
	bdb := dbtest.Open(f, "sqlite")
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(f, err)
	brain := core.New(domain.New(bdb, demoClock), demoClock, "https://lianes.test")
	bot := slackbot.New(slackbot.Config{BotToken: "xoxb-test", SigningSecret: secret, APIURL: "http://127.0.0.1:1/", Staff: []string{"USTAFF"}},
		brain, slog.New(slog.NewTextHandler(io.Discard, nil)))
	h := bot.Handler()
	f.Fuzz(func(t *testing.T, text string, staff bool) {
		user := "U1"
		if staff {
			user = "USTAFF"
		}
		body := slashBody(text, user, "http://127.0.0.1:1/response")
		req := httptest.NewRequest(http.MethodPost, "/slack/commands", strings.NewReader(body))
		for k, v := range sign(secret, body, time.Now()) {
			req.Header[k] = v
		}
		req.Header.Set("Content-Type", form)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Equal(t, http.StatusOK, rec.Code, rec.Body.String())
		if rec.Body.Len() > 0 {
			require.True(t, json.Valid(rec.Body.Bytes()), rec.Body.String())
		}
	})
	bot.Wait()
}
