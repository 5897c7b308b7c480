// Package compile answers a GraphQL query over the lianes schema with one
// SQL statement. A query made only of fields the database can write as they
// are shown is compiled into one statement that writes the whole answer as JSON
// (internal/jsontree), instead of loading every record and encoding it field
// by field: the database does in one pass what the resolvers do in thousands
// of small steps. What each type's fields are in storage is declared once
// per type (schema.go); compile.go walks a query through those
// declarations. Anything else (the observatory, a chain of introductions,
// the staff's own lists) goes through the resolvers, and so does a
// compiled query that fails: both paths give the same answer,
// which compiled_test checks byte for byte on both databases and for every
// role. Access is decided before the SQL is built: which contacts and
// sessions a role sees is the relation's condition, the same the services
// use; a field a role may not see (a contact's e-mail below the staff) is
// written as a mark (HiddenMark) that the caller turns into null and FORBIDDEN
// on each path where the answer holds it.
package compile

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/uptrace/bun"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/lianes-cooperation/lianes/graph/model"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/jsontree"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/search"
	"github.com/lianes-cooperation/lianes/internal/support"
)

// Inputs is what the compiler takes from the GraphQL layer: the services,
// the day, and the readings of ids, enums and input types that the
// resolvers use too, so that both paths read a query's arguments the same
// way.
type Inputs interface {
	Services() *domain.Services
	// Today is the day a date argument stands for: the given one, or the
	// service's clock's.
	Today(on *period.Date) period.Date
	// ParseID reads a global id ("Structure:12").
	ParseID(id string) (typ string, n int64, err error)
	// Code is the stored code of an enum value.
	Code(enumValue string) string
	// ProjectStatuses maps stored project statuses to enum values.
	ProjectStatuses() map[string]model.ProjectStatus
	StructureList(*model.StructureFilter, *model.StructureOrder) (network.StructureFilter, listing.Order)
	ProjectList(context.Context, *model.ProjectFilter, *model.ProjectOrder) (project.Filter, listing.Order, error)
	EventList(context.Context, *model.EventFilter, *model.EventOrder) (event.Filter, listing.Order, error)
	CallList(*model.FundingCallFilter, *model.FundingCallOrder) (fundingcall.Filter, listing.Order)
	PublicationList(*model.PublicationFilter) programme.PublicationFilter
}

// Paging reads the Relay paging arguments of a field.
func Paging(args map[string]any) listing.Args {
	return listing.Args{First: intArg(args, "first"), After: strArg(args, "after"), Last: intArg(args, "last"), Before: strArg(args, "before")}
}

func intArg(m map[string]any, name string) *int {
	switch v := m[name].(type) {
	case int64:
		n := int(v)
		return &n
	case int:
		return &v
	}
	return nil
}

func strArg(m map[string]any, name string) *string {
	if v, ok := m[name].(string); ok {
		return &v
	}
	return nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// errWrongType is a global id of another type than the one asked: the
// resolvers name it.
var errWrongType = errors.New("compile: id of another type")

// parseIDOf reads a global id that must be of type typ.
func (c *compiler) parseIDOf(typ, id string) (int64, error) {
	got, n, err := c.in.ParseID(id)
	if err == nil && got != typ {
		return 0, errWrongType
	}
	return n, err
}

// compiler turns a query's selections into a JSON tree, or gives up.
type compiler struct {
	ctx      context.Context
	in       Inputs
	services *domain.Services
	idb      bun.IDB
	op       *graphql.OperationContext
	ok       bool
	hidden   bool // the answer holds fields the caller may not see
}

// Query is a compiled query: the JSON tree of its answer, and whether it
// holds fields the caller may not see, each written as the string HiddenMark.
type Query struct {
	Doc    jsontree.Object
	Hidden bool
}

// HiddenMark is what a compiled answer holds in place of a field the caller may
// not see, so that the caller can be told FORBIDDEN on its path and given
// null instead. It is drawn at random when the process starts: no data
// holds it by chance, nor can a client store it to forge an error.
var HiddenMark = func() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // never fails (crypto/rand)
	return "interdit:" + hex.EncodeToString(b[:])
}()

// Compile returns the JSON tree that answers a query, or false when the
// query is not made only of what the declarations describe.
func Compile(ctx context.Context, in Inputs, op *graphql.OperationContext) (Query, bool) {
	if op == nil || op.Operation == nil || op.Operation.Operation != ast.Query {
		return Query{}, false
	}
	s := in.Services()
	c := &compiler{ctx: ctx, in: in, services: s, idb: s.Reads, op: op, ok: true}
	var doc jsontree.Object
	for _, f := range c.collect(op.Operation.SelectionSet, "Query") {
		doc = append(doc, jsontree.Field{Key: f.Alias, Value: c.root(f)})
	}
	return Query{Doc: doc, Hidden: c.hidden}, c.ok && len(doc) > 0
}

// hide writes a field the caller may not see as HiddenMark.
func (c *compiler) hide() jsontree.Value {
	c.hidden = true
	return jsontree.String(HiddenMark)
}

// fail gives up on the query; the value returned is never used.
func (c *compiler) fail() jsontree.Value {
	c.ok = false
	return jsontree.String("")
}

func (c *compiler) collect(set ast.SelectionSet, typ string, also ...string) []graphql.CollectedField {
	fields := graphql.CollectFields(c.op, set, append([]string{typ}, also...))
	// PostgreSQL takes at most 100 arguments in a function call: 50 keys.
	if len(fields) > 50 {
		c.ok = false
	}
	for _, f := range fields {
		if len(f.Deferrables) > 0 {
			c.ok = false // @defer: the resolvers deliver in parts
		}
	}
	return fields
}

func (c *compiler) root(f graphql.CollectedField) jsontree.Value {
	args := f.ArgumentMap(c.op.Variables)
	switch f.Name {
	case "__typename":
		return jsontree.String("Query")
	case "structures":
		var filter *model.StructureFilter
		var orderBy *model.StructureOrder
		if !decode(args["filter"], &filter) || !decode(args["orderBy"], &orderBy) {
			return c.fail()
		}
		sf, o := c.in.StructureList(filter, orderBy)
		return c.list(f, args, "Structure", search.KindStructure, sf.Query, o, true,
			func(o listing.Order) string { return network.ListOrder(c.idb, o) }, c.services.Network.Conditions(sf))
	case "projects":
		var filter *model.ProjectFilter
		var orderBy *model.ProjectOrder
		if !decode(args["filter"], &filter) || !decode(args["orderBy"], &orderBy) {
			return c.fail()
		}
		pf, o, err := c.in.ProjectList(c.ctx, filter, orderBy)
		if err != nil {
			return c.fail() // the resolvers name the wrong id
		}
		return c.list(f, args, "Project", search.KindProject, pf.Query, o, true,
			func(o listing.Order) string { return project.ListOrder(c.idb, o) }, c.services.Projects.Conditions(pf))
	case "events", "upcomingEvents":
		return c.events(f, args)
	case "fundingCalls", "openFundingCalls":
		return c.fundingCalls(f, args)
	case "themes", "countries", "audiences", "actorTypes", "departments":
		return c.referenceList(f)
	case "trainings":
		return c.page(f, args, "TrainingCycle", listing.Relation{From: "training_cycles AS tc", Child: "tc.id", Order: programme.TrainingOrder})
	case "censusCampaigns":
		return c.page(f, args, "CensusCampaign", listing.Relation{From: "census_campaigns AS cc", Child: "cc.id", Order: programme.CensusOrder})
	case "programmeActions":
		return c.page(f, args, "ProgrammeAction", listing.Relation{From: "programme_actions AS pac", Child: "pac.id", Order: programme.ActionOrder})
	case "publications":
		var filter *model.PublicationFilter
		if !decode(args["filter"], &filter) {
			return c.fail()
		}
		text := deref(deref(filter).Query)
		if strings.TrimSpace(text) != "" && len(search.Terms(text)) == 0 {
			return c.fail() // a text of no term finds nothing there, where Ranking would keep everything
		}
		where := c.services.Programme.PublicationConditions(c.in.PublicationList(filter))
		return c.list(f, args, "Publication", search.KindPublication, text, listing.Order{}, false,
			func(listing.Order) string { return programme.PublicationOrder }, where)
	case "supportSessions":
		return c.supportSessions(f, args)
	case "contacts": // those the caller may see, as nested under a structure
		text, _ := args["query"].(string)
		if strings.TrimSpace(text) != "" && len(search.Terms(text)) == 0 {
			return c.fail() // a text of no term finds nothing there, where Ranking would keep everything
		}
		rel := network.ContactRelation(c.ctx, c.idb)
		var conds []string
		if rel.Where != "" {
			conds = append(conds, rel.Where)
		}
		return c.list(f, args, "Contact", search.KindContact, text, listing.Order{}, false,
			func(listing.Order) string { return rel.Order }, conds)
	case "search":
		return c.search(f, args)
	case "partnerships":
		kind, _ := args["kind"].(string)
		return c.page(f, args, "Partnership", listing.Relation{From: "partnerships AS pa", Child: "pa.id",
			Order: network.PartnershipOrder, Where: strings.Join(network.PartnershipConditions(kind), " AND ")})
	case "structure", "project", "event", "fundingCall":
		typ := map[string]string{"structure": "Structure", "project": "Project", "event": "Event", "fundingCall": "FundingCall"}[f.Name]
		s, _ := args["id"].(string)
		id, err := c.parseIDOf(typ, s)
		if err != nil {
			return c.fail() // the resolver says what is wrong with it
		}
		return jsontree.Record{Table: stored(typ).table, ID: id, Value: c.object(typ, f.Selections)}
	case "node":
		s, _ := args["id"].(string)
		return c.node(s, f.Selections)
	case "nodes":
		ids, _ := args["ids"].([]any)
		if len(ids) > listing.MaxSize {
			return c.fail()
		}
		nodes := make(jsontree.Array, len(ids))
		for i, id := range ids {
			s, _ := id.(string)
			nodes[i] = c.node(s, f.Selections)
		}
		return nodes
	}
	return c.fail()
}

// node compiles a record found by its global id, when it is of a compiled
// type.
func (c *compiler) node(id string, set ast.SelectionSet) jsontree.Value {
	typ, n, err := c.in.ParseID(id)
	if err != nil || !isNode(typ) {
		return c.fail()
	}
	k := stored(typ)
	var cond string
	if k.visible != nil {
		var some bool
		if cond, some = k.visible(c.ctx); !some {
			return jsontree.Expr{SQL: "NULL"} // as for a record that does not exist
		}
	}
	return jsontree.Record{Table: k.table, ID: n, Where: cond, Value: c.object(typ, set)}
}

// object compiles the selection of one record of type typ.
func (c *compiler) object(typ string, set ast.SelectionSet) jsontree.Value {
	k := stored(typ)
	return c.fields(set, typ, func(f graphql.CollectedField) jsontree.Value {
		if col, ok := k.columns[f.Name]; ok {
			return jsontree.Column(col)
		}
		if l, ok := k.links[f.Name]; ok {
			return l(c, f, f.ArgumentMap(c.op.Variables))
		}
		if f.Name == "id" && k.node {
			return jsontree.Prefixed{Prefix: typ + ":", Column: "id"}
		}
		return c.fail()
	}, "Node")
}

// all compiles every record of type typ a relation links to the current
// one, as a list.
func (c *compiler) all(typ string, rel listing.Relation, f graphql.CollectedField) jsontree.Value {
	k := stored(typ)
	return &jsontree.Page{Table: k.table, Alias: k.alias, Key: k.key, Limit: -1, Relation: rel,
		Shape: jsontree.Items{Value: c.object(typ, f.Selections)}}
}

// fields compiles the selection of an object of type typ, fragments on its
// interfaces included, each field but __typename by field.
func (c *compiler) fields(set ast.SelectionSet, typ string, field func(graphql.CollectedField) jsontree.Value, interfaces ...string) jsontree.Value {
	var obj jsontree.Object
	for _, f := range c.collect(set, typ, interfaces...) {
		var v jsontree.Value = jsontree.String(typ)
		if f.Name != "__typename" {
			v = field(f)
		}
		obj = append(obj, jsontree.Field{Key: f.Alias, Value: v})
	}
	return obj
}

// linkRelation is a link table as a relation (alias l), by value.
func (c *compiler) linkRelation(l db.Link) listing.Relation {
	return listing.Relation{From: l.Table + " AS l", Parent: "l." + l.Owner, Child: "l." + l.Value, Order: db.Bytewise(c.idb, "l."+l.Value)}
}

// page compiles a connection of records of type typ.
func (c *compiler) page(f graphql.CollectedField, args map[string]any, typ string, rel listing.Relation) jsontree.Value {
	return c.connection(f, args, typ, typ, rel)
}

// connection compiles a connection of records of type typ, named conn
// (conn+"Connection", conn+"Edge").
func (c *compiler) connection(f graphql.CollectedField, args map[string]any, typ, conn string, rel listing.Relation) jsontree.Value {
	rec := stored(typ)
	p := &jsontree.Page{Table: rec.table, Alias: rec.alias, Relation: rel}
	paging := Paging(args)
	var ok bool
	if p.Offset, p.Limit, ok = paging.Forward(); !ok {
		// From the end (last, before): cut where the list's length says.
		if _, _, err := paging.WindowSQL(c.idb, "0"); err != nil {
			return c.fail() // the resolvers name what is wrong
		}
		p.Window = func(total string) (string, string) {
			from, to, _ := paging.WindowSQL(c.idb, total)
			return from, to
		}
		if paging.AtTheEnd() {
			p.FromEnd, _ = listing.Reverse(rel.Order) // used at the top of the document only
		}
	}
	p.Shape = c.fields(f.Selections, conn+"Connection", func(f graphql.CollectedField) jsontree.Value {
		switch f.Name {
		case "nodes":
			return jsontree.Items{Value: c.object(typ, f.Selections)}
		case "edges":
			return jsontree.Items{Value: c.edge(typ, conn, f.Selections)}
		case "totalCount":
			return jsontree.Count{}
		case "pageInfo":
			return c.pageInfo(f.Selections)
		}
		return c.fail()
	})
	return p
}

func (c *compiler) edge(typ, conn string, set ast.SelectionSet) jsontree.Value {
	return c.fields(set, conn+"Edge", func(f graphql.CollectedField) jsontree.Value {
		switch f.Name {
		case "node":
			return c.object(typ, f.Selections)
		case "cursor":
			return jsontree.Cursor{}
		case "partnership": // a partner's: the partnership that ties it to the structure
			if conn != "Partner" {
				return c.fail()
			}
			return jsontree.Record{Table: stored("Partnership").table, Link: jsontree.LinkID, Value: c.object("Partnership", f.Selections)}
		}
		return c.fail()
	})
}

func (c *compiler) pageInfo(set ast.SelectionSet) jsontree.Value {
	return c.fields(set, "PageInfo", func(f graphql.CollectedField) jsontree.Value {
		switch f.Name {
		case "hasNextPage":
			return jsontree.HasNext{}
		case "hasPreviousPage":
			return jsontree.HasPrevious{}
		case "startCursor":
			return jsontree.StartCursor{}
		case "endCursor":
			return jsontree.EndCursor{}
		}
		return c.fail()
	})
}

// decode reads an input argument into its generated type; gqlgen has
// checked it against the schema already.
func decode(v any, dest any) bool {
	if v == nil {
		return true
	}
	raw, err := json.Marshal(v)
	return err == nil && json.Unmarshal(raw, dest) == nil
}

// dateArg reads an optional Date argument the way its scalar does; ok is
// false for a malformed one, which the resolvers refuse.
func dateArg(v any) (d *period.Date, ok bool) {
	s, _ := v.(string)
	if v == nil || s == "" {
		return nil, v == nil || s == ""
	}
	day, err := period.ParseDate(s)
	if err != nil {
		return nil, false
	}
	return &day, true
}

// validDates tells whether each day a filter names is well formed.
func validDates(days ...*period.Date) bool {
	for _, d := range days {
		if d != nil && *d != "" {
			if _, err := period.ParseDate(string(*d)); err != nil {
				return false
			}
		}
	}
	return true
}

// list compiles a top-level list of records of type typ, narrowed by the
// conditions and, when text has search terms, to the records of the search
// index's kind that hold them all, ranked as the index ranks them when the
// order is by relevance (or unsaid, if relevanceFirst).
func (c *compiler) list(f graphql.CollectedField, args map[string]any, typ, kind, text string, o listing.Order,
	relevanceFirst bool, orderBy func(listing.Order) string, conds []string) jsontree.Value {
	rec := stored(typ)
	from, order := rec.table+" AS "+rec.alias, orderBy(o)
	byRelevance := o.Field == search.OrderRelevance || (o.Field == "" && relevanceFirst)
	ranking, ok := search.Ranking(kind, text)
	if ok && byRelevance {
		ranking, _ = search.RankingByScore(kind, text, o.Desc)
		order = search.RankingOrder("rank_", "rank_.record_id", o.Desc)
	}
	if ok {
		from += " JOIN " + ranking + " AS rank_ ON rank_.record_id = " + rec.alias + ".id"
	}
	v := c.page(f, args, typ, listing.Relation{From: from, Child: rec.alias + ".id", Order: order, Where: strings.Join(conds, " AND ")})
	// Each hit is looked up to be filtered and ordered: once, on
	// PostgreSQL. SQLite ran the searched shapes of the suite a third
	// slower so (materializing the numbered hits costs it more than
	// finding them again).
	if p, isPage := v.(*jsontree.Page); isPage && ok && db.IsPostgres(c.idb) {
		p.Numbered = true
	}
	return v
}

// SearchTypes are the GraphQL types of the search index's kinds.
var SearchTypes = map[string]string{
	search.KindStructure: "Structure", search.KindContact: "Contact", search.KindProject: "Project",
	search.KindEvent: "Event", search.KindFundingCall: "FundingCall", search.KindSupport: "SupportSession",
	search.KindTraining: "TrainingCycle", search.KindPublication: "Publication", search.KindCensus: "CensusCampaign",
	search.KindAction: "ProgrammeAction",
}

// search compiles search(query:, kinds:, first:): search.Top's hits, best
// first, each with the record it found, those the caller may not see or
// that are gone left out as the resolvers leave them.
func (c *compiler) search(f graphql.CollectedField, args map[string]any) jsontree.Value {
	limit := 10
	if n := intArg(args, "first"); n != nil {
		limit = *n
	}
	if limit < 0 || limit > listing.MaxSize {
		return c.fail() // the resolvers say what is wrong
	}
	var kinds []string
	asked, _ := args["kinds"].([]any)
	for _, k := range asked {
		s, _ := k.(string)
		kinds = append(kinds, strings.ToLower(s))
	}
	if len(kinds) == 0 {
		kinds = search.AllKinds
	}
	kinds = search.VisibleKinds(c.ctx, kinds)
	values := make(map[string]string, len(kinds))
	var found []string
	// Which records of those kinds the caller may see, TopSQL's statement
	// says already (a member's contacts are those who consented).
	for _, kind := range kinds {
		k := stored(SearchTypes[kind])
		values[kind] = strings.ToUpper(kind)
		found = append(found, fmt.Sprintf("(h.kind = %s AND EXISTS (SELECT 1 FROM %s AS x WHERE x.id = h.record_id))", db.Literal(kind), k.table))
	}
	top, ok := search.TopSQL(c.ctx, c.idb, deref(strArg(args, "query")), limit, kinds...)
	if len(kinds) == 0 || !ok {
		return jsontree.Array{}
	}
	hit := c.fields(f.Selections, "SearchHit", func(f graphql.CollectedField) jsontree.Value {
		switch f.Name {
		case "kind":
			return jsontree.Mapped{Column: "kind", Values: values}
		case "score":
			return jsontree.Column("score")
		case "node":
			cases := make(map[string]jsontree.Value, len(kinds))
			for _, kind := range kinds {
				typ := SearchTypes[kind]
				cases[kind] = jsontree.Record{Table: stored(typ).table, Link: "record_id", Value: c.object(typ, f.Selections)}
			}
			return jsontree.Switch{Column: "kind", Cases: cases}
		}
		return c.fail()
	})
	return &jsontree.Page{Table: "search_terms", Alias: "h", Key: "record_id", Limit: -1,
		Relation: listing.Relation{From: top + " AS h", Child: "h.record_id", Order: search.TopOrder("h"), Where: strings.Join(found, " OR ")},
		Shape:    jsontree.Items{Value: hit}}
}

// supportSessions compiles the staff's list of support sessions; below the
// staff it is empty, as support.Service.List gives it.
func (c *compiler) supportSessions(f graphql.CollectedField, args map[string]any) jsontree.Value {
	var filter *model.SupportSessionFilter
	if !decode(args["filter"], &filter) {
		return c.fail()
	}
	fl := deref(filter)
	between := deref(fl.Between)
	if !validDates(between.From, between.To) {
		return c.fail()
	}
	sf := support.Filter{Query: deref(fl.Query), Departments: fl.Departments, From: deref(between.From), To: deref(between.To)}
	for _, id := range []struct {
		typ string
		id  *string
		n   *int64
	}{{"Structure", fl.Structure, &sf.StructureID}, {"FundingCall", fl.FundingCall, &sf.FundingCallID}, {"Project", fl.Project, &sf.ProjectID}} {
		if deref(id.id) == "" {
			continue
		}
		n, err := c.parseIDOf(id.typ, *id.id)
		if err != nil {
			return c.fail() // the resolvers name the wrong id
		}
		*id.n = n
	}
	if strings.TrimSpace(sf.Query) != "" && len(search.Terms(sf.Query)) == 0 {
		return c.fail() // a text of no term finds nothing there, where Ranking would keep everything
	}
	conds := c.services.Support.Conditions(sf)
	if !access.AtLeast(c.ctx, access.Staff) {
		conds = []string{"1 = 0"}
	}
	return c.list(f, args, "SupportSession", search.KindSupport, sf.Query, listing.Order{}, false,
		func(listing.Order) string { return support.DateOrder }, conds)
}

// events compiles events and upcomingEvents.
func (c *compiler) events(f graphql.CollectedField, args map[string]any) jsontree.Value {
	var filter *model.EventFilter
	var orderBy *model.EventOrder
	if !decode(args["filter"], &filter) || !decode(args["orderBy"], &orderBy) {
		return c.fail()
	}
	if filter != nil {
		between := deref(filter.Between)
		if !validDates(filter.On, between.From, between.To) {
			return c.fail()
		}
		if filter.Organiser != nil && *filter.Organiser != "" {
			if _, err := c.parseIDOf("Structure", *filter.Organiser); err != nil {
				return c.fail() // the resolvers name the wrong id
			}
		}
	}
	ef, o, err := c.in.EventList(c.ctx, filter, orderBy)
	if err != nil {
		return c.fail()
	}
	if f.Name == "upcomingEvents" {
		now, ok := dateArg(args["now"])
		if !ok {
			return c.fail()
		}
		notFixed, _ := args["includeNotFixed"].(bool)
		ef.Upcoming, ef.NotFixed, ef.On = true, notFixed || args["includeNotFixed"] == nil, c.in.Today(now)
		o = listing.Order{Field: event.OrderDate}
	}
	// What is coming up comes by date, even when a search narrows it.
	return c.list(f, args, "Event", search.KindEvent, ef.Query, o, !ef.Upcoming,
		func(o listing.Order) string { return event.ListOrder(c.idb, o) }, c.services.Events.Conditions(ef))
}

// fundingCalls compiles fundingCalls and openFundingCalls.
func (c *compiler) fundingCalls(f graphql.CollectedField, args map[string]any) jsontree.Value {
	var ff fundingcall.Filter
	o := listing.Order{Field: fundingcall.OrderDeadline}
	if f.Name == "openFundingCalls" {
		now, ok := dateArg(args["now"])
		if !ok {
			return c.fail()
		}
		ff.OpenOn = c.in.Today(now)
		for name, dest := range map[string]*[]string{"audience": &ff.Audiences, "theme": &ff.Themes, "country": &ff.Countries} {
			if v, _ := args[name].(string); v != "" {
				*dest = []string{v}
			}
		}
		if v, _ := args["territory"].(string); v != "" {
			ff.Territories = []string{c.in.Code(v)}
		}
	} else {
		var filter *model.FundingCallFilter
		var orderBy *model.FundingCallOrder
		if !decode(args["filter"], &filter) || !decode(args["orderBy"], &orderBy) {
			return c.fail()
		}
		fl := deref(filter)
		if !validDates(fl.OpenOn) {
			return c.fail()
		}
		ff, o = c.in.CallList(filter, orderBy)
	}
	return c.list(f, args, "FundingCall", search.KindFundingCall, ff.Query, o, true,
		func(o listing.Order) string { return fundingcall.ListOrder(c.idb, o) }, c.services.Calls.Conditions(ff))
}

// referenceList compiles a whole reference list in the order the
// resolvers give it (internal/reference).
func (c *compiler) referenceList(f graphql.CollectedField) jsontree.Value {
	typ := map[string]string{"themes": "Theme", "countries": "Country", "audiences": "Audience", "actorTypes": "ActorType",
		"departments": "Department"}[f.Name]
	k := stored(typ)
	order := k.alias + ".position, " + k.alias + ".code"
	if typ == "Country" || typ == "Department" {
		order = db.Bytewise(c.idb, k.alias+".code")
	}
	return c.all(typ, listing.Relation{From: k.table + " AS " + k.alias, Child: k.alias + ".code", Order: order}, f)
}

// period compiles a Period stored in the columns prefix_label, _precision,
// _from, _to and _time.
func (c *compiler) period(prefix string, f graphql.CollectedField) jsontree.Value {
	col := func(name string) string { return prefix + "_" + name }
	fixed := fixedSQL(prefix)
	reads := []string{col("precision"), col("from"), col("to")}
	return c.fields(f.Selections, "Period", func(f graphql.CollectedField) jsontree.Value {
		switch f.Name {
		case "label", "time":
			return jsontree.Column(col(f.Name))
		case "text":
			row := func(name string) string { return "{row}." + col(name) }
			return jsontree.Expr{SQL: period.TextSQL(row("from"), row("to"), row("precision"), row("time")),
				Reads: append(reads, col("time"))}
		case "from", "to":
			return jsontree.Expr{SQL: "NULLIF({row}." + col(f.Name) + ", '')", Reads: []string{col(f.Name)}}
		case "precision":
			return enumIn(col("precision"), model.AllPrecision)(c, f, nil)
		case "fixed":
			return jsontree.Expr{SQL: db.JSONBool(c.idb, fixed), Reads: reads}
		case "relation":
			on, ok := dateArg(f.ArgumentMap(c.op.Variables)["on"])
			if !ok {
				return c.fail()
			}
			day := db.Literal(string(c.in.Today(on)))
			return jsontree.Expr{SQL: "CASE WHEN NOT " + fixed + " THEN 'NOT_FIXED' WHEN " + day + " < {row}." + col("from") +
				" THEN 'UPCOMING' WHEN " + day + " > COALESCE({row}." + col("to") + ", '') THEN 'PAST' ELSE 'CURRENT' END", Reads: reads}
		}
		return c.fail()
	})
}
