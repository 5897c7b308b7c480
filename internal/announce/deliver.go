package announce

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"github.com/lianes-cooperation/lianes/internal/clock"
)

// Message is what a poster sends: the delivery's key travels with it so
// that a retry can ask the platform whether it is already there.
type Message struct {
	Key     string
	Channel string
	Text    string
	// Unsure is set when an earlier attempt may have reached the platform
	// (the sender died or lost the answer): the poster checks first.
	Unsure bool
}

// Posted is a message on its platform.
type Posted struct{ ID, Link string }

// Poster posts to one platform.
type Poster interface {
	Post(ctx context.Context, m Message) (Posted, error)
}

// RetryAfter is a platform's request to wait (a rate limit).
type RetryAfter struct{ Wait time.Duration }

func (e *RetryAfter) Error() string {
	return fmt.Sprintf("limite de débit : réessayer dans %s", e.Wait)
}

// Refused is an answer that no retry will change: the channel is gone, or
// the bot may not write in it.
type Refused struct{ Reason string }

func (e *Refused) Error() string { return e.Reason }

// Sender claims due deliveries and posts them. Several senders, in one
// process or in several replicas, may run over the same database.
type Sender struct {
	DB      *bun.DB
	Clock   clock.Clock
	Posters map[string]Poster
	Log     *slog.Logger
	// Lease is how long a claimed delivery is the claimer's: past it, the
	// claimer is presumed dead and another sender takes the delivery over.
	Lease time.Duration
	// MaxAttempts before a delivery is reported failed.
	MaxAttempts int
	// Observe, when set, is told the outcome of every attempt (OutcomeSent,
	// OutcomeFailed or OutcomeRetried) and its error, for metrics and health.
	Observe func(platform, outcome string, err error)
}

// Outcomes of one delivery attempt.
const (
	OutcomeSent    = "sent"
	OutcomeFailed  = "failed"
	OutcomeRetried = "retried"
)

// NewSender returns a sender with a two-minute lease and eight attempts.
func NewSender(bdb *bun.DB, c clock.Clock, posters map[string]Poster, log *slog.Logger) *Sender {
	return &Sender{DB: bdb, Clock: c, Posters: posters, Log: log, Lease: 2 * time.Minute, MaxAttempts: 8}
}

type claimed struct {
	ID       int64  `bun:"id"`
	Platform string `bun:"platform"`
	Channel  string `bun:"channel"`
	Attempts int    `bun:"attempts"`
	Key      string `bun:"key"`
	Text     string `bun:"text"`
}

// claim takes one due delivery: scheduled and due, or sending with an
// expired lease. It is one UPDATE … RETURNING, so two senders never take the
// same row; on PostgreSQL the row is chosen FOR UPDATE SKIP LOCKED, so they
// do not wait on each other either.
func (s *Sender) claim(ctx context.Context) (*claimed, error) {
	now := s.Clock.Now().UTC()
	lock := ""
	if s.DB.Dialect().Name() == dialect.PG {
		lock = " FOR UPDATE SKIP LOCKED"
	}
	var c claimed
	err := s.DB.NewRaw(`UPDATE deliveries SET status = ?, attempts = attempts + 1, lease_until = ?, updated_at = ?
		WHERE id = (SELECT id FROM deliveries
			WHERE (status = ? AND run_at <= ?) OR (status = ? AND lease_until < ?)
			ORDER BY run_at, id LIMIT 1`+lock+`)
		RETURNING id, platform, channel, attempts,
			(SELECT key FROM announcements WHERE announcements.id = deliveries.announcement_id) AS key,
			(SELECT text FROM announcements WHERE announcements.id = deliveries.announcement_id) AS text`,
		StatusSending, now.Add(s.Lease), now, StatusScheduled, now, StatusSending, now).Scan(ctx, &c)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return nil, fmt.Errorf("announce: claim: %w", err)
	}
	if c.ID == 0 {
		return nil, nil
	}
	return &c, nil
}

// SendDue sends every delivery due now and returns how many it handled.
func (s *Sender) SendDue(ctx context.Context) (int, error) {
	n := 0
	for {
		c, err := s.claim(ctx)
		if err != nil || c == nil {
			return n, err
		}
		n++
		if err := s.send(ctx, c); err != nil {
			return n, err
		}
	}
}

// send posts one claimed delivery and records the outcome. If the process
// dies between the platform's answer and the record, the lease runs out and
// the next claimer, seeing an earlier attempt, checks the platform first.
func (s *Sender) send(ctx context.Context, c *claimed) error {
	now := s.Clock.Now().UTC()
	poster := s.Posters[c.Platform]
	if poster == nil {
		return s.finish(ctx, c.ID, StatusFailed, Posted{}, "plateforme non configurée : "+c.Platform, now)
	}
	posted, err := poster.Post(ctx, Message{Key: fmt.Sprintf("lianes-%d", c.ID), Channel: c.Channel, Text: c.Text, Unsure: c.Attempts > 1})
	recorded := s.record(ctx, c, posted, err, now)
	// Told once the outcome is recorded: what a watcher counts is what the
	// outbox holds.
	if s.Observe != nil {
		s.Observe(c.Platform, outcome(err, c.Attempts >= s.MaxAttempts), err)
	}
	return recorded
}

// record writes the outcome of an attempt: sent, failed, or to retry.
func (s *Sender) record(ctx context.Context, c *claimed, posted Posted, err error, now time.Time) error {
	var refused *Refused
	var wait *RetryAfter
	switch {
	case err == nil:
		return s.finish(ctx, c.ID, StatusSent, posted, "", now)
	case errors.As(err, &refused):
		s.Log.WarnContext(ctx, "annonce refusée par la plateforme", "delivery", c.ID, "platform", c.Platform, "channel", c.Channel, "reason", refused.Reason)
		return s.finish(ctx, c.ID, StatusFailed, Posted{}, refused.Reason, now)
	case c.Attempts >= s.MaxAttempts:
		return s.finish(ctx, c.ID, StatusFailed, Posted{}, fmt.Sprintf("abandon après %d essais : %v", c.Attempts, err), now)
	case errors.As(err, &wait):
		return s.retry(ctx, c.ID, now.Add(wait.Wait), err)
	default:
		// Exponential backoff with jitter: 2 s, 4 s, 8 s… at most 10 minutes.
		backoff := min(time.Duration(1<<c.Attempts)*time.Second, 10*time.Minute)
		backoff += time.Duration(rand.Int64N(int64(backoff/4) + 1))
		return s.retry(ctx, c.ID, now.Add(backoff), err)
	}
}

// outcome names what becomes of an attempt that ended with err.
func outcome(err error, last bool) string {
	var refused *Refused
	switch {
	case err == nil:
		return OutcomeSent
	case errors.As(err, &refused), last:
		return OutcomeFailed
	default:
		return OutcomeRetried
	}
}

func (s *Sender) retry(ctx context.Context, id int64, at time.Time, cause error) error {
	s.Log.WarnContext(ctx, "annonce : nouvel essai prévu", "delivery", id, "at", at, "error", cause)
	_, err := s.DB.NewUpdate().TableExpr("deliveries").
		Set("status = ?, run_at = ?, lease_until = NULL, error = ?, updated_at = ?", StatusScheduled, at, cause.Error(), s.Clock.Now().UTC()).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("announce: retry: %w", err)
	}
	return nil
}

func (s *Sender) finish(ctx context.Context, id int64, status string, p Posted, reason string, now time.Time) error {
	_, err := s.DB.NewUpdate().TableExpr("deliveries").
		Set("status = ?, message_id = ?, link = ?, error = ?, lease_until = NULL, updated_at = ?", status, p.ID, p.Link, reason, now).
		Where("id = ?", id).Exec(ctx)
	if err != nil {
		return fmt.Errorf("announce: record delivery: %w", err)
	}
	return nil
}

// Run schedules and sends what is due every interval until ctx ends. Every
// replica may run it: the keys and the claims keep each message single.
func Run(ctx context.Context, s *Service, sender *Sender, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		if _, err := s.Schedule(ctx); err != nil && ctx.Err() == nil {
			sender.Log.ErrorContext(ctx, "annonces : programmation impossible", "error", err)
		}
		if _, err := sender.SendDue(ctx); err != nil && ctx.Err() == nil {
			sender.Log.ErrorContext(ctx, "annonces : envoi interrompu", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
