package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/graph"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/ratelimit"
	"github.com/lianes-cooperation/lianes/internal/tokens"
	"github.com/lianes-cooperation/lianes/internal/web"
)

// movingClock is a clock the test moves on.
type movingClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *movingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *movingClock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

type guarded struct {
	t     *testing.T
	urls  []string // replicas over one database
	staff string
	clock *movingClock
}

func newGuarded(t *testing.T, bdb *bun.DB, limits web.Limits, replicas int) *guarded {
	t.Helper()
	ctx := context.Background()
	_, err := dataset.SeedDemo(ctx, bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	ts := &tokens.Service{DB: bdb}
	staff, _, err := ts.Create(ctx, "équipe", access.Staff, nil, time.Now())
	require.NoError(t, err)
	g := &guarded{t: t, staff: staff, clock: &movingClock{now: time.Date(2026, 11, 29, 10, 0, 5, 0, time.UTC)}}
	limits.Clock = g.clock
	if !db.IsPostgres(bdb) {
		// SQLite serves one process: its replicas here share its memory.
		// On PostgreSQL each replica counts in the database on its own.
		limits.Counter = ratelimit.NewMemory()
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	for range replicas {
		services := domain.New(bdb, clock.System{})
		srv := httptest.NewServer(web.NewHandler(web.Deps{
			DB: bdb, Clock: clock.System{}, Log: log, Services: services, Tokens: ts, RateLimits: limits,
			GraphQL: graph.NewHandler(&graph.Resolver{Services: services, Clock: clock.System{}}, graph.DefaultLimits, log),
		}))
		t.Cleanup(srv.Close)
		g.urls = append(g.urls, srv.URL)
	}
	return g
}

type reply struct {
	status     int
	retryAfter string
	body       string
	code       string
}

func (g *guarded) post(replica int, token, query string, header ...string) reply {
	g.t.Helper()
	body, _ := json.Marshal(map[string]string{"query": query})
	req, _ := http.NewRequest(http.MethodPost, g.urls[replica]+"/graphql", strings.NewReader(string(body)))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(g.t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var out struct {
		Errors []struct {
			Extensions map[string]any
		}
	}
	_ = json.Unmarshal(raw, &out)
	r := reply{status: resp.StatusCode, retryAfter: resp.Header.Get("Retry-After"), body: string(raw)}
	if len(out.Errors) > 0 {
		r.code, _ = out.Errors[0].Extensions["code"].(string)
	}
	return r
}

const contactsQuery = `{ contacts { nodes { name email } } }`

func TestBearerTokensGiveTheirRole(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		g := newGuarded(t, bdb, web.DefaultRateLimits, 1)
		ctx := context.Background()
		ts := &tokens.Service{DB: bdb}
		revoked, _, err := ts.Create(ctx, "ancien", access.Staff, nil, time.Now())
		require.NoError(t, err)
		_, err = ts.Revoke(ctx, "ancien", time.Now())
		require.NoError(t, err)

		r := g.post(0, "", contactsQuery)
		require.Equal(t, http.StatusOK, r.status)
		require.NotContains(t, r.body, "derisbourg", "anonymous")
		r = g.post(0, g.staff, contactsQuery)
		require.Equal(t, http.StatusOK, r.status)
		require.Contains(t, r.body, "f.derisbourg@lianescooperation.org", "a staff token sees e-mails")
		for token, want := range map[string]string{revoked: "jeton révoqué", "lianes_nimporte": "jeton inconnu"} {
			r = g.post(0, token, contactsQuery)
			require.Equal(t, http.StatusUnauthorized, r.status)
			require.Contains(t, r.body, want)
			require.Equal(t, "UNAUTHENTICATED", r.code)
		}
	})
}

// TestRateLimitsHoldAcrossReplicas: on PostgreSQL the counters are in the
// database, so two servers over one database give a client one budget, not
// one each; on SQLite, one process, its handlers share its memory.
func TestRateLimitsHoldAcrossReplicas(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		g := newGuarded(t, bdb, web.Limits{PerToken: 8, PerAddress: 6}, 2)
		for i := range 6 {
			require.Equal(t, http.StatusOK, g.post(i%2, "", `{ themes { code } }`).status, i)
		}
		r := g.post(0, "", `{ themes { code } }`)
		require.Equal(t, http.StatusTooManyRequests, r.status)
		require.Equal(t, "RATE_LIMITED", r.code)
		require.Contains(t, r.body, "réessayez dans 55 s")
		require.Equal(t, "55", r.retryAfter)
		require.Equal(t, http.StatusTooManyRequests, g.post(1, "", `{ themes { code } }`).status)
		require.Equal(t, http.StatusOK, g.post(1, g.staff, `{ themes { code } }`).status, "a token has its own budget")

		g.clock.add(time.Minute)
		require.Equal(t, http.StatusOK, g.post(1, "", `{ themes { code } }`).status, "a new minute, a new window")
	})
}

// TestInvalidTokensAreRateLimited: the limit runs before authentication, so
// that guessing tokens is limited like any request (issue 14, item 9).
func TestInvalidTokensAreRateLimited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		g := newGuarded(t, bdb, web.Limits{PerToken: 50, PerAddress: 10}, 1)
		statuses := map[int]int{}
		for i := range 40 {
			statuses[g.post(0, fmt.Sprintf("lianes_devine%d", i), `{ themes { code } }`).status]++
		}
		require.Equal(t, 10, statuses[http.StatusUnauthorized], "a guesser gets the anonymous budget")
		require.Equal(t, 30, statuses[http.StatusTooManyRequests])
	})
}

// TestQueryCostIsBudgetedPerMinute: many queries each under the complexity
// limit still spend the client's budget for the minute.
func TestQueryCostIsBudgetedPerMinute(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		g := newGuarded(t, bdb, web.Limits{PerToken: 100, PerAddress: 100, CostPerAddress: 5_500, CostPerToken: 50_000}, 2)
		q := `{ structures(first: 100) { nodes { name projects(first: 10) { totalCount } } } }` // 1 + 100 × (1 + 1 + 1 + 10 × 1) = 1 301: four fit in 5 500
		for i := range 4 {
			r := g.post(i%2, "", q)
			require.Equal(t, http.StatusOK, r.status)
			require.Empty(t, r.code, r.body)
		}
		r := g.post(0, "", q)
		require.Equal(t, "RATE_LIMITED", r.code, r.body)
		require.Contains(t, r.body, "trop de requêtes coûteuses")
		require.Empty(t, g.post(1, g.staff, q).code, "a token has its own budget")
		g.clock.add(time.Minute)
		require.Empty(t, g.post(0, "", q).code, "a new minute, a new budget")
	})
}

// TestForwardedForIsReadFromTrustedProxiesOnly: behind a reverse proxy each
// client has its own budget, and a client cannot choose its address by
// writing the header itself.
func TestForwardedForIsReadFromTrustedProxiesOnly(t *testing.T) {
	_, err := web.ParseTrustedProxies("10.0.0.0/8, pas-une-adresse")
	require.ErrorContains(t, err, "« pas-une-adresse »")
	proxies, err := web.ParseTrustedProxies("127.0.0.1, ::1")
	require.NoError(t, err)
	for name, trusted := range map[string]bool{"behind a proxy": true, "direct": false} {
		t.Run(name, func(t *testing.T) {
			dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
				limits := web.Limits{PerAddress: 2}
				if trusted {
					limits.TrustedProxies = proxies
				}
				g := newGuarded(t, bdb, limits, 1)
				statuses := map[string][]int{}
				for _, client := range []string{"203.0.113.1", "203.0.113.2", "203.0.113.2"} {
					r := g.post(0, "", `{ themes { code } }`, "X-Forwarded-For", "198.51.100.9, "+client)
					statuses[client] = append(statuses[client], r.status)
				}
				if trusted {
					// Each client its own budget, whatever it wrote before its address.
					require.Equal(t, []int{200, 200}, statuses["203.0.113.2"])
					require.Equal(t, http.StatusTooManyRequests, g.post(0, "", `{ themes { code } }`, "X-Forwarded-For", "203.0.113.2").status)
				} else {
					// The header of an untrusted peer is ignored: one address, one budget.
					require.Equal(t, []int{200, 429}, statuses["203.0.113.2"])
				}
			})
		})
	}
}

// TestUnreadableQueryStringsAreRefused: /calendar.ics?theme=%00 answered 500
// with an error log line (issue 14, item 10).
func TestUnreadableQueryStringsAreRefused(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		g := newGuarded(t, bdb, web.DefaultRateLimits, 1)
		base := strings.TrimSuffix(g.urls[0], "/")
		for _, path := range []string{"/calendar.ics?theme=%00", "/calendar.ics?kind=%ff", "/calendar.ics?the%00me=eau", "/graphql?query=%7B__typename%00%7D"} {
			resp, err := http.Get(base + path)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.Equal(t, http.StatusBadRequest, resp.StatusCode, path)
			require.Contains(t, string(body), "caractère nul ou texte qui n'est pas de l'UTF-8 valide", path)
		}
		resp, err := http.Get(base + "/calendar.ics?theme=eau-assainissement")
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusOK, resp.StatusCode)
	})
}
