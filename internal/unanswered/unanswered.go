// Package unanswered keeps the questions the bot did not understand, or
// answered with an honest "je ne sais pas", so that the staff see what
// members ask and can teach the bot. The asker is kept only as a salted
// hash; the questions are forgotten after a retention period, and with the
// asker's data when an administrator erases it.
package unanswered

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/listing"
)

// DefaultRetention is how long a question is kept.
const DefaultRetention = 90 * 24 * time.Hour

// maxText bounds a kept question: the bot reads no longer ones.
const maxText = 1000

// Question is one question the bot could not answer.
type Question struct {
	bun.BaseModel `bun:"table:unanswered_questions,alias:uq"`

	ID        int64     `bun:"id,pk,autoincrement" json:"id"`
	AskedAt   time.Time `bun:"asked_at,notnull" json:"askedAt"`
	Platform  string    `bun:"platform,notnull" json:"platform"`
	AskerHash string    `bun:"asker_hash,notnull" json:"asker"`
	Intent    string    `bun:"intent,notnull" json:"intent"`
	Text      string    `bun:"text,notnull" json:"text"`
}

// Store keeps the questions.
type Store struct {
	DB *bun.DB
	// Retention is how long a question is kept; DefaultRetention when zero.
	Retention time.Duration

	mu   sync.Mutex
	salt string
}

func (s *Store) retention() time.Duration {
	if s.Retention > 0 {
		return s.Retention
	}
	return DefaultRetention
}

// saltValue reads the database's salt, making it the first time: every
// replica hashes an asker the same way, and nobody outside the database can
// tell a hash's person.
func (s *Store) saltValue(ctx context.Context) (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.salt != "" {
		return s.salt, nil
	}
	if _, err := s.DB.NewRaw("INSERT INTO bot_secrets (name, value) VALUES ('asker_salt', ?) ON CONFLICT (name) DO NOTHING",
		rand.Text()).Exec(ctx); err != nil {
		return "", fmt.Errorf("unanswered: salt: %w", err)
	}
	if err := s.DB.NewSelect().TableExpr("bot_secrets").Column("value").Where("name = 'asker_salt'").Scan(ctx, &s.salt); err != nil {
		return "", fmt.Errorf("unanswered: salt: %w", err)
	}
	return s.salt, nil
}

// Hash is an asker's salted hash: the same person on the same platform
// gives the same hash, and the hash gives nobody back.
func (s *Store) Hash(ctx context.Context, platform, askerID string) (string, error) {
	salt, err := s.saltValue(ctx)
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(salt + "\x00" + platform + "\x00" + askerID))
	return hex.EncodeToString(sum[:16]), nil
}

// Keep records a question, and forgets those past the retention period.
func (s *Store) Keep(ctx context.Context, now time.Time, platform, askerID, intent, text string) error {
	hash, err := s.Hash(ctx, platform, askerID)
	if err != nil {
		return err
	}
	if utf8.RuneCountInString(text) > maxText {
		text = string([]rune(text)[:maxText])
	}
	q := Question{AskedAt: now.UTC(), Platform: platform, AskerHash: hash, Intent: intent, Text: text}
	if _, err := s.DB.NewInsert().Model(&q).Exec(ctx); err != nil {
		return fmt.Errorf("unanswered: keep: %w", err)
	}
	return s.Expire(ctx, now)
}

// Expire forgets the questions past the retention period.
func (s *Store) Expire(ctx context.Context, now time.Time) error {
	if _, err := s.DB.NewDelete().TableExpr("unanswered_questions").Where("asked_at < ?", now.UTC().Add(-s.retention())).Exec(ctx); err != nil {
		return fmt.Errorf("unanswered: expire: %w", err)
	}
	return nil
}

// List pages the questions asked since a moment (all when zero), the latest
// first; staff only.
func (s *Store) List(ctx context.Context, since time.Time, a listing.Args) (listing.Page, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return listing.Page{}, err
	}
	q := s.DB.NewSelect().TableExpr("unanswered_questions AS uq").OrderExpr("uq.asked_at DESC, uq.id DESC")
	if !since.IsZero() {
		q = q.Where("uq.asked_at >= ?", since.UTC())
	}
	return listing.Query(ctx, q, "uq.id", a)
}

// Questions reads questions by id; staff only.
func (s *Store) Questions(ctx context.Context, ids []int64) (map[int64]*Question, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return nil, err
	}
	out, err := db.ByIDs(ctx, s.DB, "uq.id", ids, func(x *Question) int64 { return x.ID })
	if err != nil {
		return nil, fmt.Errorf("unanswered: questions: %w", err)
	}
	return out, nil
}

// EraseAsker forgets a chat user's questions, with the rest of their data;
// administrators only. It returns how many were forgotten.
func (s *Store) EraseAsker(ctx context.Context, platform, askerID string) (int, error) {
	if err := access.Require(ctx, access.Admin); err != nil {
		return 0, err
	}
	hash, err := s.Hash(ctx, platform, askerID)
	if err != nil {
		return 0, err
	}
	res, err := s.DB.NewDelete().TableExpr("unanswered_questions").Where("asker_hash = ?", hash).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("unanswered: erase: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
