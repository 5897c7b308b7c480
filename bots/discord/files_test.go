package discord_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"image/png"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bwmarrin/discordgo"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/bots/core"
	discordbot "github.com/lianes-cooperation/lianes/bots/discord"
	"github.com/lianes-cooperation/lianes/internal/charts"
	"github.com/lianes-cooperation/lianes/internal/chatfake"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

type lockedLog struct {
	mu sync.Mutex
	b  strings.Builder
}

func (l *lockedLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// newLoggedEnv is newEnv with the bot's log kept.
func newLoggedEnv(t *testing.T, bdb *bun.DB) (*env, *lockedLog) {
	t.Helper()
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	rest := newFakeDiscord(t)
	brain := core.New(domain.New(bdb, demoClock), demoClock, "https://lianes.test")
	log := &lockedLog{}
	bot, err := discordbot.New(discordbot.Config{BotToken: "token", AppID: "APP", PublicKey: hex.EncodeToString(pub),
		APIURL: rest.URL}, brain, slog.New(slog.NewTextHandler(log, nil)))
	require.NoError(t, err)
	srv := httptest.NewServer(bot.Handler())
	t.Cleanup(srv.Close)
	return &env{bot: bot, srv: srv, rest: rest, priv: priv}, log
}

// files returns the calls that carried files, parsed.
func files(t *testing.T, calls []call) []chatfake.Upload {
	t.Helper()
	var out []chatfake.Upload
	for _, c := range calls {
		if !strings.HasPrefix(c.ContentType, "multipart/") {
			continue
		}
		payload, fs, err := chatfake.ParseDiscordMultipart(c.ContentType, c.Body)
		require.NoError(t, err)
		out = append(out, chatfake.DiscordUploads(c.Path, payload, fs)...)
	}
	return out
}

// requireChart checks that an upload is the named chart as the observatory
// draws it, shown in its embed, described, and unable to ping anyone.
func requireChart(t *testing.T, bdb *bun.DB, name string, up chatfake.Upload) {
	t.Helper()
	c, err := charts.Load(context.Background(), domain.New(bdb, demoClock).Observatory, name)
	require.NoError(t, err)
	picture, err := png.Decode(bytes.NewReader(up.Data))
	require.NoError(t, err, "the attachment is a PNG")
	w, h := c.Size()
	require.Equal(t, w, picture.Bounds().Dx())
	require.Equal(t, h, picture.Bounds().Dy())
	want, err := c.PNG()
	require.NoError(t, err)
	require.Equal(t, want, up.Data, "the same picture as /observatoire/%s.png", name)
	require.Equal(t, name+".png", up.Filename)
	require.Equal(t, c.Title, up.Title)
	require.Equal(t, []rune(c.Alt)[:50], []rune(up.Alt)[:50], "the attachment's description says what the chart shows")
	raw, _ := json.Marshal(up.Payload)
	require.Contains(t, string(raw), `"url":"attachment://`+name+`.png"`, "the embed shows the picture")
	require.Contains(t, string(raw), `"allowed_mentions":{"parse":[]}`)
}

func TestStatsCommandPostsItsChartAfterTheAnswer(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		status, out := e.send(t, command("lianes", "stats", nil), time.Now(), e.priv, nil)
		require.Equal(t, http.StatusOK, status)
		require.EqualValues(t, 4, out["type"], "the answer is the response")
		raw, _ := json.Marshal(out)
		require.Contains(t, string(raw), "Les chiffres du réseau")
		e.bot.Wait()
		calls := e.rest.snapshot()
		require.Len(t, calls, 1, "one follow-up")
		require.Equal(t, http.MethodPost, calls[0].Method)
		require.Equal(t, "/api/v9/webhooks/APP/tok", calls[0].Path)
		uploads := files(t, calls)
		require.Len(t, uploads, 1)
		requireChart(t, bdb, charts.Departments, uploads[0])

		// A deferred answer edits the response, then the chart follows.
		discordbot.SetAckWithin(e.bot, 0)
		status, out = e.send(t, command("lianes", "stats", nil, [2]string{"type", "collectivite-territoriale"}), time.Now(), e.priv, nil)
		require.Equal(t, http.StatusOK, status)
		require.EqualValues(t, 5, out["type"])
		e.bot.Wait()
		calls = e.rest.snapshot()[1:]
		require.Len(t, calls, 2)
		require.Equal(t, http.MethodPatch, calls[0].Method)
		require.Equal(t, "/api/v9/webhooks/APP/tok/messages/@original", calls[0].Path)
		require.Equal(t, "/api/v9/webhooks/APP/tok", calls[1].Path)
		uploads = files(t, calls)
		require.Len(t, uploads, 1)
		requireChart(t, bdb, charts.ActorTypes, uploads[0])
	})
}

func TestGatewayAnswersPostTheirChart(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		ctx := context.Background()
		// A mention in a channel: the answer, then the chart, both replies
		// to the message.
		discordbot.OnMessage(e.bot, ctx, "UBOT", &discordgo.MessageCreate{Message: &discordgo.Message{
			ID: "M7", ChannelID: "C7", GuildID: "G1", Content: "<@UBOT> stats",
			Author: &discordgo.User{ID: "U1", Username: "marie"}, Mentions: []*discordgo.User{{ID: "UBOT"}}}})
		e.bot.Wait()
		calls := e.rest.snapshot()
		require.Len(t, calls, 2)
		for _, c := range calls {
			require.Equal(t, http.MethodPost, c.Method)
			require.Equal(t, "/api/v9/channels/C7/messages", c.Path)
		}
		require.Equal(t, "application/json", calls[0].ContentType, "the text first")
		require.Contains(t, string(calls[0].Body), "Les chiffres du réseau")
		uploads := files(t, calls)
		require.Len(t, uploads, 1)
		requireChart(t, bdb, charts.Departments, uploads[0])
		raw, _ := json.Marshal(uploads[0].Payload["message_reference"])
		require.Contains(t, string(raw), `"message_id":"M7"`, "a reply to the question")

		// A command over the gateway: the interaction's callback, then the
		// chart as a follow-up.
		var i discordgo.Interaction
		require.NoError(t, json.Unmarshal([]byte(command("lianes", "stats", nil)), &i))
		discordbot.OnInteraction(e.bot, ctx, &i)
		e.bot.Wait()
		calls = e.rest.snapshot()[2:]
		require.Len(t, calls, 2)
		require.Equal(t, "/api/v9/interactions/"+i.ID+"/tok/callback", calls[0].Path)
		require.Equal(t, "/api/v9/webhooks/APP/tok", calls[1].Path)
		uploads = files(t, calls)
		require.Len(t, uploads, 1)
		requireChart(t, bdb, charts.Departments, uploads[0])
	})
}

func TestAnswersWithoutChartAttachNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		_, out := e.send(t, command("lianes", "agenda", nil), time.Now(), e.priv, nil)
		require.EqualValues(t, 4, out["type"])
		discordbot.OnMessage(e.bot, context.Background(), "UBOT", &discordgo.MessageCreate{Message: &discordgo.Message{
			ID: "M8", ChannelID: "D8", Content: "qui travaille au Sénégal ?", Author: &discordgo.User{ID: "U1"}}})
		e.bot.Wait()
		calls := e.rest.snapshot()
		require.Len(t, calls, 1, "the message's answer only")
		require.Empty(t, files(t, calls))
	})
}

func TestChartFailureKeepsTheAnswerAndSaysWhereTheChartIs(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e, log := newLoggedEnv(t, bdb)
		e.rest.failFiles = true
		status, out := e.send(t, command("lianes", "stats", nil), time.Now(), e.priv, nil)
		require.Equal(t, http.StatusOK, status)
		raw, _ := json.Marshal(out)
		require.Contains(t, string(raw), "Les chiffres du réseau", "the answer stands")
		e.bot.Wait()
		calls := e.rest.snapshot()
		require.Len(t, calls, 2, "the chart refused, then a note")
		require.True(t, strings.HasPrefix(calls[0].ContentType, "multipart/form-data"))
		require.Equal(t, "/api/v9/webhooks/APP/tok", calls[1].Path)
		require.Contains(t, string(calls[1].Body), "Le graphique n'a pas pu être joint")
		require.Contains(t, string(calls[1].Body), "https://lianes.test/observatoire")
		require.Contains(t, string(calls[1].Body), `"allowed_mentions":{"parse":[]}`)
		text := log.String()
		require.Contains(t, text, "graphique non envoyé")
		require.Contains(t, text, "Request entity too large")
		require.NotContains(t, text, "/webhooks/APP/tok", "the interaction's token is never logged")
		require.NotContains(t, text, "Bot token")
	})
}
