package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/web"
)

// FuzzCalendarQuery sends any query string to /calendar.ics: the answer is
// the feed (200) or the caller's mistake (400), never a server error.
func FuzzCalendarQuery(f *testing.F) {
	for _, seed := range []string{"", "kind=webinaire", "theme=eau-assainissement&theme=sante", "audience=associations", "theme=%00",
		"kind=%ff", "kind=inconnu", "the%00me=x", "%zz", "theme=" + string(make([]byte, 300)), "kind=webinaire;theme=eau"} {
		f.Add(seed)
	}
	bdb := dbtest.Open(f, "sqlite")
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(f, err)
	h := web.NewHandler(web.Deps{DB: bdb, Clock: clock.System{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Services: domain.New(bdb, clock.System{})})
	f.Fuzz(func(t *testing.T, query string) {
		req := httptest.NewRequest(http.MethodGet, "/calendar.ics", nil)
		req.URL.RawQuery = query
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		require.Contains(t, []int{http.StatusOK, http.StatusBadRequest}, rec.Code, "%q: %s", query, rec.Body.String())
	})
}
