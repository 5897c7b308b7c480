package core_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// statements counts the SQL statements of the questions.
type statements struct{ n int64 }

func (s *statements) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (s *statements) AfterQuery(context.Context, *bun.QueryEvent)                        { s.n++ }

// benchQuestions are the shapes members send: short questions, long
// messages with context, criteria to relax, names, out-of-scope questions
// and follow-ups in a conversation (the ones after a "|" are asked in the
// same thread as the question before them).
var benchQuestions = []string{
	"Quels appels à projets pour les assos sur l'eau ?", "c'est quand le prochain webinaire erasmus",
	"qui travaille au Sénégal ?", "| et au Burkina ?", "combien de structures dans l'Oise ?", "cherche forage",
	"projets sur l'énergie", "agenda", "| la suite", "quelles assos dans la Somme ?",
	"Bonjour, nous sommes une petite asso de Beauvais qui travaille au Burkina sur l'eau, y a-t-il des financements ?",
	"tu connais l'asso ca vient du coeur ?", "Quelle est la météo à Lille demain ?", "c koi les aap dispo stp",
	"une entreprise du Pas-de-Calais qui travaille au Maroc ?", "formations ou webinaires sur l'eau ?",
}

// BenchmarkAsk measures a mix of questions over a synthetic network:
// LIANES_BENCH_DATABASE_URL names a database seeded with `lianes seed
// --synthetic N`, or a fresh SQLite one of LIANES_BENCH_N structures (10 000)
// is seeded. It reports p50 and p99 answer times and statements per question.
func BenchmarkAsk(b *testing.B) {
	ctx := context.Background()
	var bdb *bun.DB
	if url := os.Getenv("LIANES_BENCH_DATABASE_URL"); url != "" {
		var err error
		if bdb, err = db.Open(ctx, url); err != nil {
			b.Fatal(err)
		}
		defer bdb.Close()
	} else {
		bdb = dbtest.Open(b, "sqlite")
		n := 10_000
		if v := os.Getenv("LIANES_BENCH_N"); v != "" {
			n = 0
			for _, r := range v {
				n = n*10 + int(r-'0')
			}
		}
		if _, err := dataset.SeedSynthetic(ctx, bdb, n, time.Now()); err != nil {
			b.Fatal(err)
		}
	}
	counter := &statements{}
	bdb.AddQueryHook(counter)
	brain := core.New(domain.New(bdb, demoClock), demoClock, "")
	// Every question is asked in a conversation, as in chat; a follow-up in
	// the one of the question before it.
	ask := func(i int) error {
		k := i % len(benchQuestions)
		q := benchQuestions[k]
		if followUp, ok := strings.CutPrefix(q, "| "); ok {
			q, k = followUp, k-1
		}
		asker := core.Asker{Platform: "bench", ID: "U1", Role: access.Member, Thread: fmt.Sprintf("%d-%d", i/len(benchQuestions), k)}
		_, err := brain.Ask(ctx, asker, q)
		return err
	}
	for i := range benchQuestions { // warm the vocabulary cache
		if err := ask(i); err != nil {
			b.Fatal(err)
		}
	}
	counter.n = 0
	latencies := make([]time.Duration, 0, b.N)
	b.ResetTimer()
	for i := range b.N {
		start := time.Now()
		if err := ask(i); err != nil {
			b.Fatal(err)
		}
		latencies = append(latencies, time.Since(start))
	}
	b.StopTimer()
	slices.Sort(latencies)
	b.ReportMetric(float64(counter.n)/float64(b.N), "sql/op")
	b.ReportMetric(float64(latencies[len(latencies)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(latencies[min(len(latencies)-1, len(latencies)*99/100)].Microseconds())/1000, "p99-ms")
}
