package main

import (
	"fmt"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/announce"
)

// handoffTarget reads LIANES_HANDOFF_CHANNEL, "slack:C0123" or
// "discord:1234": the staff's channel the bot passes unanswered questions
// to. Empty: none, and the bot gives the team's contact instead.
func handoffTarget(value string) (*announce.Target, error) {
	value = strings.TrimSpace(value)
	if value == "" {
		return nil, nil
	}
	platform, channel, ok := strings.Cut(value, ":")
	if !ok || (platform != announce.Slack && platform != announce.Discord) || channel == "" || strings.ContainsAny(channel, " <>#@") {
		return nil, fmt.Errorf("LIANES_HANDOFF_CHANNEL : « %s » attendu sous la forme slack:C0123 ou discord:1234 (le salon de l'équipe)", value)
	}
	return &announce.Target{Platform: platform, Channel: channel}, nil
}
