// Package graph is the GraphQL transport: each resolver maps its arguments to
// a call of a domain service and the result back.
package graph

import (
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/observatory"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/support"

	"github.com/uptrace/bun"
)

//go:generate go tool gqlgen generate

// Services are the domain services the API reads through.
type Services struct {
	DB          *bun.DB
	Network     *network.Service
	Projects    *project.Service
	Events      *event.Service
	Calls       *fundingcall.Service
	Support     *support.Service
	Programme   *programme.Service
	Observatory *observatory.Service
}

// NewServices builds the services over one database.
func NewServices(bdb *bun.DB) *Services {
	return &Services{
		DB:          bdb,
		Network:     &network.Service{DB: bdb},
		Projects:    &project.Service{DB: bdb},
		Events:      &event.Service{DB: bdb},
		Calls:       &fundingcall.Service{DB: bdb},
		Support:     &support.Service{DB: bdb},
		Programme:   &programme.Service{DB: bdb},
		Observatory: &observatory.Service{DB: bdb},
	}
}

// Resolver is the dependency root of the GraphQL API.
type Resolver struct {
	*Services
	Clock clock.Clock
}
