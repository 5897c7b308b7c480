package graph

import (
	"context"
	"crypto/sha256"
	"hash/maphash"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/99designs/gqlgen/graphql"
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/collapse"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/jsontree"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/ratelimit"
)

// A compiled query's statement depends on nothing but the request's text,
// the caller's role and the day: not on the data. Clients send the same
// requests over and over (a page's query, a dashboard's refresh), and for a
// small query, reading the request, checking it against the schema, pricing
// it, compiling it and writing its SQL cost the server more than the
// database's answer. So the statement of each request answered through the
// compiled path is kept, and the same request from the same role on the same
// day is answered by running it again: the checks gave the same verdict for
// the same text, and the compiler would write the same statement. What
// varies with the request (another id, another page) is another request,
// answered the long way the first time.

// planCacheSize bounds the requests remembered; the largest statements
// are some tens of kilobytes.
const planCacheSize = 512

// maxPlanBytes leaves out statements too large to be worth their memory.
const maxPlanBytes = 64 << 10

// sharedRunTimeout bounds a run shared by several requests, which no
// client's going away ends: as long as the server takes to write an answer.
const sharedRunTimeout = 60 * time.Second

// plans remembers the statements of the requests answered through the
// compiled path, and which statement texts were run before.
type plans struct {
	r     *Resolver
	cache *lru.Cache[planKey, plan]
	texts *lru.Cache[uint64, struct{}] // hashes of statement texts run lately
	seed  maphash.Seed
	// runs answers identical requests that wait together with one run of
	// their statement: the same page opened by many members at once.
	runs collapse.Group[planKey, []byte]
}

// planKey is a request: its text, as the client sent it, with the headers
// that change the answer, and who asks, when.
type planKey struct {
	request [sha256.Size]byte
	role    access.Role
	day     period.Date
}

// plan is what answers a request again without GraphQL.
type plan struct {
	statement   jsontree.Statement
	operation   string // the operation's name, for the observer
	cost        int    // what the cost limit counted, spent again from the client's budget
	contentType string // as the GraphQL handler chose it from the Accept header
}

// planSlot receives, from the compiled path, what to remember of the
// request being answered.
type planSlot struct {
	plan
	filled bool
}

type planSlotKey struct{}

func newPlans(r *Resolver) *plans {
	cache, _ := lru.New[planKey, plan](planCacheSize) // the sizes are positive: no error
	texts, _ := lru.New[uint64, struct{}](4 * planCacheSize)
	return &plans{r: r, cache: cache, texts: texts, seed: maphash.MakeSeed()}
}

// prepare tells whether a statement is worth preparing: when its text was
// run before. A request for another record or page is a new request, but
// often the same text with other parameters (jsontree binds record ids).
func (p *plans) prepare(ctx context.Context, text string) context.Context {
	h := maphash.String(p.seed, text)
	if seen, _ := p.texts.ContainsOrAdd(h, struct{}{}); seen {
		return db.WithPrepared(ctx)
	}
	return ctx
}

// key names a request. A GET carries its query in the URL, a POST in its
// body.
func (p *plans) key(ctx context.Context, req *http.Request, body []byte) planKey {
	h := sha256.New()
	h.Write([]byte(req.Method))
	h.Write([]byte{0})
	h.Write([]byte(req.Header.Get("Accept")))
	h.Write([]byte{0})
	if req.Method == http.MethodGet {
		h.Write([]byte(req.URL.RawQuery))
	} else {
		h.Write(body)
	}
	var k planKey
	h.Sum(k.request[:0])
	k.role, k.day = access.RoleFrom(ctx), p.r.today(nil)
	return k
}

// answer answers a request seen before from its statement, and tells
// whether it did. When the client's budget is spent or the statement fails,
// the request goes the long way, which says why or falls back to the
// resolvers.
func (p *plans) answer(ctx context.Context, w http.ResponseWriter, k planKey) bool {
	pl, ok := p.cache.Get(k)
	if !ok {
		return false
	}
	start := time.Now()
	if ratelimit.Spend(ctx, pl.cost) != nil {
		return false
	}
	// Asked a second time, likely to be asked again: prepared once per
	// connection, its plan kept.
	var buf *[]byte
	run := func(shared bool) ([]byte, error) {
		if shared {
			// Others wait on this run: it ends with the statement, or
			// when no answer could still be written, not with this
			// client; and its answer is theirs too, so it is not written
			// into a buffer given back for reuse.
			ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), sharedRunTimeout)
			defer cancel()
			return jsontree.AppendResponse(db.WithPrepared(ctx), p.r.Services.Reads, pl.statement, nil)
		}
		buf = answers.Get().(*[]byte)
		answer, err := jsontree.AppendResponse(db.WithPrepared(ctx), p.r.Services.Reads, pl.statement, (*buf)[:0])
		*buf = answer
		return answer, err
	}
	var answer []byte
	var err error
	shared := false
	if p.r.RunsApart {
		answer, err = run(false)
	} else {
		answer, err, shared = p.runs.Do(k, run)
	}
	if buf != nil {
		defer putAnswer(buf)
	}
	if err != nil {
		return false
	}
	h := w.Header()
	h.Set("Content-Type", pl.contentType)
	h.Set("Content-Length", strconv.Itoa(len(answer)))
	_, _ = w.Write(answer)
	if p.r.Observer != nil {
		by := AnsweredPlan
		if shared {
			by = AnsweredShared
		}
		p.r.Observer.ObserveOperation(pl.operation, by, "", time.Since(start))
	}
	return true
}

// answers keeps the buffers plans' answers are written in: a repeated
// request allocates nothing for its answer, which was two thirds of what
// such a request allocated, and so of the collector's work.
var answers = sync.Pool{New: func() any { return new([]byte) }}

// putAnswer gives a buffer back, unless an answer made it large: one rare
// big answer is not kept for every later small one.
func putAnswer(buf *[]byte) {
	if cap(*buf) <= 1<<20 {
		answers.Put(buf)
	}
}

// serve answers a request, from its plan when there is one, and remembers
// the plan of a request the compiled path answered.
func (p *plans) serve(w http.ResponseWriter, req *http.Request, body []byte, next func(http.ResponseWriter, *http.Request)) {
	if p.r.ResolversOnly {
		next(w, req)
		return
	}
	ctx := req.Context()
	k := p.key(ctx, req, body)
	if p.answer(ctx, w, k) {
		return
	}
	slot := &planSlot{}
	next(w, req.WithContext(context.WithValue(ctx, planSlotKey{}, slot)))
	if slot.filled && len(slot.statement.SQL) <= maxPlanBytes {
		slot.contentType = w.Header().Get("Content-Type")
		p.cache.Add(k, slot.plan)
	}
}

// rememberPlan gives the request's slot the statement that answered it.
func rememberPlan(ctx context.Context, statement jsontree.Statement, cost int) {
	if slot, ok := ctx.Value(planSlotKey{}).(*planSlot); ok {
		slot.statement, slot.cost, slot.filled = statement, cost, true
		slot.operation = operationName(graphql.GetOperationContext(ctx))
	}
}
