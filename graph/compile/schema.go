package compile

import (
	"context"
	"strings"

	"github.com/99designs/gqlgen/graphql"

	"github.com/lianes-cooperation/lianes/graph/model"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/jsontree"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/reference"
	"github.com/lianes-cooperation/lianes/internal/support"
)

// How each compiled GraphQL type is stored: one declaration per type, its
// table, the fields that are plain columns, the fields that are links or
// computed in SQL, whether it is a Node and who may read it by id. The
// compiler (compiled.go) walks a query through these declarations alone; a
// field not declared sends the query to the resolvers.

// kind is how a GraphQL type is stored.
type kind struct {
	// table holds the records, with alias the alias its services' SQL uses
	// for it (their relations and orders name it).
	table, alias string
	// key is the column other tables link to, "id" when empty; a reference
	// list's code otherwise, which also marks it short enough to be read
	// whole once per statement (jsontree.Record.Whole).
	key string
	// node: the type implements Node, its id is "Type:id", and node and
	// nodes compile it.
	node bool
	// visible is the condition on a record's row ({row}) the caller may see
	// it by its id under, with some false when the caller may see none; nil
	// for everyone. Who may see which records in a list is the relation's
	// condition.
	visible func(context.Context) (cond string, some bool)
	columns map[string]string // field → column shown as it is stored
	links   map[string]link   // the other fields
}

// link compiles a field of a record that is not a plain column.
type link func(c *compiler, f graphql.CollectedField, args map[string]any) jsontree.Value

// storage declares every compiled type; filled by init, since its links
// refer to it.
var storage map[string]kind

// stored returns how a type is stored; the zero kind for a type not
// compiled.
func stored(typ string) kind { return storage[typ] }

// isNode tells the types node and nodes compile.
func isNode(typ string) bool { return storage[typ].node }

func staffOnly(ctx context.Context) (string, bool) { return "", access.AtLeast(ctx, access.Staff) }

// contactsVisible are the contacts the caller may see, as the services say.
func contactsVisible(ctx context.Context) (string, bool) { return access.ContactsVisible(ctx, "{row}") }

func init() {
	storage = map[string]kind{
		"Structure": {table: "structures", alias: "s", node: true,
			columns: map[string]string{"name": "name", "sourceType": "source_type", "commune": "commune", "email": "email",
				"phone": "phone", "website": "website", "description": "description", "version": "version"},
			links: map[string]link{
				"otherNames": valuesOf(network.StructureNames),
				"createdAt":  instant("created_at"),
				"updatedAt":  instant("updated_at"),
				"actorType":  recordOf("ActorType", "actor_type_code"),
				"department": recordOf("Department", "department_code"),
				"country":    recordOf("Country", "country_code"),
				"countries":  referencesVia("Country", network.StructureCountries),
				"themes":     referencesVia("Theme", network.StructureThemes),
				"offices": func(c *compiler, f graphql.CollectedField, _ map[string]any) jsontree.Value {
					return c.all("Office", network.OfficeRelation, f)
				},
				"projects": func(c *compiler, f graphql.CollectedField, args map[string]any) jsontree.Value {
					role, _ := args["role"].(string)
					return c.page(f, args, "Project", project.OneStructureRelation(c.idb, strings.ToLower(role)))
				},
				"partners": func(c *compiler, f graphql.CollectedField, args map[string]any) jsontree.Value {
					return c.connection(f, args, "Structure", "Partner", network.OnePartnerRelation(c.idb))
				},
				"events": pageOf("Event", func(*compiler) listing.Relation { return event.OrganisedRelation }),
				"contacts": pageOf("Contact", func(c *compiler) listing.Relation {
					return network.ContactRelation(c.ctx, c.idb)
				}),
				"supportSessions": pageOf("SupportSession", func(c *compiler) listing.Relation { return support.StructureRelation(c.ctx) }),
			}},
		"Partnership": {table: "partnerships", alias: "pa", node: true,
			columns: map[string]string{"kind": "kind", "description": "description", "version": "version"},
			links: map[string]link{
				"since":     periodIn("since"),
				"structure": recordOf("Structure", "structure_id"),
				"partner":   recordOf("Structure", "partner_id"),
			}},
		"Project": {table: "projects", alias: "p", node: true,
			columns: map[string]string{"title": "title", "description": "description", "version": "version"},
			links: map[string]link{
				"status":    projectStatus,
				"createdAt": instant("created_at"),
				"updatedAt": instant("updated_at"),
				"starts":    periodIn("starts"),
				"ends":      periodIn("ends"),
				"lead":      recordOf("Structure", "lead_structure_id"),
				"partners":  pageOf("Structure", func(*compiler) listing.Relation { return project.PartnerRelation }),
				"themes":    referencesVia("Theme", project.Themes),
				"countries": referencesVia("Country", project.Countries),
			}},
		"Event": {table: "events", alias: "e", node: true,
			columns: map[string]string{"title": "title", "format": "format", "content": "content", "audienceText": "audience_text",
				"place": "place", "registrationUrl": "registration_url", "note": "note", "version": "version"},
			links: map[string]link{
				"kind":         enumIn("kind", model.AllEventKind),
				"createdAt":    instant("created_at"),
				"updatedAt":    instant("updated_at"),
				"status":       enumIn("status", model.AllEventStatus),
				"online":       nullableBoolean("online"),
				"date":         periodIn("date"),
				"audiences":    referencesVia("Audience", event.Audiences),
				"themes":       referencesVia("Theme", event.Themes),
				"countries":    referencesVia("Country", event.Countries),
				"organisers":   pageOf("Structure", func(c *compiler) listing.Relation { return event.OrganiserRelation(c.idb) }),
				"fundingCalls": pageOf("FundingCall", func(c *compiler) listing.Relation { return event.FundingCallRelation(c.idb) }),
			}},
		"FundingCall": {table: "funding_calls", alias: "fc", node: true,
			columns: map[string]string{"title": "title", "funder": "funder", "programme": "programme", "description": "description",
				"audienceText": "audience_text", "recurrence": "recurrence", "url": "url", "version": "version"},
			links: map[string]link{
				"territory":     enumIn("territory", model.AllTerritory),
				"createdAt":     instant("created_at"),
				"updatedAt":     instant("updated_at"),
				"status":        enumIn("status", model.AllFundingCallStatus),
				"opens":         periodIn("opens"),
				"deadline":      periodIn("deadline"),
				"deadlineKnown": fixed("deadline"),
				"isOpen":        isOpen,
				"audiences":     referencesVia("Audience", fundingcall.Audiences),
				"themes":        referencesVia("Theme", fundingcall.Themes),
				"countries":     referencesVia("Country", fundingcall.Countries),
				"events":        pageOf("Event", func(*compiler) listing.Relation { return event.PresentingRelation }),
			}},
		"Contact": {table: "contacts", alias: "c", node: true, visible: contactsVisible,
			columns: map[string]string{"name": "name", "role": "role", "version": "version"},
			links: map[string]link{
				"consent":   boolean("consent"),
				"email":     forStaff(nullIfEmpty("email")),
				"phone":     forStaff(nullIfEmpty("phone")),
				"structure": recordOf("Structure", "structure_id"),
			}},
		"SupportSession": {table: "support_sessions", alias: "ss", node: true, visible: staffOnly,
			columns: map[string]string{"subject": "subject", "sourceType": "source_type", "staff": "staff",
				"durationMinutes": "duration_minutes", "version": "version"},
			links: map[string]link{
				"date":        periodIn("date"),
				"department":  recordOf("Department", "department_code"),
				"structure":   recordOf("Structure", "structure_id"),
				"fundingCall": recordOf("FundingCall", "funding_call_id"),
				"project":     recordOf("Project", "project_id"),
			}},
		"TrainingCycle": {table: "training_cycles", alias: "tc", node: true,
			columns: map[string]string{"title": "title", "description": "description"},
			links:   map[string]link{"modules": childrenOf("TrainingModule", "tm.cycle_id", "tm.position")}},
		"TrainingModule": {table: "training_modules", alias: "tm",
			columns: map[string]string{"position": "position", "title": "title"}},
		"Publication": {table: "publications", alias: "pu", node: true,
			columns: map[string]string{"title": "title", "series": "series", "description": "description", "version": "version"},
			links:   map[string]link{"kind": enumIn("kind", model.AllPublicationKind), "date": periodIn("date")}},
		"CensusCampaign": {table: "census_campaigns", alias: "cc", node: true,
			columns: map[string]string{"title": "title", "description": "description"},
			links:   map[string]link{"date": periodIn("date")}},
		"ProgrammeAction": {table: "programme_actions", alias: "pac", node: true,
			columns: map[string]string{"title": "title", "axis": "axis", "description": "description",
				"plannedCount": "planned_count", "url": "url"},
			links: map[string]link{
				"date":  periodIn("date"),
				"items": childrenOf("ProgrammeActionItem", "pai.action_id", "pai.position"),
				"structures": func(c *compiler, f graphql.CollectedField, _ map[string]any) jsontree.Value {
					l := programme.ActionStructures // by id, as the resolvers list them
					return c.all("Structure", listing.Relation{From: l.Table + " AS l", Parent: "l." + l.Owner,
						Child: "l." + l.Value, Order: "l." + l.Value}, f)
				},
			}},
		"ProgrammeActionItem": {table: "programme_action_items", alias: "pai",
			columns: map[string]string{"position": "position", "title": "title", "description": "description"}},
		"Office": {table: "structure_offices", alias: "so",
			columns: map[string]string{"name": "name", "commune": "commune", "address": "address"},
			links:   map[string]link{"department": recordOf("Department", "department_code")}},
		// Reference lists.
		"ActorType": {table: "actor_types", alias: "at", key: "code", columns: map[string]string{"code": "code", "name": "name"}},
		"Department": {table: "departments", alias: "d", key: "code",
			columns: map[string]string{"code": "code", "name": "name", "populationShare": "population_share"}},
		"Theme":   {table: "themes", alias: "t", key: "code", columns: map[string]string{"code": "code", "name": "name"}},
		"Country": {table: "countries", alias: "co", key: "code", columns: map[string]string{"code": "code", "name": "name"}},
		"Audience": {table: "audiences", alias: "au", key: "code", columns: map[string]string{"code": "code", "name": "name"},
			links: map[string]link{"actorTypes": func(c *compiler, f graphql.CollectedField, args map[string]any) jsontree.Value {
				p := referencesVia("ActorType", reference.AudienceActorTypes)(c, f, args).(*jsontree.Page)
				p.ParentKey = "code" // an audience is known by its code
				return p
			}}},
	}
}

// recordOf is the record of type typ a column of the current record names,
// or null.
func recordOf(typ, column string) link {
	return func(c *compiler, f graphql.CollectedField, _ map[string]any) jsontree.Value {
		k := stored(typ)
		return jsontree.Record{Table: k.table, Key: k.key, Link: column, Value: c.object(typ, f.Selections), Whole: k.key != ""}
	}
}

// pageOf is a connection of the records of type typ a relation links to the
// current one, paged by the field's arguments.
func pageOf(typ string, relation func(*compiler) listing.Relation) link {
	return func(c *compiler, f graphql.CollectedField, args map[string]any) jsontree.Value {
		return c.page(f, args, typ, relation(c))
	}
}

// referencesVia is the list of the reference entries a link table names,
// by code, as the resolvers list them. Each entry is looked up by its code
// from the link's row (in a map of the whole list on PostgreSQL): joined,
// PostgreSQL hashed the whole reference table (17 themes, 63 countries)
// again for every record of a page, which cost a tenth of a page of
// projects with their themes and countries. The links' foreign keys name
// existing entries only, so no row is lost either way.
func referencesVia(typ string, l db.Link) link {
	return func(c *compiler, f graphql.CollectedField, _ map[string]any) jsontree.Value {
		k := stored(typ)
		return &jsontree.Page{Table: l.Table, Alias: "l", Key: l.Value, Limit: -1, Relation: c.linkRelation(l),
			Shape: jsontree.Items{Value: jsontree.Record{Table: k.table, Key: k.key, Link: l.Value, Value: c.object(typ, f.Selections),
				Whole: k.key != ""}}}
	}
}

// valuesOf is the list of the values a link table holds for the current
// record, in byte order, as the resolvers list them.
func valuesOf(l db.Link) link {
	return func(c *compiler, _ graphql.CollectedField, _ map[string]any) jsontree.Value {
		return &jsontree.Page{Table: l.Table, Alias: "l", Key: l.Value, Limit: -1, Relation: c.linkRelation(l),
			Shape: jsontree.Items{Value: jsontree.Column(l.Value)}}
	}
}

// childrenOf is the list of the parts of the current record kept in their
// own table (a cycle's modules, an action's items), all of them, in order.
func childrenOf(typ, parent, order string) link {
	return func(c *compiler, f graphql.CollectedField, _ map[string]any) jsontree.Value {
		k := stored(typ)
		return c.all(typ, listing.Relation{From: k.table + " AS " + k.alias, Parent: parent, Child: k.alias + ".id",
			Order: order + ", " + k.alias + ".id"}, f)
	}
}

// enumIn is a stored code shown as a GraphQL enum value: the code in upper
// case, as the resolvers write it (Inputs.Code is the other way).
func enumIn[E ~string](column string, all []E) link {
	values := make(map[string]string, len(all))
	for _, e := range all {
		values[strings.ToLower(string(e))] = string(e)
	}
	return func(*compiler, graphql.CollectedField, map[string]any) jsontree.Value {
		return jsontree.Mapped{Column: column, Values: values, Else: ""}
	}
}

// projectStatus is a project's status, whose codes are French words.
func projectStatus(c *compiler, _ graphql.CollectedField, _ map[string]any) jsontree.Value {
	statuses := c.in.ProjectStatuses()
	values := make(map[string]string, len(statuses))
	for code, e := range statuses {
		values[code] = string(e)
	}
	return jsontree.Mapped{Column: "status", Values: values, Else: string(model.ProjectStatusActive)}
}

// periodIn is a Period stored in the columns prefix_label, _precision,
// _from, _to and _time.
func periodIn(prefix string) link {
	return func(c *compiler, f graphql.CollectedField, _ map[string]any) jsontree.Value {
		return c.period(prefix, f)
	}
}

// fixed tells whether the period stored under prefix is fixed
// (period.Period.IsFixed).
func fixed(prefix string) link {
	return func(c *compiler, _ graphql.CollectedField, _ map[string]any) jsontree.Value {
		return jsontree.Expr{SQL: db.JSONBool(c.idb, fixedSQL(prefix)), Reads: []string{prefix + "_precision", prefix + "_from"}}
	}
}

func fixedSQL(prefix string) string {
	return "({row}." + prefix + "_precision <> 'unknown' AND COALESCE({row}." + prefix + "_from, '') <> '')"
}

// isOpen is a call's isOpen(on:), fundingcall.OpenCondition on the day.
func isOpen(c *compiler, _ graphql.CollectedField, args map[string]any) jsontree.Value {
	on, ok := dateArg(args["on"])
	if !ok {
		return c.fail()
	}
	cond := strings.NewReplacer("fc.", "{row}.", "?0", db.Literal(string(c.in.Today(on)))).Replace(fundingcall.OpenCondition)
	return jsontree.Expr{SQL: db.JSONBool(c.idb, cond), Reads: []string{"status", "opens_from", "deadline_to"}}
}

// boolean is a boolean column, which SQLite stores as an integer.
func boolean(column string) link {
	return func(c *compiler, _ graphql.CollectedField, _ map[string]any) jsontree.Value {
		return jsontree.Expr{SQL: db.JSONBool(c.idb, "{row}."+column), Reads: []string{column}}
	}
}

// nullableBoolean is a nullable boolean column.
func nullableBoolean(column string) link {
	return func(c *compiler, _ graphql.CollectedField, _ map[string]any) jsontree.Value {
		if db.IsPostgres(c.idb) {
			return jsontree.Column(column)
		}
		return jsontree.Expr{SQL: "json(CASE WHEN {row}." + column + " IS NULL THEN 'null' WHEN {row}." + column +
			" THEN 'true' ELSE 'false' END)", Reads: []string{column}}
	}
}

// nullIfEmpty is a text column shown as null when empty (strOrNil).
func nullIfEmpty(column string) link {
	return func(*compiler, graphql.CollectedField, map[string]any) jsontree.Value {
		return jsontree.Expr{SQL: "NULLIF({row}." + column + ", '')", Reads: []string{column}}
	}
}

// instant is a stored instant, written as the DateTime scalar writes it.
func instant(column string) link {
	return func(c *compiler, _ graphql.CollectedField, _ map[string]any) jsontree.Value {
		return jsontree.Expr{SQL: db.InstantText(c.idb, "{row}."+column), Reads: []string{column}}
	}
}

// forStaff compiles a field for the staff; below, it is null, with
// FORBIDDEN on its path as the resolvers say it.
func forStaff(l link) link {
	return func(c *compiler, f graphql.CollectedField, args map[string]any) jsontree.Value {
		if !access.AtLeast(c.ctx, access.Staff) {
			return c.hide()
		}
		return l(c, f, args)
	}
}
