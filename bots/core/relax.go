package core

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/search"
)

// A question's criteria are weighed, not all required: when no record meets
// every one, the answer lists those that meet the most and says which
// criterion it let go ("aucun appel sur l'eau au Burkina ; voici les appels
// ouverts aux associations"). What the asker said of themselves (an
// audience, a named funder) is kept longest; a date is never let go.

// criterion is one understood criterion of a request.
type criterion struct {
	name   string // "thème", "pays"… for the explanation
	weight int
	clear  func(*request)
	// silent criteria (the words of a record's title) are let go first and
	// without a word: they were a guess.
	silent bool
}

func criteriaOf(r request) []criterion {
	var out []criterion
	add := func(n int, name string, weight int, clear func(*request)) {
		if n > 0 {
			out = append(out, criterion{name: name, weight: weight, clear: clear})
		}
	}
	add(len(r.programmes), "financeur", 6, func(r *request) { r.programmes = nil })
	add(len(r.audiences)+len(r.actorTypes), "public", 5, func(r *request) { r.audiences, r.actorTypes = nil, nil })
	// Members say "webinaire" of any meeting: the kind goes before the place or
	// the theme ("le webinaire sur l'électrification au Bénin" is a working group).
	add(len(r.kinds), "type", 1, func(r *request) { r.kinds = nil })
	add(len(r.themes), "thème", 3, func(r *request) { r.themes = nil })
	add(len(r.countries), "pays", 2, func(r *request) { r.countries = nil })
	add(len(r.formats), "format", 2, func(r *request) { r.formats = nil })
	add(len(r.departments)+len(r.communes), "lieu", 2, func(r *request) { r.departments, r.communes, r.places = nil, nil, nil })
	add(len(r.territories), "territoire", 1, func(r *request) { r.territories = nil })
	if r.titleWords != "" {
		out = append(out, criterion{name: "titre", weight: 0, silent: true, clear: func(r *request) { r.titleWords = "" }})
	}
	return out
}

// relaxations are the requests to try when r finds nothing: r with some
// criteria let go, those keeping the most weight first, at most limit.
func relaxations(r request, limit int) []relaxed {
	crit := criteriaOf(r)
	n := len(crit)
	if n == 0 || n > 10 {
		return nil
	}
	var out []relaxed
	for mask := 1; mask < 1<<n; mask++ { // mask: the criteria let go
		rr := r
		kept, keptCount := 0, 0
		var dropped []string
		for i, c := range crit {
			if mask&(1<<i) != 0 {
				c.clear(&rr)
				if !c.silent {
					dropped = append(dropped, c.name)
				}
			} else {
				kept += c.weight
				keptCount++
			}
		}
		out = append(out, relaxed{r: rr, dropped: dropped, kept: kept, keptCount: keptCount})
	}
	// The records meeting the most criteria first; among as many, the
	// weightiest criteria kept.
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].keptCount != out[j].keptCount {
			return out[i].keptCount > out[j].keptCount
		}
		return out[i].kept > out[j].kept
	})
	if len(out) > limit {
		out = out[:limit]
	}
	return out
}

// relaxed is a request with some criteria let go.
type relaxed struct {
	r         request
	dropped   []string
	kept      int
	keptCount int
}

// titleQuery returns the words of a question that no vocabulary knows when
// they name records of kind by their titles ("le forum 1% solidaires", "les
// projets de la MEL"), or "": other unknown words are chat, not a filter.
func (b *Brain) titleQuery(ctx context.Context, r request, kind string) (string, error) {
	if len(r.extra) == 0 {
		return "", nil
	}
	q := strings.Join(r.extra, " ")
	terms := search.Terms(q)
	if len(terms) == 0 {
		return "", nil
	}
	// Only records holding every word count; a word in more than
	// maxTitleRecords records of the kind is chat, not a title.
	hits, err := search.Every(ctx, b.Services.DB, q, 1, 1, maxTitleRecords, kind)
	if err != nil || len(hits) == 0 {
		return "", err
	}
	// Every word in a title, or several words all in one record's text.
	if h := hits[0]; h.Score >= nameWeight*h.Matched || len(terms) >= 2 {
		return q, nil
	}
	return "", nil
}

// maxTitleRecords bounds the records read to decide whether words name
// records by their titles.
const maxTitleRecords = 1000

// nameWeight is the weight of a word of a record's name in the search index.
const nameWeight = 8

// relaxedLine says what was let go, none being "Aucun appel ouvert" or
// "Aucune structure connue": "Aucun appel ouvert sur le thème Eau,
// pays : Burkina Faso ; voici les appels ouverts pour les associations."
func relaxedLine(none, many string, full, kept request, v vocabulary, dropped []string) string {
	if len(dropped) == 0 {
		return ""
	}
	return none + describe(full, v) + " ; voici les " + many + describe(kept, v) + "."
}

// shape says how a list's records are selected in SQL: what the probe needs
// to weigh every criterion in one statement.
type shape struct {
	table, id, kind string
	// conds are the list service's conditions for a request, its texts the
	// request's text criteria, each looked up in the search index.
	conds func(request) []string
	texts func(request) []string
}

// where is a request's selection as SQL conditions.
func (b *Brain) where(ctx context.Context, s shape, r request) ([]string, error) {
	conds := s.conds(r)
	for _, text := range s.texts(r) {
		if strings.TrimSpace(text) == "" {
			continue
		}
		hits, err := search.LookupAll(ctx, b.Services.DB, text, s.kind)
		if err != nil {
			return nil, err
		}
		if len(hits) == 0 {
			conds = append(conds, "1 = 0")
			continue
		}
		conds = append(conds, b.Services.DB.QueryGen().FormatQuery(s.id+" IN (?)", bun.List(search.IDs(hits))))
	}
	return conds, nil
}

// exists says whether some record meets every criterion of r: a check that
// stops at the first record, where a list walking its order would read them
// all to find that none does.
func (b *Brain) exists(ctx context.Context, s shape, r request) (bool, error) {
	conds, err := b.where(ctx, s, r)
	if err != nil {
		return false, err
	}
	q := b.Services.DB.NewSelect().TableExpr(s.table).ColumnExpr("1").Limit(1)
	for _, c := range conds {
		q = q.Where("?", bun.Safe(c))
	}
	var found []int
	if err := q.Scan(ctx, &found); err != nil {
		return false, fmt.Errorf("brain: exists: %w", err)
	}
	return len(found) > 0, nil
}

// few returns the ids of the records meeting r when there are at most
// limit of them, read in no order: a list of few matches is then ordered
// among them, where walking the list's order would read every record to
// find them. False when there are more.
func (b *Brain) few(ctx context.Context, s shape, r request, limit int) ([]int64, bool, error) {
	conds, err := b.where(ctx, s, r)
	if err != nil {
		return nil, false, err
	}
	q := b.Services.DB.NewSelect().TableExpr(s.table).ColumnExpr(s.id).Limit(int64(limit) + 1)
	for _, c := range conds {
		q = q.Where("?", bun.Safe(c))
	}
	var ids []int64
	if err := q.Scan(ctx, &ids); err != nil {
		return nil, false, fmt.Errorf("brain: few: %w", err)
	}
	return ids, len(ids) <= limit, nil
}

// probe finds the first relaxation of r, in the order of relaxations, that
// some record meets: one existence check each, which stops at the first
// record found, rather than a page of each list.
func (b *Brain) probe(ctx context.Context, r request, s shape, minKept int) (relaxed, bool, error) {
	for _, rx := range relaxations(r, 16) {
		if rx.keptCount < minKept {
			continue
		}
		found, err := b.exists(ctx, s, rx.r)
		if err != nil {
			return relaxed{}, false, err
		}
		if found {
			return rx, true, nil
		}
	}
	return relaxed{}, false, nil
}
