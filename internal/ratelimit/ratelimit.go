// Package ratelimit counts what each client asks of the service per minute,
// requests and query cost. On PostgreSQL the counters are in the database,
// so that every replica behind a load balancer enforces the same budget: one
// upsert per request adds to the client's row and returns the new totals.
// SQLite serves one process, whose memory holds them: there, a write per
// request would serialise every request on the database's one writer (a
// third of the throughput, measured). A window is a fixed minute, which lets
// a client spend up to twice its budget across a minute's boundary; that is
// the price of one statement per request.
package ratelimit

import (
	"context"
	"fmt"
	"math"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
)

// Window is the length of a counting window.
const Window = time.Minute

// keep is how long past windows stay before they are swept.
const keep = 10 * time.Minute

// Counter adds to a client's window and forgets the old ones.
type Counter interface {
	Add(ctx context.Context, client string, requests, cost int64, now time.Time) (Usage, error)
	Sweep(ctx context.Context, now time.Time) error
}

// For returns the counter suited to a database: the database itself for
// PostgreSQL, this process's memory for SQLite.
func For(bdb *bun.DB) Counter {
	if db.IsPostgres(bdb) {
		return &Store{DB: bdb}
	}
	return NewMemory()
}

// Store holds the counters in the database.
type Store struct {
	DB *bun.DB
}

// Usage is what a client has used in the current window, and when the
// window ends.
type Usage struct {
	Requests, Cost int64
	Ends           time.Time
}

// RetryAfter is the time until the window ends, in whole seconds, at least 1.
func (u Usage) RetryAfter(now time.Time) int {
	return max(int(math.Ceil(u.Ends.Sub(now).Seconds())), 1)
}

// windowOf returns the start of now's window, in Unix seconds.
func windowOf(now time.Time) int64 {
	return now.Truncate(Window).Unix()
}

// Add adds requests and cost to the client's current window and returns the
// window's totals.
func (s *Store) Add(ctx context.Context, client string, requests, cost int64, now time.Time) (Usage, error) {
	start := windowOf(now)
	u := Usage{Ends: time.Unix(start, 0).Add(Window)}
	err := db.Unsynced(ctx, s.DB, func(ctx context.Context, tx bun.Tx) error {
		return tx.NewRaw(`INSERT INTO rate_windows (client, window_start, requests, cost) VALUES (?, ?, ?, ?)
ON CONFLICT (client, window_start) DO UPDATE SET requests = rate_windows.requests + excluded.requests, cost = rate_windows.cost + excluded.cost
RETURNING requests, cost`, client, start, requests, cost).Scan(ctx, &u.Requests, &u.Cost)
	})
	if err != nil {
		return Usage{}, fmt.Errorf("ratelimit: add: %w", err)
	}
	return u, nil
}

// Sweep deletes the windows over for a while.
func (s *Store) Sweep(ctx context.Context, now time.Time) error {
	if _, err := s.DB.NewDelete().TableExpr("rate_windows").
		Where("window_start < ?", windowOf(now.Add(-keep))).Exec(ctx); err != nil {
		return fmt.Errorf("ratelimit: sweep: %w", err)
	}
	return nil
}

// Memory holds the counters in this process.
type Memory struct {
	mu      sync.Mutex
	windows map[memoryKey]*Usage
}

type memoryKey struct {
	client string
	start  int64
}

// NewMemory returns empty counters.
func NewMemory() *Memory { return &Memory{windows: map[memoryKey]*Usage{}} }

// Add adds requests and cost to the client's current window and returns the
// window's totals.
func (m *Memory) Add(_ context.Context, client string, requests, cost int64, now time.Time) (Usage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	k := memoryKey{client, windowOf(now)}
	u := m.windows[k]
	if u == nil {
		u = &Usage{Ends: time.Unix(k.start, 0).Add(Window)}
		m.windows[k] = u
	}
	u.Requests += requests
	u.Cost += cost
	return *u, nil
}

// Sweep forgets the windows over for a while.
func (m *Memory) Sweep(_ context.Context, now time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	for k := range m.windows {
		if k.start < windowOf(now.Add(-keep)) {
			delete(m.windows, k)
		}
	}
	return nil
}

// ExceededError is a client over its budget for the current window.
type ExceededError struct {
	What       string // "requêtes" or "coût"
	RetryAfter int    // seconds
}

func (e *ExceededError) Error() string {
	if e.What == "coût" {
		return fmt.Sprintf("trop de requêtes coûteuses cette minute : réessayez dans %d s (ou demandez moins d'éléments)", e.RetryAfter)
	}
	return fmt.Sprintf("trop de requêtes : réessayez dans %d s", e.RetryAfter)
}

// Budget is the cost a client may still spend; the HTTP guard puts it in
// the request's context and the GraphQL server spends from it once it knows
// what a query costs. It belongs to one request, which is charged once:
// a request that a kept plan began to answer and the long way finished
// (the plan's statement failed) is not charged twice.
type Budget struct {
	Store  Counter
	Client string
	PerMin int64
	Now    time.Time

	charged bool
	outcome error // what the charge said, given again
}

type budgetKey struct{}

// WithBudget returns ctx carrying b.
func WithBudget(ctx context.Context, b *Budget) context.Context {
	return context.WithValue(ctx, budgetKey{}, b)
}

// Spend charges cost to the budget in ctx and returns an *ExceededError
// when the client has gone over it this minute. Without a budget in ctx
// (tests, the CLI) nothing is counted.
//
// A second Spend for the same request charges nothing and returns what the
// first said, unless the first failed to count.
func Spend(ctx context.Context, cost int) error {
	b, _ := ctx.Value(budgetKey{}).(*Budget)
	if b == nil || b.PerMin <= 0 || cost <= 0 {
		return nil
	}
	if b.charged {
		return b.outcome
	}
	u, err := b.Store.Add(ctx, b.Client, 0, int64(cost), b.Now)
	if err != nil {
		return err
	}
	b.charged = true
	if u.Cost > b.PerMin {
		b.outcome = &ExceededError{What: "coût", RetryAfter: u.RetryAfter(b.Now)}
	}
	return b.outcome
}
