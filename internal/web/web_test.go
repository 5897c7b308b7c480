package web_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/web"
)

func feed(t *testing.T, srv *httptest.Server, query string) (int, string) {
	t.Helper()
	resp, err := http.Get(srv.URL + "/calendar.ics" + query)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(body)
}

func TestCalendarFeed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		_, err := dataset.SeedDemo(ctx, bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		srv := httptest.NewServer(web.NewHandler(web.Deps{
			DB: bdb, Clock: clock.System{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
			Services: domain.New(bdb, clock.System{}),
		}))
		defer srv.Close()

		status, body := feed(t, srv, "")
		require.Equal(t, http.StatusOK, status)
		for _, line := range strings.SplitAfter(body, "\r\n") {
			require.LessOrEqual(t, len(strings.TrimSuffix(line, "\r\n")), 75, "folded at 75 octets: %q", line)
			if line != "" {
				require.True(t, strings.HasSuffix(line, "\r\n"), "CRLF line ends: %q", line)
			}
		}
		cal, err := ics.ParseCalendar(strings.NewReader(body))
		require.NoError(t, err)
		events := cal.Events()
		require.Len(t, events, 40, "the 41 events but the Amiens opening, whose date is not fixed")
		uids := map[string]bool{}
		for _, e := range events {
			uid := e.GetProperty(ics.ComponentPropertyUniqueId)
			require.NotNil(t, uid)
			require.False(t, uids[uid.Value], "unique UID")
			uids[uid.Value] = true
			require.NotNil(t, e.GetProperty(ics.ComponentPropertyDtstamp))
		}

		// 12 January is one all-day entry; "Mai" runs over May; "Automne"
		// over September to November.
		byTitle := map[string]*ics.VEvent{}
		for _, e := range events {
			byTitle[e.GetProperty(ics.ComponentPropertySummary).Value] = e
		}
		check := func(title, start, end string) {
			e := byTitle[title]
			require.NotNil(t, e, title)
			require.Equal(t, start, e.GetProperty(ics.ComponentPropertyDtStart).Value, title)
			require.Equal(t, end, e.GetProperty(ics.ComponentPropertyDtEnd).Value, title)
		}
		check("Accès à l’eau au Sénégal", "20210112", "20210113")
		check("Commission Energie", "20210501", "20210601")
		check("Groupe Haïti", "20210901", "20211201")
		require.True(t, strings.Contains(body, `eau\, déchets et énergie`), "commas escaped")

		// Filters, and a cancelled event marked as such.
		_, err = bdb.NewUpdate().TableExpr("events").Set("status = 'annule'").Where("title = ?", "Groupe Haïti").Exec(ctx)
		require.NoError(t, err)
		_, body = feed(t, srv, "?kind=groupe_de_travail&theme=ecsi")
		cal, err = ics.ParseCalendar(strings.NewReader(body))
		require.NoError(t, err)
		require.Len(t, cal.Events(), 4)
		_, body = feed(t, srv, "?kind=groupe_de_travail")
		require.Contains(t, body, "STATUS:CANCELLED")

		status, body = feed(t, srv, "?kind=concert")
		require.Equal(t, http.StatusBadRequest, status)
		require.Contains(t, body, "« concert » inconnu")
	})
}

func TestFichePages(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	srv := httptest.NewServer(web.NewHandler(web.Deps{
		DB: bdb, Clock: clock.System{}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Services: domain.New(bdb, clock.System{}),
	}))
	defer srv.Close()
	get := func(path string) (int, string) {
		resp, err := http.Get(srv.URL + path)
		require.NoError(t, err)
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body)
	}
	status, body := get("/fiche/Event:1")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, body, "Accès à l’eau au Sénégal")
	require.Contains(t, body, "12 janvier 2021")
	status, body = get("/fiche/FundingCall:7")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, body, "Date limite non communiquée")
	for _, private := range []string{"/fiche/Contact:1", "/fiche/SupportSession:1", "/fiche/Event:999", "/fiche/nimporte"} {
		status, _ = get(private)
		require.Equal(t, http.StatusNotFound, status, private)
	}
}
