// Package web assembles the HTTP surface of the service: the health check
// now, the GraphQL API and the bots' webhooks as they arrive.
package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/tokens"
)

// Deps are what the handlers need.
type Deps struct {
	DB       *bun.DB
	Clock    clock.Clock
	Log      *slog.Logger
	Services *domain.Services
	GraphQL  http.Handler
	// Bots are the chat platforms' webhooks, mounted under their own paths
	// ("/slack/", "/discord/"); they verify their own requests.
	Bots map[string]http.Handler
	// Tokens authenticate API calls; without them every call is anonymous.
	Tokens     *tokens.Service
	RateLimits Limits
}

// NewHandler returns the service's HTTP handler.
func NewHandler(d Deps) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", d.health)
	g := newGuard(d.Tokens, d.RateLimits)
	for path, h := range d.Bots {
		mux.Handle(path, h)
	}
	if d.Services != nil {
		mux.Handle("GET /calendar.ics", g.wrap(http.HandlerFunc(d.calendar)))
		mux.Handle("GET /fiche/{id}", g.wrap(http.HandlerFunc(d.fiche)))
	}
	if d.GraphQL != nil {
		mux.Handle("/graphql", g.wrap(d.GraphQL))
		mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/graphql", http.StatusFound)
		})
	}
	return mux
}

type healthReport struct {
	Status   string `json:"status"`
	Database string `json:"database"`
	Now      string `json:"now"`
	Error    string `json:"error,omitempty"`
}

// health answers 200 when the database answers, 503 otherwise; load
// balancers and orchestrators read the status code, people the JSON.
func (d Deps) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	report := healthReport{Status: "ok", Database: "sqlite", Now: d.Clock.Now().In(clock.Paris).Format(time.RFC3339)}
	if db.IsPostgres(d.DB) {
		report.Database = "postgres"
	}
	code := http.StatusOK
	if err := d.DB.PingContext(ctx); err != nil {
		report.Status, report.Error = "indisponible", "la base de données ne répond pas"
		code = http.StatusServiceUnavailable
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(report)
}
