package core_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

func TestDbgTimes(t *testing.T) {
	ctx := context.Background()
	bdb := dbtest.Open(t, "sqlite")
	if _, err := dataset.SeedSynthetic(ctx, bdb, 10000, time.Now()); err != nil {
		t.Fatal(err)
	}
	brain := core.New(domain.New(bdb, demoClock), demoClock, "")
	for round := 0; round < 2; round++ {
		for k, q := range benchQuestions {
			q = strings.TrimPrefix(q, "| ")
			start := time.Now()
			_, err := brain.Ask(ctx, core.Asker{Platform: "b", ID: "U", Role: access.Member, Thread: fmt.Sprint(round, k)}, q)
			if err != nil {
				t.Fatal(err)
			}
			if round == 1 {
				t.Logf("%8.1f ms  %s", float64(time.Since(start).Microseconds())/1000, q)
			}
		}
	}
}
