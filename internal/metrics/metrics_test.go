package metrics_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/announce"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/metrics"
)

type manual struct {
	mu sync.Mutex
	t  time.Time
}

func (m *manual) Now() time.Time  { m.mu.Lock(); defer m.mu.Unlock(); return m.t }
func (m *manual) Set(t time.Time) { m.mu.Lock(); defer m.mu.Unlock(); m.t = t }

// poster answers each post with the error of its channel.
type poster map[string]error

func (p poster) Post(_ context.Context, m announce.Message) (announce.Posted, error) {
	if err := p[m.Channel]; err != nil {
		return announce.Posted{}, err
	}
	return announce.Posted{ID: "1"}, nil
}

func scrape(t *testing.T, m *metrics.Metrics) map[string]*dto.MetricFamily {
	t.Helper()
	rec := httptest.NewRecorder()
	m.Handler(slog.New(slog.NewTextHandler(io.Discard, nil))).ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	require.Equal(t, http.StatusOK, rec.Code)
	parser := expfmt.NewTextParser(model.UTF8Validation)
	families, err := parser.TextToMetricFamilies(rec.Body)
	require.NoError(t, err)
	return families
}

// values maps each sample of a family to its value (counters, gauges) or
// count (histograms), keyed by its labels written name=value,….
func values(families map[string]*dto.MetricFamily, name string) map[string]float64 {
	out := map[string]float64{}
	f := families[name]
	if f == nil {
		return out
	}
	for _, m := range f.GetMetric() {
		key := ""
		for i, l := range m.GetLabel() {
			if i > 0 {
				key += ","
			}
			key += l.GetName() + "=" + l.GetValue()
		}
		switch {
		case m.Counter != nil:
			out[key] = m.GetCounter().GetValue()
		case m.Gauge != nil:
			out[key] = m.GetGauge().GetValue()
		case m.Histogram != nil:
			out[key] = float64(m.GetHistogram().GetSampleCount())
		}
	}
	return out
}

func TestOutboxAndDeliveries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := access.WithActor(access.WithRole(context.Background(), access.Staff), "test")
		start := time.Date(2021, 3, 1, 9, 0, 0, 0, time.UTC)
		c := &manual{t: start}
		m := metrics.New(bdb, c, map[string]*sql.DB{"primary": bdb.DB})
		svc := announce.New(bdb, c)

		families := scrape(t, m)
		require.Equal(t, map[string]float64{"": 0}, values(families, "lianes_outbox_waiting"))
		require.Equal(t, map[string]float64{"": 0}, values(families, "lianes_outbox_oldest_due_seconds"))

		_, err := svc.Announce(ctx, announce.Staff{Text: "Maintenant", Targets: []announce.Target{
			{Platform: announce.Slack, Channel: "OK"}, {Platform: announce.Slack, Channel: "GONE"}, {Platform: announce.Discord, Channel: "BUSY"}}})
		require.NoError(t, err)
		_, err = svc.Announce(ctx, announce.Staff{Text: "Plus tard", At: start.Add(time.Hour),
			Targets: []announce.Target{{Platform: announce.Slack, Channel: "OK"}}})
		require.NoError(t, err)

		c.Set(start.Add(10 * time.Minute))
		families = scrape(t, m)
		require.Equal(t, map[string]float64{"": 4}, values(families, "lianes_outbox_waiting"))
		require.Equal(t, map[string]float64{"": 600}, values(families, "lianes_outbox_oldest_due_seconds"),
			"the oldest due delivery has waited ten minutes; the one due in an hour does not count")

		sender := announce.NewSender(bdb, c, map[string]announce.Poster{
			announce.Slack:   poster{"GONE": &announce.Refused{Reason: "channel_not_found"}},
			announce.Discord: poster{"BUSY": errors.New("délai dépassé")},
		}, slog.New(slog.NewTextHandler(io.Discard, nil)))
		sender.Observe = m.ObserveDelivery
		n, err := sender.SendDue(ctx)
		require.NoError(t, err)
		require.Equal(t, 3, n)

		families = scrape(t, m)
		require.Equal(t, map[string]float64{
			"outcome=sent,platform=slack":      1,
			"outcome=failed,platform=slack":    1,
			"outcome=retried,platform=discord": 1,
		}, values(families, "lianes_deliveries_total"))
		require.Equal(t, map[string]float64{"": 2}, values(families, "lianes_outbox_waiting"), "the retry and the later one")
		require.Equal(t, map[string]float64{"": 0}, values(families, "lianes_outbox_oldest_due_seconds"), "the retry is not due yet")
		require.Contains(t, values(families, "go_sql_max_open_connections"), "db_name=primary")
	})
}

func TestLabelsStayBounded(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	m := metrics.New(bdb, &manual{t: time.Now()}, nil)
	for i := range metrics.MaxOperations + 50 {
		m.ObserveOperation(fmt.Sprintf("Op%d", i), "resolvers", "", time.Millisecond)
	}
	m.ObserveOperation("", "compiled", "", time.Millisecond)
	m.ObserveOperation("Op1 { secret }", "resolvers", "BAD_USER_INPUT", time.Millisecond)
	m.ObserveOperation("Op1", "resolvers", "lower case or anything", time.Millisecond)
	m.ObserveQuestion("slack", "appels", true)
	m.ObserveQuestion("slack", "inconnu", false)
	m.ObserveQuestion("<U123>", "a question someone typed", false)
	m.ObserveDelivery("irc://x", announce.OutcomeSent, nil)
	m.ObserveRequest(httptest.NewRequest("BREW", "/fiche/123", nil), "", 404, time.Millisecond)
	m.ObserveRequest(httptest.NewRequest(http.MethodGet, "/fiche/123", nil), "GET /fiche/{id}", 200, time.Millisecond)

	families := scrape(t, m)
	ops := values(families, "lianes_graphql_operation_duration_seconds")
	require.Len(t, ops, metrics.MaxOperations+2, "the first names, anonymous and other")
	require.Equal(t, 51.0, ops["operation="+metrics.Other], "50 names past the bound and a malformed one")
	require.Equal(t, 1.0, ops["operation=anonymous"])
	require.Equal(t, map[string]float64{
		"answered_by=resolvers,code=ok":             150,
		"answered_by=compiled,code=ok":              1,
		"answered_by=resolvers,code=BAD_USER_INPUT": 1,
		"answered_by=resolvers,code=other":          1,
	}, values(families, "lianes_graphql_answers_total"))
	require.Equal(t, map[string]float64{
		"intent=appels,platform=slack":  1,
		"intent=inconnu,platform=slack": 1,
		"intent=other,platform=other":   1,
	}, values(families, "lianes_bot_questions_total"))
	require.Equal(t, map[string]float64{"platform=slack": 1, "platform=other": 1}, values(families, "lianes_bot_not_understood_total"))
	require.Equal(t, map[string]float64{"outcome=sent,platform=other": 1}, values(families, "lianes_deliveries_total"))
	require.Equal(t, map[string]float64{
		"method=other,route=other,status=404":         1,
		"method=GET,route=GET /fiche/{id},status=200": 1,
	}, values(families, "lianes_http_request_duration_seconds"))
}
