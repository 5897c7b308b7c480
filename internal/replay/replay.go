// Package replay remembers the requests the chat platforms sent, by an id
// that a replay carries unchanged (a Discord interaction id, a Slack request's
// signature), so that a request sent twice runs once. The record is in the
// database, so that it holds across replicas: the first insert of a key wins.
package replay

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Guard records the requests seen.
type Guard struct {
	DB *bun.DB
}

// First records key for platform until now+ttl and reports whether it is the
// first time it is seen. An expired record is replaced: past its expiry the
// platform's own check (a signature's timestamp) refuses the request anyway.
func (g *Guard) First(ctx context.Context, platform, key string, now time.Time, ttl time.Duration) (bool, error) {
	if _, err := g.DB.NewDelete().TableExpr("seen_requests").
		Where("platform = ? AND request_key = ? AND expires_at < ?", platform, key, now.Unix()).Exec(ctx); err != nil {
		return false, fmt.Errorf("replay: expire: %w", err)
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
