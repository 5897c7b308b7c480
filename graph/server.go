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
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/lianes-cooperation/lianes/graph/generated"
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
	es := generated.NewExecutableSchema(generated.Config{Resolvers: r})
	srv := handler.New(es)
	srv.AddTransport(transport.GET{})
	srv.AddTransport(transport.POST{})
	srv.SetQueryCache(lru.New[*ast.QueryDocument](1000))
	srv.SetParserTokenLimit(limits.ParserTokens)
	if limits.Introspection {
		srv.Use(extension.Introspection{})
	}
	srv.Use(depthLimit{max: limits.Depth})
	srv.Use(costLimit{es: newCostedSchema(es), max: limits.Complexity})
	if r.Observer != nil {
		srv.AroundOperations(observeOperations(r.Observer)) // the first added runs first: it times the compiled path too
	}
	plans := newPlans(r)
	srv.AroundOperations(compiledReads(r, plans, log))
	srv.SetErrorPresenter(presentError(log))
	srv.SetRecoverFunc(func(ctx context.Context, v any) error {
		log.ErrorContext(ctx, "graphql: panique dans un résolveur", "path", graphql.GetPath(ctx).String(), "panic", fmt.Sprint(v))
		return &gqlerror.Error{
			Message:    "erreur interne : l'équipe technique en a été avertie",
			Extensions: map[string]any{"code": CodeInternal},
		}
	})

	serve := func(w http.ResponseWriter, req *http.Request) {
		srv.ServeHTTP(w, req.WithContext(withLoaders(req.Context(), r.Services)))
	}
	// GraphiQL, for browsers, is served beside this endpoint by internal/web,
	// from the binary.
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
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
			plans.serve(w, req, body, serve)
			return
		}
		plans.serve(w, req, nil, serve)
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
	w := depthWalk{fragments: opCtx.Doc.Fragments, depths: map[string]int{}}
	if depth := w.depth(op.SelectionSet, 0); depth > d.max {
		return &gqlerror.Error{
			Message:    fmt.Sprintf("requête trop imbriquée : profondeur %d, limite %d", depth, d.max),
			Extensions: map[string]any{"code": "DEPTH_LIMIT_EXCEEDED"},
		}
	}
	return nil
}

// depthWalk measures selection sets, each fragment once: a fragment spread
// in many places must not be walked again in each.
type depthWalk struct {
	fragments ast.FragmentDefinitionList
	depths    map[string]int
}

func (w depthWalk) depth(set ast.SelectionSet, seen int) int {
	if seen > 64 { // a fragment cycle is refused by validation; this only stops recursion
		return seen
	}
	deepest := 0
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			if strings.HasPrefix(s.Name, "__") {
				continue // introspection: the standard query of client libraries is deep by design; the cost limit reads it once
			}
			if len(s.SelectionSet) > 0 {
				deepest = max(deepest, 1+w.depth(s.SelectionSet, seen+1))
			} else {
				deepest = max(deepest, 1)
			}
		case *ast.InlineFragment:
			deepest = max(deepest, w.depth(s.SelectionSet, seen+1))
		case *ast.FragmentSpread:
			d, ok := w.depths[s.Name]
			if !ok {
				if f := w.fragments.ForName(s.Name); f != nil {
					d = w.depth(f.SelectionSet, seen+1)
				}
				w.depths[s.Name] = d
			}
			deepest = max(deepest, d)
		}
	}
	return deepest
}
