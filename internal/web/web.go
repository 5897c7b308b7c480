// Package web assembles the HTTP surface of the service: the health check,
// the GraphQL API and its GraphiQL editor, the bots' webhooks, the calendar
// feed, and the web pages (records, calls, agenda, directory, search,
// observatory) rendered on the server.
package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/tokens"
	"github.com/lianes-cooperation/lianes/internal/web/graphiql"
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
	// Platforms are the chat platforms' states, in the health report.
	Platforms *Platforms
}

// NewHandler returns the service's HTTP handler.
func NewHandler(d Deps) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", d.health)
	g := newGuard(d.DB, d.Tokens, d.RateLimits)
	for path, h := range d.Bots {
		mux.Handle(path, h)
	}
	if d.Services != nil {
		mux.Handle("GET /calendar.ics", g.wrap(http.HandlerFunc(d.calendar)))
		d.registerPages(mux, g)
	}
	if d.GraphQL != nil {
		editor := html(graphiql.Policy, graphiql.Page())
		mux.Handle("/graphql", g.wrap(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet && r.URL.RawQuery == "" && strings.Contains(r.Header.Get("Accept"), "text/html") {
				editor.ServeHTTP(w, r)
				return
			}
			d.GraphQL.ServeHTTP(w, r)
		})))
		mux.Handle("GET "+graphiql.AssetsPath, html(graphiql.Policy, graphiql.Assets()))
	}
	return mux
}

// registerPages mounts the web pages: the one place that lists them. Each
// goes through the guard (rate limits, bearer tokens), then takes the role of
// the token in the visitor's cookie, if any.
func (d Deps) registerPages(mux *http.ServeMux, g *guard) {
	site := d.site()
	page := func(pattern string, h http.HandlerFunc) {
		mux.Handle(pattern, g.wrap(html(pagePolicy, site.viewer(h))))
	}
	page("GET /{$}", site.home)
	page("GET /fiche/{id}", site.record)
	page("GET /fiche/{id}/agenda.ics", site.eventICS)
	page("GET /appels", site.calls)
	page("GET /agenda", site.agenda)
	page("GET /structures", site.structures)
	page("GET /recherche", site.search)
	page("GET /observatoire", site.observatory)
	page("GET /observatoire/{file}", site.chartImage)
	page("GET /connexion", site.loginForm)
	page("POST /connexion", site.login)
	page("POST /deconnexion", site.logout)
	page("/", site.unknownPage) // any method: "GET /" would clash with the API's "/graphql"
	mux.Handle("GET "+staticPath, html(pagePolicy, staticFiles()))
}

type healthReport struct {
	Status   string `json:"status"`
	Database string `json:"database"`
	Now      string `json:"now"`
	Error    string `json:"error,omitempty"`
	// Platforms do not change the status: a replica whose Slack fails
	// still answers the API, and the load balancer should keep it.
	Platforms map[string]PlatformState `json:"platforms,omitempty"`
}

// health answers 200 when the database answers, 503 otherwise; load
// balancers and orchestrators read the status code, people the JSON.
func (d Deps) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	report := healthReport{Status: "ok", Database: "sqlite", Now: d.Clock.Now().In(clock.Paris).Format(time.RFC3339),
		Platforms: d.Platforms.report()}
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
