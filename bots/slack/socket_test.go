package slack_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/bots/core"
	slackbot "github.com/lianes-cooperation/lianes/bots/slack"
	"github.com/lianes-cooperation/lianes/internal/chatfake"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// fakeSocketMode is Slack's Socket Mode: apps.connections.open gives a
// WebSocket URL; each connection says hello and delivers one mention; the
// first connection is then dropped, as Slack does when it rotates hosts.
type fakeSocketMode struct {
	*httptest.Server
	mu    sync.Mutex
	opens int
	acks  []string
	posts []string
	files *chatfake.SlackFiles
}

func (f *fakeSocketMode) counts() (opens, acks, posts int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.opens, len(f.acks), len(f.posts)
}

func newFakeSocketMode(t *testing.T) *fakeSocketMode {
	f := &fakeSocketMode{files: chatfake.NewSlackFiles()}
	upgrader := websocket.Upgrader{CheckOrigin: func(*http.Request) bool { return true }}
	mux := http.NewServeMux()
	f.files.Register(mux)
	mux.HandleFunc("/apps.connections.open", func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.opens++
		n := f.opens
		f.mu.Unlock()
		fmt.Fprintf(w, `{"ok":true,"url":"ws://%s/ws?n=%d"}`, r.Host, n)
	})
	mux.HandleFunc("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
		_ = r.ParseForm()
		f.mu.Lock()
		f.posts = append(f.posts, r.PostForm.Get("blocks"))
		f.mu.Unlock()
		_, _ = io.WriteString(w, `{"ok":true,"channel":"C1","ts":"1700000000.000900"}`)
	})
	mux.HandleFunc("/ws", func(w http.ResponseWriter, r *http.Request) {
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer conn.Close()
		n := r.URL.Query().Get("n")
		_ = conn.WriteMessage(websocket.TextMessage, []byte(`{"type":"hello","num_connections":1,"connection_info":{"app_id":"A1"},"debug_info":{"host":"fake"}}`))
		envelope := fmt.Sprintf(`{"envelope_id":"env-%s","type":"events_api","accepts_response_payload":false,"retry_attempt":0,
			"payload":{"type":"event_callback","event_id":"EvSock%s","event":{"type":"app_mention","user":"U1",
			"text":"<@UBOT> combien de structures dans l'Oise ?","ts":"1700000000.00010%s","channel":"C1"}}}`, n, n, n)
		_ = conn.WriteMessage(websocket.TextMessage, []byte(envelope))
		_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
		_, ack, err := conn.ReadMessage()
		if err == nil {
			f.mu.Lock()
			f.acks = append(f.acks, string(ack))
			f.mu.Unlock()
		}
		if n == "1" {
			return // drop the first connection
		}
		for { // keep the second one open until the client leaves
			if _, _, err := conn.ReadMessage(); err != nil {
				return
			}
		}
	})
	f.Server = httptest.NewServer(mux)
	t.Cleanup(f.Close)
	return f
}

func TestSocketModeAnswersAndReconnects(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	fake := newFakeSocketMode(t)
	brain := core.New(domain.New(bdb, demoClock), demoClock, "")
	bot := slackbot.New(slackbot.Config{BotToken: "xoxb-test", AppToken: "xapp-test", APIURL: fake.URL},
		brain, slog.New(slog.NewTextHandler(io.Discard, nil)))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- bot.RunSocketMode(ctx) }()

	require.Eventually(t, func() bool {
		opens, acks, posts := fake.counts()
		return opens >= 2 && acks >= 2 && posts >= 2
	}, 20*time.Second, 20*time.Millisecond, "a mention on each connection, the second after the drop")
	cancel()
	require.NoError(t, <-done)
	bot.Wait()
	fake.mu.Lock()
	defer fake.mu.Unlock()
	require.Contains(t, fake.acks[0], `"envelope_id":"env-1"`)
	require.Contains(t, fake.posts[0], "69 structures dans le département Oise")
	require.True(t, strings.Contains(fake.acks[1], "env-2"))
	// Each answer's chart follows it in its thread.
	uploads := fake.files.Uploads()
	require.Len(t, uploads, 2)
	require.Equal(t, "departements.png", uploads[0].Filename)
	require.Equal(t, "C1", uploads[0].Channel)
	require.ElementsMatch(t, []string{"1700000000.000101", "1700000000.000102"}, []string{uploads[0].Thread, uploads[1].Thread})
}
