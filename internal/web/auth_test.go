package web_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/graph"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/tokens"
	"github.com/lianes-cooperation/lianes/internal/web"
)

func TestBearerTokensGiveTheirRoleAndRatesAreLimited(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	ctx := context.Background()
	_, err := dataset.SeedDemo(ctx, bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	ts := &tokens.Service{DB: bdb}
	staff, _, err := ts.Create(ctx, "équipe", access.Staff, nil, time.Now())
	require.NoError(t, err)
	revoked, _, err := ts.Create(ctx, "ancien", access.Staff, nil, time.Now())
	require.NoError(t, err)
	_, err = ts.Revoke(ctx, "ancien", time.Now())
	require.NoError(t, err)

	services := domain.New(bdb, clock.System{})
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	srv := httptest.NewServer(web.NewHandler(web.Deps{
		DB: bdb, Clock: clock.System{}, Log: log, Services: services, Tokens: ts,
		RateLimits: web.Limits{PerToken: 600, PerAddress: 12},
		GraphQL:    graph.NewHandler(&graph.Resolver{Services: services, Clock: clock.System{}}, graph.DefaultLimits, log),
	}))
	defer srv.Close()

	query := func(token string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodPost, srv.URL+"/graphql",
			strings.NewReader(`{"query":"{ contacts { nodes { name email } } }"}`))
		req.Header.Set("Content-Type", "application/json")
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}

	resp, body := query("")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.NotContains(t, body, "derisbourg", "anonymous")
	resp, body = query(staff)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, body, "f.derisbourg@lianescooperation.org", "a staff token sees e-mails")

	for token, want := range map[string]string{revoked: "jeton révoqué", "lianes_nimporte": "jeton inconnu"} {
		resp, body = query(token)
		require.Equal(t, http.StatusUnauthorized, resp.StatusCode)
		require.Contains(t, body, want)
		require.Contains(t, body, "UNAUTHENTICATED")
	}

	// Anonymous callers from one address: a burst of 2, then 429 with Retry-After.
	limited := 0
	for range 10 {
		resp, body = query("")
		if resp.StatusCode == http.StatusTooManyRequests {
			limited++
			require.NotEmpty(t, resp.Header.Get("Retry-After"))
			var out struct {
				Errors []struct {
					Message    string
					Extensions map[string]string
				}
			}
			require.NoError(t, json.Unmarshal([]byte(body), &out))
			require.Equal(t, "RATE_LIMITED", out.Errors[0].Extensions["code"])
			require.Contains(t, out.Errors[0].Message, "réessayez dans")
		}
	}
	require.Positive(t, limited)
	resp, _ = query(staff)
	require.Equal(t, http.StatusOK, resp.StatusCode, "a token has its own budget")
}
