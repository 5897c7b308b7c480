package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/chatfake"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// syncBuffer is the service's log, written by its goroutines and read by
// the test.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// served is a lianes serve running in the test.
type served struct {
	base string
	log  *syncBuffer
	stop func()
}

// serve starts lianes serve on database with the given arguments and
// waits until it answers.
func serve(t *testing.T, database string, args ...string) *served {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	log := &syncBuffer{}
	go func() {
		done <- run(ctx, append([]string{"--database", database, "--now", "2021-01-04", "serve", "--addr", addr}, args...), io.Discard, log)
	}()
	s := &served{base: "http://" + addr, log: log}
	require.Eventually(t, func() bool {
		select {
		case code := <-done:
			t.Fatalf("serve ended with %d: %s", code, log.String())
		default:
		}
		resp, err := http.Get(s.base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil
	}, 20*time.Second, 20*time.Millisecond)
	stopped := false
	s.stop = func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case code := <-done:
			require.Zero(t, code, log.String())
		case <-time.After(20 * time.Second):
			t.Fatal("serve did not stop")
		}
	}
	t.Cleanup(s.stop)
	return s
}

func (s *served) graphql(t *testing.T, token, operation, query string) (map[string]any, http.Header) {
	t.Helper()
	body, _ := json.Marshal(map[string]any{"query": query, "operationName": operation})
	req, _ := http.NewRequest(http.MethodPost, s.base+"/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	var out map[string]any
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	require.Nil(t, out["errors"], "%v", out)
	return out, resp.Header
}

// slash sends a Slack slash command signed with secret and returns the
// answer, which must be a 200.
func (s *served) slash(t *testing.T, secret, text string) string {
	t.Helper()
	status, out := s.slashStatus(t, secret, text)
	require.Equal(t, http.StatusOK, status, out)
	return out
}

func (s *served) slashStatus(t *testing.T, secret, text string) (int, string) {
	t.Helper()
	body := url.Values{"command": {"/lianes"}, "text": {text}, "user_id": {"U1"}, "user_name": {"ana"},
		"channel_id": {"C1"}, "response_url": {s.base + "/nowhere"}}.Encode()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	req, _ := http.NewRequest(http.MethodPost, s.base+"/slack/commands", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	out, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(out)
}

// scrape reads /metrics with Prometheus' own parser.
func scrape(t *testing.T, base string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(base + "/metrics")
	require.NoError(t, err)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(resp.Body)
	require.NoError(t, err)
	return families
}

// sample sums the samples of a family whose labels include want: counters'
// values, histograms' counts, gauges' values.
func sample(families map[string]*dto.MetricFamily, name string, want map[string]string) (float64, bool) {
	f := families[name]
	if f == nil {
		return 0, false
	}
	sum, found := 0.0, false
next:
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		for k, v := range want {
			if labels[k] != v {
				continue next
			}
		}
		found = true
		switch {
		case m.Counter != nil:
			sum += m.GetCounter().GetValue()
		case m.Histogram != nil:
			sum += float64(m.GetHistogram().GetSampleCount())
		case m.Gauge != nil:
			sum += m.GetGauge().GetValue()
		}
	}
	return sum, found
}

func staffToken(t *testing.T, database string) string {
	t.Helper()
	out, errOut, code := lianes(t, "--database", database, "token", "create", "--role", "staff", "--name", "ops")
	require.Zero(t, code, errOut)
	return strings.TrimSpace(out)
}

// TestMetricsCountWhatTheServiceDoes makes a GraphQL request, asks the bot
// a question and sends an announcement, then reads each counted on
// /metrics; the log has one line per request with its id, and no secret.
func TestMetricsCountWhatTheServiceDoes(t *testing.T) {
	for _, kind := range dbtest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			const signingSecret, botToken = "s3cr3t-signing-0123456789", "xoxb-bot-token-0123456789"
			fake := chatfake.NewSlack(t)
			t.Setenv("LIANES_SLACK_BOT_TOKEN", botToken)
			t.Setenv("LIANES_SLACK_SIGNING_SECRET", signingSecret)
			t.Setenv("LIANES_SLACK_API_URL", fake.URL)
			database := dbtest.URL(t, kind)
			_, errOut, code := lianes(t, "--database", database, "seed", "--demo")
			require.Zero(t, code, errOut)
			token := staffToken(t, database)
			s := serve(t, database, "--announce-every", "50ms", "--log-format", "json")

			before := scrape(t, s.base)
			_, found := sample(before, "lianes_graphql_answers_total", nil)
			require.False(t, found, "nothing answered yet")

			_, header := s.graphql(t, "", "Structures", `query Structures { structures(first: 2) { nodes { name } } }`)
			require.Regexp(t, `^[0-9a-f]{16}$`, header.Get("X-Request-Id"))
			require.Contains(t, s.slash(t, signingSecret, "appels eau"), "appel")
			s.slash(t, signingSecret, "zorglub wibble")
			s.graphql(t, token, "Annonce", `mutation Annonce { announce(input: {text: "Réunion jeudi", channels: [{platform: SLACK, channel: "C42"}]}) { id } }`)
			require.Eventually(t, func() bool { return len(fake.Messages("C42")) == 1 }, 10*time.Second, 20*time.Millisecond)

			var families map[string]*dto.MetricFamily
			require.Eventually(t, func() bool {
				families = scrape(t, s.base)
				n, _ := sample(families, "lianes_deliveries_total", map[string]string{"platform": "slack", "outcome": "sent"})
				return n == 1
			}, 10*time.Second, 20*time.Millisecond)
			count := func(name string, labels map[string]string) float64 {
				n, ok := sample(families, name, labels)
				require.True(t, ok, "%s %v missing: %v", name, labels, families[name])
				return n
			}
			require.Equal(t, 1.0, count("lianes_graphql_operation_duration_seconds", map[string]string{"operation": "Structures"}))
			require.Equal(t, 1.0, count("lianes_graphql_operation_duration_seconds", map[string]string{"operation": "Annonce"}))
			require.Equal(t, 1.0, count("lianes_graphql_answers_total", map[string]string{"answered_by": "compiled", "code": "ok"}))
			require.Equal(t, 1.0, count("lianes_graphql_answers_total", map[string]string{"answered_by": "resolvers", "code": "ok"}))
			require.GreaterOrEqual(t, count("lianes_http_request_duration_seconds", map[string]string{"route": "/graphql", "method": "POST", "status": "200"}), 2.0)
			require.Equal(t, 2.0, count("lianes_http_request_duration_seconds", map[string]string{"route": "POST /slack/commands", "status": "200"}))
			require.Equal(t, 1.0, count("lianes_bot_questions_total", map[string]string{"platform": "slack", "intent": "appels"}))
			require.Equal(t, 1.0, count("lianes_bot_not_understood_total", map[string]string{"platform": "slack"}))
			require.Equal(t, 0.0, count("lianes_outbox_waiting", nil))
			require.Equal(t, 0.0, count("lianes_outbox_oldest_due_seconds", nil))
			count("go_sql_open_connections", map[string]string{"db_name": "primary"})
			_, standby := sample(families, "go_sql_open_connections", map[string]string{"db_name": "read"})
			require.False(t, standby, "no standby configured, no pool of it")

			// The health report says Slack is configured.
			resp, err := http.Get(s.base + "/healthz")
			require.NoError(t, err)
			var health struct {
				Platforms map[string]struct{ State string } `json:"platforms"`
			}
			require.NoError(t, json.NewDecoder(resp.Body).Decode(&health))
			resp.Body.Close()
			require.Equal(t, "configuré", health.Platforms["slack"].State)

			s.stop()
			logs := s.log.String()
			requests := 0
			for _, line := range strings.Split(strings.TrimSpace(logs), "\n") {
				var entry map[string]any
				require.NoError(t, json.Unmarshal([]byte(line), &entry), "every line is JSON: %s", line)
				if entry["msg"] == "requête" {
					requests++
					require.Regexp(t, `^[0-9a-f]{16}$`, entry["request_id"], line)
				}
			}
			require.Equal(t, 4, requests, "two GraphQL requests and two slash commands; health checks and scrapes are quiet")
			for _, secret := range []string{token, signingSecret, botToken, strings.TrimPrefix(token, "lianes_")} {
				require.NotContains(t, logs, secret, "a secret reached the log")
			}
		})
	}
}

// TestNoSecretReachesTheLog configures both platforms, sends a valid and a
// wrong bearer token, signed and badly signed Slack and Discord requests
// (one carrying an interaction token), and announcements that fail, then
// looks for every secret in the log.
func TestNoSecretReachesTheLog(t *testing.T) {
	const (
		signingSecret    = "slack-signing-secret-4f8a1c"
		slackBotToken    = "xoxb-slack-bot-token-77aa"
		discordBotToken  = "discord-bot-token-Mz.X9.q"
		interactionToken = "discord-interaction-token-a1b2c3"
		wrongBearer      = "lianes_wrongtoken0123456789"
	)
	pub, priv, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	slackFake, discordFake := chatfake.NewSlack(t), chatfake.NewDiscord(t, "APP")
	slackFake.Gone("CGONE")
	discordFake.Gone("DGONE")
	t.Setenv("LIANES_SLACK_BOT_TOKEN", slackBotToken)
	t.Setenv("LIANES_SLACK_SIGNING_SECRET", signingSecret)
	t.Setenv("LIANES_SLACK_API_URL", slackFake.URL)
	t.Setenv("LIANES_DISCORD_BOT_TOKEN", discordBotToken)
	t.Setenv("LIANES_DISCORD_APP_ID", "APP")
	t.Setenv("LIANES_DISCORD_PUBLIC_KEY", hex.EncodeToString(pub))
	t.Setenv("LIANES_DISCORD_API_URL", discordFake.URL)
	database := dbtest.URL(t, "sqlite")
	_, errOut, code := lianes(t, "--database", database, "seed", "--demo")
	require.Zero(t, code, errOut)
	token := staffToken(t, database)
	s := serve(t, database, "--announce-every", "50ms", "--log-format", "json")

	s.graphql(t, token, "", `mutation { announce(input: {text: "Essai", channels: [{platform: SLACK, channel: "CGONE"}, {platform: DISCORD, channel: "DGONE"}, {platform: DISCORD, channel: "D1"}]}) { id } }`)
	s.slash(t, signingSecret, "appels eau")
	status, _ := s.slashStatus(t, "not-the-secret", "appels eau")
	require.Equal(t, http.StatusUnauthorized, status)
	req, _ := http.NewRequest(http.MethodPost, s.base+"/graphql", strings.NewReader(`{"query":"{ structures(first: 1) { totalCount } }"}`))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+wrongBearer)
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	interaction := `{"type":2,"id":"11","token":"` + interactionToken + `","application_id":"APP","channel_id":"C9",` +
		`"member":{"user":{"id":"U9","username":"ana"},"roles":[]},` +
		`"data":{"name":"lianes","options":[{"name":"question","type":1,"options":[{"name":"texte","type":3,"value":"appels eau"}]}]}}`
	for _, key := range []ed25519.PrivateKey{priv, nil} {
		stamp := strconv.FormatInt(time.Now().Unix(), 10)
		sig := make([]byte, ed25519.SignatureSize)
		if key != nil {
			sig = ed25519.Sign(key, []byte(stamp+interaction))
		}
		req, _ := http.NewRequest(http.MethodPost, s.base+"/discord/interactions", strings.NewReader(interaction))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Signature-Ed25519", hex.EncodeToString(sig))
		req.Header.Set("X-Signature-Timestamp", stamp)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		if key == nil {
			require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		} else {
			require.Equal(t, http.StatusOK, resp.StatusCode)
		}
	}
	require.Eventually(t, func() bool { return len(discordFake.Messages("D1")) == 1 }, 10*time.Second, 20*time.Millisecond)
	require.Eventually(t, func() bool { return strings.Contains(s.log.String(), "annonce refusée") }, 10*time.Second, 20*time.Millisecond)
	s.stop()

	logs := s.log.String()
	require.Contains(t, logs, `"status":401`, "the refused requests are logged")
	for _, secret := range []string{signingSecret, slackBotToken, discordBotToken, interactionToken, wrongBearer, token,
		strings.TrimPrefix(token, "lianes_"), hex.EncodeToString(priv)} {
		require.NotContains(t, logs, secret)
	}
}
