package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/ratelimit"
	"github.com/lianes-cooperation/lianes/internal/tokens"
)

// Limits are what a client may ask per minute: requests, and the summed cost
// of its GraphQL queries (their complexity), per token and per address.
type Limits struct {
	PerToken, PerAddress         int
	CostPerToken, CostPerAddress int
	// TrustedProxies are the reverse proxies whose X-Forwarded-For names the
	// client; behind one, every client would otherwise share its address.
	TrustedProxies []netip.Prefix
	// Clock reads the time of the windows; nil is the machine's clock, never
	// the service's replayed day, which does not tick for security.
	Clock clock.Clock
	// Counter holds the windows; nil is ratelimit.For the database: the
	// database on PostgreSQL, shared by the replicas, this process's memory
	// on SQLite. Handlers that are replicas of one process share one.
	Counter ratelimit.Counter
}

// DefaultRateLimits suit the network's tools and a public directory: a
// client may send one query at the complexity limit every twelve seconds.
var DefaultRateLimits = Limits{PerToken: 1200, PerAddress: 300, CostPerToken: 1_000_000, CostPerAddress: 250_000}

// ParseTrustedProxies reads a comma-separated list of addresses or CIDR
// prefixes (--trusted-proxies).
func ParseTrustedProxies(value string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, item := range strings.Split(value, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if !strings.Contains(item, "/") {
			addr, err := netip.ParseAddr(item)
			if err != nil {
				return nil, fmt.Errorf("mandataire de confiance « %s » : adresse IP ou préfixe CIDR attendu", item)
			}
			out = append(out, netip.PrefixFrom(addr.Unmap(), addr.Unmap().BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(item)
		if err != nil {
			return nil, fmt.Errorf("mandataire de confiance « %s » : adresse IP ou préfixe CIDR attendu", item)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// guard limits the rate of API requests, then authenticates them: the
// counters are in the database (internal/ratelimit), so that every replica
// enforces the same budget.
type guard struct {
	tokens *tokens.Service
	limits Limits
	store  ratelimit.Counter
	mu     sync.Mutex
	swept  time.Time
}

func newGuard(bdb *bun.DB, t *tokens.Service, l Limits) *guard {
	g := &guard{tokens: t, limits: l, store: l.Counter}
	if g.store == nil && bdb != nil {
		g.store = ratelimit.For(bdb)
	}
	if g.limits.Clock == nil {
		g.limits.Clock = clock.System{}
	}
	return g
}

func apiError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(map[string]any{"errors": []any{map[string]any{"message": message, "extensions": map[string]any{"code": code}}}})
}

// count adds a request to a client's window and reports whether it is
// within perMinute; over it, the request is answered 429 here.
func (g *guard) count(w http.ResponseWriter, r *http.Request, client string, perMinute int, now time.Time) bool {
	if g.store == nil || perMinute <= 0 {
		return true
	}
	g.sweep(r.Context(), now)
	u, err := g.store.Add(r.Context(), client, 1, 0, now)
	if err != nil {
		apiError(w, http.StatusServiceUnavailable, "UNAVAILABLE", "service momentanément indisponible : réessayez dans un instant")
		return false
	}
	if u.Requests > int64(perMinute) {
		seconds := u.RetryAfter(now)
		w.Header().Set("Retry-After", fmt.Sprint(seconds))
		apiError(w, http.StatusTooManyRequests, "RATE_LIMITED", (&ratelimit.ExceededError{What: "requêtes", RetryAfter: seconds}).Error())
		return false
	}
	return true
}

// sweep deletes past windows, once a minute per replica.
func (g *guard) sweep(ctx context.Context, now time.Time) {
	g.mu.Lock()
	due := now.Sub(g.swept) > time.Minute
	if due {
		g.swept = now
	}
	g.mu.Unlock()
	if due {
		_ = g.store.Sweep(ctx, now) // a failed sweep is retried the next minute
	}
}

// wrap limits the rate of a request, then gives it the role of its bearer
// token (anonymous without one). The limit comes first, so that guessing
// tokens is limited like any request: every request bearing a token counts
// against its address's token budget before the token is checked, then
// against the token's own budget across addresses.
func (g *guard) wrap(next http.Handler) http.Handler {
	next = readable(next)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		now := g.limits.Clock.Now()
		ctx := r.Context()
		addr := g.clientAddress(r)
		header := r.Header.Get("Authorization")
		if header == "" {
			if !g.count(w, r, "ip:"+addr, g.limits.PerAddress, now) {
				return
			}
			next.ServeHTTP(w, r.WithContext(g.budget(ctx, "ip:"+addr, g.limits.CostPerAddress, now)))
			return
		}
		if !g.count(w, r, "bearer-ip:"+addr, g.limits.PerToken, now) {
			return
		}
		plain, ok := strings.CutPrefix(header, "Bearer ")
		if !ok || g.tokens == nil {
			w.Header().Set("WWW-Authenticate", `Bearer realm="lianes"`)
			apiError(w, http.StatusUnauthorized, "UNAUTHENTICATED", "en-tête Authorization attendu sous la forme « Bearer JETON »")
			return
		}
		tok, role, err := g.tokens.Authenticate(ctx, plain, now)
		if err != nil {
			// A refused token also counts against the address's anonymous
			// budget: a guesser is soon limited to what anyone may send.
			if !g.count(w, r, "ip:"+addr, g.limits.PerAddress, now) {
				return
			}
			w.Header().Set("WWW-Authenticate", `Bearer realm="lianes", error="invalid_token"`)
			msg := "jeton refusé"
			if errors.Is(err, tokens.ErrUnknown) || errors.Is(err, tokens.ErrExpired) || errors.Is(err, tokens.ErrRevoked) {
				msg = err.Error()
			}
			apiError(w, http.StatusUnauthorized, "UNAUTHENTICATED", msg)
			return
		}
		client := fmt.Sprintf("token:%d", tok.ID)
		if !g.count(w, r, client, g.limits.PerToken, now) {
			return
		}
		ctx = access.WithActor(access.WithRole(ctx, role), "jeton « "+tok.Name+" »")
		next.ServeHTTP(w, r.WithContext(g.budget(ctx, client, g.limits.CostPerToken, now)))
	})
}

// readable refuses a query string holding a NUL character or invalid UTF-8
// (/calendar.ics?theme=%00): no handler can store or compare it, and
// PostgreSQL fails on it.
func readable(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		values, err := url.ParseQuery(r.URL.RawQuery)
		if err != nil {
			apiError(w, http.StatusBadRequest, "BAD_REQUEST", "paramètres de l'adresse illisibles")
			return
		}
		for name, list := range values {
			for _, v := range append([]string{name}, list...) {
				if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
					apiError(w, http.StatusBadRequest, "BAD_REQUEST",
						fmt.Sprintf("paramètre « %s » : caractère nul ou texte qui n'est pas de l'UTF-8 valide", strings.ToValidUTF8(strings.ReplaceAll(name, "\x00", ""), "")))
					return
				}
			}
		}
		next.ServeHTTP(w, r)
	})
}

// budget gives the request its client's cost budget for the minute, which
// the GraphQL server spends from.
func (g *guard) budget(ctx context.Context, client string, perMinute int, now time.Time) context.Context {
	if g.store == nil || perMinute <= 0 {
		return ctx
	}
	return ratelimit.WithBudget(ctx, &ratelimit.Budget{Store: g.store, Client: client, PerMin: int64(perMinute), Now: now})
}

// clientAddress is the connection's address, or, when the connection comes
// from a trusted proxy, the last address of X-Forwarded-For that is not a
// trusted proxy itself: what comes before it anyone can write.
func (g *guard) clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	if len(g.limits.TrustedProxies) == 0 || !g.trusted(host) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop := strings.TrimSpace(hops[i])
		addr, err := netip.ParseAddr(hop)
		if err != nil {
			return host // a malformed hop: the proxy's own address is all that is known
		}
		if !g.trusted(hop) {
			return addr.Unmap().String()
		}
	}
	return host
}

func (g *guard) trusted(host string) bool {
	addr, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	addr = addr.Unmap()
	for _, p := range g.limits.TrustedProxies {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}
