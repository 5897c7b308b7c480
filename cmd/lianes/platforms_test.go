package main

import (
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/announce"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/web"
)

// TestPlatformStatesFollowConnectionsAndPosts: what /healthz says of each
// platform moves with the bots' connections and the announcement posts.
func TestPlatformStatesFollowConnectionsAndPosts(t *testing.T) {
	c := clock.NewShifted(time.Date(2021, 1, 4, 9, 0, 0, 0, time.UTC))
	services := domain.New(dbtest.Open(t, "sqlite"), c)
	ops := newOperations(slog.New(slog.NewTextHandler(io.Discard, nil)), c, services, services)
	state := func(p string) string {
		s, ok := ops.platforms.Get(p)
		require.True(t, ok, p)
		return s.State
	}

	require.Nil(t, ops.platformConfigured(announce.Discord, false), "an HTTP endpoint has no connection to follow")
	require.Equal(t, web.PlatformConfigured, state(announce.Discord))
	socket := ops.platformConfigured(announce.Slack, true)
	require.Equal(t, web.PlatformConnecting, state(announce.Slack))
	socket(true)
	require.Equal(t, web.PlatformConnected, state(announce.Slack))
	socket(false)
	require.Equal(t, web.PlatformFailing, state(announce.Slack))
	ops.observeDelivery(announce.Slack, announce.OutcomeSent, nil)
	require.Equal(t, web.PlatformFailing, state(announce.Slack), "a post does not mend a dropped connection")
	socket(true)
	require.Equal(t, web.PlatformConnected, state(announce.Slack))

	ops.observeDelivery(announce.Slack, announce.OutcomeRetried, errors.New("délai dépassé"))
	require.Equal(t, web.PlatformFailing, state(announce.Slack))
	ops.observeDelivery(announce.Slack, announce.OutcomeSent, nil)
	require.Equal(t, web.PlatformConnected, state(announce.Slack), "mended, and still connected")

	ops.observeDelivery(announce.Discord, announce.OutcomeFailed, &announce.Refused{Reason: "Unknown Channel"})
	require.Equal(t, web.PlatformConfigured, state(announce.Discord), "a channel gone is that channel's problem")
	ops.observeDelivery(announce.Discord, announce.OutcomeRetried, errors.New("délai dépassé"))
	failing, _ := ops.platforms.Get(announce.Discord)
	require.Equal(t, web.PlatformFailing, failing.State)
	require.Equal(t, "le dernier envoi d'annonce a échoué", failing.Reason, "a fixed sentence, never the platform's error")
	ops.observeDelivery(announce.Discord, announce.OutcomeSent, nil)
	require.Equal(t, web.PlatformConfigured, state(announce.Discord), "the next post that goes through mends it")
}
