package core

import (
	"context"
	"fmt"
	"sort"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/search"
)

// The titles of the programme's records (events, calls, trainings,
// publications: hundreds in a network, tens of thousands at most) are held
// in memory with the vocabulary, so that a record named by its whole title
// ("la commission eau et assainissement", "groupe haiti") is found without
// grouping the search index's rows of words as common as "appel" or "eau".

// titled is one record and the search terms of its title.
type titled struct {
	kind  string
	id    int64
	terms []string
}

// titleIndex finds the records whose every title term is in a question.
type titleIndex struct {
	records []titled
	// byTerm lists, for each term, the records whose rarest term it is.
	byTerm map[string][]int
}

// titleSources are the records read, with their kind.
var titleSources = []struct{ kind, table, id, title string }{
	{search.KindEvent, "events", "id", "title"},
	{search.KindFundingCall, "funding_calls", "id", "title"},
	{search.KindTraining, "training_cycles", "id", "title"},
	{search.KindPublication, "publications", "id", "title"},
}

func loadTitles(ctx context.Context, idb bun.IDB) (titleIndex, error) {
	idx := titleIndex{byTerm: map[string][]int{}}
	freq := map[string]int{}
	for _, src := range titleSources {
		var rows []struct {
			ID    int64  `bun:"id"`
			Title string `bun:"title"`
		}
		if err := idb.NewSelect().TableExpr(src.table).ColumnExpr(src.id+" AS id, "+src.title+" AS title").
			Scan(ctx, &rows); err != nil {
			return titleIndex{}, fmt.Errorf("brain: titles: %w", err)
		}
		for _, r := range rows {
			terms := search.Terms(r.Title)
			if len(terms) == 0 {
				continue
			}
			for _, t := range terms {
				freq[t]++
			}
			idx.records = append(idx.records, titled{kind: src.kind, id: r.ID, terms: terms})
		}
	}
	for i, r := range idx.records {
		rarest := r.terms[0]
		for _, t := range r.terms[1:] {
			if freq[t] < freq[rarest] {
				rarest = t
			}
		}
		idx.byTerm[rarest] = append(idx.byTerm[rarest], i)
	}
	return idx, nil
}

// covered returns the records of the kinds whose title terms are all among
// the terms asked, the longest titles first (the most specific), then by
// kind and id.
func (idx titleIndex) covered(asked map[string]bool, kinds []string) []titled {
	allowed := map[string]bool{}
	for _, k := range kinds {
		allowed[k] = true
	}
	var out []titled
	for t := range asked {
		for _, i := range idx.byTerm[t] {
			r := idx.records[i]
			if !allowed[r.kind] {
				continue
			}
			all := true
			for _, rt := range r.terms {
				all = all && asked[rt]
			}
			if all {
				out = append(out, r)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if len(out[i].terms) != len(out[j].terms) {
			return len(out[i].terms) > len(out[j].terms)
		}
		if out[i].kind != out[j].kind {
			return out[i].kind < out[j].kind
		}
		return out[i].id < out[j].id
	})
	return out
}
