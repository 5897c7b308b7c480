package graph

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/99designs/gqlgen/complexity"
	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/ratelimit"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// What the server does for some fields, in the units of the complexity
// count (about one record read). The figures follow the measures of issue 14
// on the synthetic network of 10 000 structures (docs/security.md).
const (
	// pathCost is introductionPath, which loads the whole partnership
	// graph: 1.7 s on 10 000 structures (ten aliases took 7.7 to 19 s), so
	// two fit in a query at most.
	pathCost = 20_000
	// suggestionCost is suggestedPartners, which compares the structure
	// with every other: 8 to 9 s on 10 000 structures, so one fits in a
	// query, and five in an address's budget for the minute.
	suggestionCost = 45_000
	// matchingCost is Structure.matchingFundingCalls or matchingEvents:
	// the structure's profile read, then every candidate (the calls open,
	// the events to come) scored by the database: p50 14 to 24 ms for the
	// calls, 84 to 142 ms for the events (PostgreSQL, SQLite) on the
	// synthetic network of 100 000 structures (5 000 calls, 20 000 events
	// nearly all to come), on the shared machine (load average 8 to 10);
	// counted once per structure asked, on top of its page, so that a list of
	// structures asks for a few rankings at most.
	matchingCost = 1_500
	// termCost is one word of a text search: each is a lookup in the index
	// and a set of matches to intersect.
	termCost = 500
	// schemaCost is one reading of the whole schema (__schema): some
	// hundred kilobytes of answer.
	schemaCost = 2_000
	// typeCost is one reading of a type (__type).
	typeCost = 100
	// maxSchemaReads and maxTypeReads bound introspection in a request:
	// client libraries read the schema once.
	maxSchemaReads = 1
	maxTypeReads   = 20
	// maxExpandedFields bounds the fields of a query once its fragments are
	// expanded, so that fragments spread into fragments cannot make the
	// server walk billions of fields.
	maxExpandedFields = 20_000
)

// Bounds of a text search: each term is a lookup, and beyond a few words a
// question only costs more without finding better.
const (
	MaxQueryTerms = 20
	MaxQueryBytes = 500
)

// costedSchema prices each field by what it makes the server do: a list by
// the number of items it may return (first, last, the ids asked, or the
// default page), a text search by its words, a walk of the partnership graph
// by its measured cost. gqlgen's complexity walker asks it for every field.
type costedSchema struct {
	graphql.ExecutableSchema
	// paged are the fields ("Type.field") that return a page of items.
	paged map[string]bool
}

func newCostedSchema(es graphql.ExecutableSchema) costedSchema {
	c := costedSchema{ExecutableSchema: es, paged: map[string]bool{}}
	for _, t := range es.Schema().Types {
		for _, f := range t.Fields {
			if f.Arguments.ForName("first") != nil || f.Arguments.ForName("ids") != nil {
				c.paged[t.Name+"."+f.Name] = true
			}
		}
	}
	return c
}

// Complexity returns the cost of a field given what its children cost.
func (c costedSchema) Complexity(ctx context.Context, typeName, field string, child int, args map[string]any) (int, bool) {
	cost := 1
	key := typeName + "." + field
	switch key {
	case "Query.introductionPath":
		cost += pathCost
	case "Query.suggestedPartners":
		cost += suggestionCost
	case "Structure.matchingFundingCalls", "Structure.matchingEvents":
		cost += matchingCost
	}
	for _, text := range queryTexts(args) {
		cost += termCost * len(search.Words(text))
	}
	items := 1
	if c.paged[key] {
		items = listing.DefaultSize
		if ids, ok := args["ids"].([]any); ok {
			items = len(ids)
		} else if n, ok := intValue(args["first"]); ok {
			items = n
		} else if n, ok := intValue(args["last"]); ok {
			items = n
		}
		items = max(items, 1)
	}
	return saturatingAdd(cost, saturatingMul(child, items)), true
}

// queryTexts returns the text searches among a field's arguments: query, or
// a filter's query.
func queryTexts(args map[string]any) []string {
	var out []string
	if s, ok := args["query"].(string); ok {
		out = append(out, s)
	}
	if f, ok := args["filter"].(map[string]any); ok {
		if s, ok := f["query"].(string); ok {
			out = append(out, s)
		}
	}
	return out
}

func intValue(v any) (int, bool) {
	switch n := v.(type) {
	case int:
		return n, true
	case int64:
		return int(min(max(n, -1<<31), 1<<31)), true
	case float64:
		return int(min(max(n, -1<<31), 1<<31)), true
	case json.Number:
		i, err := n.Int64()
		return int(min(max(i, -1<<31), 1<<31)), err == nil
	}
	return 0, false
}

const maxInt = int(^uint(0) >> 1)

func saturatingAdd(a, b int) int {
	if a > maxInt-b {
		return maxInt
	}
	return a + b
}

func saturatingMul(a, b int) int {
	if a != 0 && b > maxInt/a {
		return maxInt
	}
	return a * b
}

// costLimit refuses a query that would cost more than max, more
// introspection than a client library needs, or a text search longer than
// the bounds; then it spends the query's cost from the client's budget for
// the minute (ratelimit.Spend), so that a client cannot send many queries
// just under the limit.
type costLimit struct {
	es  graphql.ExecutableSchema
	max int
}

func (costLimit) ExtensionName() string { return "CostLimit" }

func (costLimit) Validate(graphql.ExecutableSchema) error { return nil }

func (c costLimit) MutateOperationContext(ctx context.Context, opCtx *graphql.OperationContext) *gqlerror.Error {
	op := opCtx.Doc.Operations.ForName(opCtx.OperationName)
	if op == nil {
		return nil
	}
	if err := checkArguments(c.es.Schema(), op, opCtx.Doc.Fragments, opCtx.Variables); err != nil {
		return err
	}
	w := expansion{fragments: opCtx.Doc.Fragments, sizes: map[string]expanded{}}
	e := w.set(op.SelectionSet, true, 0)
	switch {
	case e.fields > maxExpandedFields:
		return costError(fmt.Sprintf("requête trop grande : %d champs une fois les fragments dépliés, limite %d", e.fields, maxExpandedFields))
	case e.schemas > maxSchemaReads:
		return costError(fmt.Sprintf("requête trop coûteuse : __schema lu %d fois, au plus %d fois par requête", e.schemas, maxSchemaReads))
	case e.types > maxTypeReads:
		return costError(fmt.Sprintf("requête trop coûteuse : __type lu %d fois, au plus %d fois par requête", e.types, maxTypeReads))
	}
	cost := complexity.Calculate(ctx, c.es, op, opCtx.Variables)
	cost = saturatingAdd(cost, e.schemas*schemaCost+e.types*typeCost)
	opCtx.Stats.SetExtension("CostLimit", cost)
	if cost > c.max {
		return costError(fmt.Sprintf("requête trop complexe : complexité %d, limite %d (demandez moins d'éléments par liste)", cost, c.max))
	}
	if err := ratelimit.Spend(ctx, cost); err != nil {
		var exceeded *ratelimit.ExceededError
		if errors.As(err, &exceeded) {
			return &gqlerror.Error{Message: exceeded.Error(),
				Extensions: map[string]any{"code": "RATE_LIMITED", "retryAfter": exceeded.RetryAfter}}
		}
		return &gqlerror.Error{Message: "erreur interne : l'équipe technique en a été avertie", Extensions: map[string]any{"code": CodeInternal}}
	}
	return nil
}

func costError(message string) *gqlerror.Error {
	return &gqlerror.Error{Message: message, Extensions: map[string]any{"code": "COMPLEXITY_LIMIT_EXCEEDED"}}
}

// CostOf returns what the cost limit counted for the operation in ctx, or 0.
func CostOf(ctx context.Context) int {
	opCtx := graphql.GetOperationContext(ctx)
	if opCtx == nil {
		return 0
	}
	n, _ := opCtx.Stats.GetExtension("CostLimit").(int)
	return n
}

// checkArguments refuses what no field may be given: a text search beyond
// MaxQueryBytes or MaxQueryTerms, a string holding a NUL character or
// invalid UTF-8, which the databases cannot store or compare (PostgreSQL
// refuses it, SQLite cuts the statement there), a text beyond its length
// and an enum value that is not one. Each is named by its
// argument. Every field written in the document is read once.
func checkArguments(schema *ast.Schema, op *ast.OperationDefinition, fragments ast.FragmentDefinitionList, vars map[string]any) *gqlerror.Error {
	var found *gqlerror.Error
	var visit func(ast.SelectionSet)
	visit = func(set ast.SelectionSet) {
		for _, sel := range set {
			if found != nil {
				return
			}
			switch s := sel.(type) {
			case *ast.Field:
				args := s.ArgumentMap(vars)
				for name, value := range args {
					if field, msg, ok := unreadable(name, value); !ok {
						found = &gqlerror.Error{Message: field + " : " + msg, Extensions: map[string]any{"code": CodeBadInput, "field": field}}
						return
					}
					if s.Definition == nil {
						continue
					}
					if def := s.Definition.Arguments.ForName(name); def != nil {
						if field, msg, ok := enumValues(schema, def.Type, name, value); !ok {
							found = &gqlerror.Error{Message: field + " : " + msg, Extensions: map[string]any{"code": CodeBadInput, "field": field}}
							return
						}
					}
				}
				for name, text := range map[string]any{"query": args["query"], "filter.query": filterQuery(args)} {
					t, ok := text.(string)
					if !ok {
						continue
					}
					if len(t) > MaxQueryBytes || len(search.Words(t)) > MaxQueryTerms {
						found = &gqlerror.Error{
							Message:    fmt.Sprintf("%s : recherche trop longue : au plus %d mots et %d caractères", name, MaxQueryTerms, MaxQueryBytes),
							Extensions: map[string]any{"code": CodeBadInput, "field": name},
						}
						return
					}
				}
				visit(s.SelectionSet)
			case *ast.InlineFragment:
				visit(s.SelectionSet)
			}
		}
	}
	visit(op.SelectionSet)
	for _, f := range fragments {
		visit(f.SelectionSet)
	}
	return found
}

// enumValues checks the enum values inside an argument's value, input
// objects and lists included: gqlgen reads those only when the field runs,
// and the compiled reads not the same way, so a value that is not one
// (« webinaire » for WEBINAIRE) is refused here, before either.
func enumValues(schema *ast.Schema, typ *ast.Type, path string, value any) (field, msg string, ok bool) {
	if value == nil || typ == nil {
		return "", "", true
	}
	if typ.Elem != nil {
		rv := reflect.ValueOf(value)
		if rv.Kind() != reflect.Slice {
			return enumValues(schema, typ.Elem, path, value) // a single value stands for a list of one
		}
		for i := range rv.Len() {
			if field, msg, ok := enumValues(schema, typ.Elem, fmt.Sprintf("%s[%d]", path, i), rv.Index(i).Interface()); !ok {
				return field, msg, false
			}
		}
		return "", "", true
	}
	def := schema.Types[typ.NamedType]
	if def == nil {
		return "", "", true
	}
	switch def.Kind {
	case ast.Enum:
		v, isString := value.(string)
		if !isString || def.EnumValues.ForName(v) != nil {
			return "", "", true
		}
		msg := fmt.Sprintf("« %s » n'est pas une valeur de %s", v, def.Name)
		if def.EnumValues.ForName(strings.ToUpper(v)) != nil {
			msg += fmt.Sprintf(" (les valeurs s'écrivent en majuscules : %s)", strings.ToUpper(v))
		}
		return path, msg, false
	case ast.InputObject:
		fields, isMap := value.(map[string]any)
		if !isMap {
			return "", "", true
		}
		for name, item := range fields {
			if f := def.Fields.ForName(name); f != nil {
				if field, msg, ok := enumValues(schema, f.Type, path+"."+name, item); !ok {
					return field, msg, false
				}
			}
		}
	}
	return "", "", true
}

// Length limits of the arguments that no record's checks cover; the
// records' fields have theirs in internal/changes.
const (
	maxChannel          = 100   // a Slack or Discord channel id, or a channel's name
	maxAnnouncementText = 2_000 // what one Discord message holds
	maxAnyText          = 10_000
)

// unreadable finds, in an argument's value, a string that holds a NUL, is
// not valid UTF-8 or is longer than its limit, and returns its path
// ("input.partners[1]") and what is wrong; ok is true when there is none.
func unreadable(path string, value any) (field, msg string, ok bool) {
	switch v := value.(type) {
	case string:
		if !utf8.ValidString(v) || strings.ContainsRune(v, 0) {
			return path, "caractère nul ou texte qui n'est pas de l'UTF-8 valide", false
		}
		limit := maxAnyText
		switch last := path[strings.LastIndex(path, ".")+1:]; {
		case last == "channel" || strings.HasPrefix(last, "channel["):
			limit = maxChannel
		case last == "text":
			limit = maxAnnouncementText
		}
		if n := utf8.RuneCountInString(v); n > limit {
			return path, fmt.Sprintf("trop long : %d caractères, au plus %d", n, limit), false
		}
	case map[string]any:
		// In the keys' order, so that the field named is the same at
		// every call (the map's order is random).
		for _, k := range slices.Sorted(maps.Keys(v)) {
			if field, msg, ok := unreadable(path+"."+k, v[k]); !ok {
				return field, msg, false
			}
		}
	default:
		// Lists come as []any from JSON, or typed ([]string) once gqlgen's
		// validator has coerced a variable.
		if rv := reflect.ValueOf(value); rv.Kind() == reflect.Slice {
			for i := range rv.Len() {
				if field, msg, ok := unreadable(fmt.Sprintf("%s[%d]", path, i), rv.Index(i).Interface()); !ok {
					return field, msg, false
				}
			}
		}
	}
	return "", "", true
}

func filterQuery(args map[string]any) any {
	if f, ok := args["filter"].(map[string]any); ok {
		return f["query"]
	}
	return nil
}

// expanded is what a selection set holds once its fragments are expanded.
type expanded struct {
	fields, schemas, types int
}

func (e expanded) add(o expanded) expanded {
	return expanded{saturatingAdd(e.fields, o.fields), saturatingAdd(e.schemas, o.schemas), saturatingAdd(e.types, o.types)}
}

// expansion counts what selection sets hold, each fragment counted once and
// remembered, so that the count is linear in the document's size.
type expansion struct {
	fragments ast.FragmentDefinitionList
	sizes     map[string]expanded
}

func (w expansion) set(set ast.SelectionSet, root bool, depth int) expanded {
	var e expanded
	if depth > 64 { // a fragment cycle is refused by validation; this only stops recursion
		return e
	}
	for _, sel := range set {
		switch s := sel.(type) {
		case *ast.Field:
			e.fields = saturatingAdd(e.fields, 1)
			if root && s.Name == "__schema" {
				e.schemas++
			}
			if root && s.Name == "__type" {
				e.types++
			}
			e = e.add(w.set(s.SelectionSet, false, depth+1))
		case *ast.InlineFragment:
			e = e.add(w.set(s.SelectionSet, root, depth+1))
		case *ast.FragmentSpread:
			key := fmt.Sprintf("%s/%t", s.Name, root)
			size, ok := w.sizes[key]
			if !ok {
				if f := w.fragments.ForName(s.Name); f != nil {
					size = w.set(f.SelectionSet, root, depth+1)
				}
				w.sizes[key] = size
			}
			e = e.add(size)
		}
	}
	return e
}
