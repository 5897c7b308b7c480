package discord_test

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/bots/core"
	discordbot "github.com/lianes-cooperation/lianes/bots/discord"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// demoClock is the demo's day, for the brain and the services alike.
var demoClock = clock.Fixed(time.Date(2021, 1, 4, 9, 0, 0, 0, clock.Paris))

var update = flag.Bool("update", false, "rewrite the golden files")

// call is a REST request the fake Discord received.
type call struct {
	Method, Path string
	ContentType  string
	Body         []byte
	At           time.Time
}

// fakeDiscord is Discord's REST API, recording calls; it can answer the
// next calls with 429s.
type fakeDiscord struct {
	*httptest.Server
	mu        sync.Mutex
	calls     []call
	throttles int
	// failFiles answers the messages with files (multipart/form-data) with
	// an error.
	failFiles bool
}

func newFakeDiscord(t *testing.T) *fakeDiscord {
	f := &fakeDiscord{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		f.calls = append(f.calls, call{Method: r.Method, Path: r.URL.Path, ContentType: r.Header.Get("Content-Type"), Body: body, At: time.Now()})
		throttle := f.throttles > 0
		if throttle {
			f.throttles--
		}
		failFiles := f.failFiles && strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/")
		f.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if failFiles {
			w.WriteHeader(http.StatusRequestEntityTooLarge)
			_, _ = io.WriteString(w, `{"message":"Request entity too large","code":40005}`)
			return
		}
		if throttle {
			w.WriteHeader(http.StatusTooManyRequests)
			_, _ = io.WriteString(w, `{"message":"You are being rate limited.","retry_after":0.2,"global":false}`)
			return
		}
		if r.Method == http.MethodPut {
			_, _ = w.Write(body) // the commands, as registered
			return
		}
		_, _ = io.WriteString(w, `{"id":"M1"}`)
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeDiscord) snapshot() []call {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]call(nil), f.calls...)
}

type env struct {
	bot  *discordbot.Bot
	srv  *httptest.Server
	rest *fakeDiscord
	priv ed25519.PrivateKey
}

func newEnv(t *testing.T, bdb *bun.DB) *env {
	t.Helper()
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	rest := newFakeDiscord(t)
	brain := core.New(domain.New(bdb, demoClock), demoClock, "https://lianes.test")
	bot, err := discordbot.New(discordbot.Config{BotToken: "token", AppID: "APP", PublicKey: hex.EncodeToString(pub),
		APIURL: rest.URL, StaffRoles: []string{"RSTAFF"}}, brain, slog.New(slog.NewTextHandler(io.Discard, nil)))
	require.NoError(t, err)
	srv := httptest.NewServer(bot.Handler())
	t.Cleanup(srv.Close)
	return &env{bot: bot, srv: srv, rest: rest, priv: priv}
}

func (e *env) send(t *testing.T, body string, ts time.Time, key ed25519.PrivateKey, tamper func(string) string) (int, map[string]any) {
	t.Helper()
	stamp := strconv.FormatInt(ts.Unix(), 10)
	sig := ed25519.Sign(key, []byte(stamp+body))
	if tamper != nil {
		body = tamper(body)
	}
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+"/discord/interactions", strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
	req.Header.Set("X-Signature-Timestamp", stamp)
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

// interactionIDs numbers the test's interactions: Discord gives each its
// own id, and the bot answers an id once.
var interactionIDs atomic.Int64

func command(name, sub string, roles []string, options ...[2]string) string {
	var opts []string
	for _, o := range options {
		opts = append(opts, fmt.Sprintf(`{"name":%q,"type":3,"value":%q}`, o[0], o[1]))
	}
	r, _ := json.Marshal(roles)
	return fmt.Sprintf(`{"id":"%d","application_id":"APP","type":2,"token":"tok","version":1,"guild_id":"G1","channel_id":"C1",
		"member":{"user":{"id":"U1","username":"marie"},"roles":%s},
		"data":{"id":"c1","name":%q,"type":1,"options":[{"name":%q,"type":1,"options":[%s]}]}}`, interactionIDs.Add(1), r, name, sub, strings.Join(opts, ","))
}

func TestSignedCommandGetsEmbeds(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		status, out := e.send(t, command("lianes", "cherche", nil, [2]string{"texte", "sénégal"}), time.Now(), e.priv, nil)
		require.Equal(t, http.StatusOK, status)
		require.EqualValues(t, 4, out["type"])
		raw, _ := json.Marshal(out)
		require.Contains(t, string(raw), "Accès à l’eau au Sénégal")
		require.Contains(t, string(raw), `"allowed_mentions":{"parse":[]}`)
		require.Contains(t, string(raw), "https://lianes.test/fiche/Event:1")
	})
}

func TestRequestsAreVerified(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, "sqlite"))
	ping := `{"id":"1","application_id":"APP","type":1,"token":"t","version":1}`
	_, other, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)

	status, out := e.send(t, ping, time.Now(), e.priv, nil)
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, map[string]any{"type": float64(1)}, out)

	for name, c := range map[string]struct {
		ts     time.Time
		key    ed25519.PrivateKey
		tamper func(string) string
	}{
		"bad signature":   {time.Now(), other, nil},
		"altered body":    {time.Now(), e.priv, func(b string) string { return strings.Replace(b, `"type":1`, `"type":2`, 1) }},
		"stale timestamp": {time.Now().Add(-6 * time.Minute), e.priv, nil},
		"future":          {time.Now().Add(6 * time.Minute), e.priv, nil},
	} {
		t.Run(name, func(t *testing.T) {
			status, _ := e.send(t, ping, c.ts, c.key, c.tamper)
			require.Equal(t, http.StatusUnauthorized, status)
		})
	}
}

func TestStaffCommandIsRefusedToMembers(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, "sqlite"))
	_, out := e.send(t, command(discordbot.StaffCommand, "annonce", nil, [2]string{"texte", "@everyone forum demain"}), time.Now(), e.priv, nil)
	raw, _ := json.Marshal(out)
	require.Contains(t, string(raw), "réservée à l'équipe")
	require.Contains(t, string(raw), `"flags":64`)
	require.NotContains(t, string(raw), "@everyone")

	_, out = e.send(t, command(discordbot.StaffCommand, "annonce", []string{"RSTAFF"}, [2]string{"texte", "forum"},
		[2]string{"quand", "demain 9h"}), time.Now(), e.priv, nil)
	raw, _ = json.Marshal(out)
	require.NotContains(t, string(raw), "réservée")
	require.Contains(t, string(raw), "Aperçu de l'annonce n° 1", "the staff get a preview")
	require.Contains(t, string(raw), "annonce envoyer 1")

	// Staff add a call; a member may not.
	text := [2]string{"texte", "Fonds eau 2021 ; date limite 15/03/2021 ; thèmes eau"}
	_, out = e.send(t, command(discordbot.StaffCommand, "appel", nil, text), time.Now(), e.priv, nil)
	raw, _ = json.Marshal(out)
	require.Contains(t, string(raw), "réservée à l'équipe")
	_, out = e.send(t, command(discordbot.StaffCommand, "appel", []string{"RSTAFF"}, text), time.Now(), e.priv, nil)
	raw, _ = json.Marshal(out)
	require.Contains(t, string(raw), "Appel à projets ajouté : Fonds eau 2021")
	require.Contains(t, string(raw), "Date limite : 15 mars 2021")
}

func TestDeferredAnswerAndRateLimit(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, "sqlite"))
	discordbot.SetAckWithin(e.bot, 0) // every answer counts as slow
	e.rest.throttles = 1              // the first follow-up gets a 429

	start := time.Now()
	status, out := e.send(t, command("lianes", "agenda", nil), time.Now(), e.priv, nil)
	require.Equal(t, http.StatusOK, status)
	require.EqualValues(t, 5, out["type"], "deferred")
	require.Less(t, time.Since(start), 2*time.Second, "nothing waits for the rate limit")

	e.bot.Wait()
	calls := e.rest.snapshot()
	require.Len(t, calls, 2, "one 429, one retry: no burst")
	for _, c := range calls {
		require.Equal(t, http.MethodPatch, c.Method)
		require.Equal(t, "/api/v9/webhooks/APP/tok/messages/@original", c.Path)
	}
	require.GreaterOrEqual(t, calls[1].At.Sub(calls[0].At), 200*time.Millisecond, "retry_after honoured")
	require.Contains(t, string(calls[1].Body), "Groupe Pays Mali")
	require.Contains(t, string(calls[1].Body), `"allowed_mentions":{"parse":[]}`)
}

func TestVoirPlusButton(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, "sqlite"))
	body := `{"id":"2","application_id":"APP","type":3,"token":"tok","version":1,"channel_id":"C1",
		"member":{"user":{"id":"U1","username":"marie"},"roles":[]},
		"data":{"custom_id":"voir_plus:agenda page 2","component_type":2}}`
	_, out := e.send(t, body, time.Now(), e.priv, nil)
	raw, _ := json.Marshal(out)
	require.Contains(t, string(raw), "Le programme Erasmus + « Initiés »")
}

func TestRegisterSendsTheCommandsWithTheStaffCommandHidden(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, "sqlite"))
	cmds, err := e.bot.Register(context.Background(), "G1")
	require.NoError(t, err)
	require.Len(t, cmds, 2)
	calls := e.rest.snapshot()
	require.Len(t, calls, 1)
	require.Equal(t, http.MethodPut, calls[0].Method)
	require.Equal(t, "/api/v9/applications/APP/guilds/G1/commands", calls[0].Path)
	var sent []map[string]any
	require.NoError(t, json.Unmarshal(calls[0].Body, &sent))
	byName := map[string]map[string]any{}
	for _, c := range sent {
		byName[c["name"].(string)] = c
	}
	require.Nil(t, byName["lianes"]["default_member_permissions"], "the members' command is visible to all")
	require.NotEmpty(t, byName[discordbot.StaffCommand]["default_member_permissions"], "hidden from members")
	require.Contains(t, string(calls[0].Body), `"name":"Eau et assainissement"`, "choices drawn from the data")
	var subs []string
	for _, o := range byName["lianes"]["options"].([]any) {
		subs = append(subs, o.(map[string]any)["name"].(string))
	}
	require.ElementsMatch(t, []string{"aide", "appels", "agenda", "cherche", "structure", "projets", "qui", "formations",
		"publications", "stats", "contact", "abonner", "desabonner", "je-suis-de", "qui-suis-je", "oublie-moi", "question"}, subs)

	// Discord refuses the whole registration for one name or description
	// beyond its limits.
	var within func(options []any)
	within = func(options []any) {
		for _, o := range options {
			opt := o.(map[string]any)
			name, desc := opt["name"].(string), opt["description"].(string)
			require.Regexp(t, `^[-_\p{Ll}\p{N}]{1,32}$`, name)
			require.LessOrEqual(t, utf8.RuneCountInString(desc), 100, name)
			choices, _ := opt["choices"].([]any)
			for _, c := range choices {
				require.LessOrEqual(t, utf8.RuneCountInString(c.(map[string]any)["name"].(string)), 100)
			}
			if sub, ok := opt["options"].([]any); ok {
				within(sub)
			}
		}
	}
	for _, c := range sent {
		require.LessOrEqual(t, utf8.RuneCountInString(c["description"].(string)), 100)
		within(c["options"].([]any))
	}

	_, err = e.bot.Register(context.Background(), "")
	require.NoError(t, err)
	require.Equal(t, "/api/v9/applications/APP/commands", e.rest.snapshot()[1].Path, "global without a guild")
}

func TestEmbedsGolden(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	brain := core.New(domain.New(bdb, demoClock), demoClock, "https://lianes.test")
	_, err = bdb.NewUpdate().TableExpr("structures").Set("name = ?", "Association @everyone *gras*").Where("name = ?", "GREF").Exec(context.Background())
	require.NoError(t, err)
	for name, question := range map[string]string{
		"agenda":  "Quels sont les prochains webinaires ?",
		"appels":  "quels appels pour les collectivités ?",
		"qui":     "qui travaille au Sénégal ?",
		"inconnu": "blablabla",
	} {
		t.Run(name, func(t *testing.T) {
			a, err := brain.Ask(context.Background(), core.Asker{}, question)
			require.NoError(t, err)
			msg := discordbot.Render(a)
			var buf bytes.Buffer
			enc := json.NewEncoder(&buf)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			require.NoError(t, enc.Encode(msg))
			path := "testdata/" + name + ".golden.json"
			if *update {
				require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
			}
			want, err := os.ReadFile(path)
			require.NoError(t, err, "run go test ./bots/discord/ -update to write it")
			require.JSONEq(t, string(want), buf.String())
			require.Contains(t, buf.String(), `"parse": []`)
			require.NotContains(t, buf.String(), "@everyone")
		})
	}
}

func TestFollowUpInTheSameChannelIsReadWithTheQuestionBeforeIt(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		status, _ := e.send(t, command("lianes", "question", nil, [2]string{"texte", "qui travaille au Sénégal ?"}), time.Now(), e.priv, nil)
		require.Equal(t, http.StatusOK, status)
		status, out := e.send(t, command("lianes", "question", nil, [2]string{"texte", "et au Maroc ?"}), time.Now(), e.priv, nil)
		require.Equal(t, http.StatusOK, status)
		raw, _ := json.Marshal(out)
		require.Contains(t, string(raw), "Lycée du Paraclet", "the follow-up keeps the intent, changes the country")
		require.Contains(t, string(raw), "Structures pays : Maroc", "answered as the same question")
	})
}
