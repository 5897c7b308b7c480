package metrics_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/logging"
	"github.com/lianes-cooperation/lianes/internal/metrics"
)

// BenchmarkRequestOverhead is what a request pays for its id, its log line
// and its metrics, around a handler that does nothing.
func BenchmarkRequestOverhead(b *testing.B) {
	m := metrics.New(dbtest.Open(b, "sqlite"), &manual{t: time.Now()}, nil)
	log, err := logging.New(io.Discard, "json", slog.LevelInfo)
	if err != nil {
		b.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /graphql", func(http.ResponseWriter, *http.Request) {})
	for _, c := range []struct {
		name string
		h    http.Handler
	}{
		{"bare", mux},
		{"instrumented", logging.Requests(log, m.ObserveRequest, mux)},
	} {
		b.Run(c.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodPost, "/graphql", nil)
			for b.Loop() {
				c.h.ServeHTTP(httptest.NewRecorder(), req)
			}
		})
	}
}
