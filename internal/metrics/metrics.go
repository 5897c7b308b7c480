// Package metrics exposes the service to Prometheus on /metrics: request
// latency per route and per GraphQL operation, how GraphQL answered, the
// bot's questions by intent and platform, the announcement outbox, and the
// database pools. The transports and the sender report through hooks
// (graph.Observer, core.Brain.Observe, announce.Sender.Observe) wired in
// cmd/lianes; this package imports none of them.
//
// No label carries anything personal or unbounded: routes are the mux's
// patterns ("GET /fiche/{id}", never an id), operation names and intents are
// kept only while they look like names and are few, and everything else
// becomes "other".
package metrics

import (
	"context"
	"database/sql"
	"log/slog"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/announce"
	"github.com/lianes-cooperation/lianes/internal/clock"
)

// Other replaces a label value that is unknown, malformed or one too many.
const Other = "other"

// MaxOperations bounds the distinct GraphQL operation names kept as labels;
// later new names count as Other.
const MaxOperations = 100

// Metrics holds the service's collectors in a registry of its own.
type Metrics struct {
	registry      *prometheus.Registry
	requests      *prometheus.HistogramVec
	operations    *prometheus.HistogramVec
	answers       *prometheus.CounterVec
	questions     *prometheus.CounterVec
	notUnderstood *prometheus.CounterVec
	deliveries    *prometheus.CounterVec

	mu    sync.Mutex
	names map[string]bool
}

// New returns the metrics of a service whose outbox is in outbox; pools
// names the database pools to watch ("primary", "read").
func New(outbox *bun.DB, c clock.Clock, pools map[string]*sql.DB) *Metrics {
	buckets := []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}
	m := &Metrics{
		registry: prometheus.NewRegistry(),
		requests: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "lianes_http_request_duration_seconds", Help: "Durée des requêtes HTTP, par route et statut.", Buckets: buckets,
		}, []string{"route", "method", "status"}),
		operations: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "lianes_graphql_operation_duration_seconds", Help: "Durée des opérations GraphQL, par nom d'opération.", Buckets: buckets,
		}, []string{"operation"}),
		answers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lianes_graphql_answers_total", Help: "Réponses GraphQL, par chemin (compiled, resolvers) et code de la première erreur (ok si aucune).",
		}, []string{"answered_by", "code"}),
		questions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lianes_bot_questions_total", Help: "Messages auxquels le robot a répondu, par plateforme et intention.",
		}, []string{"platform", "intent"}),
		notUnderstood: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lianes_bot_not_understood_total", Help: "Messages que le robot n'a pas compris ou auxquels il n'a pas su répondre, par plateforme.",
		}, []string{"platform"}),
		deliveries: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "lianes_deliveries_total", Help: "Essais d'envoi des annonces, par plateforme et issue (sent, failed, retried).",
		}, []string{"platform", "outcome"}),
		names: map[string]bool{},
	}
	m.registry.MustRegister(m.requests, m.operations, m.answers, m.questions, m.notUnderstood, m.deliveries,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		&outboxCollector{db: outbox, clock: c})
	for name, pool := range pools {
		m.registry.MustRegister(collectors.NewDBStatsCollector(pool, name))
	}
	return m
}

// Handler serves the metrics in Prometheus' text format. A collector that
// fails (the database not answering) leaves the others served.
func (m *Metrics) Handler(log *slog.Logger) http.Handler {
	return promhttp.HandlerFor(m.registry, promhttp.HandlerOpts{
		ErrorHandling: promhttp.ContinueOnError,
		ErrorLog:      errorLog{log},
	})
}

type errorLog struct{ log *slog.Logger }

func (l errorLog) Println(v ...any) {
	l.log.Warn("métriques : collecte incomplète", "error", v)
}

// ObserveRequest counts one HTTP request by the pattern that routed it.
func (m *Metrics) ObserveRequest(r *http.Request, route string, status int, took time.Duration) {
	if route == "" {
		route = Other // no route matched: a 404 of any path
	}
	method := r.Method
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions:
	default:
		method = Other
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Observe(took.Seconds())
}

// ObserveOperation counts one GraphQL operation; it makes Metrics a
// graph.Observer.
func (m *Metrics) ObserveOperation(name, answeredBy, code string, took time.Duration) {
	m.operations.WithLabelValues(m.operationName(name)).Observe(took.Seconds())
	switch {
	case code == "":
		code = "ok"
	case !word(code, 40, true):
		code = Other
	}
	m.answers.WithLabelValues(answeredBy, code).Inc()
}

// operationName keeps the first MaxOperations well-formed names.
func (m *Metrics) operationName(name string) string {
	if name == "" {
		return "anonymous"
	}
	if !word(name, 64, false) {
		return Other
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.names[name] {
		if len(m.names) >= MaxOperations {
			return Other
		}
		m.names[name] = true
	}
	return name
}

// ObserveQuestion counts one answered message; understood is false for a
// message the bot did not understand.
func (m *Metrics) ObserveQuestion(platform, intent string, understood bool) {
	if !word(platform, 16, false) {
		platform = Other
	}
	if !word(intent, 24, false) {
		intent = Other
	}
	m.questions.WithLabelValues(platform, intent).Inc()
	if !understood {
		m.notUnderstood.WithLabelValues(platform).Inc()
	}
}

// ObserveDelivery counts one attempt to post an announcement; it fits
// announce.Sender.Observe.
func (m *Metrics) ObserveDelivery(platform, outcome string, _ error) {
	if !word(platform, 16, false) {
		platform = Other
	}
	m.deliveries.WithLabelValues(platform, outcome).Inc()
}

// word reports whether s is a short identifier: letters, digits and '_'
// (upper case only when upper is set, as error codes are written).
func word(s string, maxLen int, upper bool) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	for _, c := range s {
		switch {
		case c == '_', c >= '0' && c <= '9':
		case c >= 'A' && c <= 'Z':
		case c >= 'a' && c <= 'z' && !upper:
		default:
			return false
		}
	}
	return true
}

// outboxCollector reads the outbox at each scrape, so the figures are the
// database's, shared by every replica, not one process's.
type outboxCollector struct {
	db    *bun.DB
	clock clock.Clock
}

var (
	outboxWaiting = prometheus.NewDesc("lianes_outbox_waiting",
		"Envois d'annonces programmés ou en cours, toutes échéances.", nil, nil)
	outboxOldest = prometheus.NewDesc("lianes_outbox_oldest_due_seconds",
		"Âge de l'envoi dû le plus ancien qu'aucun expéditeur ne tient (0 si aucun).", nil, nil)
)

func (c *outboxCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- outboxWaiting
	ch <- outboxOldest
}

func (c *outboxCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	q, err := announce.QueueState(ctx, c.db, c.clock.Now())
	if err != nil {
		ch <- prometheus.NewInvalidMetric(outboxWaiting, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxWaiting, prometheus.GaugeValue, float64(q.Waiting))
	ch <- prometheus.MustNewConstMetric(outboxOldest, prometheus.GaugeValue, q.OldestDue.Seconds())
}
