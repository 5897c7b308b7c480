package slack

import (
	"context"
	"errors"
	"fmt"

	"github.com/slack-go/slack"

	"github.com/lianes-cooperation/lianes/internal/announce"
)

// metadataType marks the bot's announcements in Slack's message metadata:
// the key it carries lets a retry find a message already posted.
const metadataType = "lianes_annonce"

// historyDepth is how many of a channel's latest messages a retry searches
// for an announcement already posted: an unsure retry follows the first
// attempt within minutes, in channels where announcements are rare.
const historyDepth = 200

// Poster posts announcements to Slack channels.
type Poster struct{ api *slack.Client }

// Poster returns the bot's poster of announcements.
func (b *Bot) Poster() *Poster { return &Poster{api: b.api} }

// Post implements announce.Poster.
func (p *Poster) Post(ctx context.Context, m announce.Message) (announce.Posted, error) {
	if m.Unsure {
		ts, err := p.find(ctx, m)
		if err != nil {
			return announce.Posted{}, classify(err)
		}
		if ts != "" {
			return p.posted(ctx, m.Channel, ts), nil
		}
	}
	// Escaped (&, <, >): a record's title or a staff text can name a channel
	// or a link, never ping one (<!channel>, <@U…>).
	_, ts, err := p.api.PostMessageContext(ctx, m.Channel, slack.MsgOptionText(m.Text, true),
		slack.MsgOptionDisableLinkUnfurl(),
		slack.MsgOptionMetadata(slack.SlackMetadata{EventType: metadataType, EventPayload: map[string]any{"key": m.Key}}))
	if err != nil {
		return announce.Posted{}, classify(err)
	}
	return p.posted(ctx, m.Channel, ts), nil
}

// find looks for the message in the channel's recent history.
func (p *Poster) find(ctx context.Context, m announce.Message) (string, error) {
	params := &slack.GetConversationHistoryParameters{ChannelID: m.Channel, Limit: 100, IncludeAllMetadata: true}
	for seen := 0; seen < historyDepth; {
		page, err := p.api.GetConversationHistoryContext(ctx, params)
		if err != nil {
			return "", err
		}
		for _, msg := range page.Messages {
			if msg.Metadata.EventType == metadataType && msg.Metadata.EventPayload["key"] == m.Key {
				return msg.Timestamp, nil
			}
		}
		seen += len(page.Messages)
		if !page.HasMore || page.ResponseMetaData.NextCursor == "" {
			break
		}
		params.Cursor = page.ResponseMetaData.NextCursor
	}
	return "", nil
}

// posted names a message; its link is asked of Slack, and left out if Slack
// does not give it: the message is there either way.
func (p *Poster) posted(ctx context.Context, channel, ts string) announce.Posted {
	link, _ := p.api.GetPermalinkContext(ctx, &slack.PermalinkParameters{Channel: channel, Ts: ts})
	return announce.Posted{ID: channel + "/" + ts, Link: link}
}

// classify maps Slack's errors to the sender's: rate limits wait, a channel
// gone or closed to the bot is refused for good, the rest is retried.
func classify(err error) error {
	var limited *slack.RateLimitedError
	if errors.As(err, &limited) {
		return &announce.RetryAfter{Wait: limited.RetryAfter}
	}
	var resp slack.SlackErrorResponse
	if errors.As(err, &resp) {
		switch resp.Err {
		case "channel_not_found", "not_in_channel", "is_archived", "restricted_action", "user_not_found",
			"channel_is_archived", "cannot_dm_bot", "invalid_auth", "account_inactive", "token_revoked", "missing_scope":
			return &announce.Refused{Reason: fmt.Sprintf("Slack refuse le message : %s", resp.Err)}
		}
	}
	return err
}
