package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
	"github.com/uptrace/bun/dialect"

	"github.com/lianes-cooperation/lianes/graph"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/ratelimit"
)

// answers records the path that answered each operation.
type answers struct {
	mu sync.Mutex
	by []string
}

func (a *answers) ObserveOperation(_, by, _ string, _ time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.by = append(a.by, by)
}

func (a *answers) count() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.by)
}

func (a *answers) last() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	if len(a.by) == 0 {
		return ""
	}
	return a.by[len(a.by)-1]
}

// movingClock is a clock the test moves to another day.
type movingClock struct{ now time.Time }

func (c *movingClock) Now() time.Time { return c.now }

// planned is a compiled server with an observer, and how to ask it.
type planned struct {
	t       *testing.T
	h       http.Handler
	answers *answers
	clock   *movingClock
}

// newPlanned is a compiled server over bdb, on 4 January 2021, that tells
// its answers how it answered; apart as graph.Resolver.RunsApart.
func newPlanned(t *testing.T, bdb *bun.DB, apart bool) *planned {
	c := &movingClock{now: time.Date(2021, 1, 4, 9, 0, 0, 0, clock.Paris)}
	p := &planned{t: t, answers: &answers{}, clock: c}
	p.h = graph.NewHandler(&graph.Resolver{Services: domain.New(bdb, c), Clock: c, Observer: p.answers, RunsApart: apart},
		graph.DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	return p
}

// ask posts a request as role, with an Accept header when accept is set
// and a cost budget when budget is, and returns the answer, its content
// type and the path that answered.
func (p *planned) ask(role access.Role, accept string, budget *ratelimit.Budget, query string, vars map[string]any) (body, contentType, by string) {
	p.t.Helper()
	raw, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(p.t, err)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(raw))
	ctx := access.WithRole(req.Context(), role)
	if budget != nil { // a budget of its own per request over the shared counter, as the HTTP guard gives
		per := *budget
		ctx = ratelimit.WithBudget(ctx, &per)
	}
	req = req.WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	rec := httptest.NewRecorder()
	before := p.answers.count()
	p.h.ServeHTTP(rec, req)
	require.Equal(p.t, http.StatusOK, rec.Code, rec.Body.String())
	by = p.answers.last()
	if length := rec.Header().Get("Content-Length"); p.answers.count() > before && by == graph.AnsweredPlan || length != "" {
		// A plan's answer, written whole from a reused buffer, says its length.
		require.Equal(p.t, strconv.Itoa(rec.Body.Len()), length, "Content-Length of %s", rec.Body.String())
	}
	return rec.Body.String(), rec.Header().Get("Content-Type"), by
}

// TestRepeatedRequestsAnswerFromTheirPlan asks every compiled case twice
// for each role: the second answer comes from the statement kept for the
// request, and both are the resolvers' bytes. What changes the statement
// (the role, the day, a variable) makes another request, and the data is
// read again every time: nothing of an answer is kept.
func TestRepeatedRequestsAnswerFromTheirPlan(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		b := newBothPaths(t, bdb)
		p := newPlanned(t, bdb, false)

		for _, cc := range compiledCases {
			if !cc.compiled {
				continue
			}
			roles := cc.roles
			if len(roles) == 0 {
				roles = []access.Role{access.Anonymous}
			}
			for _, role := range roles {
				want, _ := b.postAs(role, b.resolvers, cc.query, cc.vars)
				first, firstType, by := p.ask(role, "", nil, cc.query, cc.vars)
				require.Equal(t, graph.AnsweredCompiled, by, "%s as %s", cc.name, role)
				second, secondType, by := p.ask(role, "", nil, cc.query, cc.vars)
				switch {
				case strings.Contains(first, graph.CodeForbidden):
					// A plan answers data alone: the errors are said again.
					require.Equal(t, graph.AnsweredCompiled, by, "%s as %s, asked again", cc.name, role)
					want, first, second = sortedErrors(t, want), sortedErrors(t, first), sortedErrors(t, second)
				case cc.denied && !access.AtLeast(access.WithRole(context.Background(), role), access.Staff):
					// Asked for what the role may not see, where no record
					// holds it: no plan is kept either way, unless the
					// role may see no record of the kind at all.
					require.Contains(t, []string{graph.AnsweredCompiled, graph.AnsweredPlan}, by)
				default:
					require.Equal(t, graph.AnsweredPlan, by, "%s as %s, asked again", cc.name, role)
				}
				require.Equal(t, want, first, "%s as %s", cc.name, role)
				require.Equal(t, want, second, "%s as %s, asked again", cc.name, role)
				require.Equal(t, firstType, secondType)
			}
		}

		// A name that JSON escapes, changed between two identical requests:
		// the second reads it.
		const one = `{ structure(id: "Structure:4") { name } }`
		_, _, by := p.ask(access.Anonymous, "", nil, one, nil)
		require.Equal(t, graph.AnsweredCompiled, by)
		_, err := bdb.ExecContext(context.Background(), `UPDATE structures SET name = 'Nouveau <nom> & fils' WHERE id = 4`)
		require.NoError(t, err)
		got, _, by := p.ask(access.Anonymous, "", nil, one, nil)
		require.Equal(t, graph.AnsweredPlan, by)
		require.Equal(t, `{"data":{"structure":{"name":"Nouveau \u003cnom\u003e \u0026 fils"}}}`, got)
		want, _ := b.post(b.resolvers, one, nil)
		require.Equal(t, want, got)

		// Contacts' e-mails: a member's request does not answer the staff.
		const contacts = `{ structures(first: 5) { nodes { name contacts { nodes { name email } } } } }`
		_, _, by = p.ask(access.Member, "", nil, contacts, nil)
		require.Equal(t, graph.AnsweredCompiled, by, "a member reads no e-mail: FORBIDDEN on its path")
		got, _, by = p.ask(access.Staff, "", nil, contacts, nil)
		require.Equal(t, graph.AnsweredCompiled, by)
		require.Contains(t, got, "@")
		memberAgain, _, by := p.ask(access.Member, "", nil, contacts, nil)
		require.Equal(t, graph.AnsweredCompiled, by)
		require.NotContains(t, memberAgain, "@")
		require.Contains(t, memberAgain, graph.CodeForbidden)

		// Another variable is another request.
		const byID = `query($id: ID!) { node(id: $id) { id ... on Structure { name } } }`
		_, _, by = p.ask(access.Anonymous, "", nil, byID, map[string]any{"id": "Structure:6"})
		require.Equal(t, graph.AnsweredCompiled, by)
		got, _, by = p.ask(access.Anonymous, "", nil, byID, map[string]any{"id": "Structure:7"})
		require.Equal(t, graph.AnsweredCompiled, by)
		require.Contains(t, got, `"Structure:7"`)

		// The day a query's "now" stands for is the clock's: the next day is
		// another request.
		const upcoming = `{ upcomingEvents(first: 3) { nodes { title date { relation } } } openFundingCalls(first: 3) { nodes { title } } }`
		_, _, by = p.ask(access.Anonymous, "", nil, upcoming, nil)
		require.Equal(t, graph.AnsweredCompiled, by)
		_, _, by = p.ask(access.Anonymous, "", nil, upcoming, nil)
		require.Equal(t, graph.AnsweredPlan, by)
		p.clock.now = time.Date(2021, 6, 2, 9, 0, 0, 0, clock.Paris)
		got, _, by = p.ask(access.Anonymous, "", nil, upcoming, nil)
		require.Equal(t, graph.AnsweredCompiled, by, "another day")
		resolvers := graph.NewHandler(&graph.Resolver{Services: domain.New(bdb, p.clock), Clock: p.clock, ResolversOnly: true},
			graph.DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
		want, _ = b.post(resolvers, upcoming, nil)
		require.Equal(t, want, got)

		// The content type follows the Accept header, as GraphQL's handler
		// chose it.
		const accept = "application/graphql-response+json"
		_, firstType, by := p.ask(access.Anonymous, accept, nil, one, nil)
		require.Equal(t, graph.AnsweredCompiled, by, "another Accept header is another request")
		_, secondType, by := p.ask(access.Anonymous, accept, nil, one, nil)
		require.Equal(t, graph.AnsweredPlan, by)
		require.True(t, strings.HasPrefix(firstType, accept), firstType)
		require.Equal(t, firstType, secondType)

		// A request answered from its plan costs the client's budget what
		// it cost the first time, and is refused once the budget is spent.
		store := ratelimit.NewMemory()
		budget := &ratelimit.Budget{Store: store, Client: "client", PerMin: 1000, Now: p.clock.now}
		const priced = `{ structures(first: 40) { nodes { name } } }`
		_, _, by = p.ask(access.Anonymous, "", budget, priced, nil)
		require.Equal(t, graph.AnsweredCompiled, by)
		used, err := store.Add(context.Background(), "client", 0, 0, p.clock.now)
		require.NoError(t, err)
		require.Positive(t, used.Cost)
		_, _, by = p.ask(access.Anonymous, "", budget, priced, nil)
		require.Equal(t, graph.AnsweredPlan, by)
		again, err := store.Add(context.Background(), "client", 0, 0, p.clock.now)
		require.NoError(t, err)
		require.Equal(t, 2*used.Cost, again.Cost)
		budget.PerMin = again.Cost // the next request goes over
		got, _, _ = p.ask(access.Anonymous, "", budget, priced, nil)
		require.Contains(t, got, "RATE_LIMITED")
	})
}

// TestIdenticalRequestsShareOneRun sends the same request from many
// clients at once: every answer is the resolvers' bytes, and on PostgreSQL,
// where the test can hold a run in the database, the clients who come
// while it runs share the next run, which reads what was written before
// they came.
func TestIdenticalRequestsShareOneRun(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		b := newBothPaths(t, bdb)
		p := newPlanned(t, bdb, false)
		const query = `{ structure(id: "Structure:4") { name projects { nodes { title } } } }`
		want, _ := b.post(b.resolvers, query, nil)
		_, _, by := p.ask(access.Anonymous, "", nil, query, nil)
		require.Equal(t, graph.AnsweredCompiled, by)

		// send asks from another goroutine, where require may not stop the test.
		raw, err := json.Marshal(map[string]any{"query": query})
		require.NoError(t, err)
		send := func() string {
			req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(raw))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			p.h.ServeHTTP(rec, req)
			return rec.Body.String()
		}

		var wg sync.WaitGroup
		got := make(chan string, 16*10)
		for range 16 {
			wg.Go(func() {
				for range 10 {
					got <- send()
				}
			})
		}
		wg.Wait()
		close(got)
		for answer := range got {
			require.Equal(t, want, answer)
		}

		if bdb.Dialect().Name() != dialect.PG {
			return
		}
		ctx := context.Background()
		waiting := func() int { // statements waiting for a lock
			var n int
			if err := bdb.NewRaw(`SELECT count(*) FROM pg_stat_activity
				WHERE wait_event_type = 'Lock' AND datname = current_database()`).Scan(ctx, &n); err != nil {
				return -1
			}
			return n
		}
		for i, apart := range []bool{false, true} {
			p = newPlanned(t, bdb, apart)
			require.Contains(t, send(), `"structure":{"name":`) // its plan, in this handler
			tx, err := bdb.BeginTx(ctx, nil)
			require.NoError(t, err)
			// A failure below must not leave the table locked for the
			// requests still waiting and the database's cleanup.
			t.Cleanup(func() { _ = tx.Rollback() })
			_, err = tx.ExecContext(ctx, "LOCK TABLE structures IN ACCESS EXCLUSIVE MODE")
			require.NoError(t, err)

			first := make(chan string, 1)
			go func() { first <- send() }()
			waitUntil(t, "the first run to wait for the lock", func() bool { return waiting() == 1 })
			const late = 4
			before := p.answers.count()
			lates := make(chan string, late)
			for range late {
				go func() { lates <- send() }()
			}
			if apart {
				waitUntil(t, "every late request to run its own statement", func() bool { return waiting() == 1+late })
			} else {
				waitUntil(t, "the late requests to wait for the run under way", func() bool {
					return goroutinesIn("internal/collapse.(*Group") == 1+late
				})
			}
			name := fmt.Sprintf("Écrit avant les suivantes (%d)", i)
			_, err = tx.ExecContext(ctx, `UPDATE structures SET name = ? WHERE id = 4`, name)
			require.NoError(t, err)
			require.NoError(t, tx.Commit())

			<-first
			for range late {
				require.Contains(t, <-lates, `"name":"`+name+`"`)
			}
			p.answers.mu.Lock()
			ways := sortedStrings(append([]string(nil), p.answers.by[before:]...))
			p.answers.mu.Unlock()
			if apart {
				require.Equal(t, slices.Repeat([]string{graph.AnsweredPlan}, 1+late), ways, "each request runs its statement")
			} else {
				require.Equal(t, append([]string{graph.AnsweredPlan}, slices.Repeat([]string{graph.AnsweredShared}, late)...), ways,
					"the late requests share one run; the first answers alone")
			}
		}
	})
}

// waitUntil polls cond: what it waits for happens in other goroutines or
// in the database, which the test cannot otherwise see.
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still waiting for %s", what)
		}
		time.Sleep(2 * time.Millisecond)
	}
}

// goroutinesIn counts the goroutines whose stack holds a function whose
// name starts with fn.
func goroutinesIn(fn string) int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range strings.Split(string(buf), "\n\n") {
		if strings.Contains(g, fn) {
			n++
		}
	}
	return n
}

func sortedStrings(s []string) []string {
	slices.Sort(s)
	return s
}
