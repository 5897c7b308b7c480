package main

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/announce"
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

	mu         sync.Mutex
	live       map[string]bool // Socket Mode or gateway
	connected  map[string]int  // of a live platform: 0 not yet, 1 connected, -1 dropped
	postFailed map[string]bool // the last announcement post failed
}

func newOperations(log *slog.Logger, c clock.Clock, primary, reads *domain.Services) *operations {
	pools := map[string]*sql.DB{"primary": primary.DB.DB}
	if reads.Reads != primary.DB {
		pools["read"] = reads.Reads.DB
	}
	return &operations{log: log, clock: c, metrics: metrics.New(primary.DB, c, pools), platforms: &web.Platforms{},
		live: map[string]bool{}, connected: map[string]int{}, postFailed: map[string]bool{}}
}

// observeQuestion counts a message; not understood are those the bot keeps
// for the staff's list of unanswered questions: not understood, or out of
// what it knows.
func (o *operations) observeQuestion(platform, intent string) {
	o.metrics.ObserveQuestion(platform, intent, intent != core.IntentUnknown && intent != core.IntentOutOfScope)
}

// A platform's health has two sources: its connection, for Socket Mode and
// the gateway, and the announcement posts. A failed post marks it failing
// until a post goes through; a channel that refuses the bot (Refused) is that
// channel's problem, not the platform's.
const (
	reasonDropped = "connexion perdue, reconnexion en cours"
	reasonPost    = "le dernier envoi d'annonce a échoué"
)

// observeDelivery counts a post and follows the platform's health.
func (o *operations) observeDelivery(platform, outcome string, err error) {
	o.metrics.ObserveDelivery(platform, outcome, err)
	o.mu.Lock()
	defer o.mu.Unlock()
	var refused *announce.Refused
	switch {
	case errors.As(err, &refused):
	case err != nil:
		o.postFailed[platform] = true
	default:
		o.postFailed[platform] = false
	}
	o.report(platform)
}

// platformConfigured records a platform. For a live connection (Socket
// Mode, gateway) it returns what the bot calls as the connection comes and
// goes; nil otherwise.
func (o *operations) platformConfigured(platform string, live bool) func(bool) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.live[platform] = live
	o.report(platform)
	if !live {
		return nil
	}
	return func(connected bool) {
		o.mu.Lock()
		defer o.mu.Unlock()
		if connected {
			o.connected[platform] = 1
		} else {
			o.connected[platform] = -1
		}
		o.report(platform)
	}
}

// report writes a platform's state for /healthz; o.mu is held.
func (o *operations) report(platform string) {
	state, reason := web.PlatformConfigured, ""
	switch {
	case o.live[platform] && o.connected[platform] < 0:
		state, reason = web.PlatformFailing, reasonDropped
	case o.postFailed[platform]:
		state, reason = web.PlatformFailing, reasonPost
	case o.live[platform] && o.connected[platform] == 0:
		state = web.PlatformConnecting
	case o.live[platform]:
		state = web.PlatformConnected
	}
	o.platforms.Set(platform, state, reason, o.clock.Now())
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
