package graph_test

import (
	"bytes"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/lianes-cooperation/lianes/graph"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/stretchr/testify/require"
)

func post(t *testing.T, url, contentType, body string) (int, response) {
	t.Helper()
	resp, err := http.Post(url, contentType, strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var out response
	_ = json.Unmarshal(raw, &out)
	return resp.StatusCode, out
}

func TestLimitsAndErrors(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	a := newAPI(t, bdb)
	code := func(r response) string {
		require.NotEmpty(t, r.Errors)
		c, _ := r.Errors[0].Extensions["code"].(string)
		return c
	}

	t.Run("depth", func(t *testing.T) {
		q := `{ structures { nodes { projects { nodes { partners { nodes { projects { nodes { partners { nodes {
			projects { nodes { partners { nodes { name } } } } } } } } } } } } } } }`
		r := a.do(q, nil)
		require.Equal(t, "DEPTH_LIMIT_EXCEEDED", code(r))
		require.Contains(t, r.Errors[0].Message, "requête trop imbriquée")
	})
	t.Run("complexity", func(t *testing.T) {
		r := a.do(`{ structures(first: 100) { nodes { projects(first: 100) { nodes { partners(first: 100) { nodes { name } } } } } } }`, nil)
		require.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", code(r))
		require.Contains(t, r.Errors[0].Message, "requête trop complexe")
	})
	t.Run("French validation messages", func(t *testing.T) {
		r := a.do(`{ structures { nodes { nom } } }`, nil)
		require.Equal(t, "GRAPHQL_VALIDATION_FAILED", code(r))
		require.Contains(t, r.Errors[0].Message, "Le champ « nom » n'existe pas sur le type « Structure ».")
		r = a.do(`{ structures { `, nil)
		require.Contains(t, r.Errors[0].Message, "Erreur de syntaxe")
		r = a.do(`query($id: ID!) { structure(id: $id) { name } }`, nil)
		require.Contains(t, r.Errors[0].Message, "la variable obligatoire « $id » manque")
		for query, want := range map[string]string{
			`{ structure(id: "Structure:1") { projects(role: CHEF) { totalCount } } }`: "La valeur « CHEF » n'existe pas dans l'énumération « ProjectRole ».",
			`{ structures(first: "dix") { totalCount } }`:                              `Valeur incorrecte pour le type Int : "dix".`,
			`{ structures(filter: {departement: ["59"]}) { totalCount } }`:             "Le champ « departement » n'existe pas dans le type « StructureFilter ».",
			`{ structures(orderBy: {direction: DESC}) { totalCount } }`:                "Le champ obligatoire « StructureOrder.field » (type StructureOrderField!) manque.",
			`{ structures { ...Fiche } }`:                                              "Le fragment « Fiche » n'existe pas.",
			`query { structures(first: $n) { totalCount } }`:                           "La variable « $n » n'est pas déclarée.",
			`query($n: Int) { structures { totalCount } }`:                             "La variable « $n » n'est jamais utilisée.",
			`{ structures @cache { totalCount } }`:                                     "La directive « @cache » n'existe pas.",
		} {
			r = a.do(query, nil)
			require.Equal(t, "GRAPHQL_VALIDATION_FAILED", code(r), query)
			require.Contains(t, r.Errors[0].Message, want, query)
		}
		r = a.do(`query($n: Int!) { structures(first: $n) { totalCount } }`, map[string]any{"n": "dix"})
		require.Contains(t, r.Errors[0].Message, "variable « $n » : ", r.Errors[0].Message)
		r = a.do(`query($r: ProjectRole!) { structure(id: "Structure:1") { projects(role: $r) { totalCount } } }`, map[string]any{"r": "CHEF"})
		require.Contains(t, r.Errors[0].Message, "variable « $r » : « CHEF » n'est pas une valeur de ProjectRole", r.Errors[0].Message)
	})
	t.Run("bad arguments name the field", func(t *testing.T) {
		r := a.do(`{ events(first: 1000) { totalCount } }`, nil)
		require.Equal(t, "BAD_USER_INPUT", code(r))
		require.Equal(t, "first", r.Errors[0].Extensions["field"])
		r = a.do(`{ events(after: "pas-un-curseur") { totalCount } }`, nil)
		require.Equal(t, "BAD_USER_INPUT", code(r))
		require.Contains(t, r.Errors[0].Message, "curseur « pas-un-curseur » invalide")
		r = a.do(`{ upcomingEvents(now: "04/01/2021") { totalCount } }`, nil)
		require.NotEmpty(t, r.Errors)
		require.Contains(t, r.Errors[0].Message, "AAAA-MM-JJ")
	})
	t.Run("no form posts and bounded bodies", func(t *testing.T) {
		status, _ := post(t, a.server.URL, "application/x-www-form-urlencoded", "query=%7B__typename%7D")
		require.Equal(t, http.StatusUnsupportedMediaType, status)
		status, _ = post(t, a.server.URL, "text/plain", `{"query":"{ __typename }"}`)
		require.Equal(t, http.StatusUnsupportedMediaType, status)
		big := `{"query":"{ __typename }","variables":{"x":"` + strings.Repeat("a", 2<<20) + `"}}`
		status, r := post(t, a.server.URL, "application/json", big)
		require.Equal(t, http.StatusRequestEntityTooLarge, status)
		require.Contains(t, r.Errors[0].Message, "corps de requête trop grand")
	})
	t.Run("GET runs queries", func(t *testing.T) {
		resp, err := http.Get(a.server.URL + "?query=" + url.QueryEscape(`{ events(first: 1) { totalCount } }`))
		require.NoError(t, err)
		defer resp.Body.Close()
		var r response
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
		require.JSONEq(t, `{"events":{"totalCount":41}}`, string(r.Data))
	})
}

func TestPanicsAndInternalErrorsAreMasked(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	var log bytes.Buffer
	services := domain.New(bdb, clock.System{})
	services.Observatory = nil // a resolver that reaches it panics
	h := graph.NewHandler(&graph.Resolver{Services: services, Clock: clock.Fixed(time.Now())}, graph.DefaultLimits,
		slog.New(slog.NewTextHandler(&log, nil)))
	srv := httptest.NewServer(h)
	defer srv.Close()

	_, r := post(t, srv.URL, "application/json", `{"query":"{ observatory { structures } }"}`)
	require.NotEmpty(t, r.Errors)
	require.Equal(t, "INTERNAL_SERVER_ERROR", r.Errors[0].Extensions["code"])
	require.NotContains(t, r.Errors[0].Message, "nil pointer")
	require.Contains(t, log.String(), "panique")

	// The server keeps serving.
	_, r = post(t, srv.URL, "application/json", `{"query":"{ themes { code } }"}`)
	require.Empty(t, r.Errors)

	// A database failure is logged, and the caller sees no SQL.
	require.NoError(t, bdb.Close())
	_, r = post(t, srv.URL, "application/json", `{"query":"{ structures { totalCount } }"}`)
	require.NotEmpty(t, r.Errors)
	require.Equal(t, "INTERNAL_SERVER_ERROR", r.Errors[0].Extensions["code"])
	require.NotContains(t, strings.ToLower(r.Errors[0].Message), "sql")
	require.NotContains(t, strings.ToLower(r.Errors[0].Message), "select")
}

func TestIntrospectionCanBeTurnedOff(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	limits := graph.DefaultLimits
	limits.Introspection = false
	h := graph.NewHandler(&graph.Resolver{Services: domain.New(bdb, clock.System{}), Clock: clock.System{}}, limits,
		slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv := httptest.NewServer(h)
	defer srv.Close()
	_, r := post(t, srv.URL, "application/json", `{"query":"{ __schema { types { name } } }"}`)
	require.NotEmpty(t, r.Errors)
}

// TestStandardIntrospectionQueryPasses sends the introspection query that
// graphql-js's getIntrospectionQuery() writes, nested thirteen levels deep:
// client libraries must be able to read the schema despite the depth limit.
func TestStandardIntrospectionQueryPasses(t *testing.T) {
	a := newAPI(t, dbtest.Open(t, "sqlite"))
	r := a.do(`query IntrospectionQuery { __schema { queryType { name } types { ...FullType } directives { name args { ...InputValue } } } }
	fragment FullType on __Type { kind name description fields(includeDeprecated: true) { name args { ...InputValue } type { ...TypeRef } }
	  inputFields { ...InputValue } interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name } possibleTypes { ...TypeRef } }
	fragment InputValue on __InputValue { name type { ...TypeRef } defaultValue }
	fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType {
	  kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } }`, nil)
	require.Empty(t, r.Errors)
}
