package graph

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/99designs/gqlgen/graphql"
)

// Observer is told how each GraphQL operation was answered: its name as the
// client gave it, the path that answered (AnsweredCompiled, AnsweredPlan,
// AnsweredShared or AnsweredResolvers), the code of its first error (""
// when none) and how long it took. The metrics keep it; nothing of the query's values is passed.
type Observer interface {
	ObserveOperation(name, answeredBy, code string, took time.Duration)
}

// The paths an operation may be answered by.
const (
	AnsweredCompiled  = "compiled"
	AnsweredResolvers = "resolvers"
	// AnsweredPlan is compiled too, by the statement remembered for the same
	// request (plans.go): no GraphQL work at all.
	AnsweredPlan = "plan"
	// AnsweredShared is a plan too, whose statement ran once for the same
	// request sent by several clients at once (collapse).
	AnsweredShared = "shared"
)

type answeredKey struct{}

// markCompiled records, for the observer, that the compiled path answered.
func markCompiled(ctx context.Context) {
	if flag, ok := ctx.Value(answeredKey{}).(*atomic.Bool); ok {
		flag.Store(true)
	}
}

// observeOperations times every operation, from before the compiled path is
// tried to the end of its answer, and tells o.
func observeOperations(o Observer) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		start := time.Now()
		compiled := new(atomic.Bool)
		ctx = context.WithValue(ctx, answeredKey{}, compiled)
		name := operationName(graphql.GetOperationContext(ctx))
		respond := next(ctx)
		done := false
		return func(ctx context.Context) *graphql.Response {
			resp := respond(ctx)
			if done {
				return resp // a later part of a deferred answer: timed once
			}
			done = true
			by, code := AnsweredResolvers, ""
			if compiled.Load() {
				by = AnsweredCompiled
			}
			if resp != nil && len(resp.Errors) > 0 {
				code = CodeInternal
				if c, ok := resp.Errors[0].Extensions["code"].(string); ok {
					code = c
				}
			}
			o.ObserveOperation(name, by, code, time.Since(start))
			return resp
		}
	}
}

// operationName is the operation's name as the client gave it.
func operationName(op *graphql.OperationContext) string {
	if op == nil {
		return ""
	}
	if op.OperationName == "" && op.Operation != nil {
		return op.Operation.Name
	}
	return op.OperationName
}
