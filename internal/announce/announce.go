// Package announce tells the network's chat channels what concerns them: new
// funding calls and events, their changes, deadline reminders, a weekly
// digest and the staff's own announcements. Every message to every channel
// is a row of an outbox (deliveries) that senders claim, so that a message is
// sent once even across restarts and replicas.
package announce

import (
	"database/sql/driver"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"
)

// Platforms a channel may be on.
const (
	Slack   = "slack"
	Discord = "discord"
)

// Kinds of records a subscription may follow.
const (
	RecordFundingCall = "funding_call"
	RecordEvent       = "event"
)

// Kinds of announcements.
const (
	KindNew      = "new"
	KindChange   = "change"
	KindReminder = "reminder"
	KindDigest   = "digest"
	KindStaff    = "staff"
)

// Statuses of a delivery.
const (
	StatusDraft     = "draft"
	StatusScheduled = "scheduled"
	StatusSending   = "sending"
	StatusSent      = "sent"
	StatusFailed    = "failed"
	StatusCancelled = "cancelled"
)

// StatusNames are the statuses in French, for the delivery log.
var StatusNames = map[string]string{
	StatusDraft: "en attente de confirmation", StatusScheduled: "programmée", StatusSending: "en cours d'envoi", StatusSent: "envoyée",
	StatusFailed: "en échec", StatusCancelled: "annulée",
}

// Codes is a list of codes, stored as one comma-separated text on both
// databases: subscriptions are few and matched in Go.
type Codes []string

// Value implements driver.Valuer.
func (c Codes) Value() (driver.Value, error) { return strings.Join(c, ","), nil }

// Scan implements sql.Scanner.
func (c *Codes) Scan(src any) error {
	var s string
	switch v := src.(type) {
	case string:
		s = v
	case []byte:
		s = string(v)
	case nil:
	default:
		return fmt.Errorf("announce: codes from %T", src)
	}
	*c = nil
	if s != "" {
		*c = strings.Split(s, ",")
	}
	return nil
}

// Subscription is a channel (or a member's direct messages) that follows
// the records matching its filters; an empty filter lets everything through.
type Subscription struct {
	bun.BaseModel `bun:"table:subscriptions,alias:sub"`

	ID          int64     `bun:"id,pk,autoincrement"`
	Platform    string    `bun:"platform,notnull"`
	Channel     string    `bun:"channel,notnull"`
	Personal    bool      `bun:"personal,notnull"`
	Kinds       Codes     `bun:"kinds,notnull"`
	Themes      Codes     `bun:"themes,notnull"`
	Audiences   Codes     `bun:"audiences,notnull"`
	Departments Codes     `bun:"departments,notnull"`
	Countries   Codes     `bun:"countries,notnull"`
	CreatedBy   string    `bun:"created_by,notnull"`
	CreatedAt   time.Time `bun:"created_at,notnull"`
	// StructureID, for a member's direct messages, follows the structure's
	// profile instead of the filters (profiles.go); 0 for filters.
	StructureID int64 `bun:"structure_id,nullzero"`
}

// Subject is what a record offers to the filters, or the filter of a staff
// announcement to subscribers (no Kind: every kind).
type Subject struct {
	Kind                                      string
	Themes, Audiences, Departments, Countries []string
}

// Matches says whether the subscription wants the subject. A filter on
// something the record does not say (a call's department) does not exclude it.
func (s *Subscription) Matches(x Subject) bool {
	if len(s.Kinds) > 0 && x.Kind != "" && !slices.Contains(s.Kinds, x.Kind) {
		return false
	}
	for _, f := range []struct{ want, have []string }{
		{s.Themes, x.Themes}, {s.Audiences, x.Audiences}, {s.Departments, x.Departments}, {s.Countries, x.Countries},
	} {
		if len(f.want) > 0 && len(f.have) > 0 && !slices.ContainsFunc(f.have, func(c string) bool { return slices.Contains(f.want, c) }) {
			return false
		}
	}
	return true
}

// Announcement is one message, to one or more channels.
type Announcement struct {
	bun.BaseModel `bun:"table:announcements,alias:an"`

	ID         int64     `bun:"id,pk,autoincrement"`
	Key        string    `bun:"key,notnull"`
	Kind       string    `bun:"kind,notnull"`
	RecordKind string    `bun:"record_kind,notnull"`
	RecordID   int64     `bun:"record_id,nullzero"`
	Text       string    `bun:"text,notnull"`
	Author     string    `bun:"author,notnull"`
	SendAt     time.Time `bun:"send_at,notnull"`
	CreatedAt  time.Time `bun:"created_at,notnull"`

	Deliveries []Delivery `bun:"rel:has-many,join:id=announcement_id"`
}

// Delivery is an announcement to one channel: the outbox row a sender claims.
type Delivery struct {
	bun.BaseModel `bun:"table:deliveries,alias:de"`

	ID             int64      `bun:"id,pk,autoincrement"`
	AnnouncementID int64      `bun:"announcement_id,notnull"`
	Platform       string     `bun:"platform,notnull"`
	Channel        string     `bun:"channel,notnull"`
	Status         string     `bun:"status,notnull"`
	Attempts       int        `bun:"attempts,notnull"`
	RunAt          time.Time  `bun:"run_at,notnull"`
	LeaseUntil     *time.Time `bun:"lease_until"`
	MessageID      string     `bun:"message_id,notnull"`
	Link           string     `bun:"link,notnull"`
	Error          string     `bun:"error,notnull"`
	UpdatedAt      time.Time  `bun:"updated_at,notnull"`
}

// Target is a channel on a platform.
type Target struct{ Platform, Channel string }

// Errors of the announcement service, in French for the chat and the API.
var (
	ErrNoTarget  = errors.New("aucun canal ne correspond : précisez un canal ou un filtre d'abonnés")
	ErrEmpty     = errors.New("le texte de l'annonce est vide")
	ErrPast      = errors.New("l'heure d'envoi est déjà passée")
	ErrNotFound  = errors.New("annonce introuvable")
	ErrTooLate   = errors.New("l'annonce est déjà partie : elle ne peut plus être modifiée ni annulée")
	ErrCancelled = errors.New("l'annonce a été annulée")
	ErrConfirmed = errors.New("l'annonce est déjà confirmée")
)
