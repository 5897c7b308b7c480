// Package chatfake holds local fakes of the Slack Web API and of Discord's
// REST API, for tests: Slack and Discord are never reachable from the tests,
// so the fakes keep the messages posted and answer as the platforms do for
// the few calls the announcements make.
package chatfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
)

// Message is a message the fake received.
type Message struct {
	ID, Channel, Text, Key string
	// MayPing is set on Discord when the message did not forbid mentions
	// (allowed_mentions with an empty parse list).
	MayPing bool
}

// Platform is what both fakes share: the messages, and the faults to play.
type Platform struct {
	URL string

	mu       sync.Mutex
	messages []Message
	// Gone lists channels that do not exist (or forbid the bot).
	gone map[string]bool
	// afterPost, when set, runs once a message is stored and before the
	// answer: a test stops the sender there to play a crash.
	afterPost func(Message)
	limited   int // how many next posts are answered with a rate limit
	seq       int
}

// Messages returns the messages of a channel, oldest first.
func (p *Platform) Messages(channel string) []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Message
	for _, m := range p.messages {
		if m.Channel == channel {
			out = append(out, m)
		}
	}
	return out
}

// All returns every message.
func (p *Platform) All() []Message {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]Message(nil), p.messages...)
}

// Gone makes a channel unknown.
func (p *Platform) Gone(channel string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.gone[channel] = true
}

// AfterPost sets the hook run after a message is stored, before the answer.
func (p *Platform) AfterPost(f func(Message)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.afterPost = f
}

// RateLimit answers the next n posts with a rate limit.
func (p *Platform) RateLimit(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.limited = n
}

// store keeps a message unless the platform deduplicates it; it returns the
// message kept (or found) and whether the channel exists.
func (p *Platform) store(m Message, dedupe func(Message) bool) (Message, bool, bool) {
	p.mu.Lock()
	if p.gone[m.Channel] {
		p.mu.Unlock()
		return m, false, false
	}
	if p.limited > 0 {
		p.limited--
		p.mu.Unlock()
		return m, true, true
	}
	for _, old := range p.messages {
		if old.Channel == m.Channel && dedupe != nil && dedupe(old) {
			p.mu.Unlock()
			return old, true, false
		}
	}
	p.seq++
	m.ID = fmt.Sprintf("%d", 1000+p.seq)
	p.messages = append(p.messages, m)
	hook := p.afterPost
	p.mu.Unlock()
	if hook != nil {
		hook(m)
	}
	return m, true, false
}

func newPlatform() *Platform { return &Platform{gone: map[string]bool{}} }

// Slack fakes chat.postMessage, conversations.history, chat.getPermalink
// and the external upload of files (Files).
type Slack struct {
	*Platform
	Files *SlackFiles
}

// NewSlack starts a fake Slack Web API.
func NewSlack(t testing.TB) *Slack {
	s := &Slack{Platform: newPlatform(), Files: NewSlackFiles()}
	srv := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(srv.Close)
	s.URL = srv.URL
	return s
}

func (s *Slack) serve(w http.ResponseWriter, r *http.Request) {
	switch p := strings.TrimPrefix(r.URL.Path, "/"); {
	case p == "files.getUploadURLExternal" || p == "files.completeUploadExternal" || strings.HasPrefix(p, "upload/"):
		s.Files.ServeHTTP(w, r)
		return
	}
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	channel := r.FormValue("channel")
	switch strings.TrimPrefix(r.URL.Path, "/") {
	case "chat.postMessage":
		var meta struct {
			EventPayload map[string]any `json:"event_payload"`
		}
		_ = json.Unmarshal([]byte(r.FormValue("metadata")), &meta)
		key, _ := meta.EventPayload["key"].(string)
		m, ok, limited := s.store(Message{Channel: channel, Text: r.FormValue("text"), Key: key}, nil)
		switch {
		case !ok:
			fmt.Fprint(w, `{"ok":false,"error":"channel_not_found"}`)
		case limited:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
		default:
			fmt.Fprintf(w, `{"ok":true,"channel":%q,"ts":"%s.000100"}`, channel, m.ID)
		}
	case "conversations.history":
		type msg struct {
			Type     string         `json:"type"`
			Text     string         `json:"text"`
			TS       string         `json:"ts"`
			Metadata map[string]any `json:"metadata,omitempty"`
		}
		out := []msg{}
		for _, m := range s.Messages(channel) {
			out = append(out, msg{Type: "message", Text: m.Text, TS: m.ID + ".000100", Metadata: map[string]any{
				"event_type": "lianes_annonce", "event_payload": map[string]any{"key": m.Key}}})
		}
		_ = json.NewEncoder(w).Encode(map[string]any{"ok": true, "messages": out, "has_more": false})
	case "chat.getPermalink":
		fmt.Fprintf(w, `{"ok":true,"channel":%q,"permalink":"https://lianes.slack.com/archives/%s/p%s"}`,
			channel, channel, strings.ReplaceAll(r.FormValue("message_ts"), ".", ""))
	default:
		fmt.Fprint(w, `{"ok":false,"error":"unknown_method"}`)
	}
}

// Discord fakes posting and reading a channel's messages, with the nonce
// deduplication that enforce_nonce asks of Discord; a message sent as
// multipart/form-data keeps its files (Uploads), and so does an
// interaction's follow-up (POST /webhooks/{app}/{token}).
type Discord struct {
	*Platform
	// BotID is the author of the messages the fake stores.
	BotID string

	filesMu sync.Mutex
	uploads []Upload
}

// Uploads returns the files attached to the messages received, oldest first.
func (d *Discord) Uploads() []Upload {
	d.filesMu.Lock()
	defer d.filesMu.Unlock()
	return append([]Upload(nil), d.uploads...)
}

// NewDiscord starts a fake Discord REST API.
func NewDiscord(t testing.TB, botID string) *Discord {
	d := &Discord{Platform: newPlatform(), BotID: botID}
	srv := httptest.NewServer(http.HandlerFunc(d.serve))
	t.Cleanup(srv.Close)
	d.URL = srv.URL
	return d
}

func (d *Discord) serve(w http.ResponseWriter, r *http.Request) {
	// /api/v9/channels/{id}/messages, or an interaction's follow-up
	// /api/v9/webhooks/{app}/{token}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) == 5 && parts[2] == "webhooks" && r.Method == http.MethodPost {
		d.followUp(w, r)
		return
	}
	if len(parts) < 4 || parts[len(parts)-1] != "messages" || parts[len(parts)-3] != "channels" {
		http.NotFound(w, r)
		return
	}
	channel := parts[len(parts)-2]
	w.Header().Set("Content-Type", "application/json")
	type msg struct {
		ID        string         `json:"id"`
		ChannelID string         `json:"channel_id"`
		GuildID   string         `json:"guild_id,omitempty"`
		Content   string         `json:"content"`
		Nonce     string         `json:"nonce,omitempty"`
		Author    map[string]any `json:"author"`
	}
	view := func(m Message) msg {
		return msg{ID: m.ID, ChannelID: m.Channel, GuildID: "G1", Content: m.Text, Nonce: m.Key, Author: map[string]any{"id": d.BotID}}
	}
	switch r.Method {
	case http.MethodPost:
		var body struct {
			Content         string `json:"content"`
			Nonce           string `json:"nonce"`
			EnforceNonce    bool   `json:"enforce_nonce"`
			AllowedMentions *struct {
				Parse []string `json:"parse"`
			} `json:"allowed_mentions"`
		}
		raw, files, err := d.read(r)
		if err == nil {
			err = json.Unmarshal(raw, &body)
		}
		if err != nil {
			w.WriteHeader(http.StatusBadRequest)
			return
		}
		var dedupe func(Message) bool
		if body.EnforceNonce && body.Nonce != "" {
			dedupe = func(old Message) bool { return old.Key == body.Nonce }
		}
		mayPing := body.AllowedMentions == nil || body.AllowedMentions.Parse == nil || len(body.AllowedMentions.Parse) > 0
		m, ok, limited := d.store(Message{Channel: channel, Text: body.Content, Key: body.Nonce, MayPing: mayPing}, dedupe)
		switch {
		case !ok:
			w.WriteHeader(http.StatusNotFound)
			fmt.Fprint(w, `{"message":"Unknown Channel","code":10003}`)
		case limited:
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			fmt.Fprint(w, `{"message":"You are being rate limited.","retry_after":1.0,"global":false}`)
		default:
			d.keep(channel, raw, files)
			_ = json.NewEncoder(w).Encode(view(m))
		}
	case http.MethodGet:
		out := []msg{}
		ms := d.Messages(channel)
		for i := len(ms) - 1; i >= 0; i-- { // newest first, as Discord answers
			out = append(out, view(ms[i]))
		}
		_ = json.NewEncoder(w).Encode(out)
	}
}

// read returns a message's JSON, from the body or from the payload_json of
// a multipart body, and its files.
func (d *Discord) read(r *http.Request) ([]byte, []DiscordFile, error) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return nil, nil, err
	}
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "multipart/") {
		return body, nil, nil
	}
	payload, files, err := ParseDiscordMultipart(r.Header.Get("Content-Type"), body)
	if err != nil {
		return nil, nil, err
	}
	raw, err := json.Marshal(payload)
	return raw, files, err
}

// keep records a message's files.
func (d *Discord) keep(channel string, raw []byte, files []DiscordFile) {
	if len(files) == 0 {
		return
	}
	var payload map[string]any
	_ = json.Unmarshal(raw, &payload)
	d.filesMu.Lock()
	defer d.filesMu.Unlock()
	d.uploads = append(d.uploads, DiscordUploads(channel, payload, files)...)
}

// followUp answers an interaction's follow-up message, keeping its files.
func (d *Discord) followUp(w http.ResponseWriter, r *http.Request) {
	raw, files, err := d.read(r)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	d.keep("webhook", raw, files)
	w.Header().Set("Content-Type", "application/json")
	fmt.Fprint(w, `{"id":"9001","channel_id":"webhook"}`)
}
