package graph

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// SplitReads sends each request to queries or to mutations, two handlers
// over the same schema: queries reads from a standby of the database,
// mutations from the primary, so that a mutation and what it reads back (its
// payload) see the same database. A GET never runs a mutation; a POST is
// sent to queries only when its operation is a query, and anything unclear
// (a body too large, not JSON, not GraphQL) goes to mutations, on the
// primary, which gives the same answer or the same error.
func SplitReads(queries, mutations http.Handler, limits Limits) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			queries.ServeHTTP(w, r)
			return
		}
		// Read up to the limit; the handler that answers applies the limit
		// itself to the body put back.
		body, err := io.ReadAll(io.LimitReader(r.Body, limits.BodyBytes+1))
		r.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(bytes.NewReader(body), r.Body), r.Body}
		if err == nil && int64(len(body)) <= limits.BodyBytes && isQuery(body) {
			queries.ServeHTTP(w, r)
			return
		}
		mutations.ServeHTTP(w, r)
	})
}

// isQuery reports whether a request body runs a query. Most bodies never
// mention a mutation and are not parsed.
func isQuery(body []byte) bool {
	if !bytes.Contains(body, []byte("mutation")) {
		return true
	}
	var params struct {
		Query         string `json:"query"`
		OperationName string `json:"operationName"`
	}
	if err := json.Unmarshal(body, &params); err != nil {
		return false
	}
	doc, err := parser.ParseQuery(&ast.Source{Input: params.Query})
	if err != nil {
		return false
	}
	var op *ast.OperationDefinition
	if params.OperationName == "" && len(doc.Operations) == 1 {
		op = doc.Operations[0]
	} else {
		op = doc.Operations.ForName(params.OperationName)
	}
	return op != nil && op.Operation == ast.Query
}
