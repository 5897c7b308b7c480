// Package graph is the GraphQL transport: each resolver maps its arguments to
// a call of a domain service and the result back.
package graph

import (
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

//go:generate go tool gqlgen generate

// Resolver is the dependency root of the GraphQL API.
type Resolver struct {
	*domain.Services
	Clock clock.Clock
	// ResolversOnly answers every query through the resolvers, never as
	// compiled SQL (compiled.go): the tests compare the two.
	ResolversOnly bool
	// RunsApart runs a repeated request's statement for each client, even
	// when identical requests wait together and could share one run
	// (plans.go): to measure what sharing gives.
	RunsApart bool
	// Observer, when set, is told how each operation was answered (metrics).
	Observer Observer
}
