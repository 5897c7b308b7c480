package logging

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"time"
)

// RequestIDHeader carries the request id, both ways.
const RequestIDHeader = "X-Request-Id"

// Observer is told of every request once answered, with the route pattern
// that served it ("" when none did). The metrics are one.
type Observer func(r *http.Request, route string, status int, took time.Duration)

// Requests gives each request an id (a proxy's, when it is short and plain,
// so that its logs and ours match), answers it in X-Request-Id, logs one
// line per request with its route, status and duration, and tells observe.
// Neither the query string nor any header is logged: they may hold tokens
// or people's searches. The quiet routes (health checks, scrapes: a load
// balancer asks every few seconds) are logged at debug level when they
// succeed.
func Requests(log *slog.Logger, observe Observer, next http.Handler, quiet ...string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := r.Header.Get(RequestIDHeader)
		if !plainID(id) {
			id = newID()
		}
		w.Header().Set(RequestIDHeader, id)
		r = r.WithContext(WithRequestID(r.Context(), id))
		rec := &recorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		// The mux wrote the pattern it matched into this very request.
		route := r.Pattern
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		took := time.Since(start)
		level := slog.LevelInfo
		switch {
		case rec.status >= 500:
			level = slog.LevelError
		case rec.status < 400 && slices.Contains(quiet, route):
			level = slog.LevelDebug
		}
		if ctx := r.Context(); log.Enabled(ctx, level) {
			// The record's caller is always this line: not looked up for
			// every request, as Logger.LogAttrs does.
			line := slog.NewRecord(time.Now(), level, "requête", 0)
			line.AddAttrs(slog.String("method", r.Method), slog.String("route", route), slog.String("path", r.URL.Path),
				slog.Int("status", rec.status), slog.Int64("bytes", rec.bytes), slog.Duration("duration", took))
			_ = log.Handler().Handle(ctx, line)
		}
		if observe != nil {
			observe(r, route, rec.status, took)
		}
	})
}

// plainID accepts an incoming id of at most 64 letters, digits, '-', '_'
// or '.': anything else could forge log lines or carry a secret.
func plainID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	return strings.Trim(id, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == ""
}

func newID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// recorder keeps the status and size of an answer.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
}

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the connection (flushes,
// deadlines).
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// Flush passes flushes through for handlers that test for http.Flusher.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}
