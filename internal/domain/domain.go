// Package domain bundles the domain services every transport reads through:
// GraphQL, the chat bots and the command line share them, and with them the
// access rules.
package domain

import (
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/announce"
	"github.com/lianes-cooperation/lianes/internal/audit"
	"github.com/lianes-cooperation/lianes/internal/changes"
	"github.com/lianes-cooperation/lianes/internal/chatlink"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/conversation"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/matching"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/observatory"
	"github.com/lianes-cooperation/lianes/internal/privacy"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/support"
	"github.com/lianes-cooperation/lianes/internal/unanswered"
)

// Services are the domain services over one database.
type Services struct {
	// DB is the primary database: every write goes there.
	DB *bun.DB
	// Reads is where the read-only services read: DB, or a standby of it
	// (ReadingFrom).
	Reads       *bun.DB
	Network     *network.Service
	Projects    *project.Service
	Events      *event.Service
	Calls       *fundingcall.Service
	Support     *support.Service
	Programme   *programme.Service
	Observatory *observatory.Service
	Audit       *audit.Service
	// Conversations and Unanswered are the bot's memory of a person: the
	// last question of a conversation, the questions it could not answer.
	Conversations *conversation.Store
	Unanswered    *unanswered.Store
	Privacy       *privacy.Service
	Changes       *changes.Service
	Announce      *announce.Service
	// ChatLinks links chat users to the structure they speak for: the bot
	// fills Asker.Structure from it.
	ChatLinks *chatlink.Service
	// Matching ranks the calls and events that fit a structure ("pour nous").
	Matching *matching.Service
}

// New builds the services over one database; changes are timed by c.
func New(bdb *bun.DB, c clock.Clock) *Services {
	ann := announce.New(bdb, c)
	questions := &unanswered.Store{DB: bdb}
	return &Services{
		Announce:      ann,
		DB:            bdb,
		Reads:         bdb,
		Network:       &network.Service{DB: bdb},
		Projects:      &project.Service{DB: bdb},
		Events:        &event.Service{DB: bdb},
		Calls:         &fundingcall.Service{DB: bdb},
		Support:       &support.Service{DB: bdb},
		Programme:     &programme.Service{DB: bdb},
		Observatory:   &observatory.Service{DB: bdb},
		Audit:         &audit.Service{DB: bdb},
		Privacy:       &privacy.Service{DB: bdb},
		Changes:       &changes.Service{DB: bdb, Clock: c, Announcer: ann},
		Conversations: &conversation.Store{DB: bdb},
		Unanswered:    questions,
		ChatLinks:     &chatlink.Service{DB: bdb, Clock: c, Hasher: questions},
		Matching:      &matching.Service{DB: bdb},
	}
}

// ReadingFrom returns services whose reads go to rdb, a standby of the
// primary: the record services (structures, projects, events, calls,
// support, programme, observatory) and Reads. Whatever writes, or reads what
// was just written, stays on the primary: changes, announcements, the audit
// trail and the person's data (privacy).
func (s *Services) ReadingFrom(rdb *bun.DB) *Services {
	r := *s
	r.Reads = rdb
	r.Network = &network.Service{DB: rdb}
	r.Projects = &project.Service{DB: rdb}
	r.Events = &event.Service{DB: rdb}
	r.Calls = &fundingcall.Service{DB: rdb}
	r.Support = &support.Service{DB: rdb}
	r.Programme = &programme.Service{DB: rdb}
	r.Observatory = &observatory.Service{DB: rdb}
	r.Matching = &matching.Service{DB: rdb}
	return &r
}
