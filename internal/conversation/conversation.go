// Package conversation keeps what the bot needs of a conversation to read a
// follow-up: the last question's understanding, per thread (a Slack thread,
// a Discord channel and user, a terminal's --thread), for a short while. It
// lives in the database so that every replica sees the same conversation and
// a restart does not forget it.
package conversation

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// TTL is how long a conversation is remembered after its last message.
const TTL = 30 * time.Minute

// record is one thread's memory.
type record struct {
	bun.BaseModel `bun:"table:conversations,alias:cv"`

	ThreadKey string    `bun:"thread_key,pk"`
	State     string    `bun:"state,notnull"`
	UpdatedAt time.Time `bun:"updated_at,notnull"`
}

// Store reads and writes the conversations' memory.
type Store struct {
	DB bun.IDB
}

// Recall reads into state what was kept of a thread, if it was written less
// than TTL before now; false when there is nothing (or only something too
// old, which it forgets).
func (s *Store) Recall(ctx context.Context, thread string, now time.Time, state any) (bool, error) {
	if thread == "" {
		return false, nil
	}
	var r record
	err := s.DB.NewSelect().Model(&r).Where("cv.thread_key = ?", thread).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("conversation: recall: %w", err)
	}
	if now.Sub(r.UpdatedAt) > TTL {
		return false, nil
	}
	if err := json.Unmarshal([]byte(r.State), state); err != nil {
		return false, nil // a state of an older shape is forgotten, not an error
	}
	return true, nil
}

// Keep writes a thread's state, replacing what was there, and forgets the
// threads silent for longer than TTL.
func (s *Store) Keep(ctx context.Context, thread string, now time.Time, state any) error {
	if thread == "" {
		return nil
	}
	raw, err := json.Marshal(state)
	if err != nil {
		return fmt.Errorf("conversation: keep: %w", err)
	}
	r := record{ThreadKey: thread, State: string(raw), UpdatedAt: now.UTC()}
	if _, err := s.DB.NewInsert().Model(&r).
		On("CONFLICT (thread_key) DO UPDATE").Set("state = EXCLUDED.state, updated_at = EXCLUDED.updated_at").
		Exec(ctx); err != nil {
		return fmt.Errorf("conversation: keep: %w", err)
	}
	if _, err := s.DB.NewDelete().TableExpr("conversations").Where("updated_at < ?", now.UTC().Add(-TTL)).Exec(ctx); err != nil {
		return fmt.Errorf("conversation: expire: %w", err)
	}
	return nil
}

// Forget removes the memory of the threads whose key starts with prefix (a
// person's, when their data is erased).
func (s *Store) Forget(ctx context.Context, prefix string) error {
	if _, err := s.DB.NewDelete().TableExpr("conversations").Where("substr(thread_key, 1, ?) = ?", len(prefix), prefix).Exec(ctx); err != nil {
		return fmt.Errorf("conversation: forget: %w", err)
	}
	return nil
}
