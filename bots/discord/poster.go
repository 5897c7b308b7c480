package discord

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"

	"github.com/bwmarrin/discordgo"

	"github.com/lianes-cooperation/lianes/internal/announce"
)

// Poster posts announcements to Discord channels.
type Poster struct{ b *Bot }

// Poster returns the bot's poster of announcements.
func (b *Bot) Poster() *Poster { return &Poster{b: b} }

// sent is the part of Discord's message object the poster reads.
type sent struct {
	ID        string `json:"id"`
	ChannelID string `json:"channel_id"`
	GuildID   string `json:"guild_id"`
	Content   string `json:"content"`
	Author    struct {
		ID string `json:"id"`
	} `json:"author"`
}

// Post implements announce.Poster. The message carries the delivery's key as
// its nonce with enforce_nonce, so that Discord itself answers a repeated
// send of the last minutes with the message already there; discordgo's
// message type has no enforce_nonce, hence the raw request. An unsure retry
// also looks for the bot's message in the channel's recent history.
func (p *Poster) Post(ctx context.Context, m announce.Message) (announce.Posted, error) {
	if m.Unsure {
		found, err := p.find(ctx, m)
		if err != nil {
			return announce.Posted{}, classify(err)
		}
		if found != nil {
			return p.posted(found), nil
		}
	}
	body, err := p.b.session.RequestWithBucketID(http.MethodPost, discordgo.EndpointChannelMessages(m.Channel), map[string]any{
		"content": m.Text, "nonce": m.Key, "enforce_nonce": true,
		"allowed_mentions": map[string]any{"parse": []string{}},
	}, discordgo.EndpointChannelMessages(m.Channel), discordgo.WithContext(ctx))
	if err != nil {
		return announce.Posted{}, classify(err)
	}
	var msg sent
	if err := json.Unmarshal(body, &msg); err != nil {
		return announce.Posted{}, fmt.Errorf("discord: réponse illisible : %w", err)
	}
	return p.posted(&msg), nil
}

func (p *Poster) find(ctx context.Context, m announce.Message) (*sent, error) {
	body, err := p.b.session.RequestWithBucketID(http.MethodGet, discordgo.EndpointChannelMessages(m.Channel)+"?limit=100", nil,
		discordgo.EndpointChannelMessages(m.Channel), discordgo.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	var msgs []sent
	if err := json.Unmarshal(body, &msgs); err != nil {
		return nil, fmt.Errorf("discord: historique illisible : %w", err)
	}
	for i := range msgs {
		if msgs[i].Author.ID == p.b.cfg.AppID && msgs[i].Content == m.Text {
			return &msgs[i], nil
		}
	}
	return nil, nil
}

func (p *Poster) posted(m *sent) announce.Posted {
	out := announce.Posted{ID: m.ChannelID + "/" + m.ID}
	if m.GuildID != "" {
		out.Link = fmt.Sprintf("https://discord.com/channels/%s/%s/%s", m.GuildID, m.ChannelID, m.ID)
	}
	return out
}

// classify maps Discord's errors to the sender's: a 429 waits, a channel
// gone or closed to the bot is refused for good, the rest is retried.
func classify(err error) error {
	var limited *discordgo.RateLimitError
	if errors.As(err, &limited) {
		return &announce.RetryAfter{Wait: limited.RetryAfter}
	}
	var rest *discordgo.RESTError
	if errors.As(err, &rest) && rest.Response != nil {
		switch rest.Response.StatusCode {
		case http.StatusForbidden, http.StatusNotFound, http.StatusUnauthorized:
			reason := http.StatusText(rest.Response.StatusCode)
			if rest.Message != nil && rest.Message.Message != "" {
				reason = rest.Message.Message
			}
			return &announce.Refused{Reason: "Discord refuse le message : " + reason}
		}
	}
	return err
}
