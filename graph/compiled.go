package graph

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"strconv"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/lianes-cooperation/lianes/graph/compile"
	"github.com/lianes-cooperation/lianes/graph/model"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/jsontree"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
)

// Queries the database can answer whole are compiled into one SQL statement
// (package compile) before the resolvers see them; the resolvers answer
// the others, and any compiled query that fails.

// compiledReads answers the queries it can compile, before the resolvers.
func compiledReads(r *Resolver, plans *plans, log *slog.Logger) graphql.OperationMiddleware {
	return func(ctx context.Context, next graphql.OperationHandler) graphql.ResponseHandler {
		if r.ResolversOnly {
			return next(ctx)
		}
		q, ok := compile.Compile(ctx, compileInputs{r}, graphql.GetOperationContext(ctx))
		if !ok {
			return next(ctx)
		}
		statement := jsontree.SQL(r.Services.Reads, q.Doc)
		data, err := jsontree.ReadSQL(plans.prepare(ctx, statement.SQL), r.Services.Reads, statement)
		if err != nil {
			// A bug of the compiler, or the database failing: the resolvers
			// answer, and tell the caller if the database is the cause. A
			// caller gone away is no one's fault and not logged.
			if ctx.Err() == nil {
				log.ErrorContext(ctx, "graphql: requête compilée en échec, réponse par les résolveurs", "err", err)
			}
			return next(ctx)
		}
		if q.Hidden {
			// Rare (a member asking for e-mails): answered the long way
			// each time, since a plan answers with data alone.
			errs, err := hiddenErrors(data)
			if err != nil {
				log.ErrorContext(ctx, "graphql: réponse compilée illisible, réponse par les résolveurs", "err", err)
				return next(ctx)
			}
			markCompiled(ctx)
			hidden := []byte(strconv.Quote(compile.HiddenMark))
			return graphql.OneShot(&graphql.Response{Errors: errs, Data: bytes.ReplaceAll(data, hidden, []byte("null"))})
		}
		markCompiled(ctx)
		rememberPlan(ctx, statement, CostOf(ctx))
		return graphql.OneShot(&graphql.Response{Data: data})
	}
}

// hiddenErrors says FORBIDDEN on each path where a compiled answer holds
// compile.HiddenMark, in the order of the answer, as the resolvers say it
// of each record that holds a field the caller may not see.
func hiddenErrors(data []byte) (gqlerror.List, error) {
	type level struct {
		object  bool
		key     string // in an object: the key of the value being read
		wantKey bool   // in an object: a key comes next, or its end
		index   int    // in an array: the position of the value being read
	}
	var errs gqlerror.List
	var stack []*level
	dec := json.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if err == io.EOF && len(stack) == 0 {
			return errs, nil
		}
		if err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		if err != nil {
			return nil, err
		}
		var top *level
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if d, ok := tok.(json.Delim); ok && (d == '}' || d == ']') {
			stack = stack[:len(stack)-1]
			if len(stack) > 0 && stack[len(stack)-1].object {
				stack[len(stack)-1].wantKey = true
			}
			continue
		}
		if top != nil && top.object && top.wantKey {
			top.key, top.wantKey = tok.(string), false
			continue
		}
		if top != nil && !top.object {
			top.index++
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &level{object: true, wantKey: true})
			continue
		case json.Delim('['):
			stack = append(stack, &level{index: -1})
			continue
		case compile.HiddenMark:
			path := make(ast.Path, 0, len(stack))
			for _, l := range stack {
				if l.object {
					path = append(path, ast.PathName(l.key))
				} else {
					path = append(path, ast.PathIndex(l.index))
				}
			}
			errs = append(errs, forbiddenError(path))
		}
		if top != nil && top.object {
			top.wantKey = true
		}
	}
}

// compileInputs gives the compiler the resolvers' own readings of ids,
// enums and input types.
type compileInputs struct{ r *Resolver }

func (in compileInputs) Services() *domain.Services { return in.r.Services }

func (in compileInputs) Today(on *period.Date) period.Date { return in.r.today(on) }

func (compileInputs) ParseID(id string) (string, int64, error) { return parseID(id) }

func (compileInputs) Code(enumValue string) string { return codeOf(enumValue) }

func (compileInputs) ProjectStatuses() map[string]model.ProjectStatus { return projectStatuses }

func (compileInputs) StructureList(f *model.StructureFilter, o *model.StructureOrder) (network.StructureFilter, listing.Order) {
	return structureFilter(f), structureOrder(o)
}

func (compileInputs) ProjectList(ctx context.Context, f *model.ProjectFilter, o *model.ProjectOrder) (project.Filter, listing.Order, error) {
	pf, err := projectFilter(ctx, f)
	return pf, projectOrder(o), err
}

func (in compileInputs) EventList(ctx context.Context, f *model.EventFilter, o *model.EventOrder) (event.Filter, listing.Order, error) {
	ef, err := in.r.eventFilter(ctx, f)
	if o == nil {
		return ef, listing.Order{}, err
	}
	return ef, order(strings.ToLower(string(o.Field)), o.Direction), err
}

func (compileInputs) CallList(filter *model.FundingCallFilter, o *model.FundingCallOrder) (fundingcall.Filter, listing.Order) {
	f := deref(filter)
	ff := fundingcall.Filter{Query: deref(f.Query), Audiences: f.Audiences, Themes: f.Themes, Countries: f.Countries,
		Territories: codesOf(f.Territories), Statuses: codesOf(f.Statuses), OpenOn: deref(f.OpenOn)}
	if o == nil {
		return ff, listing.Order{}
	}
	return ff, order(strings.ToLower(string(o.Field)), o.Direction)
}

func (compileInputs) PublicationList(filter *model.PublicationFilter) programme.PublicationFilter {
	f := deref(filter)
	return programme.PublicationFilter{Query: deref(f.Query), Kinds: codesOf(f.Kinds), Series: f.Series}
}
