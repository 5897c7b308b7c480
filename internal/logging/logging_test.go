package logging_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/logging"
)

func lines(t *testing.T, buf *bytes.Buffer) []map[string]any {
	t.Helper()
	var out []map[string]any
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(l), &m), l)
		out = append(out, m)
	}
	return out
}

func TestEveryLineOfARequestCarriesItsID(t *testing.T) {
	var buf bytes.Buffer
	log, err := logging.New(&buf, "json", slog.LevelInfo)
	require.NoError(t, err)
	var observed []string
	h := logging.Requests(log, func(r *http.Request, route string, status int, _ time.Duration) {
		observed = append(observed, route+" "+http.StatusText(status))
	}, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		log.InfoContext(r.Context(), "dans le gestionnaire")
		r.Pattern = "GET /fiche/{id}" // as the mux does
		w.WriteHeader(http.StatusTeapot)
	}))

	cases := []struct {
		incoming string
		kept     bool
	}{
		{"", false},
		{"abc-123_X.y", true},
		{"deux mots", false},
		{"ligne\nforgée", false},
		{strings.Repeat("a", 65), false},
	}
	for _, c := range cases {
		buf.Reset()
		req := httptest.NewRequest(http.MethodGet, "/fiche/12?q=recherche+de+quelqu'un&token=abc", nil)
		if c.incoming != "" {
			req.Header.Set(logging.RequestIDHeader, c.incoming)
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		id := rec.Header().Get(logging.RequestIDHeader)
		if c.kept {
			require.Equal(t, c.incoming, id)
		} else {
			require.Regexp(t, `^[0-9a-f]{16}$`, id, "%q replaced", c.incoming)
		}
		logged := lines(t, &buf)
		require.Len(t, logged, 2)
		for _, l := range logged {
			require.Equal(t, id, l["request_id"])
		}
		require.Equal(t, "requête", logged[1]["msg"])
		require.Equal(t, "GET /fiche/{id}", logged[1]["route"])
		require.Equal(t, "/fiche/12", logged[1]["path"])
		require.EqualValues(t, http.StatusTeapot, logged[1]["status"])
		require.NotContains(t, buf.String(), "recherche", "the query string is not logged")
	}
	require.Equal(t, "GET /fiche/{id} I'm a teapot", observed[0])
}

func TestSecretAttributesAreMasked(t *testing.T) {
	for _, format := range logging.Formats {
		var buf bytes.Buffer
		log, err := logging.New(&buf, format, slog.LevelDebug)
		require.NoError(t, err)
		log.Info("essai", "token", "lianes_abc", "Authorization", "Bearer xyz", "slack_signing_secret", "s3cr3t",
			"password", "pw", "cookie", "c=1", "channel", "C123")
		log.WithGroup("discord").Debug("essai", "bot_token", "Bot zzz")
		out := buf.String()
		for _, secret := range []string{"lianes_abc", "xyz", "s3cr3t", "pw", "c=1", "zzz"} {
			require.NotContains(t, out, secret, format)
		}
		require.Contains(t, out, logging.Masked)
		require.Contains(t, out, "C123", "other attributes are kept")
	}
}

func TestUnknownFormatIsRefused(t *testing.T) {
	_, err := logging.New(&bytes.Buffer{}, "xml", slog.LevelInfo)
	require.EqualError(t, err, "format de journal « xml » inconnu : attendu text ou json")
}

func TestQuietRoutesAreLoggedAtDebugLevel(t *testing.T) {
	var buf bytes.Buffer
	log, err := logging.New(&buf, "json", slog.LevelInfo)
	require.NoError(t, err)
	status := http.StatusOK
	h := logging.Requests(log, nil, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Pattern = "GET /healthz"
		w.WriteHeader(status)
	}), "GET /healthz")
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/healthz", nil))
	require.Empty(t, buf.String(), "a health check that succeeds is not worth a line")
	status = http.StatusServiceUnavailable
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/healthz", nil))
	require.Contains(t, buf.String(), `"status":503`, "one that fails is")
}
