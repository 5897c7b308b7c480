package main

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/chatfake"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// asBinary makes the test binary run as lianes itself, so that a test can
// start replicas as separate processes without building anything.
const asBinary = "LIANES_TEST_RUN_AS_LIANES"

func TestMain(m *testing.M) {
	if os.Getenv(asBinary) == "1" {
		main() // exits
	}
	os.Exit(m.Run())
}

// replica is a lianes serve in a process of its own.
type replica struct {
	base string
	log  *syncBuffer
	stop func()
}

func startReplica(t *testing.T, database string, env []string, args ...string) *replica {
	t.Helper()
	addr := freeAddr(t)
	cmd := exec.Command(os.Args[0], append([]string{"--database", database, "--log-format", "json", "serve", "--addr", addr}, args...)...)
	cmd.Env = append(append(os.Environ(), asBinary+"=1"), env...)
	r := &replica{base: "http://" + addr, log: &syncBuffer{}}
	cmd.Stdout, cmd.Stderr = io.Discard, r.log
	require.NoError(t, cmd.Start())
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stopped := false
	r.stop = func() {
		if stopped {
			return
		}
		stopped = true
		_ = cmd.Process.Signal(os.Interrupt) // SIGINT: requests and answers in flight finish
		select {
		case err := <-exited:
			require.NoError(t, err, r.log.String())
		case <-time.After(30 * time.Second):
			_ = cmd.Process.Kill()
			t.Fatalf("replica %s did not stop: %s", addr, r.log.String())
		}
	}
	t.Cleanup(r.stop)
	require.Eventually(t, func() bool {
		resp, err := http.Get(r.base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == http.StatusOK
	}, 30*time.Second, 20*time.Millisecond, "replica %s: %s", addr, r.log)
	return r
}

// roundRobin is a load balancer on the loopback that sends each request to
// the next replica and says which in X-Replica.
func roundRobin(t *testing.T, replicas ...*replica) string {
	t.Helper()
	var proxies []*httputil.ReverseProxy
	for _, r := range replicas {
		u, err := url.Parse(r.base)
		require.NoError(t, err)
		proxies = append(proxies, httputil.NewSingleHostReverseProxy(u))
	}
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		i := int((n.Add(1) - 1) % int64(len(proxies)))
		w.Header().Set("X-Replica", strconv.Itoa(i))
		proxies[i].ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// signedPost is a request signed as Slack signs, with its own timestamp.
func signedPost(t *testing.T, secret, target, contentType, body string, header http.Header) *http.Request {
	t.Helper()
	ts := strconv.FormatInt(time.Now().Unix(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	fmt.Fprintf(mac, "v0:%s:%s", ts, body)
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(body))
	require.NoError(t, err)
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("X-Slack-Request-Timestamp", ts)
	req.Header.Set("X-Slack-Signature", "v0="+hex.EncodeToString(mac.Sum(nil)))
	return req
}

// send sends a request and returns the status, the replica that answered
// and the body.
func send(t *testing.T, req *http.Request) (int, string, string) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("X-Replica"), string(body)
}

func mention(eventID, channel, ts, threadTS, text string) string {
	thread := ""
	if threadTS != "" {
		thread = fmt.Sprintf(`,"thread_ts":%q`, threadTS)
	}
	return fmt.Sprintf(`{"token":"t","team_id":"T1","api_app_id":"A1","type":"event_callback","event_id":%q,"event_time":1,`+
		`"event":{"type":"app_mention","user":"U1","text":"<@UBOT> %s","ts":%q,"channel":%q,"event_ts":%q%s}}`,
		eventID, text, ts, channel, ts, thread)
}

// TestTwoReplicasBehindARoundRobinBalancer starts two lianes serve processes
// on one PostgreSQL database behind a round-robin proxy: a Slack event and
// its retries are answered once, a replayed signed request is refused by the
// other replica, a follow-up reaching the other replica is understood in
// its thread's context, a Discord interaction delivered to both is run by
// one, and a client over its limit is refused by both.
func TestTwoReplicasBehindARoundRobinBalancer(t *testing.T) {
	const secret = "two-replicas-signing-secret"
	database := dbtest.URL(t, "postgres")
	_, errOut, code := lianes(t, "--database", database, "seed", "--demo")
	require.Zero(t, code, errOut)
	fake := chatfake.NewSlack(t)
	pub, priv, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	env := []string{"LIANES_SLACK_BOT_TOKEN=xoxb-replicas", "LIANES_SLACK_SIGNING_SECRET=" + secret, "LIANES_SLACK_API_URL=" + fake.URL,
		"LIANES_DISCORD_BOT_TOKEN=discord-replicas", "LIANES_DISCORD_APP_ID=APP", "LIANES_DISCORD_PUBLIC_KEY=" + hex.EncodeToString(pub),
		"LIANES_DISCORD_API_URL=" + chatfake.NewDiscord(t, "APP").URL}
	a := startReplica(t, database, env, "--rate-per-address", "4")
	b := startReplica(t, database, env, "--rate-per-address", "4")
	lb := roundRobin(t, a, b)
	events := lb + "/slack/events"

	// A Slack event and its two retries, to replica 0, 1, 0.
	for retry := range 3 {
		header := http.Header{}
		if retry > 0 {
			header.Set("X-Slack-Retry-Num", strconv.Itoa(retry))
			header.Set("X-Slack-Retry-Reason", "http_timeout")
		}
		status, served, _ := send(t, signedPost(t, secret, events, "application/json",
			mention("Ev1", "C1", "100.000100", "", "quels appels pour les écoles ?"), header))
		require.Equal(t, http.StatusOK, status)
		require.Equal(t, strconv.Itoa(retry%2), served)
	}
	require.Eventually(t, func() bool { return len(fake.Messages("C1")) >= 1 }, 20*time.Second, 20*time.Millisecond)

	// The follow-up in the same thread reaches replica 1; the same words in a
	// new thread, replica 0, are read without context.
	status, served, _ := send(t, signedPost(t, secret, events, "application/json",
		mention("Ev2", "C1", "101.000100", "100.000100", "et pour les assos ?"), nil))
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "1", served)
	status, served, _ = send(t, signedPost(t, secret, events, "application/json",
		mention("Ev3", "C2", "102.000100", "", "et pour les assos ?"), nil))
	require.Equal(t, http.StatusOK, status)
	require.Equal(t, "0", served)
	require.Eventually(t, func() bool { return len(fake.Messages("C1")) >= 2 && len(fake.Messages("C2")) >= 1 },
		20*time.Second, 20*time.Millisecond)

	// A signed slash command, then the very same request replayed: the
	// replica that gets the replay acknowledges it and runs nothing.
	slash := signedPost(t, secret, lb+"/slack/commands", "application/x-www-form-urlencoded",
		url.Values{"command": {"/lianes"}, "text": {"aide"}, "user_id": {"U1"}, "channel_id": {"C3"}, "response_url": {lb + "/nulle-part"}}.Encode(), nil)
	body, _ := io.ReadAll(slash.Body)
	replay := slash.Clone(slash.Context())
	slash.Body, replay.Body = io.NopCloser(strings.NewReader(string(body))), io.NopCloser(strings.NewReader(string(body)))
	status, first, answer := send(t, slash)
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, answer, "Voici ce que je sais faire")
	status, second, replayed := send(t, replay)
	require.Equal(t, http.StatusOK, status)
	require.NotEqual(t, first, second, "the replay reaches the other replica")
	require.Empty(t, replayed, "the replay is acknowledged, not answered")

	// A Discord interaction delivered twice, to each replica: one runs it.
	interaction := `{"type":2,"id":"I1","token":"tok","application_id":"APP","channel_id":"D1",` +
		`"member":{"user":{"id":"U9","username":"ana"},"roles":[]},"data":{"name":"lianes","options":[{"name":"aide","type":1}]}}`
	stamp := strconv.FormatInt(time.Now().Unix(), 10)
	signature := hex.EncodeToString(ed25519.Sign(priv, []byte(stamp+interaction)))
	var discordAnswers, discordReplicas []string
	for range 2 {
		req, err := http.NewRequest(http.MethodPost, lb+"/discord/interactions", strings.NewReader(interaction))
		require.NoError(t, err)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Signature-Ed25519", signature)
		req.Header.Set("X-Signature-Timestamp", stamp)
		status, served, body := send(t, req)
		require.Equal(t, http.StatusOK, status, body)
		discordAnswers, discordReplicas = append(discordAnswers, body), append(discordReplicas, served)
	}
	require.ElementsMatch(t, []string{"0", "1"}, discordReplicas)
	require.Contains(t, discordAnswers[0], "Voici ce que je sais faire")
	require.Contains(t, discordAnswers[1], "Cette interaction a déjà été traitée.")
	require.NotContains(t, discordAnswers[1], "Voici ce que je sais faire")

	// What each replica answered, from its own metrics.
	questions := func(r *replica) map[string]float64 {
		out := map[string]float64{}
		families := scrape(t, r.base)
		for _, intent := range []string{"appels", "qui", "aide"} {
			out[intent], _ = sample(families, "lianes_bot_questions_total", map[string]string{"platform": "slack", "intent": intent})
		}
		return out
	}
	require.Equal(t, map[string]float64{"appels": 1, "qui": 1, "aide": boolCount(first == "0")}, questions(a),
		"replica 0: the event once (not its retry), the new thread's words as a question of their own")
	require.Equal(t, map[string]float64{"appels": 1, "qui": 0, "aide": boolCount(first == "1")}, questions(b),
		"replica 1: the follow-up, understood in its thread as a question about calls; not the retry")

	// A client over its limit (4 a minute) is refused whichever replica it
	// reaches. The limit counts per minute: a run that straddles a minute
	// is played again in the next.
	for attempt := 0; ; attempt++ {
		start := time.Now().Truncate(time.Minute)
		var statuses, replicas []string
		for range 6 {
			req, _ := http.NewRequest(http.MethodGet, lb+"/graphql?query="+url.QueryEscape("{ __typename }"), nil)
			status, served, _ := send(t, req)
			statuses, replicas = append(statuses, strconv.Itoa(status)), append(replicas, served)
		}
		if !time.Now().Truncate(time.Minute).Equal(start) && attempt == 0 {
			continue
		}
		require.Equal(t, []string{"200", "200", "200", "200", "429", "429"}, statuses)
		require.ElementsMatch(t, []string{"0", "1"}, replicas[4:], "each replica refuses")
		break
	}

	a.stop()
	b.stop()
	require.Len(t, fake.Messages("C1"), 2, "after both replicas stopped, with every answer in flight sent: the event once, the follow-up once")
	require.Len(t, fake.Messages("C2"), 1)
	for _, r := range []*replica{a, b} {
		require.NotContains(t, r.log.String(), secret)
	}
}

func boolCount(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
