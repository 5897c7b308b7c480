package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/metrics"
	"github.com/lianes-cooperation/lianes/internal/web"
)

// operations gathers what lianes serve tells operators: the metrics and the
// chat platforms' states in /healthz, fed by the hooks of the bots, the
// brain, GraphQL and the announcement sender.
type operations struct {
	log       *slog.Logger
	clock     clock.Clock
	metrics   *metrics.Metrics
	platforms *web.Platforms
}

func newOperations(log *slog.Logger, c clock.Clock, primary, reads *domain.Services) *operations {
	pools := map[string]*sql.DB{"primary": primary.DB.DB}
	if reads.Reads != primary.DB {
		pools["read"] = reads.Reads.DB
	}
	return &operations{log: log, clock: c, metrics: metrics.New(primary.DB, c, pools), platforms: &web.Platforms{}}
}

func (o *operations) observeQuestion(platform, intent string) {
	o.metrics.ObserveQuestion(platform, intent, intent != core.IntentUnknown)
}

// observeDelivery counts a post and marks its platform failing until a
// post succeeds again.
func (o *operations) observeDelivery(platform, outcome string, err error) {
	o.metrics.ObserveDelivery(platform, outcome, err)
	state, ok := o.platforms.Get(platform)
	if !ok {
		return
	}
	switch {
	case err != nil:
		o.platforms.Set(platform, web.PlatformFailing, "le dernier envoi d'annonce a échoué", o.clock.Now())
	case state.State == web.PlatformFailing && state.Reason != reasonDropped:
		o.platforms.Set(platform, web.PlatformConfigured, "", o.clock.Now())
	}
}

const reasonDropped = "connexion perdue, reconnexion en cours"

// platformConfigured records a platform; connected is its live connection
// (Socket Mode, gateway), reported by the bot as it comes and goes.
func (o *operations) platformConfigured(platform string, live bool) func(bool) {
	if !live {
		o.platforms.Set(platform, web.PlatformConfigured, "", o.clock.Now())
		return nil
	}
	o.platforms.Set(platform, web.PlatformConnecting, "", o.clock.Now())
	return func(connected bool) {
		if connected {
			o.platforms.Set(platform, web.PlatformConnected, "", o.clock.Now())
		} else {
			o.platforms.Set(platform, web.PlatformFailing, reasonDropped, o.clock.Now())
		}
	}
}

func (o *operations) metricsHandler() http.Handler { return o.metrics.Handler(o.log) }

// withMetrics serves /metrics beside the service's own routes.
func withMetrics(next, m http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/metrics" {
			r.Pattern = "GET /metrics"
			m.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// serveMetrics serves /metrics on an address of its own (a private
// interface), and returns how to stop it.
func (o *operations) serveMetrics(addr string) (func(), error) {
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("--metrics-addr : écoute sur %s impossible : %w", addr, err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", o.metricsHandler())
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := srv.Serve(listener); err != nil && !errors.Is(err, http.ErrServerClosed) {
			o.log.Error("métriques : service arrêté", "error", err)
		}
	}()
	o.log.Info("métriques à l'écoute", "url", "http://"+listener.Addr().String()+"/metrics")
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(ctx)
	}, nil
}
