package slack

import (
	"context"
	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"
	"github.com/slack-go/slack/socketmode"
	"sync/atomic"
	"time"
)

// RunSocketMode answers Slack over Socket Mode, for a deployment without a
// public URL, until ctx ends. slack-go reconnects a dropped connection by
// itself but returns when it cannot connect: it is then restarted, after a
// pause that doubles up to a minute and starts again once connected.
func (b *Bot) RunSocketMode(ctx context.Context) error {
	backoff := time.Second
	for {
		client := socketmode.New(b.api)
		var connected atomic.Bool
		runCtx, cancel := context.WithCancel(ctx)
		go b.consume(runCtx, client, &connected)
		err := client.RunContext(runCtx)
		cancel()
		if ctx.Err() != nil {
			return nil
		}
		if connected.Load() {
			backoff = time.Second
		}
		if b.OnConnection != nil {
			b.OnConnection(false)
		}
		b.log.Warn("slack: Socket Mode interrompu, reconnexion", "dans", backoff.String(), "error", err)
		select {
		case <-time.After(backoff):
		case <-ctx.Done():
			return nil
		}
		backoff = min(2*backoff, time.Minute)
	}
}

// consume handles what Socket Mode delivers, acknowledging each envelope.
func (b *Bot) consume(ctx context.Context, client *socketmode.Client, connected *atomic.Bool) {
	for {
		select {
		case <-ctx.Done():
			return
		case evt, ok := <-client.Events:
			if !ok {
				return
			}
			switch evt.Type {
			case socketmode.EventTypeConnected:
				connected.Store(true)
				if b.OnConnection != nil {
					b.OnConnection(true)
				}
			case socketmode.EventTypeConnecting, socketmode.EventTypeConnectionError:
				// slack-go reconnects a dropped connection by itself: a new
				// attempt after a connection is the news of its loss.
				if connected.Load() && b.OnConnection != nil {
					b.OnConnection(false)
				}
			case socketmode.EventTypeEventsAPI:
				ev, ok := evt.Data.(slackevents.EventsAPIEvent)
				if evt.Request != nil {
					_ = client.Ack(*evt.Request)
				}
				if !ok {
					continue
				}
				if id := eventID(evt.Request); id != "" {
					if first, err := b.first(ctx, "event:"+id); err != nil || !first {
						continue
					}
				}
				b.dispatch(ev)
			case socketmode.EventTypeSlashCommand:
				cmd, ok := evt.Data.(slack.SlashCommand)
				if !ok || evt.Request == nil {
					continue
				}
				b.slashOverSocket(ctx, client, *evt.Request, cmd)
			case socketmode.EventTypeInteractive:
				cb, ok := evt.Data.(slack.InteractionCallback)
				if evt.Request != nil {
					_ = client.Ack(*evt.Request)
				}
				if ok {
					b.interact(cb)
				}
			}
		}
	}
}

func eventID(req *socketmode.Request) string {
	if req == nil {
		return ""
	}
	var envelope struct {
		EventID string `json:"event_id"`
	}
	_ = jsonUnmarshal(req.Payload, &envelope)
	return envelope.EventID
}

// slashOverSocket acknowledges a slash command with its answer when the
// brain is quick, else with "Je cherche…" and the answer through response_url.
func (b *Bot) slashOverSocket(ctx context.Context, client *socketmode.Client, req socketmode.Request, cmd slack.SlashCommand) {
	done := make(chan core.Answer, 1)
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		a, err := b.answer(ctx, b.asker(cmd.UserID, cmd.UserName, cmd.ChannelID), cmd.Text)
		if err != nil {
			b.log.ErrorContext(ctx, "slack: réponse impossible", "error", err)
			a = failure()
		}
		done <- a
	}()
	select {
	case a := <-done:
		_ = client.Ack(req, b.message(a, "ephemeral"))
		b.chartLater(a, cmd.ResponseURL, cmd.ChannelID)
	case <-time.After(b.ackWithin):
		_ = client.Ack(req, map[string]any{"response_type": "ephemeral", "text": "Je cherche…"})
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			b.follow(context.Background(), <-done, cmd.ResponseURL, cmd.ChannelID, "")
		}()
	}
}
