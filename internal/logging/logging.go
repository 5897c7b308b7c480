// Package logging builds the service's logger (log/slog, as text or JSON)
// and the HTTP middleware that gives every request an id: the id is in the
// X-Request-Id answer header and on every line logged with the request's
// context, so one request's lines can be found among many replicas'.
//
// Secrets stay out of the logs in two ways: the code never passes them, and
// this handler masks any attribute whose key names one (token, secret,
// password, authorization…), in case a later change forgets.
package logging

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Formats are the values --log-format accepts.
var Formats = []string{"text", "json"}

// New returns a logger writing to w in format "text" or "json" ("" is text).
func New(w io.Writer, format string, level slog.Leveler) (*slog.Logger, error) {
	opts := &slog.HandlerOptions{Level: level, ReplaceAttr: mask}
	var h slog.Handler
	switch format {
	case "", "text":
		h = slog.NewTextHandler(w, opts)
	case "json":
		h = slog.NewJSONHandler(w, opts)
	default:
		return nil, fmt.Errorf("format de journal « %s » inconnu : attendu %s", format, strings.Join(Formats, " ou "))
	}
	return slog.New(contextHandler{h}), nil
}

type requestIDKey struct{}

// WithRequestID returns ctx carrying a request id.
func WithRequestID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, requestIDKey{}, id)
}

// RequestID is the id of the request ctx belongs to, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

// contextHandler adds the request id of the context to every record.
type contextHandler struct{ slog.Handler }

func (h contextHandler) Handle(ctx context.Context, r slog.Record) error {
	if id := RequestID(ctx); id != "" {
		r.AddAttrs(slog.String("request_id", id))
	}
	return h.Handler.Handle(ctx, r)
}

func (h contextHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return contextHandler{h.Handler.WithAttrs(attrs)}
}

func (h contextHandler) WithGroup(name string) slog.Handler {
	return contextHandler{h.Handler.WithGroup(name)}
}

// secretWords are the parts of an attribute key that say its value is a
// secret.
var secretWords = []string{"token", "secret", "password", "passwd", "authorization", "cookie", "signature", "apikey", "api_key"}

// Masked replaces the value of a secret attribute.
const Masked = "[masqué]"

func mask(_ []string, a slog.Attr) slog.Attr {
	key := a.Key
	if strings.ContainsFunc(key, func(r rune) bool { return r >= 'A' && r <= 'Z' }) {
		key = strings.ToLower(key) // most keys are lower case already: no copy for them
	}
	for _, w := range secretWords {
		if strings.Contains(key, w) {
			return slog.String(a.Key, Masked)
		}
	}
	return a
}
