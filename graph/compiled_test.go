package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/graph"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// compiledCases are queries answered both by compiled SQL and by the
// resolvers; compiled says which path the server must take.
var compiledCases = []struct {
	name     string
	query    string
	vars     map[string]any
	compiled bool
}{
	{name: "benchmark shape", compiled: true, query: `{ structures(first: 50, orderBy: {field: NAME}) { nodes { name
		projects(role: LEAD, first: 5) { nodes { title partners { nodes { name } } } } } } }`},
	{name: "every compiled field of a structure", compiled: true, query: `{ structures(first: 30) { totalCount
		pageInfo { hasNextPage hasPreviousPage __typename } __typename nodes { __typename id name sourceType commune
		email phone website description version } } }`},
	{name: "edges, aliases and counts at every level", compiled: true, query: `{ all: structures(first: 7, orderBy: {field: NAME, direction: DESC}) {
		n: totalCount edges { __typename node { id label: name led: projects(role: LEAD, first: 2) { totalCount
		pageInfo { hasNextPage hasPreviousPage } edges { node { title lead { id name } partners(first: 2) { totalCount
		pageInfo { hasNextPage } nodes { name } } } } } joined: projects(role: PARTNER) { totalCount nodes { id } }
		any: projects { totalCount nodes { title } } } } } }`},
	{name: "a page further on, a page past the end, an empty page", compiled: true,
		query: `query($after: String) { a: structures(first: 5, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage }
		nodes { name projects(after: $after, first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { title } } } }
		b: projects(first: 3, after: "aTo5OTk5OQ") { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { title } }
		c: projects(first: 0) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { title } } }`,
		vars: map[string]any{"after": "aTo0"}},
	{name: "projects in every order", compiled: true, query: `{ t: projects(first: 8) { nodes { id title description version } }
		s: projects(first: 8, orderBy: {field: STARTS, direction: DESC}) { nodes { id } }
		c: projects(first: 8, orderBy: {field: CREATED_AT}) { nodes { id } }
		u: structures(first: 8, orderBy: {field: UPDATED_AT, direction: DESC}) { nodes { id } }
		k: structures(first: 8, orderBy: {field: CREATED_AT}) { nodes { id } } }`},
	{name: "fragments, directives and variables", compiled: true,
		query: `query($n: Int!, $with: Boolean!) { structures(first: $n) { nodes { ...S ... on Node { id }
		... on Structure @include(if: $with) { website } projects(first: $n) @skip(if: $with) { nodes { id } } } } }
		fragment S on Structure { name __typename }`, vars: map[string]any{"n": 4, "with": true}},
	{name: "one record, missing or not", compiled: true, query: `{ s: structure(id: "Structure:3") { name projects { nodes { title } } }
		none: structure(id: "Structure:999999") { name } p: project(id: "Project:5") { title lead { name }
		partners { totalCount nodes { id } } } __typename }`},
	{name: "reference lists", compiled: true, query: `{ structures(first: 40) { nodes { name actorType { __typename code name }
		department { code name populationShare } country { code name } themes { code name } } }
		projects(first: 40, orderBy: {field: STARTS}) { nodes { themes { name } countries { code name } lead { country { name } } } } }`},
	{name: "filters", compiled: true, query: `query($themes: [String!]) {
		a: structures(first: 20, filter: {departments: ["59", "62"], actorTypes: ["association-locale", "collectivite-territoriale", "ong"]}) { totalCount nodes { name } }
		b: structures(first: 20, filter: {themes: $themes, countries: ["FR"], communes: [" lille ", "Arras"]}) { totalCount nodes { name } }
		c: structures(first: 20, filter: {audiences: ["associations"], query: ""}, orderBy: {field: RELEVANCE}) { totalCount nodes { name } }
		d: structures(filter: {communes: ["l'ile ? d'yeu"]}) { totalCount }
		e: projects(first: 20, filter: {themes: $themes, statuses: [ACTIVE, PLANNED]}) { totalCount nodes { title } }
		f: projects(first: 20, filter: {lead: "Structure:4"}) { totalCount nodes { title } }
		h: projects(first: 20, filter: {countries: ["SN", "BF", "ML"]}) { totalCount nodes { title } }
		g: projects(first: 20, filter: {partner: "Structure:5"}, orderBy: {field: TITLE, direction: DESC}) { totalCount nodes { title } } }`,
		vars: map[string]any{"themes": []string{"eau-assainissement", "climat"}}},
	{name: "nodes by global id", compiled: true, query: `query($ids: [ID!]!) { node(id: "Project:2") { id __typename
		... on Project { title lead { name } } ... on Structure { name } } none: nodes(ids: []) { id } nodes(ids: $ids) { __typename ...on Structure { name } ... on Node { id } } }`,
		vars: map[string]any{"ids": []string{"Structure:2", "Project:9", "Structure:999999", "Structure:1"}}},
	{name: "a node of another kind goes to the resolvers", query: `{ node(id: "Event:1") { id } }`},
	{name: "a deferred fragment goes to the resolvers", query: `{ structures(first: 2) { nodes { name ... @defer { commune } } } }`},
	{name: "a search goes to the resolvers", query: `{ structures(first: 3, filter: {query: "eau"}) { nodes { name } } }`},
	{name: "a wrong id in a filter is named by the resolvers", query: `{ projects(filter: {lead: "Projet:4"}) { nodes { title } } }`},
	{name: "cursors of records and pages", compiled: true,
		query: `query($after: String) { structures(first: 3, after: $after) { pageInfo { startCursor endCursor hasNextPage }
		edges { cursor node { name projects(first: 2, after: "aTow") { pageInfo { startCursor endCursor } edges { cursor
		node { title } } } } } } end: projects(first: 4, after: "aTozNTc") { totalCount pageInfo { startCursor endCursor } edges { cursor } }
		past: projects(first: 4, after: "aToyOTk5") { pageInfo { startCursor endCursor } edges { cursor } }
		none: projects(first: 0) { pageInfo { startCursor endCursor } } }`, vars: map[string]any{"after": "aToxMQ"}},
	{name: "a structure's partners", compiled: true, query: `{ structures(first: 30) { nodes { name partners(first: 2) {
		__typename totalCount pageInfo { hasNextPage endCursor } edges { __typename cursor node { name } } nodes { id partners { totalCount } } } } } }`},
	{name: "a partnership goes to the resolvers", query: `{ structures(first: 3) { nodes { partners { edges { partnership { kind } } } } } }`},
	{name: "a field computed in Go goes to the resolvers", query: `{ projects(first: 3) { nodes { title status } } }`},
	{name: "paging backwards goes to the resolvers", query: `{ projects(last: 3) { nodes { title } } }`},
	{name: "a page too large is refused by the resolvers", query: `{ projects(first: 1000) { nodes { title } } }`},
}

func TestCompiledReadsAnswerAsTheResolvers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		now := time.Date(2021, 1, 4, 9, 0, 0, 0, clock.Paris)
		_, err := dataset.SeedSynthetic(ctx, bdb, 120, now)
		require.NoError(t, err)
		// What the synthetic network lacks: a project without a lead, text
		// that JSON must escape, empty and absent values.
		_, err = bdb.ExecContext(ctx, `UPDATE projects SET lead_structure_id = NULL WHERE id % 7 = 0`)
		require.NoError(t, err)
		_, err = bdb.ExecContext(ctx, `UPDATE structures SET name = ?, description = '', website = ? WHERE id = 3`,
			"Lianes \"coopération\" \\ l'été\t— 2021 <&>", "https://example.org/?a=1&b=2")
		require.NoError(t, err)

		// Partnerships, which the synthetic network has none of: each
		// structure with the next three, so that partners come from both ends.
		for i := int64(1); i <= 40; i++ {
			for j := i + 1; j <= i+3; j++ {
				_, err = bdb.ExecContext(ctx, `INSERT INTO partnerships (structure_id, partner_id, kind, created_at, updated_at)
					VALUES (?, ?, 'jumelage', ?, ?)`, i, j, now, now)
				require.NoError(t, err)
			}
		}

		counter := &statements{}
		bdb.AddQueryHook(counter)
		handler := func(resolversOnly bool) http.Handler {
			c := clock.Fixed(now)
			return graph.NewHandler(&graph.Resolver{Services: domain.New(bdb, c), Clock: c, ResolversOnly: resolversOnly},
				graph.DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
		}
		compiled, resolvers := handler(false), handler(true)
		post := func(h http.Handler, query string, vars map[string]any) (string, int64) {
			body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
			require.NoError(t, err)
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			before := counter.n.Load()
			h.ServeHTTP(rec, req)
			return rec.Body.String(), counter.n.Load() - before
		}
		for _, c := range compiledCases {
			t.Run(c.name, func(t *testing.T) {
				want, resolved := post(resolvers, c.query, c.vars)
				got, n := post(compiled, c.query, c.vars)
				require.JSONEq(t, want, got)
				require.Equal(t, want, got, "same bytes, keys in the same order")
				if c.compiled {
					require.NotContains(t, got, `"errors"`)
					require.EqualValues(t, 1, n, "one statement")
				} else {
					require.Equal(t, resolved, n, "answered by the resolvers")
				}
			})
		}
	})
}
