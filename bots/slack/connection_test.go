package slack_test

import (
	"context"
	"io"
	"log/slog"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/bots/core"
	slackbot "github.com/lianes-cooperation/lianes/bots/slack"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// TestSocketModeReportsItsConnection: OnConnection, which feeds /healthz,
// hears the connection, its drop (the fake drops the first one) and the
// reconnection.
func TestSocketModeReportsItsConnection(t *testing.T) {
	fake := newFakeSocketMode(t)
	brain := core.New(domain.New(dbtest.Open(t, "sqlite"), demoClock), demoClock, "")
	bot := slackbot.New(slackbot.Config{BotToken: "xoxb-test", AppToken: "xapp-test", APIURL: fake.URL},
		brain, slog.New(slog.NewTextHandler(io.Discard, nil)))
	var mu sync.Mutex
	var states []bool
	bot.OnConnection = func(connected bool) {
		mu.Lock()
		defer mu.Unlock()
		states = append(states, connected)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- bot.RunSocketMode(ctx) }()
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(states) >= 3
	}, 20*time.Second, 20*time.Millisecond)
	cancel()
	require.NoError(t, <-done)
	bot.Wait()
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, []bool{true, false, true}, slices.Clip(states[:3]))
}
