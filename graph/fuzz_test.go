package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/graph"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// fuzzQueries read every kind of argument: texts, lists of codes, enums
// inside inputs, ids, cursors, dates.
var fuzzQueries = []string{
	`query($v: String) { structures(filter: {query: $v}) { totalCount nodes { name } } }`,
	`query($v: [String!]) { structures(filter: {communes: $v, themes: $v}) { totalCount } }`,
	`query($v: [EventKind!]) { events(filter: {kinds: $v}) { totalCount } }`,
	`query($v: String!) { search(query: $v) { score } }`,
	`query($v: ID!) { node(id: $v) { id } }`,
	`query($v: String) { projects(after: $v, first: 3) { nodes { title } } }`,
	`query($v: Date) { upcomingEvents(now: $v) { totalCount } }`,
	`query($v: ProjectRole!) { structure(id: "Structure:1") { projects(role: $v) { totalCount } } }`,
}

// FuzzGraphQLVariables sends any JSON value as the variable of each query:
// the answer is data or the caller's error, never an internal error, and
// nothing is logged as an error.
func FuzzGraphQLVariables(f *testing.F) {
	for _, seed := range []string{`"eau"`, `["Lille", "eau-assainissement"]`, `["WEBINAIRE"]`, `["webinaire"]`, `"Structure:1"`,
		`"aTo5MjIzMzcyMDM2ODU0Nzc1ODA3"`, `"2021-01-04"`, `"LEAD"`, `"\u0000"`, `null`, `1e400`, `{"a": [1, {"b": "c"}]}`, `"` + strings.Repeat("mot ", 30) + `"`} {
		for i := range fuzzQueries {
			f.Add(uint8(i), seed)
		}
	}
	bdb := dbtest.Open(f, "sqlite")
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(f, err)
	now := time.Date(2021, 1, 4, 9, 0, 0, 0, clock.Paris)
	var log bytes.Buffer
	h := graph.NewHandler(&graph.Resolver{Services: domain.New(bdb, clock.Fixed(now)), Clock: clock.Fixed(now)}, graph.DefaultLimits,
		slog.New(slog.NewTextHandler(&log, nil)))
	f.Fuzz(func(t *testing.T, which uint8, variable string) {
		var v any
		if json.Unmarshal([]byte(variable), &v) != nil {
			v = variable // not JSON: sent as a string
		}
		body, err := json.Marshal(map[string]any{"query": fuzzQueries[int(which)%len(fuzzQueries)], "variables": map[string]any{"v": v}})
		if err != nil {
			t.Skip()
		}
		req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		rec := httptest.NewRecorder()
		log.Reset()
		h.ServeHTTP(rec, req.WithContext(access.WithRole(req.Context(), access.Member)))
		require.NotEqual(t, http.StatusInternalServerError, rec.Code)
		require.NotContains(t, rec.Body.String(), "INTERNAL_SERVER_ERROR", "%s", body)
		require.NotContains(t, log.String(), "level=ERROR", "%s", body)
	})
}
