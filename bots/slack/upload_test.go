package slack_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	slackbot "github.com/lianes-cooperation/lianes/bots/slack"
	"github.com/lianes-cooperation/lianes/internal/charts"
	"github.com/lianes-cooperation/lianes/internal/chatfake"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// requireChart checks that an upload is the named chart as the observatory
// draws it: a PNG of the chart's size, with its French title and alt text.
func requireChart(t *testing.T, bdb *bun.DB, name string, up chatfake.Upload) {
	t.Helper()
	c, err := charts.Load(context.Background(), domain.New(bdb, demoClock).Observatory, name)
	require.NoError(t, err)
	picture, err := png.Decode(bytes.NewReader(up.Data))
	require.NoError(t, err, "the upload is a PNG")
	w, h := c.Size()
	require.Equal(t, w, picture.Bounds().Dx())
	require.Equal(t, h, picture.Bounds().Dy())
	want, err := c.PNG()
	require.NoError(t, err)
	require.Equal(t, want, up.Data, "the same picture as /observatoire/%s.png", name)
	require.Equal(t, name+".png", up.Filename)
	require.Equal(t, c.Title, up.Title)
	require.NotEmpty(t, up.Alt)
	require.Equal(t, []rune(c.Alt)[:50], []rune(up.Alt)[:50], "the alt text says what the chart shows")
}

func TestStatsPostsItsChartInTheThread(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		body := eventBody("EvChart1", "<@UBOT> stats")
		status, _ := e.send(t, "/slack/events", "application/json", body, sign(secret, body, time.Now()))
		require.Equal(t, http.StatusOK, status)
		e.bot.Wait()
		require.Equal(t, 1, e.slack.postCount(), "the text answer is posted")
		require.Contains(t, e.slack.posts[0].Get("blocks"), "Les chiffres du réseau")
		uploads := e.slack.files.Uploads()
		require.Len(t, uploads, 1)
		require.Equal(t, "C1", uploads[0].Channel)
		require.Equal(t, "1700000000.000100", uploads[0].Thread, "in the answer's thread")
		requireChart(t, bdb, charts.Departments, uploads[0])
		require.Equal(t, "Structures et population par département", uploads[0].Title)
	})
}

func TestSlashCommandSharesItsChartInTheChannel(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		body := slashBody("combien de collectivités ?", "U1", e.slack.URL+"/response")
		status, raw := e.send(t, "/slack/commands", form, body, sign(secret, body, time.Now()))
		require.Equal(t, http.StatusOK, status)
		require.Contains(t, raw, "collectivité territoriale", "the answer is the command's response")
		e.bot.Wait()
		uploads := e.slack.files.Uploads()
		require.Len(t, uploads, 1)
		require.Equal(t, "C1", uploads[0].Channel)
		require.Empty(t, uploads[0].Thread, "a slash command has no thread")
		requireChart(t, bdb, charts.ActorTypes, uploads[0])

		// A slow answer follows through response_url, and its chart after it.
		slackbot.SetAckWithin(e.bot, 0)
		body = slashBody("stats", "U1", e.slack.URL+"/response")
		e.send(t, "/slack/commands", form, body, sign(secret, body, time.Now()))
		e.bot.Wait()
		require.Equal(t, 1, e.slack.responseCount())
		uploads = e.slack.files.Uploads()
		require.Len(t, uploads, 2)
		requireChart(t, bdb, charts.Departments, uploads[1])
	})
}

func TestAnswersWithoutChartUploadNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		body := eventBody("EvNoChart", "<@UBOT> quels sont les prochains webinaires ?")
		e.send(t, "/slack/events", "application/json", body, sign(secret, body, time.Now()))
		body = slashBody("cherche sénégal", "U1", e.slack.URL+"/response")
		e.send(t, "/slack/commands", form, body, sign(secret, body, time.Now()))
		e.bot.Wait()
		require.Equal(t, 1, e.slack.postCount())
		require.Zero(t, e.slack.files.Calls(), "no upload is even started")
	})
}

func TestChartUploadFailureKeepsTheTextAndSaysWhereTheChartIs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		e.slack.files.Fail("missing_scope") // files:write not granted
		body := eventBody("EvChartFail", "<@UBOT> stats")
		e.send(t, "/slack/events", "application/json", body, sign(secret, body, time.Now()))
		e.bot.Wait()
		require.Empty(t, e.slack.files.Uploads())
		require.Equal(t, 2, e.slack.postCount(), "the answer, then a note")
		require.Contains(t, e.slack.posts[0].Get("blocks"), "Les chiffres du réseau", "the text answer stands")
		note := e.slack.posts[1]
		require.Equal(t, "1700000000.000100", note.Get("thread_ts"), "the note is in the thread")
		require.Contains(t, note.Get("blocks"), "Le graphique n'a pas pu être joint")
		require.Contains(t, note.Get("blocks"), "https://lianes.test/observatoire")
		log := e.log.String()
		require.Contains(t, log, "graphique non envoyé")
		require.Contains(t, log, "missing_scope")
		require.Contains(t, log, "files:write", "the log names the scope to add")
		require.NotContains(t, log, "xoxb-test", "the token is never logged")

		// After a slash command, the note goes through response_url: only
		// the person who asked sees it.
		body = slashBody("stats", "U1", e.slack.URL+"/response")
		status, raw := e.send(t, "/slack/commands", form, body, sign(secret, body, time.Now()))
		require.Equal(t, http.StatusOK, status)
		require.Contains(t, raw, "Les chiffres du réseau")
		e.bot.Wait()
		require.Equal(t, 1, e.slack.responseCount())
		sent, _ := json.Marshal(e.slack.responses[0])
		require.Contains(t, string(sent), "Le graphique n'a pas pu être joint")
		require.Equal(t, 2, e.slack.postCount(), "nothing more in the channel")
	})
}
