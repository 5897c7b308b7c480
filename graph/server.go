package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler"
	"github.com/99designs/gqlgen/graphql/handler/extension"
	"github.com/99designs/gqlgen/graphql/handler/lru"
	"github.com/99designs/gqlgen/graphql/handler/transport"
	"github.com/99designs/gqlgen/graphql/playground"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/lianes-cooperation/lianes/graph/generated"
	"github.com/lianes-cooperation/lianes/graph/model"
	"github.com/lianes-cooperation/lianes/internal/period"
)

// Limits protect the server from queries that would cost too much.
type Limits struct {
	Complexity    int   // the sum of fields, each list counted by the size asked for
	Depth         int   // nested selections
	BodyBytes     int64 // size of a request body
	ParserTokens  int   // tokens of a query document
	Introspection bool  // whether clients may read the schema
}

// DefaultLimits are generous for the network's own tools and small enough to
// keep one query from occupying the server.
var DefaultLimits = Limits{Complexity: 50_000, Depth: 12, BodyBytes: 1 << 20, ParserTokens: 15_000, Introspection: true}

// NewHandler returns the GraphQL endpoint: POST with a JSON body, or GET for
// queries only. Mutations never run from a GET or from a form post, which a
// cross-site page could send without the browser asking the server first.
func NewHandler(r *Resolver, limits Limits, log *slog.Logger) http.Handler {
	cfg := generated.Config{Resolvers: r}
	setComplexity(&cfg.Complexity)
	srv := handler.New(generated.NewExecutableSchema(cfg))
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(limits.ParserTokens)
	if limits.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(depthLimit{max: limits.Depth})
	srv.Use(extension.FixedComplexityLimit(limits.Complexity))
	srv.AroundOperations(compiledReads(r, log))
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "graphql: panique dans un résolveur", "path", graphql.GetPath(ctx).String(), "panic", fmt.Sprint(v))
		return &gqlerror.Error{
			Message:    "erreur interne : l'équipe technique en a été avertie",
			Extensions: map[string]any{"code": CodeInternal},
		}
	})

	graphiql := playground.Handler("Lianes coopération : API GraphQL", "/graphql")
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if req.Method == http.MethodGet && req.URL.Query().Get("query") == "" &&
			strings.Contains(req.Header.Get("Accept"), "text/html") {
			graphiql(w, req)
			return
		}
		if req.Method == http.MethodPost && !isJSON(req.Header.Get("Content-Type")) {
			writeError(w, http.StatusUnsupportedMediaType, "BAD_REQUEST", "corps attendu en JSON (Content-Type: application/json)")
			return
		}
		if req.Method == http.MethodPost {
			body, err := io.ReadAll(http.MaxBytesReader(w, req.Body, limits.BodyBytes))
			if err != nil {
				writeError(w, http.StatusRequestEntityTooLarge, "REQUEST_TOO_LARGE",
					fmt.Sprintf("corps de requête trop grand : au plus %d octets", limits.BodyBytes))
				return
			}
			req.Body = io.NopCloser(bytes.NewReader(body))
		}
		srv.ServeHTTP(w, req.WithContext(withLoaders(req.Context(), r.Services)))
	})
}

// writeError answers a request refused before GraphQL runs, in GraphQL's
// error format.
func writeError(w http.ResponseWriter, status int, code, message string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{
		"errors": []any{map[string]any{"message": message, "extensions": map[string]any{"code": code}}},
	})
}

func isJSON(contentType string) bool {
	mediaType, _, _ := strings.Cut(contentType, ";")
	return strings.EqualFold(strings.TrimSpace(mediaType), "application/json")
}

// depthLimit refuses queries nested deeper than max.
type depthLimit struct{ max int }

func (depthLimit) ExtensionName() string { return "DepthLimit" }

func (depthLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (d depthLimit) MutateOperationContext(_ context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	op := opCtx.Doc.Operations.ForName(opCtx.OperationName)
	if op == nil {
		return nil
	}
	if depth := selectionDepth(op.SelectionSet, opCtx.Doc.Fragments, 0); depth > d.max {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("requête trop imbriquée : profondeur %d, limite %d", depth, d.max),
			Extensions: map[string]any{"code": "DEPTH_LIMIT_EXCEEDED"},
		}
	}
	return nil
}

func selectionDepth(set ast.SelectionSet, fragments ast.FragmentDefinitionList, seen int) int {
	if seen > 64 { // a fragment cycle is refused by validation; this only stops recursion
		return seen
	}
	deepest := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue // introspection: the standard query of client libraries is deep by design
			}
			if len(s.SelectionSet) > 0 {
				deepest = max(deepest, 1+selectionDepth(s.SelectionSet, fragments, seen+1))
			} else {
				deepest = max(deepest, 1)
			}
		case *ast.InlineFragment:
			deepest = max(deepest, selectionDepth(s.SelectionSet, fragments, seen+1))
		case *ast.FragmentSpread:
			if f := fragments.ForName(s.Name); f != nil {
				deepest = max(deepest, selectionDepth(f.SelectionSet, fragments, seen+1))
			}
		}
	}
	return deepest
}

// pageSize is the size a list will have: what first or last asks, or the
// default page size.
func pageSize(first, last *int) int {
	switch {
	case first != nil:
		return max(*first, 1)
	case last != nil:
		return max(*last, 1)
	}
	return 20
}

// setComplexity counts each list field as its page size times what each
// item selects, so that nested lists multiply.
func setComplexity(c *generated.ComplexityRoot) {
	type paged = func(child int, first *int, after *string, last *int, before *string) int
	per := func(child int, first *int, _ *string, last *int, _ *string) int {
		return 1 + child*pageSize(first, last)
	}
	var p paged = per
	c.Structure.Contacts, c.Structure.Partners, c.Structure.Events, c.Structure.SupportSessions = p, p, p, p
	c.Structure.Projects = func(child int, _ *model.ProjectRole, first *int, after *string, last *int, before *string) int {
		return per(child, first, after, last, before)
	}
	c.Project.Partners, c.Event.Organisers, c.Event.FundingCalls, c.FundingCall.Events = p, p, p, p
	c.Query.Trainings, c.Query.CensusCampaigns, c.Query.ProgrammeActions = p, p, p
	c.Query.Structures = func(child int, _ *model.StructureFilter, _ *model.StructureOrder, first *int, _ *string, last *int, _ *string) int {
		return 1 + child*pageSize(first, last)
	}
	c.Query.Projects = func(child int, _ *model.ProjectFilter, _ *model.ProjectOrder, first *int, _ *string, last *int, _ *string) int {
		return 1 + child*pageSize(first, last)
	}
	c.Query.Events = func(child int, _ *model.EventFilter, _ *model.EventOrder, first *int, _ *string, last *int, _ *string) int {
		return 1 + child*pageSize(first, last)
	}
	c.Query.UpcomingEvents = func(child int, _ *period.Date, _ *model.EventFilter, _ *bool, first *int, _ *string, last *int, _ *string) int {
		return 1 + child*pageSize(first, last)
	}
	c.Query.FundingCalls = func(child int, _ *model.FundingCallFilter, _ *model.FundingCallOrder, first *int, _ *string, last *int, _ *string) int {
		return 1 + child*pageSize(first, last)
	}
	c.Query.OpenFundingCalls = func(child int, _ *period.Date, _, _, _ *string, _ *model.Territory, first *int, _ *string, last *int, _ *string) int {
		return 1 + child*pageSize(first, last)
	}
	c.Query.Publications = func(child int, _ *model.PublicationFilter, first *int, _ *string, last *int, _ *string) int {
		return 1 + child*pageSize(first, last)
	}
	c.Query.SupportSessions = func(child int, _ *model.SupportSessionFilter, first *int, _ *string, last *int, _ *string) int {
		return 1 + child*pageSize(first, last)
	}
}
