package graph_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

func aliased(n int, body string) string {
	var b strings.Builder
	b.WriteString("{ ")
	for i := range n {
		fmt.Fprintf(&b, "a%d: %s ", i, body)
	}
	b.WriteString("}")
	return b.String()
}

func errorCode(t *testing.T, r response) string {
	t.Helper()
	require.NotEmpty(t, r.Errors, "the query should have been refused")
	c, _ := r.Errors[0].Extensions["code"].(string)
	return c
}

// TestCostLimitsPriceWhatTheServerDoes sends the attacks of issue 14, items
// 1 to 4: each was accepted before, and each is refused now before a
// resolver runs, while the ordinary shape beside it still passes.
func TestCostLimitsPriceWhatTheServerDoes(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		a.role = access.Member

		t.Run("introspection is read once per request", func(t *testing.T) {
			schema := `__schema { types { name fields { name type { name ofType { name ofType { name } } } } } }`
			r := a.do(aliased(300, schema), nil)
			require.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", errorCode(t, r))
			require.Contains(t, r.Errors[0].Message, "__schema lu 300 fois")
			require.True(t, strings.HasPrefix(r.Errors[0].Message, "requête trop coûteuse"), r.Errors[0].Message)
			r = a.do(`{ a: __schema { queryType { name } } ...F } fragment F on Query { b: __schema { queryType { name } } }`, nil)
			require.Contains(t, r.Errors[0].Message, "__schema lu 2 fois")
			require.Empty(t, a.do(`{ `+schema+` }`, nil).Errors)
			r = a.do(aliased(50, `__type(name: "Structure") { fields { name } }`), nil)
			require.Contains(t, r.Errors[0].Message, "__type lu 50 fois")
		})

		t.Run("a walk of the partnership graph is priced by its cost", func(t *testing.T) {
			path := `introductionPath(from: "Structure:1", to: "Structure:2") { length }`
			require.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", errorCode(t, a.do(aliased(10, path), nil)))
			require.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED",
				errorCode(t, a.do(aliased(3, `suggestedPartners(structure: "Structure:1") { score }`), nil)))
			require.Empty(t, a.do(aliased(2, path), nil).Errors, "two paths fit")
			require.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED",
				errorCode(t, a.do(aliased(2, `suggestedPartners(structure: "Structure:1") { score }`), nil)))
			require.Empty(t, a.do(`{ suggestedPartners(structure: "Structure:1") { score } }`, nil).Errors, "one suggestion fits")
		})

		t.Run("a text search is priced by its words", func(t *testing.T) {
			words := strings.TrimSpace(strings.Repeat("eau santé ", 10))
			r := a.do(aliased(10, fmt.Sprintf(`projects(filter: {query: %q}) { totalCount }`, words)), nil)
			require.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", errorCode(t, r))
			require.Empty(t, a.do(fmt.Sprintf(`{ projects(filter: {query: %q}) { totalCount } }`, words), nil).Errors)
		})

		t.Run("nodes, search, partnerships and contacts count their items", func(t *testing.T) {
			ids := make([]string, 100)
			for i := range ids {
				ids[i] = fmt.Sprintf("%q", fmt.Sprintf("Structure:%d", i+1))
			}
			inner := `projects(first: 100) { nodes { partners(first: 100) { nodes { name } } } }`
			for _, q := range []string{
				`{ nodes(ids: [` + strings.Join(ids, ",") + `]) { ... on Structure { ` + inner + ` } } }`,
				`{ search(query: "eau", first: 100) { node { ... on Structure { ` + inner + ` } } } }`,
				`{ partnerships(first: 100) { nodes { structure { ` + inner + ` } } } }`,
				`{ contacts(first: 100) { nodes { structure { ` + inner + ` } } } }`,
			} {
				require.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", errorCode(t, a.do(q, nil)), q)
			}
		})

		t.Run("search terms are capped", func(t *testing.T) {
			long := strings.Repeat("mot ", 120)
			for q, field := range map[string]string{
				`query($q: String!) { search(query: $q) { score } }`:                                      "query",
				`query($q: String) { projects(filter: {query: $q}) { totalCount } }`:                      "filter.query",
				`query($q: String) { structures(filter: {query: $q}) { totalCount } }`:                    "filter.query",
				`query($q: String) { contacts(query: $q) { totalCount } }`:                                "query",
				`query($q: String!) { x: search(query: "eau") { score } y: search(query: $q) { score } }`: "query",
			} {
				r := a.do(q, map[string]any{"q": long})
				require.Equal(t, "BAD_USER_INPUT", errorCode(t, r), q)
				require.Equal(t, field, r.Errors[0].Extensions["field"], q)
				require.Contains(t, r.Errors[0].Message, "recherche trop longue")
			}
			require.Empty(t, a.do(`{ search(query: "eau potable au Sénégal") { score } }`, nil).Errors)
		})

		t.Run("fragments spread into fragments are counted once expanded", func(t *testing.T) {
			// Each fragment spreads the next ten times: a billion fields once
			// expanded, in a document of a few hundred bytes.
			var b strings.Builder
			b.WriteString(`{ ...F0 } fragment F9 on Query { __typename }`)
			for i := range 9 {
				fmt.Fprintf(&b, " fragment F%d on Query {", i)
				for range 10 {
					fmt.Fprintf(&b, " ... on Query { ...F%d }", i+1)
				}
				b.WriteString(" }")
			}
			start := time.Now()
			r := a.do(b.String(), nil)
			require.Equal(t, "COMPLEXITY_LIMIT_EXCEEDED", errorCode(t, r))
			require.Contains(t, r.Errors[0].Message, "une fois les fragments dépliés")
			require.Less(t, time.Since(start), 5*time.Second)
		})
	})
}
