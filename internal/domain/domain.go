// Package domain bundles the domain services every transport reads through:
// GraphQL, the chat bots and the command line share them, and with them the
// access rules.
package domain

import (
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/announce"
	"github.com/lianes-cooperation/lianes/internal/audit"
	"github.com/lianes-cooperation/lianes/internal/changes"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/observatory"
	"github.com/lianes-cooperation/lianes/internal/privacy"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/support"
)

// Services are the domain services over one database.
type Services struct {
	DB          *bun.DB
	Network     *network.Service
	Projects    *project.Service
	Events      *event.Service
	Calls       *fundingcall.Service
	Support     *support.Service
	Programme   *programme.Service
	Observatory *observatory.Service
	Audit       *audit.Service
	Privacy     *privacy.Service
	Changes     *changes.Service
	Announce    *announce.Service
}

// New builds the services over one database; changes are timed by c.
func New(bdb *bun.DB, c clock.Clock) *Services {
	ann := announce.New(bdb, c)
	return &Services{
		Announce:    ann,
		DB:          bdb,
		Network:     &network.Service{DB: bdb},
		Projects:    &project.Service{DB: bdb},
		Events:      &event.Service{DB: bdb},
		Calls:       &fundingcall.Service{DB: bdb},
		Support:     &support.Service{DB: bdb},
		Programme:   &programme.Service{DB: bdb},
		Observatory: &observatory.Service{DB: bdb},
		Audit:       &audit.Service{DB: bdb},
		Privacy:     &privacy.Service{DB: bdb},
		Changes:     &changes.Service{DB: bdb, Clock: c, Announcer: ann},
	}
}
