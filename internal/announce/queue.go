package announce

import (
	"context"
	"fmt"
	"time"

	"github.com/uptrace/bun"
)

// Queue is the state of the outbox an operator watches: how much waits, and
// for how long the oldest due delivery has waited (zero when none is due).
type Queue struct {
	Waiting   int
	OldestDue time.Duration
}

// QueueState reads the outbox: deliveries scheduled or being sent, and the
// oldest one due at now that no sender holds. A growing age means senders
// are stuck or a platform refuses everything.
func QueueState(ctx context.Context, idb bun.IDB, now time.Time) (Queue, error) {
	var row struct {
		Waiting int       `bun:"waiting"`
		Oldest  time.Time `bun:"oldest"` // zero when none is due
	}
	now = now.UTC()
	err := idb.NewRaw(`SELECT
			(SELECT count(*) FROM deliveries WHERE status IN (?, ?)) AS waiting,
			(SELECT min(run_at) FROM deliveries
				WHERE (status = ? AND run_at <= ?) OR (status = ? AND lease_until < ?)) AS oldest`,
		StatusScheduled, StatusSending, StatusScheduled, now, StatusSending, now).Scan(ctx, &row)
	if err != nil {
		return Queue{}, fmt.Errorf("announce: queue: %w", err)
	}
	q := Queue{Waiting: row.Waiting}
	if !row.Oldest.IsZero() {
		q.OldestDue = max(now.Sub(row.Oldest), 0)
	}
	return q, nil
}
