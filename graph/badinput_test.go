package graph_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

func fieldsOf(r response) []string {
	var out []string
	if len(r.Errors) == 0 {
		return nil
	}
	list, _ := r.Errors[0].Extensions["fields"].([]any)
	for _, f := range list {
		m, _ := f.(map[string]any)
		s, _ := m["field"].(string)
		out = append(out, s)
	}
	return out
}

// TestBadInputIsTheCallersMistake sends the inputs of issue 14, item 10:
// each gave INTERNAL_SERVER_ERROR and an error log line; each is now
// BAD_USER_INPUT naming the field, on the compiled and the resolver paths,
// with nothing written and nothing logged.
func TestBadInputIsTheCallersMistake(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		compiled := newAPI(t, bdb)
		resolvers := newAPIWith(t, bdb, true)
		for _, a := range []*api{compiled, resolvers} {
			a.role = access.Staff
			for q, c := range map[string]struct {
				vars  map[string]any
				field string
			}{
				`query($q: String) { structures(filter: {query: $q}) { totalCount } }`:                           {map[string]any{"q": "eau\x00"}, "filter.query"},
				`query($c: [String!]) { structures(filter: {communes: $c}) { totalCount nodes { name } } }`:      {map[string]any{"c": []string{"Lille", "Li\x00lle"}}, "filter.communes[1]"},
				`{ projects(filter: {query: "a\u0000b"}) { totalCount } }`:                                       {nil, "filter.query"},
				`query($t: [String!]) { events(filter: {themes: $t}) { totalCount } }`:                           {map[string]any{"t": []string{"\x00"}}, "filter.themes[0]"},
				`query($k: [EventKind!]) { events(filter: {kinds: $k}) { totalCount } }`:                         {map[string]any{"k": []string{"webinaire"}}, "filter.kinds[0]"},
				`query($r: ProjectRole!) { structure(id: "Structure:1") { projects(role: $r) { totalCount } } }`: {map[string]any{"r": "lead"}, "role"},
				`query($q: String) { contacts(query: $q) { totalCount } }`:                                       {map[string]any{"q": "\x00"}, "query"},
			} {
				r := a.do(q, c.vars)
				require.NotEmpty(t, r.Errors, q)
				require.Equal(t, "BAD_USER_INPUT", r.Errors[0].Extensions["code"], "%s: %s", q, r.Errors[0].Message)
				require.Equal(t, c.field, r.Errors[0].Extensions["field"], q)
			}
			r := a.do(`query($k: [EventKind!]) { events(filter: {kinds: $k}) { totalCount } }`, map[string]any{"k": []string{"webinaire"}})
			require.Contains(t, r.Errors[0].Message, "« webinaire » n'est pas une valeur de EventKind (les valeurs s'écrivent en majuscules : WEBINAIRE)")
		}

		a := compiled
		count := func(table string) int {
			n, err := bdb.NewSelect().TableExpr(table).Count(context.Background())
			require.NoError(t, err)
			return int(n)
		}
		projects := count("projects")
		r := a.do(`mutation { createProject(input: {title: "Eau pour tous", partners: ["Structure:1", "Structure:2", "Structure:1"]}) { id } }`, nil)
		require.Equal(t, "BAD_USER_INPUT", r.Errors[0].Extensions["code"], r.Errors[0].Message)
		require.Equal(t, []string{"input.partners"}, fieldsOf(r))
		require.Contains(t, r.Errors[0].Message, "structure 1 en double")
		r = a.do(`mutation { createProject(input: {title: "Eau pour tous", themes: ["eau-assainissement", "eau-assainissement"]}) { id } }`, nil)
		require.Equal(t, []string{"input.themes"}, fieldsOf(r))
		require.Equal(t, projects, count("projects"), "nothing written")

		// A bad variable body is refused without echoing it.
		resp, err := http.Post(a.server.URL, "application/json", strings.NewReader(`{"query": "{ themes { code } }", "variables": `+strings.Repeat("SECRET", 1000)))
		require.NoError(t, err)
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		require.Equal(t, http.StatusBadRequest, resp.StatusCode)
		require.NotContains(t, string(raw), "SECRET")
		require.Contains(t, string(raw), "corps de requête illisible")

		for _, a := range []*api{compiled, resolvers} {
			require.NotContains(t, a.log.String(), "level=ERROR")
		}
	})
}

// TestEveryWrongFieldIsNamed: a wrong date used to hide the other mistakes
// (issue 14, item 12); now one answer names each wrong field, and nothing is
// written.
func TestEveryWrongFieldIsNamed(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		a.role = access.Staff
		r := a.do(`mutation { createEvent(input: {kind: WEBINAIRE, title: "", date: "trentedouze brumaire", themes: ["pas-un-theme"]}) { id } }`, nil)
		require.Equal(t, "BAD_USER_INPUT", r.Errors[0].Extensions["code"])
		require.ElementsMatch(t, []string{"input.date", "input.title", "input.themes"}, fieldsOf(r))
		require.Contains(t, r.Errors[0].Message, "trentedouze brumaire")
		require.Contains(t, r.Errors[0].Message, "pas-un-theme")

		r = a.do(`mutation { createFundingCall(input: {title: " ", territory: REGIONAL, deadline: "le 45 mars", countries: ["ZZ"]}) { id } }`, nil)
		require.Equal(t, "BAD_USER_INPUT", r.Errors[0].Extensions["code"], r.Errors[0].Message)
		require.ElementsMatch(t, []string{"input.deadline", "input.title", "input.countries"}, fieldsOf(r))

		// An update names every field too, and changes nothing.
		r = a.do(`mutation { updateEvent(id: "Event:1", version: 1, input: {kind: WEBINAIRE, title: "", date: "jamais", organisers: ["Project:1"]}) { id } }`, nil)
		require.ElementsMatch(t, []string{"input.date", "input.title", "input.organisers"}, fieldsOf(r))
		n, err := bdb.NewSelect().TableExpr("events").Where("title = ''").Count(context.Background())
		require.NoError(t, err)
		require.Zero(t, n)
	})
}
