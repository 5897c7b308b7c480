package discord

import (
	"context"
	"time"

	"github.com/bwmarrin/discordgo"
)

// SetAckWithin lets tests make every answer count as slow.
func SetAckWithin(b *Bot, d time.Duration) { b.ackWithin = d }

// OnMessage answers a gateway message as RunGateway does, the bot being botID.
func OnMessage(b *Bot, ctx context.Context, botID string, m *discordgo.MessageCreate) {
	b.onMessage(ctx, botID, m)
}

// OnInteraction answers a gateway interaction as RunGateway does.
func OnInteraction(b *Bot, ctx context.Context, i *discordgo.Interaction) { b.onInteraction(ctx, i) }
