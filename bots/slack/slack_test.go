package slack_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/lianes-cooperation/lianes/bots/core"
	slackbot "github.com/lianes-cooperation/lianes/bots/slack"
	"github.com/lianes-cooperation/lianes/internal/chatfake"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
	"go.yaml.in/yaml/v3"
)

// demoClock is the demo's day, for the brain and the services alike.
var demoClock = clock.Fixed(time.Date(2021, 1, 4, 9, 0, 0, 0, clock.Paris))

var update = flag.Bool("update", false, "rewrite the golden files")

const secret = "8f742231b10e8888abcd99yyyzzz85a5"

// fakeSlack is Slack's Web API and the response_url endpoint, recording what
// the bot sends.
type fakeSlack struct {
	*httptest.Server
	mu        sync.Mutex
	posts     []url.Values
	responses []map[string]any
	failURL   bool
	opens     int
	// files receives the charts (files.getUploadURLExternal, the bytes,
	// files.completeUploadExternal).
	files *chatfake.SlackFiles
}

func newFakeSlack(t *testing.T) *fakeSlack {
	f := &fakeSlack{files: chatfake.NewSlackFiles()}
	mux := http.NewServeMux()
	f.files.Register(mux)
	mux.HandleFunc("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		f.mu.Lock()
		f.posts = append(f.posts, r.PostForm)
		f.mu.Unlock()
		_, _ = io.WriteString(w, `{"ok":true,"channel":"C1","ts":"1700000000.000100"}`)
	})
	mux.HandleFunc("/response", func(w http.ResponseWriter, r *http.Request) {
		if f.failURL {
			http.Error(w, "expired_url", http.StatusNotFound)
			return
		}
		var body map[string]any
		require.NoError(t, json.NewDecoder(r.Body).Decode(&body))
		f.mu.Lock()
		f.responses = append(f.responses, body)
		f.mu.Unlock()
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func (f *fakeSlack) postCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.posts)
}

func (f *fakeSlack) responseCount() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.responses)
}

type env struct {
	bot   *slackbot.Bot
	srv   *httptest.Server
	slack *fakeSlack
	log   *strings.Builder
}

func newEnv(t *testing.T, bdb *bun.DB) *env {
	t.Helper()
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	fake := newFakeSlack(t)
	brain := core.New(domain.New(bdb, demoClock), demoClock, "https://lianes.test")
	var log strings.Builder
	bot := slackbot.New(slackbot.Config{BotToken: "xoxb-test", SigningSecret: secret, APIURL: fake.URL, Staff: []string{"USTAFF"}},
		brain, slog.New(slog.NewTextHandler(&syncWriter{b: &log}, nil)))
	srv := httptest.NewServer(bot.Handler())
	t.Cleanup(srv.Close)
	return &env{bot: bot, srv: srv, slack: fake, log: &log}
}

type syncWriter struct {
	mu sync.Mutex
	b  *strings.Builder
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.b.Write(p)
}

// sign returns Slack's headers for body, signed with key at ts.
func sign(key, body string, ts time.Time) http.Header {
	stamp := strconv.FormatInt(ts.Unix(), 10)
	mac := hmac.New(sha256.New, []byte(key))
	fmt.Fprintf(mac, "v0:%s:%s", stamp, body)
	h := http.Header{}
	h.Set("X-Slack-Request-Timestamp", stamp)
	h.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return h
}

func (e *env) send(t *testing.T, path, contentType, body string, h http.Header) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range h {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(raw)
}

func slashBody(text, user, responseURL string) string {
	return url.Values{"command": {"/lianes"}, "text": {text}, "user_id": {user}, "user_name": {"marie"},
		"channel_id": {"C1"}, "response_url": {responseURL}}.Encode()
}

const form = "application/x-www-form-urlencoded"

func TestSignedSlashCommandGetsBlockKit(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		body := slashBody("cherche sénégal", "U1", e.slack.URL+"/response")
		status, raw := e.send(t, "/slack/commands", form, body, sign(secret, body, time.Now()))
		require.Equal(t, http.StatusOK, status, raw)
		var msg struct {
			ResponseType string           `json:"response_type"`
			Text         string           `json:"text"`
			Blocks       []map[string]any `json:"blocks"`
		}
		require.NoError(t, json.Unmarshal([]byte(raw), &msg))
		require.Equal(t, "ephemeral", msg.ResponseType)
		require.Equal(t, "header", msg.Blocks[0]["type"])
		require.Contains(t, raw, "Accès à l’eau au Sénégal")
		require.Contains(t, raw, "<https://lianes.test/fiche/Event:1|Accès à l’eau au Sénégal>")
	})
}

func TestRequestsAreVerifiedBeforeAnything(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, "sqlite"))
	body := slashBody("agenda", "U1", e.slack.URL+"/response")
	now := time.Now()
	missingV0 := sign(secret, body, now)
	missingV0.Set("X-Slack-Signature", strings.TrimPrefix(missingV0.Get("X-Slack-Signature"), "v0="))
	cases := []struct {
		name   string
		body   string
		header http.Header
		status int
	}{
		{"valid", body, sign(secret, body, now), http.StatusOK},
		{"wrong secret", body, sign("another-secret", body, now), http.StatusUnauthorized},
		{"missing v0=", body, missingV0, http.StatusUnauthorized},
		{"six minutes old", body, sign(secret, body, now.Add(-6*time.Minute)), http.StatusUnauthorized},
		{"six minutes ahead", body, sign(secret, body, now.Add(6*time.Minute)), http.StatusUnauthorized},
		{"altered body", strings.Replace(body, "agenda", "appels", 1), sign(secret, body, now), http.StatusUnauthorized},
		{"unsigned", body, http.Header{}, http.StatusUnauthorized},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, _ := e.send(t, "/slack/commands", form, c.body, c.header)
			require.Equal(t, c.status, status)
		})
	}
	require.NotContains(t, e.log.String(), secret, "secrets are never logged")

	// A replay of a valid request inside the window is not answered twice.
	h := sign(secret, body+"&x=1", now)
	status, first := e.send(t, "/slack/commands", form, body+"&x=1", h)
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, first, "blocks")
	status, second := e.send(t, "/slack/commands", form, body+"&x=1", h)
	require.Equal(t, http.StatusOK, status)
	require.Empty(t, second)
}

func eventBody(id, text string) string {
	return fmt.Sprintf(`{"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":%q,"event_time":1700000000,
		"event":{"type":"app_mention","user":"U1","text":%q,"ts":"1700000000.000100","channel":"C1","event_ts":"1700000000.000100"}}`, id, text)
}

func TestAppMentionRetriedThreeTimesIsAnsweredOnceInTheThread(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		body := eventBody("Ev1", "<@UBOT> quels sont les prochains webinaires ?")
		for retry := 0; retry < 4; retry++ {
			// Each retry is a new request: new timestamp, new signature.
			h := sign(secret, body, time.Now().Add(time.Duration(retry)*time.Second))
			if retry > 0 {
				h.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
				h.Set("X-Slack-Retry-Reason", "http_timeout")
			}
			status, _ := e.send(t, "/slack/events", "application/json", body, h)
			require.Equal(t, http.StatusOK, status)
		}
		e.bot.Wait()
		require.Equal(t, 1, e.slack.postCount())
		post := e.slack.posts[0]
		require.Equal(t, "C1", post.Get("channel"))
		require.Equal(t, "1700000000.000100", post.Get("thread_ts"), "answered in the thread")
		require.Contains(t, post.Get("blocks"), "Accès à l’eau au Sénégal")
	})
}

func TestURLVerificationAndDirectMessages(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, "sqlite"))
	body := `{"token":"x","challenge":"3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P","type":"url_verification"}`
	status, raw := e.send(t, "/slack/events", "application/json", body, sign(secret, body, time.Now()))
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P", raw)

	dm := `{"type":"event_callback","event_id":"Ev2","event":{"type":"message","channel_type":"im","user":"U1","text":"combien de collectivités ?","ts":"1700000001.000200","channel":"D1"}}`
	status, _ = e.send(t, "/slack/events", "application/json", dm, sign(secret, dm, time.Now()))
	require.Equal(t, http.StatusOK, status)
	own := `{"type":"event_callback","event_id":"Ev3","event":{"type":"message","channel_type":"im","bot_id":"B1","text":"Les chiffres du réseau","ts":"1700000002.000200","channel":"D1"}}`
	status, _ = e.send(t, "/slack/events", "application/json", own, sign(secret, own, time.Now()))
	require.Equal(t, http.StatusOK, status)
	e.bot.Wait()
	require.Equal(t, 1, e.slack.postCount(), "the bot does not answer its own messages")
	require.Contains(t, e.slack.posts[0].Get("blocks"), "179 structures de type collectivité territoriale")
}

func TestSlowAnswersFollowThroughResponseURLOrThePostAPI(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, "sqlite"))
	slackbot.SetAckWithin(e.bot, 0) // every answer counts as slow
	body := slashBody("agenda", "U1", e.slack.URL+"/response")
	status, raw := e.send(t, "/slack/commands", form, body, sign(secret, body, time.Now()))
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, raw, "Je cherche")
	e.bot.Wait()
	require.Equal(t, 1, e.slack.responseCount())
	require.Zero(t, e.slack.postCount())

	e.slack.failURL = true // response_url expired: the answer goes to the channel
	body = slashBody("appels", "U1", e.slack.URL+"/response")
	e.send(t, "/slack/commands", form, body, sign(secret, body, time.Now()))
	e.bot.Wait()
	require.Equal(t, 1, e.slack.postCount())
	require.Equal(t, "C1", e.slack.posts[0].Get("channel"))
}

func TestVoirPlusButton(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, "sqlite"))
	payload := `{"type":"block_actions","user":{"id":"U1","name":"marie"},"channel":{"id":"C1"},
		"response_url":"` + e.slack.URL + `/response","actions":[{"action_id":"voir_plus","block_id":"actions","value":"agenda page 2","type":"button"}]}`
	body := url.Values{"payload": {payload}}.Encode()
	status, _ := e.send(t, "/slack/interactions", form, body, sign(secret, body, time.Now()))
	require.Equal(t, http.StatusOK, status)
	e.bot.Wait()
	require.Equal(t, 1, e.slack.responseCount())
	raw, _ := json.Marshal(e.slack.responses[0])
	require.Contains(t, string(raw), "Le programme Erasmus + « Initiés »", "the second page of the agenda")
}

func TestStaffCommandsAreRefusedToMembers(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, "sqlite"))
	body := slashBody("annonce #general Forum demain", "U1", e.slack.URL+"/response")
	_, raw := e.send(t, "/slack/commands", form, body, sign(secret, body, time.Now()))
	require.Contains(t, raw, "Commande réservée à l'équipe")
	body = slashBody("annonce <#C42|general> demain 9h Forum des solidarités", "USTAFF", e.slack.URL+"/response")
	_, raw = e.send(t, "/slack/commands", form, body, sign(secret, body, time.Now()))
	require.NotContains(t, raw, "réservée")
	require.Contains(t, raw, "Aperçu de l'annonce n° 1", "the staff get a preview")
	require.Contains(t, raw, "Forum des solidarités")
	require.Contains(t, raw, "annonce envoyer 1")

	body = slashBody("ajouter événement Forum des solidarités ; type événement ; date 20/05/2021", "U1", e.slack.URL+"/response")
	_, raw = e.send(t, "/slack/commands", form, body, sign(secret, body, time.Now()))
	require.Contains(t, raw, "Commande réservée à l'équipe")
	body = slashBody("ajouter événement Forum des solidarités ; type événement ; date 20/05/2021", "USTAFF", e.slack.URL+"/response")
	_, raw = e.send(t, "/slack/commands", form, body, sign(secret, body, time.Now()))
	require.Contains(t, raw, "Événement ajouté : Forum des solidarités")
	require.Contains(t, raw, "Date : 20 mai 2021")
}

// TestRenderGolden keeps the Block Kit of typical answers in testdata.
func TestRenderGolden(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	brain := core.New(domain.New(bdb, demoClock), demoClock, "https://lianes.test")
	for name, question := range map[string]string{
		"agenda":  "Quels sont les prochains webinaires ?",
		"appels":  "quels appels pour les collectivités ?",
		"stats":   "combien de structures dans l'Oise ?",
		"inconnu": "blablabla",
		"mention": "@everyone <!channel> agenda",
	} {
		t.Run(name, func(t *testing.T) {
			a, err := brain.Ask(context.Background(), core.Asker{}, question)
			require.NoError(t, err)
			blocks, text := slackbot.Render(a)
			got, err := json.MarshalIndent(map[string]any{"text": text, "blocks": blocks}, "", "  ")
			require.NoError(t, err)
			path := "testdata/" + name + ".golden.json"
			if *update {
				require.NoError(t, os.WriteFile(path, append(got, '\n'), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./bots/slack/ -update to write it")
			require.JSONEq(t, string(want), string(got))
			require.NotContains(t, string(got), "<!channel>")
			require.NotContains(t, string(got), "@everyone")
			require.LessOrEqual(t, len(blocks), 50)
		})
	}
}

// TestManifestNamesTheEndpoints keeps the manifest in step with the routes.
func TestManifestNamesTheEndpoints(t *testing.T) {
	raw, err := os.ReadFile("manifest.yaml")
	require.NoError(t, err)
	var m struct {
		Features struct {
			SlashCommands []struct {
				Command, URL string
			} `yaml:"slash_commands"`
		} `yaml:"features"`
		OAuth struct {
			Scopes struct {
				Bot []string `yaml:"bot"`
			} `yaml:"scopes"`
		} `yaml:"oauth_config"`
		Settings struct {
			Events struct {
				RequestURL string   `yaml:"request_url"`
				BotEvents  []string `yaml:"bot_events"`
			} `yaml:"event_subscriptions"`
			Interactivity struct {
				RequestURL string `yaml:"request_url"`
			} `yaml:"interactivity"`
		} `yaml:"settings"`
	}
	require.NoError(t, yaml.Unmarshal(raw, &m))
	require.Equal(t, "/lianes", m.Features.SlashCommands[0].Command)
	require.True(t, strings.HasSuffix(m.Features.SlashCommands[0].URL, "/slack/commands"))
	require.True(t, strings.HasSuffix(m.Settings.Events.RequestURL, "/slack/events"))
	require.True(t, strings.HasSuffix(m.Settings.Interactivity.RequestURL, "/slack/interactions"))
	require.ElementsMatch(t, []string{"app_mention", "message.im"}, m.Settings.Events.BotEvents)
	for _, scope := range []string{"app_mentions:read", "chat:write", "commands", "im:history", "channels:history", "groups:history", "users:read.email",
		"files:write"} {
		require.Contains(t, m.OAuth.Scopes.Bot, scope)
	}
}

func TestFollowUpInAThreadIsReadWithTheQuestionBeforeIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		first := eventBody("EvF1", "<@UBOT> quels appels pour les assos ?")
		status, _ := e.send(t, "/slack/events", "application/json", first, sign(secret, first, time.Now()))
		require.Equal(t, http.StatusOK, status)
		e.bot.Wait()
		reply := `{"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"EvF2","event_time":1700000010,
		"event":{"type":"app_mention","user":"U1","text":"<@UBOT> et pour les écoles ?","ts":"1700000010.000100",
		"thread_ts":"1700000000.000100","channel":"C1","event_ts":"1700000010.000100"}}`
		status, _ = e.send(t, "/slack/events", "application/json", reply, sign(secret, reply, time.Now()))
		require.Equal(t, http.StatusOK, status)
		e.bot.Wait()
		require.Equal(t, 2, e.slack.postCount())
		second := e.slack.posts[1]
		require.Equal(t, "1700000000.000100", second.Get("thread_ts"))
		require.Contains(t, second.Get("blocks"), "établissements scolaires", "the follow-up keeps the intent, changes the audience")
		require.Contains(t, second.Get("blocks"), "Erasmus +")

		// The same words in another thread stand alone: no question before them.
		alone := `{"token":"x","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":"EvF3","event_time":1700000020,
		"event":{"type":"app_mention","user":"U1","text":"<@UBOT> et pour les écoles ?","ts":"1700000020.000100",
		"channel":"C1","event_ts":"1700000020.000100"}}`
		status, _ = e.send(t, "/slack/events", "application/json", alone, sign(secret, alone, time.Now()))
		require.Equal(t, http.StatusOK, status)
		e.bot.Wait()
		require.Equal(t, 3, e.slack.postCount())
		require.NotContains(t, e.slack.posts[2].Get("blocks"), "Appels à projets ouverts")
	})
}

func TestTwoReadingsGetTwoButtonsNamedApart(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, "sqlite"))
	body := slashBody("formations ou webinaires sur l'eau ?", "U1", e.slack.URL+"/response")
	status, raw := e.send(t, "/slack/commands", form, body, sign(secret, body, time.Now()))
	require.Equal(t, http.StatusOK, status, raw)
	var msg struct {
		Blocks []struct {
			Type     string `json:"type"`
			Elements []struct {
				ActionID string `json:"action_id"`
				Value    string `json:"value"`
			} `json:"elements"`
		} `json:"blocks"`
	}
	require.NoError(t, json.Unmarshal([]byte(raw), &msg))
	actions := msg.Blocks[len(msg.Blocks)-1]
	require.Equal(t, "actions", actions.Type)
	require.Len(t, actions.Elements, 2)
	require.Equal(t, "voir_plus", actions.Elements[0].ActionID)
	require.Equal(t, "voir_plus_1", actions.Elements[1].ActionID, "Slack refuses two buttons with one action_id")
	require.Equal(t, "formations assainissement", actions.Elements[0].Value)
	require.Equal(t, "agenda assainissement webinaires", actions.Elements[1].Value)
}
