package web

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/tokens"
)

// Limits are the request rates allowed per token and per address, in
// requests per minute.
type Limits struct {
	PerToken, PerAddress int
}

// DefaultRateLimits suit the network's tools and a public directory.
var DefaultRateLimits = Limits{PerToken: 1200, PerAddress: 300}

// guard authenticates API requests and limits their rate.
type guard struct {
	tokens  *tokens.Service
	limits  Limits
	mu      sync.Mutex
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	limiter *rate.Limiter
	used    time.Time
}

func newGuard(t *tokens.Service, l Limits) *guard {
	return &guard{tokens: t, limits: l, buckets: map[string]*bucket{}}
}

// limiter returns the bucket of a key, forgetting the ones unused for ten
// minutes.
func (g *guard) limiter(key string, perMinute int, now time.Time) *rate.Limiter {
	g.mu.Lock()
	defer g.mu.Unlock()
	if now.Sub(g.swept) > time.Minute {
		for k, b := range g.buckets {
			if now.Sub(b.used) > 10*time.Minute {
				delete(g.buckets, k)
			}
		}
		g.swept = now
	}
	b := g.buckets[key]
	if b == nil {
		burst := max(perMinute/6, 1)
		b = &bucket{limiter: rate.NewLimiter(rate.Limit(float64(perMinute)/60), burst)}
		g.buckets[key] = b
	}
	b.used = now
	return b.limiter
}

func apiError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(map[string]any{"errors": []any{map[string]any{"message": message, "extensions": map[string]any{"code": code}}}})
}

// wrap gives a request the role of its bearer token (anonymous without one)
// and refuses it beyond the rate limit of its token or address.
func (g *guard) wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := time.Now() // security uses the machine's time, not a replayed one
		ctx := r.Context()
		key, perMinute := "ip:"+clientAddress(r), g.limits.PerAddress
		if header := r.Header.Get("Authorization"); header != "" {
			plain, ok := strings.CutPrefix(header, "Bearer ")
			if !ok || g.tokens == nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="lianes"`)
				apiError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "en-tête Authorization attendu sous la forme « Bearer JETON »")
				return
			}
			tok, role, err := g.tokens.Authenticate(ctx, plain, now)
			if err != nil {
				w.Header().Set("WWW-Authenticate", `Bearer realm="lianes", error="invalid_token"`)
				msg := "jeton refusé"
				if errors.Is(err, tokens.ErrUnknown) || errors.Is(err, tokens.ErrExpired) || errors.Is(err, tokens.ErrRevoked) {
					msg = err.Error()
				}
				apiError(w, http.StatusUnauthorized, "UNAUTHENTICATED", msg)
				return
			}
			ctx = access.WithActor(access.WithRole(ctx, role), "jeton « "+tok.Name+" »")
			key, perMinute = fmt.Sprintf("token:%d", tok.ID), g.limits.PerToken
		}
		if perMinute > 0 {
			res := g.limiter(key, perMinute, now).ReserveN(now, 1)
			if delay := res.DelayFrom(now); delay > 0 {
				res.CancelAt(now)
				seconds := int(math.Ceil(delay.Seconds()))
				w.Header().Set("Retry-After", fmt.Sprint(seconds))
				apiError(w, http.StatusTooManyRequests, "RATE_LIMITED", fmt.Sprintf("trop de requêtes : réessayez dans %d s", seconds))
				return
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// clientAddress is the connection's address: forwarded headers are not
// trusted, since anyone can write them.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}
