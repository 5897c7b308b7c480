// Package slack is the Slack transport of the bot: it verifies Slack's
// requests, reads slash commands, mentions, direct messages and button
// clicks, asks the bot's brain, and renders its answers in Block Kit. Over
// HTTP or Socket Mode, the same code answers.
package slack

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/slack-go/slack"
	"github.com/slack-go/slack/slackevents"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/replay"
)

// Config is the Slack app's settings; secrets come from the environment and
// are never logged.
type Config struct {
	BotToken      string
	SigningSecret string
	AppToken      string // Socket Mode
	APIURL        string // another Web API base URL (a proxy, a local fake)
	Staff, Admins []string
}

// ConfigFromEnv reads LIANES_SLACK_* variables.
func ConfigFromEnv() Config {
	list := func(name string) []string {
		var out []string
		for _, v := range strings.Split(os.Getenv(name), ",") {
			if v = strings.TrimSpace(v); v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	return Config{
		BotToken: os.Getenv("LIANES_SLACK_BOT_TOKEN"), SigningSecret: os.Getenv("LIANES_SLACK_SIGNING_SECRET"),
		AppToken: os.Getenv("LIANES_SLACK_APP_TOKEN"), APIURL: os.Getenv("LIANES_SLACK_API_URL"),
		Staff: list("LIANES_SLACK_STAFF"), Admins: list("LIANES_SLACK_ADMINS"),
	}
}

// Enabled reports whether Slack is configured.
func (c Config) Enabled() bool {
	return c.BotToken != "" && (c.SigningSecret != "" || c.AppToken != "")
}

// Bot answers Slack.
type Bot struct {
	cfg   Config
	brain *core.Brain
	api   *slack.Client
	log   *slog.Logger
	http  *http.Client
	// ackWithin is how long an answer may take before Slack gets an
	// acknowledgement and the answer follows (Slack waits 3 seconds).
	ackWithin time.Duration
	// Replays records the requests answered, so that a replay, or the same
	// request signed anew, runs once: replay.Guard keeps them in the
	// database for every replica; New starts with this process's memory.
	Replays replay.Recorder
	wg      sync.WaitGroup
	// OnConnection, when set, is told when Socket Mode connects (true) and
	// when the connection drops (false), for the health report.
	OnConnection func(connected bool)
}

// New returns a bot over the brain.
func New(cfg Config, brain *core.Brain, log *slog.Logger) *Bot {
	opts := []slack.Option{}
	if cfg.APIURL != "" {
		opts = append(opts, slack.OptionAPIURL(strings.TrimRight(cfg.APIURL, "/")+"/"))
	}
	if cfg.AppToken != "" {
		opts = append(opts, slack.OptionAppLevelToken(cfg.AppToken))
	}
	return &Bot{
		cfg: cfg, brain: brain, api: slack.New(cfg.BotToken, opts...), log: log,
		http: &http.Client{Timeout: 10 * time.Second}, ackWithin: 2500 * time.Millisecond,
		Replays: replay.NewMemory(),
	}
}

// Wait blocks until the answers in flight are sent; for a graceful stop.
func (b *Bot) Wait() { b.wg.Wait() }

// asker maps a Slack user to a role: configured staff and admins, members
// otherwise. The bot never acts with more than the asker's role.
func (b *Bot) asker(userID, name, channel string) core.Asker {
	role := access.Member
	for _, id := range b.cfg.Staff {
		if id == userID {
			role = access.Staff
		}
	}
	for _, id := range b.cfg.Admins {
		if id == userID {
			role = access.Admin
		}
	}
	// Slack's direct messages are the channels whose id starts with D.
	return core.Asker{Platform: "slack", ID: userID, Name: name, Role: role, Channel: channel, Direct: strings.HasPrefix(channel, "D")}
}

// answer asks the brain; announcement commands are the brain's too, with
// the asker's role and channel.
func (b *Bot) answer(ctx context.Context, asker core.Asker, text string) (core.Answer, error) {
	b.recognise(ctx, asker) // profile.go: a first message links its writer by their e-mail
	return b.brain.Ask(ctx, asker, text)
}

// Handler serves Slack's three HTTP endpoints.
func (b *Bot) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /slack/commands", b.verified(b.command))
	mux.HandleFunc("POST /slack/events", b.verified(b.event))
	mux.HandleFunc("POST /slack/interactions", b.verified(b.interaction))
	return mux
}

// maxBody bounds what Slack may send.
const maxBody = 1 << 20

// verified checks the request's signature over its raw body, and its
// timestamp within five minutes either way, before anything is parsed; a
// request already seen (a replay inside the window) is acknowledged and
// dropped.
func (b *Bot) verified(next func(w http.ResponseWriter, r *http.Request, body []byte)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
		if err != nil {
			http.Error(w, "requête trop grande", http.StatusRequestEntityTooLarge)
			return
		}
		sv, err := slack.NewSecretsVerifier(r.Header, b.cfg.SigningSecret)
		if err == nil {
			_, _ = sv.Write(body)
			err = sv.Ensure()
		}
		if err != nil {
			b.log.WarnContext(r.Context(), "slack: requête refusée", "path", r.URL.Path, "raison", err.Error())
			http.Error(w, "signature invalide", http.StatusUnauthorized)
			return
		}
		// The key is what was signed, not the signature's spelling: the same
		// request with its signature's hex digits in upper case is the same.
		signed := sha256.Sum256([]byte(r.Header.Get("X-Slack-Request-Timestamp") + ":" + string(body)))
		first, err := b.first(r.Context(), "request:"+hex.EncodeToString(signed[:]))
		if err != nil {
			http.Error(w, "service momentanément indisponible", http.StatusServiceUnavailable)
			return
		}
		if !first {
			w.WriteHeader(http.StatusOK) // a replay: already answered
			return
		}
		next(w, r, body)
	}
}

// command answers a slash command: at once when the brain is quick, else
// acknowledged now and answered through response_url.
func (b *Bot) command(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "formulaire illisible", http.StatusBadRequest)
		return
	}
	text, responseURL, channel := form.Get("text"), form.Get("response_url"), form.Get("channel_id")
	asker := b.asker(form.Get("user_id"), form.Get("user_name"), channel)
	// A slash command has no thread: its conversation is the person's in
	// the channel, as on Discord.
	asker.Thread = channel
	asker.Link = "https://slack.com/app_redirect?channel=" + channel
	done := make(chan core.Answer, 1)
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), time.Minute)
		defer cancel()
		a, err := b.answer(ctx, asker, text)
		if err != nil {
			b.log.ErrorContext(ctx, "slack: réponse impossible", "error", err)
			a = failure()
		}
		done <- a
	}()
	select {
	case a := <-done:
		writeJSON(w, b.message(a, "ephemeral"))
		b.chartLater(a, responseURL, channel)
	case <-time.After(b.ackWithin):
		writeJSON(w, map[string]any{"response_type": "ephemeral", "text": "Je cherche…"})
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			b.follow(context.Background(), <-done, responseURL, channel, "")
		}()
	}
}

func failure() core.Answer {
	return core.Answer{Intent: "erreur", Title: "Je n'arrive pas à répondre pour le moment.",
		Lines: []string{"Réessayez dans un instant ; si cela dure, écrivez à l'équipe."}, Items: []core.Item{}}
}

// message is a Slack message payload for an answer.
func (b *Bot) message(a core.Answer, responseType string) map[string]any {
	blocks, text := Render(a)
	return map[string]any{"response_type": responseType, "text": escape(text), "blocks": blocks}
}

// follow sends a late answer through response_url, or posts it in the
// channel (and thread) when response_url is no longer usable; its chart
// follows it.
func (b *Bot) follow(ctx context.Context, a core.Answer, responseURL, channel, threadTS string) {
	if b.deliver(ctx, a, responseURL, channel, threadTS) {
		b.sendChart(ctx, a, responseURL, channel, threadTS)
	}
}

// deliver is follow without the chart; it reports whether the answer went.
func (b *Bot) deliver(ctx context.Context, a core.Answer, responseURL, channel, threadTS string) bool {
	if responseURL != "" {
		payload, _ := json.Marshal(b.message(a, "ephemeral"))
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, responseURL, bytes.NewReader(payload))
		if err == nil {
			req.Header.Set("Content-Type", "application/json")
			resp, err := b.http.Do(req)
			var uerr *url.Error
			if errors.As(err, &uerr) {
				err = uerr.Err // response_url is a capability: kept out of the log
			}
			if err == nil {
				resp.Body.Close()
				if resp.StatusCode < 300 {
					return true
				}
				err = fmt.Errorf("status %d", resp.StatusCode)
			}
			b.log.WarnContext(ctx, "slack: response_url inutilisable, envoi par chat.postMessage", "error", err)
		}
	}
	if err := b.post(ctx, a, channel, threadTS); err != nil {
		b.log.ErrorContext(ctx, "slack: envoi impossible", "channel", channel, "error", err)
		return false
	}
	return true
}

// post sends an answer with chat.postMessage, in a thread when threadTS is set.
func (b *Bot) post(ctx context.Context, a core.Answer, channel, threadTS string) error {
	blocks, text := Render(a)
	opts := []slack.MsgOption{slack.MsgOptionText(text, true), slack.MsgOptionBlocks(blocks...), slack.MsgOptionDisableLinkUnfurl()}
	if threadTS != "" {
		opts = append(opts, slack.MsgOptionTS(threadTS))
	}
	_, _, err := b.api.PostMessageContext(ctx, channel, opts...)
	return err
}

var reMention = regexp.MustCompile(`<@[A-Z0-9]+>`)

// event answers the Events API: the URL check, mentions of the bot and
// direct messages, each once however often Slack retries it.
func (b *Bot) event(w http.ResponseWriter, r *http.Request, body []byte) {
	ev, err := slackevents.ParseEvent(json.RawMessage(body), slackevents.OptionNoVerifyToken())
	if err != nil {
		http.Error(w, "événement illisible", http.StatusBadRequest)
		return
	}
	if ev.Type == slackevents.URLVerification {
		var challenge slackevents.ChallengeResponse
		if err := json.Unmarshal(body, &challenge); err != nil {
			http.Error(w, "événement illisible", http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "text/plain")
		_, _ = io.WriteString(w, challenge.Challenge)
		return
	}
	var envelope struct {
		EventID string `json:"event_id"`
	}
	_ = json.Unmarshal(body, &envelope)
	w.WriteHeader(http.StatusOK) // acknowledged at once; the answer follows
	if envelope.EventID != "" {
		if first, err := b.first(r.Context(), "event:"+envelope.EventID); err != nil || !first {
			return // a retry (X-Slack-Retry-Num): answered already, or to be retried once the database answers
		}
	}
	b.dispatch(ev)
}

// dispatch answers an Events API event in the background.
func (b *Bot) dispatch(ev slackevents.EventsAPIEvent) {
	if ev.Type != slackevents.CallbackEvent {
		return
	}
	var user, text, channel, ts, threadTS string
	switch inner := ev.InnerEvent.Data.(type) {
	case *slackevents.AppMentionEvent:
		if inner.BotID != "" {
			return
		}
		user, text, channel, ts, threadTS = inner.User, inner.Text, inner.Channel, inner.TimeStamp, inner.ThreadTimeStamp
	case *slackevents.MessageEvent:
		if inner.ChannelType != "im" || inner.BotID != "" || inner.SubType != "" {
			return // only people's direct messages; mentions come as app_mention
		}
		user, text, channel, ts, threadTS = inner.User, inner.Text, inner.Channel, inner.TimeStamp, inner.ThreadTimeStamp
	default:
		return
	}
	// A conversation is a thread; in a direct message without threads, the
	// conversation with the bot itself.
	thread := channel + ":" + threadTS
	switch {
	case threadTS == "" && strings.HasPrefix(channel, "D"):
		thread = channel
	case threadTS == "":
		thread = channel + ":" + ts
	}
	if threadTS == "" {
		threadTS = ts
	}
	text = reMention.ReplaceAllString(text, " ")
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		asker := b.asker(user, "", channel)
		asker.Thread = thread
		asker.Link = "https://slack.com/app_redirect?channel=" + channel
		a, err := b.answer(ctx, asker, text)
		if err != nil {
			b.log.ErrorContext(ctx, "slack: réponse impossible", "error", err)
			a = failure()
		}
		if err := b.post(ctx, a, channel, threadTS); err != nil {
			b.log.ErrorContext(ctx, "slack: envoi impossible", "channel", channel, "error", err)
			return
		}
		b.sendChart(ctx, a, "", channel, threadTS)
	}()
}

// interaction answers a button: "voir plus" asks the next page.
func (b *Bot) interaction(w http.ResponseWriter, r *http.Request, body []byte) {
	form, err := url.ParseQuery(string(body))
	if err != nil {
		http.Error(w, "formulaire illisible", http.StatusBadRequest)
		return
	}
	var cb slack.InteractionCallback
	if err := json.Unmarshal([]byte(form.Get("payload")), &cb); err != nil {
		http.Error(w, "interaction illisible", http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusOK)
	b.interact(cb)
}

func (b *Bot) interact(cb slack.InteractionCallback) {
	if cb.Type != slack.InteractionTypeBlockActions {
		return
	}
	for _, act := range cb.ActionCallback.BlockActions {
		if !strings.HasPrefix(act.ActionID, "voir_plus") {
			continue
		}
		command := act.Value
		b.wg.Add(1)
		go func() {
			defer b.wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			asker := b.asker(cb.User.ID, cb.User.Name, cb.Channel.ID)
			// A button answers in the conversation it was pressed in.
			switch {
			case cb.Message.ThreadTimestamp != "":
				asker.Thread = cb.Channel.ID + ":" + cb.Message.ThreadTimestamp
			case strings.HasPrefix(cb.Channel.ID, "D"):
				asker.Thread = cb.Channel.ID
			}
			a, err := b.answer(ctx, asker, command)
			if err != nil {
				b.log.ErrorContext(ctx, "slack: réponse impossible", "error", err)
				a = failure()
			}
			b.follow(ctx, a, cb.ResponseURL, cb.Channel.ID, cb.Message.ThreadTimestamp)
		}()
	}
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v)
}

// replayWindow is how long a request is remembered: past Slack's five
// minutes either way, its timestamp is refused anyway.
const replayWindow = 10 * time.Minute

// first records a request or event and reports whether it is new; a failure
// to record is logged, and the request refused rather than run twice.
func (b *Bot) first(ctx context.Context, key string) (bool, error) {
	first, err := b.Replays.First(ctx, "slack", key, time.Now(), replayWindow)
	if err != nil {
		b.log.ErrorContext(ctx, "slack: relecture impossible à vérifier", "error", err)
	}
	return first, err
}

func jsonUnmarshal(raw []byte, v any) error {
	if len(raw) == 0 {
		return errors.New("empty")
	}
	return json.Unmarshal(raw, v)
}
