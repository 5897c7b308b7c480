// Package replay remembers the requests the chat platforms sent, by an id
// that a replay carries unchanged (a Discord interaction id, a Slack request's
// signature), so that a request sent twice runs once. The record is in the
// database, so that it holds across replicas: the first insert of a key wins.
package replay

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/uptrace/bun"
)

// Guard records the requests seen.
type Guard struct {
	DB    *bun.DB
	mu    sync.Mutex
	swept time.Time
}

// First records key for platform until now+ttl and reports whether it is the
// first time it is seen. Expired records are swept once a minute: past its
// expiry the platform's own check (a signature's timestamp) refuses the
// request anyway.
func (g *Guard) First(ctx context.Context, platform, key string, now time.Time, ttl time.Duration) (bool, error) {
	g.mu.Lock()
	due := now.Sub(g.swept) > time.Minute
	if due {
		g.swept = now
	}
	g.mu.Unlock()
	if due {
		if err := g.Sweep(ctx, now); err != nil {
			return false, err
		}
	}
	res, err := g.DB.NewRaw(`INSERT INTO seen_requests (platform, request_key, expires_at) VALUES (?, ?, ?)
ON CONFLICT (platform, request_key) DO NOTHING`, platform, key, now.Add(ttl).Unix()).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("replay: record: %w", err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("replay: record: %w", err)
	}
	return n == 1, nil
}

// Sweep deletes the expired records.
func (g *Guard) Sweep(ctx context.Context, now time.Time) error {
	if _, err := g.DB.NewDelete().TableExpr("seen_requests").Where("expires_at < ?", now.Unix()).Exec(ctx); err != nil {
		return fmt.Errorf("replay: sweep: %w", err)
	}
	return nil
}

// Recorder tells whether a request is seen for the first time: Guard across
// replicas, Memory within one process.
type Recorder interface {
	First(ctx context.Context, platform, key string, now time.Time, ttl time.Duration) (bool, error)
}

// Memory records the requests seen by this process only: for a bot run
// without the service's database.
type Memory struct {
	mu   sync.Mutex
	keys map[string]time.Time // expiry by platform and key
}

// NewMemory returns an empty record.
func NewMemory() *Memory { return &Memory{keys: map[string]time.Time{}} }

// First records key until now+ttl and reports whether it is new.
func (m *Memory) First(_ context.Context, platform, key string, now time.Time, ttl time.Duration) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k, until := range m.keys {
		if now.After(until) {
			delete(m.keys, k)
		}
	}
	k := platform + "\x00" + key
	if _, ok := m.keys[k]; ok {
		return false, nil
	}
	m.keys[k] = now.Add(ttl)
	return true, nil
}
