package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/announce"
)

func TestHandoffChannelSetting(t *testing.T) {
	target, err := handoffTarget("slack:CSTAFF")
	require.NoError(t, err)
	require.Equal(t, &announce.Target{Platform: announce.Slack, Channel: "CSTAFF"}, target)
	target, err = handoffTarget("")
	require.NoError(t, err)
	require.Nil(t, target)
	for _, bad := range []string{"CSTAFF", "teams:C1", "slack:", "slack:<#C1>"} {
		_, err := handoffTarget(bad)
		require.ErrorContains(t, err, "LIANES_HANDOFF_CHANNEL", bad)
	}
	problems := checkConfig(func(name string) string {
		if name == "LIANES_HANDOFF_CHANNEL" {
			return "#equipe"
		}
		return ""
	}, serveSettings{})
	require.Contains(t, problems[0], "LIANES_HANDOFF_CHANNEL")
}
