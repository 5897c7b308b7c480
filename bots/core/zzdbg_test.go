package core_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

func TestZZTimes(t *testing.T) {
	url := os.Getenv("LIANES_BENCH_DATABASE_URL")
	if url == "" {
		t.Skip()
	}
	ctx := context.Background()
	bdb, err := db.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	bdb.AddQueryHook(&slowHook{t: t})
	brain := core.New(domain.New(bdb, demoClock), demoClock, "")
	qs := append([]string{}, benchQuestions...)
	if extra := os.Getenv("ZZ_Q"); extra != "" {
		qs = strings.Split(extra, "|")
	}
	for k, q := range qs {
		q = strings.TrimPrefix(q, "| ")
		var ds []time.Duration
		for round := 0; round < 3; round++ {
			start := time.Now()
			a, err := brain.Ask(ctx, core.Asker{Platform: "b", ID: "U", Role: access.Member, Thread: fmt.Sprint(round, k)}, q)
			if err != nil {
				t.Fatal(err)
			}
			if round == 0 {
				t.Logf("ANSWER %s %v relaxed=%v understood=%v items=%d", a.Title, a.Lines, a.Relaxed, a.Understood, len(a.Items))
			}
			ds = append(ds, time.Since(start))
		}
		sort.Slice(ds, func(i, j int) bool { return ds[i] < ds[j] })
		t.Logf("%8.1f ms  %s", float64(ds[1].Microseconds())/1000, q)
	}
}

type slowHook struct{ t *testing.T }

func (h *slowHook) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (h *slowHook) AfterQuery(_ context.Context, e *bun.QueryEvent) {
	if d := time.Since(e.StartTime); d > 30*time.Millisecond {
		h.t.Logf("SLOW %v %s", d, e.Query[:min(len(e.Query), 700)])
	}
}
