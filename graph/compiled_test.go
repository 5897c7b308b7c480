package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/graph"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/listing"
)

// compiledCases are queries answered both by compiled SQL and by the
// resolvers; compiled says which path the server must take.
var compiledCases = []struct {
	name     string
	query    string
	vars     map[string]any
	compiled bool
	// roles the query is asked with, anonymous alone when empty; compiled
	// must hold for each.
	roles []access.Role
	// denied marks a query that asks for fields some of its roles may not
	// see: both paths answer FORBIDDEN on their paths.
	denied bool
}{
	{name: "benchmark shape", compiled: true, query: `{ structures(first: 50, orderBy: {field: NAME}) { nodes { name
		projects(role: LEAD, first: 5) { nodes { title partners { nodes { name } } } } } } }`},
	{name: "every compiled field of a structure", compiled: true, query: `{ structures(first: 30) { totalCount
		pageInfo { hasNextPage hasPreviousPage __typename } __typename nodes { __typename id name otherNames sourceType commune
		email phone website description version } } }`},
	{name: "edges, aliases and counts at every level", compiled: true, query: `{ all: structures(first: 7, orderBy: {field: NAME, direction: DESC}) {
		n: totalCount edges { __typename node { id label: name led: projects(role: LEAD, first: 2) { totalCount
		pageInfo { hasNextPage hasPreviousPage } edges { node { title lead { id name } partners(first: 2) { totalCount
		pageInfo { hasNextPage } nodes { name } } } } } joined: projects(role: PARTNER) { totalCount nodes { id } }
		any: projects { totalCount nodes { title } } } } } }`},
	{name: "a page further on, a page past the end, an empty page", compiled: true,
		query: `query($after: String) { a: structures(first: 5, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage }
		nodes { name projects(after: $after, first: 1) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { title } } } }
		b: projects(first: 3, after: "aTo5OTk5OQ") { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { title } }
		c: projects(first: 0) { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { title } } }`,
		vars: map[string]any{"after": "aTo0"}},
	{name: "an empty page still tells what follows", compiled: true,
		query: `{ structures(first: 0) { pageInfo { hasNextPage } } projects(first: 0, after: "aTo1") { pageInfo { hasNextPage hasPreviousPage } } }`},
	{name: "projects in every order", compiled: true, query: `{ t: projects(first: 8) { nodes { id title description version } }
		s: projects(first: 8, orderBy: {field: STARTS, direction: DESC}) { nodes { id } }
		c: projects(first: 8, orderBy: {field: CREATED_AT}) { nodes { id } }
		u: structures(first: 8, orderBy: {field: UPDATED_AT, direction: DESC}) { nodes { id } }
		k: structures(first: 8, orderBy: {field: CREATED_AT}) { nodes { id } } }`},
	{name: "fragments, directives and variables", compiled: true,
		query: `query($n: Int!, $with: Boolean!) { structures(first: $n) { nodes { ...S ... on Node { id }
		... on Structure @include(if: $with) { website } projects(first: $n) @skip(if: $with) { nodes { id } } } } }
		fragment S on Structure { name __typename }`, vars: map[string]any{"n": 4, "with": true}},
	{name: "one record, missing or not", compiled: true, query: `{ s: structure(id: "Structure:3") { name projects { nodes { title } } }
		none: structure(id: "Structure:999999") { name } p: project(id: "Project:5") { title lead { name }
		partners { totalCount nodes { id } } } __typename }`},
	{name: "reference lists", compiled: true, query: `{ structures(first: 40) { nodes { name actorType { __typename code name }
		department { code name populationShare } country { code name } themes { code name } } }
		projects(first: 40, orderBy: {field: STARTS}) { nodes { themes { name } countries { code name } lead { country { name } } } } }`},
	{name: "filters", compiled: true, query: `query($themes: [String!]) {
		a: structures(first: 20, filter: {departments: ["59", "62"], actorTypes: ["association-locale", "collectivite-territoriale", "ong"]}) { totalCount nodes { name } }
		b: structures(first: 20, filter: {themes: $themes, countries: ["FR"], communes: [" lille ", "Arras"]}) { totalCount nodes { name } }
		c: structures(first: 20, filter: {audiences: ["associations"], query: ""}, orderBy: {field: RELEVANCE}) { totalCount nodes { name } }
		d: structures(filter: {communes: ["l'ile ? d'yeu", "{parent}"]}) { totalCount }
		e: projects(first: 20, filter: {themes: $themes, statuses: [ACTIVE, PLANNED]}) { totalCount nodes { title } }
		f: projects(first: 20, filter: {lead: "Structure:4"}) { totalCount nodes { title } }
		h: projects(first: 20, filter: {countries: ["SN", "BF", "ML"]}) { totalCount nodes { title } }
		g: projects(first: 20, filter: {partner: "Structure:5"}, orderBy: {field: TITLE, direction: DESC}) { totalCount nodes { title } } }`,
		vars: map[string]any{"themes": []string{"eau-assainissement", "climat"}}},
	{name: "nodes by global id", compiled: true, query: `query($ids: [ID!]!) { node(id: "Project:2") { id __typename
		... on Project { title lead { name } } ... on Structure { name } } none: nodes(ids: []) { id } nodes(ids: $ids) { __typename ...on Structure { name } ... on Node { id } } }`,
		vars: map[string]any{"ids": []string{"Structure:2", "Project:9", "Structure:999999", "Structure:1"}}},
	{name: "a node of another kind goes to the resolvers", query: `{ node(id: "ObservatorySnapshot:1") { id } }`},
	{name: "events and their relations", compiled: true, query: `{ events(first: 50, orderBy: {field: TITLE}) { totalCount nodes {
		id __typename title kind status format content audienceText online place registrationUrl note version
		audiences { code name } themes { code name } countries { code name }
		organisers { totalCount nodes { name commune events(first: 2) { totalCount nodes { title } } } }
		fundingCalls(first: 3) { pageInfo { hasNextPage } nodes { title funder } } } } }`},
	{name: "funding calls and their relations", compiled: true, query: `{ fundingCalls(first: 50, orderBy: {field: TITLE, direction: DESC}) {
		totalCount edges { cursor node { id title funder programme description audienceText recurrence url version territory status
		deadlineKnown isOpen o: isOpen(on: "2021-03-01") audiences { code name } themes { name } countries { name }
		events(first: 5) { totalCount nodes { title organisers(first: 3) { nodes { name } } } } } } } }`},
	{name: "periods", compiled: true, query: `{ events(first: 100) { nodes { date { label precision from to time text fixed relation
		r: relation(on: "2021-06-15") } } } fundingCalls(first: 10, orderBy: {field: DEADLINE, direction: DESC}) { nodes {
		opens { label precision from to text fixed relation } deadline { from to precision text relation(on: "2021-01-01") } } }
		publications(first: 3) { nodes { date { text } } } censusCampaigns { nodes { date { text } } }
		programmeActions(first: 3) { nodes { date { text } } } structures(first: 5) { nodes { supportSessions { nodes { date { text } } } } } }`},
	{name: "events filtered, upcoming and open calls", compiled: true, query: `{
		a: events(first: 10, filter: {kinds: [WEBINAIRE, EVENEMENT], statuses: [PREVISIONNEL]}) { totalCount nodes { id } }
		b: events(first: 10, filter: {themes: ["climat", "eau-assainissement"], audiences: ["associations"]}) { totalCount nodes { id } }
		c: events(first: 10, filter: {between: {from: "2021-03-01", to: "2021-06-30"}}, orderBy: {field: DATE, direction: DESC}) { totalCount nodes { id } }
		d: events(first: 10, filter: {relations: [UPCOMING, NOT_FIXED], on: "2021-05-01"}) { totalCount nodes { id } }
		e: events(first: 10, filter: {organiser: "Structure:7"}) { totalCount nodes { id } }
		f: upcomingEvents(first: 10) { totalCount nodes { id title } }
		g: upcomingEvents(now: "2021-09-01", includeNotFixed: false, first: 10) { totalCount nodes { id } }
		h: openFundingCalls(first: 10) { totalCount nodes { id } }
		i: openFundingCalls(now: "2021-06-01", territory: REGIONAL) { totalCount nodes { id } }
		j: fundingCalls(filter: {openOn: "2021-02-01", statuses: [ACTIF], territories: [REGIONAL, NATIONAL]}) { totalCount nodes { id } }
		k: events(first: 5, filter: {relations: [CURRENT, PAST]}) { totalCount nodes { id } } }`},
	{name: "an event and a call by id, and as nodes", compiled: true, query: `{ e: event(id: "Event:3") { title organisers { nodes { name } } }
		none: fundingCall(id: "FundingCall:999") { title } f: fundingCall(id: "FundingCall:2") { title events { nodes { title } } }
		nodes(ids: ["Event:1", "FundingCall:1", "Event:9999"]) { id ... on Event { title } ... on FundingCall { funder } } }`},
	{name: "reference lists in full", compiled: true, query: `{ themes { __typename code name } countries { code name }
		audiences { code name } actorTypes { code name } departments { code name populationShare } }`},
	{name: "an audience's actor types", compiled: true, query: `{ audiences { code actorTypes { code name } }
		events(first: 10) { nodes { audiences { name actorTypes { code } } } } }`},
	{name: "the programme", compiled: true, query: `{ trainings { totalCount nodes { id title description modules { position title } } }
		publications(first: 5) { totalCount pageInfo { hasNextPage } nodes { id title series kind description version date { label from fixed } } }
		k: publications(filter: {kinds: [REVUE, RAPPORT]}) { totalCount nodes { id kind } }
		censusCampaigns { totalCount nodes { id title description date { label precision } } }
		programmeActions(first: 3) { totalCount nodes { id title axis description plannedCount url date { label }
		items { position title description } structures { name themes { code } } } } }`},
	{name: "publication searches", compiled: true, query: `{ a: publications(filter: {query: "cahier"}) { totalCount nodes { title } }
		b: publications(filter: {query: "cahiers école", kinds: [REVUE, RAPPORT]}, first: 2) { totalCount pageInfo { hasNextPage } nodes { id kind } }
		c: publications(filter: {query: "zzzz"}, first: 2, after: "aTox") { totalCount pageInfo { hasPreviousPage } nodes { id } }
		d: publications(filter: {query: "forage"}, last: 1) { totalCount edges { cursor node { title } } } }`},
	{name: "a publication search of no term goes to the resolvers", query: `{ publications(filter: {query: "le la"}) { nodes { title } } }`},
	{name: "contacts and support sessions, for every role", compiled: true,
		roles: []access.Role{access.Anonymous, access.Member, access.Staff, access.Admin},
		query: `{ structures(first: 40) { nodes { name contacts(first: 3) { totalCount nodes { id name role consent version
		structure { name } } } supportSessions(first: 2) { totalCount nodes { id subject sourceType staff durationMinutes version
		date { label from } department { code } structure { name } fundingCall { title } project { title } } } } } }`},
	{name: "support sessions at the root, for every role", compiled: true,
		roles: []access.Role{access.Anonymous, access.Member, access.Staff, access.Admin},
		query: `{ a: supportSessions(first: 5) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { id subject
		date { label from } structure { name } } }
		b: supportSessions(filter: {departments: ["59", "62"]}, first: 5) { totalCount nodes { id department { code } } }
		q: supportSessions(filter: {departments: ["5?", "6'2"]}) { totalCount }
		c: supportSessions(filter: {between: {from: "2021-03-01", to: "2021-06-30"}}) { totalCount nodes { id date { from to } } }
		d: supportSessions(filter: {query: "accompagnement"}, first: 3, after: "aTox") { totalCount edges { cursor node { id subject } } }
		e: supportSessions(filter: {structure: "Structure:7"}) { totalCount nodes { id } }
		f: supportSessions(filter: {project: "Project:3", fundingCall: "FundingCall:1", structure: ""}) { totalCount }
		g: supportSessions(filter: {query: "zzzz"}) { totalCount nodes { id } }
		h: supportSessions(filter: {query: "forage accompagnement", between: {from: "2021-01-01"}}, first: 4) { totalCount nodes { subject } } }`},
	{name: "a page past the end has records before it only if the list has any", compiled: true, roles: []access.Role{access.Staff},
		query: `{ a: structures(filter: {departments: ["00"]}, first: 2, after: "aTox") { pageInfo { hasPreviousPage hasNextPage } }
		b: supportSessions(filter: {structure: "Structure:9999"}, first: 2, after: "aTox") { pageInfo { hasPreviousPage } }
		c: fundingCalls(filter: {territories: [NATIONAL]}, first: 3, after: "aTo0") { pageInfo { hasPreviousPage } }
		d: projects(first: 2, after: "aTo5OTk5OQ") { pageInfo { hasPreviousPage } } }`},
	{name: "support sessions filtered by an id of another type go to the resolvers", roles: []access.Role{access.Staff},
		query: `{ supportSessions(filter: {structure: "Project:1"}) { totalCount } }`},
	{name: "contacts at the root, for every role", compiled: true,
		roles: []access.Role{access.Anonymous, access.Member, access.Staff, access.Admin},
		query: `{ a: contacts(first: 5) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } nodes { id name role consent
		structure { name } } }
		b: contacts(query: "awa", first: 3) { totalCount edges { cursor node { name } } }
		c: contacts(query: "zzzz") { totalCount nodes { id } }
		d: contacts(first: 2, after: "aTox") { pageInfo { hasPreviousPage } nodes { id } }
		e: contacts(last: 2) { totalCount nodes { name } } }`},
	{name: "contacts' e-mails and phones for the staff", compiled: true, roles: []access.Role{access.Staff, access.Admin},
		query: `{ structures(first: 20) { nodes { contacts { nodes { name email phone } } } } }`},
	{name: "contacts' e-mails below the staff are null and FORBIDDEN", compiled: true, denied: true,
		roles: []access.Role{access.Anonymous, access.Member, access.Staff},
		query: `{ structures(first: 20) { nodes { contacts { nodes { name email phone } } } }
		a: contacts(first: 4) { edges { cursor node { m: email structure { name } } } nodes { phone } }
		b: contacts(first: 3, query: "zzzz") { nodes { email } }
		c: node(id: "Contact:3") { id ... on Contact { email } }
		d: nodes(ids: ["Contact:1", "Contact:2", "Structure:1", "Contact:99999", "Contact:4"]) { ... on Contact { name email }
		... on Structure { email } }
		e: structure(id: "Structure:2") { contacts { nodes { email } } }
		f: projects(first: 5) { nodes { lead { contacts(first: 1) { edges { node { email phone } } } } } } }`},
	{name: "a contact as a node for the staff", compiled: true, roles: []access.Role{access.Staff},
		query: `{ nodes(ids: ["Contact:1", "Contact:2", "SupportSession:3", "Publication:1", "TrainingCycle:1", "ProgrammeAction:1"]) {
		id ... on Contact { name email } ... on SupportSession { subject } ... on Publication { title } ... on TrainingCycle { title }
		... on ProgrammeAction { title } } }`},
	{name: "contacts and sessions as nodes below the staff", compiled: true, roles: []access.Role{access.Anonymous, access.Member},
		query: `{ a: node(id: "Contact:1") { id ... on Contact { name } } b: node(id: "Contact:2") { id }
		c: nodes(ids: ["Contact:1", "Contact:2", "Contact:3", "Contact:4", "SupportSession:1", "SupportSession:2"]) { id __typename
		... on Contact { name consent structure { name } } ... on SupportSession { subject } }
		d: node(id: "SupportSession:3") { id } }`},

	{name: "a wrong date goes to the resolvers", query: `{ upcomingEvents(now: "2021-13-45") { nodes { title } } }`},
	{name: "a deferred fragment goes to the resolvers", query: `{ structures(first: 2) { nodes { name ... @defer { commune } } } }`},
	{name: "searches, ranked in SQL", compiled: true, query: `{
		a: structures(first: 5, filter: {query: "association lille"}) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id name } } }
		b: structures(first: 5, after: "aTox", filter: {query: "Solidarité"}, orderBy: {field: RELEVANCE, direction: DESC}) { totalCount nodes { id } }
		c: projects(first: 10, filter: {query: "forage"}) { totalCount nodes { id title } }
		d: projects(first: 10, filter: {query: "forage", statuses: [ACTIVE]}, orderBy: {field: TITLE}) { totalCount nodes { id } }
		e: events(first: 10, filter: {query: "rencontre"}) { totalCount nodes { id title } }
		f: upcomingEvents(first: 10, filter: {query: "rencontre"}) { totalCount nodes { id } }
		g: fundingCalls(first: 10, filter: {query: "appel"}, orderBy: {field: RELEVANCE}) { totalCount nodes { id } }
		h: projects(filter: {query: "zzzz"}) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor } nodes { id } }
		i: projects(first: 3, filter: {query: "le la les"}) { totalCount nodes { id } }
		j: structures(first: 4, filter: {query: "  "}, orderBy: {field: RELEVANCE}) { totalCount nodes { id } } }`},
	{name: "search, for every role", compiled: true, roles: []access.Role{access.Anonymous, access.Member, access.Staff, access.Admin},
		query: `{ a: search(query: "eau", kinds: [STRUCTURE, PROJECT, EVENT, FUNDING_CALL, PUBLICATION, TRAINING, PROGRAMME_ACTION,
		CENSUS_CAMPAIGN, SUPPORT_SESSION]) { kind score node { id __typename ... on Structure { name commune } ... on Project { title lead { name } }
		... on Event { title date { text } } ... on FundingCall { title } ... on SupportSession { subject } } }
		b: search(query: "association lille", kinds: [STRUCTURE, PROJECT], first: 5) { kind node { id } }
		c: search(query: "forage école", kinds: [PROJECT, PUBLICATION, EVENT], first: 30) { score kind node { ... on Publication { title kind } } }
		d: search(query: "le la", kinds: [STRUCTURE]) { kind }
		e: search(query: "forage", kinds: [PROJECT], first: 0) { kind }
		f: search(query: "accompagnement", kinds: [SUPPORT_SESSION]) { kind node { id } } }`},
	{name: "search of everything for the staff", compiled: true, roles: []access.Role{access.Staff, access.Admin},
		query: `{ search(query: "awa diallo") { kind score node { id ... on Contact { name email } ... on Structure { name } } }
		b: search(query: "cahier") { kind node { id } } }`},
	{name: "search of contacts by a member, who sees those who consented", compiled: true, roles: []access.Role{access.Member},
		query: `{ search(query: "awa") { kind node { id ... on Contact { name role structure { name } } } } }`},
	{name: "a contact's e-mail in a search is null and FORBIDDEN below the staff", compiled: true, denied: true,
		roles: []access.Role{access.Anonymous, access.Member, access.Staff},
		query: `{ search(query: "awa") { kind node { id ... on Contact { name email } ... on Structure { email } } }
		b: search(query: "awa", kinds: [CONTACT, STRUCTURE]) { node { ... on Contact { e: phone } ... on Structure { e: email } } } }`},
	{name: "search of contacts for nobody", compiled: true, roles: []access.Role{access.Anonymous},
		query: `{ search(query: "awa", kinds: [CONTACT]) { kind node { id } } }`},
	{name: "a search too large is refused by the resolvers", query: `{ search(query: "eau", first: 1000) { kind } }`},
	{name: "a wrong id in a filter is named by the resolvers", query: `{ projects(filter: {lead: "Projet:4"}) { nodes { title } } }`},
	{name: "cursors of records and pages", compiled: true,
		query: `query($after: String) { structures(first: 3, after: $after) { pageInfo { startCursor endCursor hasNextPage }
		edges { cursor node { name projects(first: 2, after: "aTow") { pageInfo { startCursor endCursor } edges { cursor
		node { title } } } } } } end: projects(first: 4, after: "aTozNTc") { totalCount pageInfo { startCursor endCursor } edges { cursor } }
		past: projects(first: 4, after: "aToyOTk5") { pageInfo { startCursor endCursor } edges { cursor } }
		none: projects(first: 0) { pageInfo { startCursor endCursor } } }`, vars: map[string]any{"after": "aToxMQ"}},
	{name: "a structure's partners", compiled: true, query: `{ structures(first: 30) { nodes { name partners(first: 2) {
		__typename totalCount pageInfo { hasNextPage endCursor } edges { __typename cursor node { name } } nodes { id partners { totalCount } } } } } }`},
	{name: "a partner's partnership", compiled: true, query: `{ structures(first: 12) { nodes { name partners(first: 4) { edges { cursor
		partnership { id __typename kind description version since { label text } structure { name } partner { name } } node { name } } } } } }`},
	{name: "partnerships", compiled: true, query: `{ a: partnerships(first: 5) { totalCount pageInfo { hasNextPage endCursor }
		edges { cursor node { id kind structure { name } partner { name partners(first: 1) { nodes { name } } } } } }
		b: partnerships(kind: "voisinage", last: 3) { totalCount nodes { id kind since { fixed } } }
		c: partnerships(kind: "l'autre ? {parent}") { totalCount nodes { id } }
		d: node(id: "Partnership:3") { id ... on Partnership { kind partner { name } } }
		e: nodes(ids: ["Partnership:1", "Partnership:99999"]) { id } }`},
	{name: "a field computed in Go goes to the resolvers", query: `{ structures(first: 3) { nodes { name matchingFundingCalls(first: 2) { totalCount } } } }`},
	{name: "instants, in UTC to the microsecond", compiled: true, query: `{
		structures(first: 12) { nodes { id createdAt updatedAt projects(first: 2) { nodes { createdAt u: updatedAt lead { createdAt } } } } }
		events(first: 6) { nodes { createdAt updatedAt fundingCalls(first: 2) { nodes { createdAt updatedAt } } } }
		a: fundingCalls(first: 3) { nodes { updatedAt } } b: node(id: "Project:3") { ... on Project { createdAt } } }`},
	{name: "where structures act: their own country and their projects'", compiled: true, query: `{
		structures(first: 40) { nodes { name country { code } countries { code name __typename }
		projects(first: 2) { nodes { countries { code } lead { countries { name } } partners(first: 2) { nodes { a: countries { code } } } } } } }
		structure(id: "Structure:7") { countries { code } } }`},
	{name: "a project's periods", compiled: true, query: `{ projects(first: 8, orderBy: {field: STARTS}) { nodes { title
		starts { label precision from to time text fixed relation(on: "2021-06-01") } ends { label text fixed relation } } } }`},
	{name: "pages from the end", compiled: true, roles: []access.Role{access.Anonymous, access.Staff}, query: `{
		a: projects(last: 3) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { title } } }
		b: projects(last: 5, before: "aToxMA") { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id } } }
		c: projects(before: "aToxMA") { totalCount pageInfo { hasNextPage hasPreviousPage } nodes { id } }
		d: projects(first: 3, after: "aTo0", before: "aToxMA") { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id } }
		e: projects(last: 0) { totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id } }
		f: projects(last: 4, after: "aToyOTk5") { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id } }
		g: projects(last: 4, after: "aTo1", before: "aTox") { pageInfo { hasNextPage hasPreviousPage startCursor endCursor } nodes { id } }
		h: structures(first: 6, orderBy: {field: NAME}) { nodes { name projects(role: ANY, last: 2) { totalCount
		pageInfo { hasPreviousPage hasNextPage startCursor endCursor } edges { cursor node { title } } }
		partners(last: 1, before: "aTox") { totalCount pageInfo { hasPreviousPage startCursor } nodes { name } }
		contacts(last: 2) { nodes { name } } supportSessions(last: 1) { totalCount nodes { subject } } } }
		i: events(last: 3, orderBy: {field: DATE, direction: DESC}) { edges { cursor node { title organisers(last: 1) { nodes { name } } } } }
		j: structures(last: 3, filter: {query: "association"}, orderBy: {field: RELEVANCE}) { totalCount edges { cursor node { name } } }
		k: upcomingEvents(last: 3) { pageInfo { hasPreviousPage } nodes { id } }
		l: openFundingCalls(last: 2, before: "aTo1") { pageInfo { hasNextPage } nodes { id } }
		m: supportSessions(last: 2) { totalCount pageInfo { hasPreviousPage endCursor } nodes { id } }
		n: fundingCalls(first: 2, last: 1) { pageInfo { hasNextPage hasPreviousPage } nodes { id } } }`},
	{name: "a wrong cursor from the end is named by the resolvers", query: `{ projects(last: 3, before: "zzz") { nodes { title } } }`},
	{name: "a page too large from the end is refused by the resolvers", query: `{ projects(last: 1000) { nodes { title } } }`},
	{name: "a page too large is refused by the resolvers", query: `{ projects(first: 1000) { nodes { title } } }`},
}

// bothPaths is a synthetic network served twice: compiled, and by the
// resolvers alone.
type bothPaths struct {
	t                   *testing.T
	compiled, resolvers http.Handler
	counter             *statements
}

func newBothPaths(t *testing.T, bdb *bun.DB) *bothPaths {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2021, 1, 4, 9, 0, 0, 0, clock.Paris)
	_, err := dataset.SeedSynthetic(ctx, bdb, 120, now)
	require.NoError(t, err)
	// What the synthetic network lacks: a project without a lead, text
	// that JSON must escape, empty and absent values.
	_, err = bdb.ExecContext(ctx, `UPDATE projects SET lead_structure_id = NULL WHERE id % 7 = 0`)
	require.NoError(t, err)
	_, err = bdb.ExecContext(ctx, `UPDATE structures SET commune = '{parent}' WHERE id = 5`) // a text the compiler must not read
	require.NoError(t, err)
	_, err = bdb.ExecContext(ctx, `UPDATE structures SET name = ?, description = '', website = ? WHERE id = 3`,
		"Lianes \"coopération\" \\ l'été\t— 2021 <&>", "https://example.org/?a=1&b=2")
	require.NoError(t, err)
	// More partnerships than the synthetic network's one per structure:
	// each of the first forty with the next three, so that some structures
	// have several partners, from both ends.
	for i := int64(1); i <= 40; i++ {
		for j := i + 1; j <= i+3; j++ {
			_, err = bdb.ExecContext(ctx, `INSERT INTO partnerships (structure_id, partner_id, kind, created_at, updated_at)
				VALUES (?, ?, 'voisinage', ?, ?)`, i, j, now, now)
			require.NoError(t, err)
		}
	}
	// Other names, in an order that byte order and a collation disagree on.
	for i := int64(1); i <= 60; i += 2 {
		for _, name := range []string{"zèbre", "Zebre", "ÉCO", "eco", "MEL"} {
			_, err = bdb.ExecContext(ctx, `INSERT INTO structure_names (structure_id, name) VALUES (?, ?)`, i, name)
			require.NoError(t, err)
		}
	}
	// Events online, in person or not known; periods of every precision,
	// fixed or not; a call with no deadline, one closed, one not yet open.
	for _, q := range []string{
		`UPDATE events SET online = TRUE WHERE id % 3 = 0`,
		`UPDATE events SET online = FALSE WHERE id % 3 = 1`,
		`UPDATE events SET date_precision = 'unknown', date_from = NULL, date_to = NULL, date_label = 'à définir' WHERE id % 5 = 0`,
		`UPDATE events SET date_precision = 'month', date_from = '2021-06-01', date_to = '2021-06-30', date_label = 'juin 2021' WHERE id % 5 = 1`,
		`UPDATE events SET date_time = '10:30', status = 'annule' WHERE id % 4 = 2`,
		// Every precision, on the days where a period's text changes its words.
		`UPDATE events SET date_precision = 'season', date_from = '2021-09-01', date_to = '2021-11-30', date_time = '' WHERE id % 11 = 3`,
		`UPDATE events SET date_precision = 'season', date_from = '2021-12-01', date_to = '2022-02-28', date_time = '' WHERE id % 11 = 4`,
		`UPDATE events SET date_precision = 'half', date_from = '2021-07-01', date_to = '2021-12-31', date_time = '' WHERE id % 11 = 5`,
		`UPDATE events SET date_precision = 'span', date_from = '2021-10-01', date_to = '2022-03-31', date_time = '' WHERE id % 11 = 6`,
		`UPDATE events SET date_precision = 'span', date_from = '2021-04-15', date_to = '2021-06-01', date_time = '' WHERE id % 11 = 7`,
		`UPDATE events SET date_precision = 'months', date_from = '2021-12-01', date_to = '2022-01-31', date_time = '' WHERE id % 11 = 8`,
		`UPDATE events SET date_precision = 'year', date_from = '2022-01-01', date_to = '2022-12-31', date_time = '' WHERE id % 11 = 9`,
		`UPDATE events SET date_precision = 'day', date_from = '2021-03-01', date_to = '2021-03-01', date_time = '09:05' WHERE id % 11 = 10`,
		`UPDATE funding_calls SET deadline_precision = 'unknown', deadline_from = NULL, deadline_to = NULL WHERE id = 2`,
		`UPDATE funding_calls SET status = 'clos', territory = 'national' WHERE id = 3`,
		`UPDATE funding_calls SET opens_precision = 'day', opens_from = '2021-05-01', opens_to = '2021-05-01' WHERE id = 4`,
		`UPDATE support_sessions SET department_code = '59', funding_call_id = 2, project_id = 5, duration_minutes = 90, staff = 'Awa' WHERE id % 3 = 0`,
		`UPDATE contacts SET phone = '03 20 00 00 00', role = '' WHERE id % 4 = 0`,
		`UPDATE contacts SET structure_id = NULL WHERE id = 2`,
		`UPDATE structures SET country_code = NULL WHERE id % 9 = 0`,
		`UPDATE publications SET series = 'Cahiers', date_precision = 'unknown', date_from = NULL, date_to = NULL WHERE id = 1`,
		`INSERT INTO programme_action_items (action_id, position, title, description) VALUES (1, 2, 'Deux', ''), (1, 1, 'Un', 'premier')`,
		`INSERT INTO census_campaigns (title, description, date_label, date_precision, date_from, date_to) VALUES ('Recensement', '', '2021', 'year', '2021-01-01', '2021-12-31'), ('Sans date', 'x', '', 'unknown', NULL, NULL)`,
	} {
		_, err = bdb.ExecContext(ctx, q)
		require.NoError(t, err)
	}
	// Instants of every length of decimals, some written in another zone.
	for i, at := range []time.Time{
		time.Date(2021, 3, 28, 1, 59, 59, 0, time.UTC),
		time.Date(2021, 3, 28, 3, 0, 0, 500_000_000, clock.Paris),
		time.Date(2020, 12, 31, 23, 59, 59, 1_000, time.UTC),
		time.Date(2021, 6, 1, 12, 30, 0, 123_456_000, clock.Paris),
		time.Date(2021, 10, 31, 2, 30, 0, 120_000_000, clock.Paris),
		time.Date(1999, 1, 1, 0, 0, 0, 10_000, time.FixedZone("", -5*3600)),
	} {
		for _, table := range []string{"structures", "projects", "events", "funding_calls"} {
			_, err = bdb.ExecContext(ctx, `UPDATE `+table+` SET created_at = ?, updated_at = ? WHERE id = ?`,
				at, at.Add(time.Duration(i)*time.Microsecond), i+1)
			require.NoError(t, err)
		}
	}
	// Offices, which it has none of either, some without a department.
	for i := int64(1); i <= 30; i++ {
		for k, dept := range []any{"59", nil, "80"}[:1+i%3] {
			_, err = bdb.ExecContext(ctx, `INSERT INTO structure_offices (structure_id, name, commune, department_code, address)
				VALUES (?, ?, ?, ?, ?)`, i, fmt.Sprintf("Antenne %d", k+1), []string{"Lille", "", "Amiens"}[k], dept, "")
			require.NoError(t, err)
		}
	}
	b := &bothPaths{t: t, counter: &statements{}}
	bdb.AddQueryHook(b.counter)
	handler := func(resolversOnly bool) http.Handler {
		c := clock.Fixed(now)
		return graph.NewHandler(&graph.Resolver{Services: domain.New(bdb, c), Clock: c, ResolversOnly: resolversOnly},
			graph.DefaultLimits, slog.New(slog.NewTextHandler(io.Discard, nil)))
	}
	b.compiled, b.resolvers = handler(false), handler(true)
	return b
}

// post answers a query and counts its SQL statements.
func (b *bothPaths) post(h http.Handler, query string, vars map[string]any) (string, int64) {
	return b.postAs(access.Anonymous, h, query, vars)
}

// postAs answers a query asked with a role.
func (b *bothPaths) postAs(role access.Role, h http.Handler, query string, vars map[string]any) (string, int64) {
	b.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(b.t, err)
	req := httptest.NewRequest(http.MethodPost, "/graphql", bytes.NewReader(body))
	req = req.WithContext(access.WithRole(req.Context(), role))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	before := b.counter.n.Load()
	h.ServeHTTP(rec, req)
	return rec.Body.String(), b.counter.n.Load() - before
}

func TestCompiledReadsAnswerAsTheResolvers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		b := newBothPaths(t, bdb)
		for _, c := range compiledCases {
			t.Run(c.name, func(t *testing.T) {
				roles := c.roles
				if len(roles) == 0 {
					roles = []access.Role{access.Anonymous}
				}
				for _, role := range roles {
					want, resolved := b.postAs(role, b.resolvers, c.query, c.vars)
					got, n := b.postAs(role, b.compiled, c.query, c.vars)
					if strings.Contains(want, `"errors"`) {
						// The resolvers report errors in the order their
						// goroutines meet them.
						want, got = sortedErrors(t, want), sortedErrors(t, got)
					}
					require.JSONEq(t, want, got, role.String())
					require.Equal(t, want, got, "same bytes, keys in the same order, as %s", role)
					if c.compiled {
						if !c.denied {
							require.NotContains(t, got, `"errors"`, role.String())
						} else {
							// Asked again, it is not answered from a plan
							// that would lose its errors.
							again, _ := b.postAs(role, b.compiled, c.query, c.vars)
							require.Equal(t, sortedErrors(t, got), sortedErrors(t, again), "asked again as %s", role)
						}
						require.EqualValues(t, 1, n, "one statement as %s", role)
					} else {
						require.Equal(t, resolved, n, "answered by the resolvers as %s", role)
					}
				}
			})
		}
	})
}

// requireOnlyForbidden requires an answer's errors to be all FORBIDDEN:
// a role asking for what it may not see.
func requireOnlyForbidden(t *testing.T, answer string, msgAndArgs ...any) {
	t.Helper()
	var doc struct {
		Errors []struct {
			Extensions struct{ Code string } `json:"extensions"`
		} `json:"errors"`
	}
	require.NoError(t, json.Unmarshal([]byte(answer), &doc))
	for _, e := range doc.Errors {
		require.Equal(t, graph.CodeForbidden, e.Extensions.Code, msgAndArgs...)
	}
}

// sortedErrors returns an answer with its errors ordered by path.
func sortedErrors(t *testing.T, answer string) string {
	var doc struct {
		Data   json.RawMessage   `json:"data"`
		Errors []json.RawMessage `json:"errors"`
	}
	require.NoError(t, json.Unmarshal([]byte(answer), &doc))
	slices.SortFunc(doc.Errors, func(a, b json.RawMessage) int { return bytes.Compare(a, b) })
	out, err := json.Marshal(doc)
	require.NoError(t, err)
	return string(out)
}

// TestCompiledReadsOfRandomQueries draws queries from everything the
// compiler takes (fields, aliases, pages, orders, filters, nesting) and
// requires each to be compiled and to answer as the resolvers do.
func TestCompiledReadsOfRandomQueries(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		b := newBothPaths(t, bdb)
		g := &queryGen{r: rand.New(rand.NewPCG(2021, 4))}
		roles := []access.Role{access.Anonymous, access.Member, access.Staff, access.Admin}
		for i := range 200 {
			g.role = roles[g.r.IntN(len(roles))]
			query := g.query()
			want, _ := b.postAs(g.role, b.resolvers, query, nil)
			got, n := b.postAs(g.role, b.compiled, query, nil)
			if strings.Contains(want, `"errors"`) {
				requireOnlyForbidden(t, want, "query %d as %s: %s", i, g.role, query)
				want, got = sortedErrors(t, want), sortedErrors(t, got)
			}
			require.Equal(t, want, got, "query %d as %s: %s", i, g.role, query)
			require.EqualValues(t, 1, n, "query %d as %s compiled: %s", i, g.role, query)
		}
	})
}

// queryGen writes random queries within what the compiler takes, small
// enough for the complexity limit.
type queryGen struct {
	r       *rand.Rand
	aliases int
	role    access.Role // the role the query is asked with
}

func (g *queryGen) pick(options ...string) string { return options[g.r.IntN(len(options))] }

// some returns a non-empty random subset of parts, in a random order.
func (g *queryGen) some(parts ...func() string) string {
	g.r.Shuffle(len(parts), func(i, j int) { parts[i], parts[j] = parts[j], parts[i] })
	n := 1 + g.r.IntN(len(parts))
	out := make([]string, n)
	for i := range n {
		out[i] = parts[i]()
	}
	return strings.Join(out, " ")
}

func (g *queryGen) field(name string) func() string {
	return func() string {
		if g.r.IntN(5) == 0 {
			g.aliases++
			return fmt.Sprintf("a%d: %s", g.aliases, name)
		}
		return name
	}
}

// paging always asks a size, from the start or from the end: without one,
// the complexity counts a page of the largest size, and random nesting would
// go past the limit.
func (g *queryGen) paging(max int) string {
	args := []string{fmt.Sprintf("first: %d", g.r.IntN(max+1))}
	if g.r.IntN(3) == 0 {
		args[0] = fmt.Sprintf("last: %d", g.r.IntN(max+1))
	}
	if g.r.IntN(3) == 0 {
		args = append(args, fmt.Sprintf("after: %q", listing.Cursor(g.r.IntN(12))))
	}
	if g.r.IntN(4) == 0 {
		args = append(args, fmt.Sprintf("before: %q", listing.Cursor(g.r.IntN(16))))
	}
	return strings.Join(args, ", ")
}

func (g *queryGen) args(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	if len(kept) == 0 {
		return ""
	}
	return "(" + strings.Join(kept, ", ") + ")"
}

func (g *queryGen) connection(node func(depth int) string, edge string, depth int) string {
	return "{ " + g.some(
		g.field("totalCount"),
		g.field("__typename"),
		func() string {
			return g.field("pageInfo")() + " { " + g.some(g.field("hasNextPage"), g.field("hasPreviousPage"),
				g.field("startCursor"), g.field("endCursor")) + " }"
		},
		func() string { return g.field("nodes")() + " { " + node(depth) + " }" },
		func() string {
			parts := []func() string{g.field("cursor"), g.field("__typename"),
				func() string { return g.field("node")() + " { " + node(depth) + " }" }}
			if edge == "Partner" {
				parts = append(parts, func() string { return g.field("partnership")() + " { " + g.partnership(depth+1) + " }" })
			}
			return g.field("edges")() + " { " + g.some(parts...) + " }"
		},
	) + " }"
}

func (g *queryGen) partnership(depth int) string {
	parts := []func() string{g.field("id"), g.field("__typename"), g.field("kind"), g.field("description"), g.field("version"),
		func() string { return g.field("since")() + " " + g.period() }}
	if depth < 2 {
		parts = append(parts,
			func() string { return g.field("structure")() + " { " + g.structure(2) + " }" },
			func() string { return g.field("partner")() + " { " + g.structure(2) + " }" })
	}
	return g.some(parts...)
}

// audience asks for an audience's fields, its actor types among them.
func (g *queryGen) audience() string {
	return "{ " + g.some(g.field("code"), g.field("name"), g.field("__typename"),
		func() string { return g.field("actorTypes")() + " " + g.reference("code", "name") }) + " }"
}

func (g *queryGen) reference(fields ...string) string {
	parts := make([]func() string, len(fields))
	for i, f := range fields {
		parts[i] = g.field(f)
	}
	return "{ " + g.some(parts...) + " }"
}

func (g *queryGen) structure(depth int) string {
	parts := []func() string{g.field("id"), g.field("__typename"), g.field("name"), g.field("otherNames"), g.field("commune"), g.field("email"),
		g.field("website"), g.field("description"), g.field("version"), g.field("sourceType"), g.field("createdAt"), g.field("updatedAt"),
		func() string { return g.field("actorType")() + " " + g.reference("code", "name") },
		func() string { return g.field("department")() + " " + g.reference("code", "name", "populationShare") },
		func() string { return g.field("country")() + " " + g.reference("code", "name") },
		func() string { return g.field("countries")() + " " + g.reference("code", "name") },
		func() string { return g.field("themes")() + " " + g.reference("code", "name") },
		func() string {
			return g.field("offices")() + " { " + g.some(g.field("name"), g.field("commune"), g.field("address"), g.field("__typename"),
				func() string { return g.field("department")() + " " + g.reference("code", "name") }) + " }"
		},
	}
	if depth < 2 {
		parts = append(parts,
			func() string {
				return g.field("projects")() + g.args(g.pick("", "role: LEAD", "role: PARTNER", "role: ANY"), g.paging(4)) +
					" " + g.connection(g.project, "Project", depth+1)
			},
			func() string {
				return g.field("partners")() + g.args(g.paging(4)) + " " + g.connection(g.structure, "Partner", depth+1)
			},
			func() string {
				return g.field("events")() + g.args(g.paging(3)) + " " + g.connection(g.event, "Event", depth+1)
			},
			func() string {
				return g.field("contacts")() + g.args(g.paging(3)) + " " + g.connection(g.contact, "Contact", depth+1)
			},
			func() string {
				return g.field("supportSessions")() + g.args(g.paging(3)) + " " + g.connection(g.session, "SupportSession", depth+1)
			})
	}
	return g.some(parts...)
}

// period asks for the parts of a Period computed in SQL.
func (g *queryGen) period() string {
	return "{ " + g.some(g.field("label"), g.field("precision"), g.field("from"), g.field("to"), g.field("time"), g.field("text"), g.field("fixed"),
		g.field("relation"), func() string {
			g.aliases++
			return fmt.Sprintf(`a%d: relation(on: "2021-%02d-15")`, g.aliases, 1+g.r.IntN(12))
		}) + " }"
}

func (g *queryGen) event(depth int) string {
	parts := []func() string{g.field("id"), g.field("__typename"), g.field("title"), g.field("kind"), g.field("status"),
		g.field("format"), g.field("content"), g.field("audienceText"), g.field("online"), g.field("place"),
		g.field("registrationUrl"), g.field("note"), g.field("version"), g.field("createdAt"), g.field("updatedAt"),
		func() string { return g.field("date")() + " " + g.period() },
		func() string { return g.field("audiences")() + " " + g.audience() },
		func() string { return g.field("themes")() + " " + g.reference("code", "name") },
		func() string { return g.field("countries")() + " " + g.reference("code", "name") },
	}
	if depth < 2 {
		parts = append(parts,
			func() string {
				return g.field("organisers")() + g.args(g.paging(3)) + " " + g.connection(g.structure, "Structure", depth+1)
			},
			func() string {
				return g.field("fundingCalls")() + g.args(g.paging(3)) + " " + g.connection(g.call, "FundingCall", depth+1)
			})
	}
	return g.some(parts...)
}

func (g *queryGen) call(depth int) string {
	parts := []func() string{g.field("id"), g.field("__typename"), g.field("title"), g.field("funder"), g.field("programme"),
		g.field("description"), g.field("audienceText"), g.field("recurrence"), g.field("url"), g.field("version"),
		g.field("territory"), g.field("status"), g.field("deadlineKnown"), g.field("isOpen"), g.field("createdAt"), g.field("updatedAt"),
		func() string {
			g.aliases++
			return fmt.Sprintf(`a%d: isOpen(on: "2021-%02d-01")`, g.aliases, 1+g.r.IntN(12))
		},
		func() string { return g.field("opens")() + " " + g.period() },
		func() string { return g.field("deadline")() + " " + g.period() },
		func() string { return g.field("audiences")() + " " + g.audience() },
		func() string { return g.field("themes")() + " " + g.reference("code", "name") },
	}
	if depth < 2 {
		parts = append(parts, func() string {
			return g.field("events")() + g.args(g.paging(3)) + " " + g.connection(g.event, "Event", depth+1)
		})
	}
	return g.some(parts...)
}

// contact asks for what the role may see of a contact: e-mails and phones
// are for the staff.
func (g *queryGen) contact(depth int) string {
	parts := []func() string{g.field("id"), g.field("__typename"), g.field("name"), g.field("role"), g.field("consent"), g.field("version"),
		g.field("email"), g.field("phone")}
	if depth < 2 {
		parts = append(parts, func() string { return g.field("structure")() + " { " + g.structure(depth+1) + " }" })
	}
	return g.some(parts...)
}

func (g *queryGen) session(depth int) string {
	parts := []func() string{g.field("id"), g.field("__typename"), g.field("subject"), g.field("sourceType"), g.field("staff"),
		g.field("durationMinutes"), g.field("version"),
		func() string { return g.field("date")() + " " + g.period() },
		func() string { return g.field("department")() + " " + g.reference("code", "name") },
	}
	if depth < 2 {
		parts = append(parts,
			func() string { return g.field("structure")() + " { " + g.structure(depth+1) + " }" },
			func() string { return g.field("fundingCall")() + " { " + g.call(depth+1) + " }" },
			func() string { return g.field("project")() + " { " + g.project(depth+1) + " }" })
	}
	return g.some(parts...)
}

func (g *queryGen) programme() string {
	return g.some(
		func() string {
			return g.field("trainings")() + g.args(g.paging(3)) + " " + g.connection(func(int) string {
				return g.some(g.field("id"), g.field("title"), g.field("description"),
					func() string { return g.field("modules")() + " " + g.reference("position", "title") })
			}, "TrainingCycle", 1)
		},
		func() string {
			filter := g.pick("", `filter: {kinds: [REVUE, BROCHURE]}`, `filter: {series: ["Cahiers"]}`, `filter: {query: "cahier école"}`,
				`filter: {query: "forage", kinds: [RAPPORT]}`)
			return g.field("publications")() + g.args(filter, g.paging(5)) + " " + g.connection(func(int) string {
				return g.some(g.field("id"), g.field("title"), g.field("series"), g.field("kind"), g.field("description"),
					g.field("version"), func() string { return g.field("date")() + " " + g.period() })
			}, "Publication", 1)
		},
		func() string {
			return g.field("censusCampaigns")() + g.args(g.paging(3)) + " " + g.connection(func(int) string {
				return g.some(g.field("id"), g.field("title"), g.field("description"),
					func() string { return g.field("date")() + " " + g.period() })
			}, "CensusCampaign", 1)
		},
		func() string {
			return g.field("programmeActions")() + g.args(g.paging(3)) + " " + g.connection(func(int) string {
				return g.some(g.field("id"), g.field("title"), g.field("axis"), g.field("description"), g.field("plannedCount"),
					g.field("url"), func() string { return g.field("date")() + " " + g.period() },
					func() string { return g.field("items")() + " " + g.reference("position", "title", "description") },
					func() string { return g.field("structures")() + " { " + g.structure(2) + " }" })
			}, "ProgrammeAction", 1)
		},
		func() string {
			if list := g.pick("themes", "countries", "audiences", "actorTypes"); list != "audiences" {
				return g.field(list)() + " " + g.reference("code", "name", "__typename")
			}
			return g.field("audiences")() + " " + g.audience()
		},
	)
}

func (g *queryGen) project(depth int) string {
	parts := []func() string{g.field("id"), g.field("__typename"), g.field("title"), g.field("description"), g.field("version"),
		g.field("status"), g.field("createdAt"), g.field("updatedAt"),
		func() string { return g.field("themes")() + " " + g.reference("code", "name") },
		func() string { return g.field("countries")() + " " + g.reference("code", "name") },
	}
	if depth < 2 {
		parts = append(parts,
			func() string { return g.field("lead")() + " { " + g.structure(depth+1) + " }" },
			func() string {
				return g.field("partners")() + g.args(g.paging(4)) + " " + g.connection(g.structure, "Structure", depth+1)
			})
	}
	return g.some(parts...)
}

func (g *queryGen) query() string {
	g.aliases = 0
	return "{ " + g.some(
		func() string {
			order := g.pick("", "orderBy: {field: NAME}", "orderBy: {field: NAME, direction: DESC}", "orderBy: {field: CREATED_AT}",
				"orderBy: {field: UPDATED_AT, direction: DESC}",
				"orderBy: {field: RELEVANCE, direction: DESC}")
			filter := g.pick("", "", `filter: {departments: ["59", "62"]}`, `filter: {themes: ["climat", "eau-assainissement"]}`,
				`filter: {countries: ["FR"], actorTypes: ["ong", "association-locale"]}`, `filter: {query: "association"}`,
				`filter: {query: "solidarité lille"}`)
			return g.field("structures")() + g.args(order, filter, g.paging(8)) + " " + g.connection(g.structure, "Structure", 0)
		},
		func() string {
			order := g.pick("", "orderBy: {field: TITLE, direction: DESC}", "orderBy: {field: STARTS}", "orderBy: {field: CREATED_AT}")
			filter := g.pick("", "", `filter: {statuses: [ACTIVE]}`, `filter: {countries: ["SN", "BF", "ML"]}`, `filter: {lead: "Structure:4"}`,
				`filter: {query: "forage"}`, `filter: {query: "projet jardin", statuses: [ACTIVE]}`)
			return g.field("projects")() + g.args(order, filter, g.paging(8)) + " " + g.connection(g.project, "Project", 0)
		},
		func() string {
			return g.field("structure")() + fmt.Sprintf(`(id: "Structure:%d")`, 1+g.r.IntN(130)) + " { " + g.structure(0) + " }"
		},
		func() string {
			return g.field("project")() + fmt.Sprintf(`(id: "Project:%d")`, 1+g.r.IntN(400)) + " { " + g.project(0) + " }"
		},
		func() string {
			return g.field("node")() + fmt.Sprintf(`(id: "Structure:%d")`, 1+g.r.IntN(130)) +
				" { ... on Structure { " + g.structure(1) + " } ... on Project { " + g.project(1) + " } }"
		},
		func() string {
			order := g.pick("", "orderBy: {field: TITLE}", "orderBy: {field: DATE, direction: DESC}")
			filter := g.pick("", "", `filter: {kinds: [WEBINAIRE]}`, `filter: {statuses: [PREVISIONNEL, ANNULE]}`,
				`filter: {relations: [UPCOMING], on: "2021-06-01"}`, `filter: {between: {from: "2021-02-01", to: "2021-08-31"}}`,
				`filter: {query: "rencontre forage"}`)
			root := g.pick("events", "upcomingEvents")
			if root == "upcomingEvents" {
				order, filter = g.pick("", `now: "2021-04-01"`, `now: "2021-09-01", includeNotFixed: false`), ""
			}
			return g.field(root)() + g.args(order, filter, g.paging(8)) + " " + g.connection(g.event, "Event", 0)
		},
		func() string {
			if g.r.IntN(3) == 0 {
				return g.field("openFundingCalls")() + g.args(g.pick("", `now: "2021-05-01"`, `territory: REGIONAL`), g.paging(6)) +
					" " + g.connection(g.call, "FundingCall", 0)
			}
			order := g.pick("", "orderBy: {field: TITLE, direction: DESC}", "orderBy: {field: DEADLINE}")
			filter := g.pick("", `filter: {statuses: [ACTIF]}`, `filter: {openOn: "2021-03-01"}`, `filter: {territories: [NATIONAL]}`)
			return g.field("fundingCalls")() + g.args(order, filter, g.paging(6)) + " " + g.connection(g.call, "FundingCall", 0)
		},
		func() string {
			return g.field("event")() + fmt.Sprintf(`(id: "Event:%d")`, 1+g.r.IntN(26)) + " { " + g.event(0) + " }"
		},
		func() string {
			return g.field("fundingCall")() + fmt.Sprintf(`(id: "FundingCall:%d")`, 1+g.r.IntN(7)) + " { " + g.call(0) + " }"
		},
		g.programme,
		func() string {
			kinds := g.pick("", "kinds: [STRUCTURE, PROJECT]", "kinds: [EVENT, FUNDING_CALL, PUBLICATION]", "kinds: [SUPPORT_SESSION, TRAINING]",
				"kinds: [CONTACT, CENSUS_CAMPAIGN, PROGRAMME_ACTION]")
			first := ""
			if g.r.IntN(2) == 0 {
				first = fmt.Sprintf("first: %d", g.r.IntN(30))
			}
			return g.field("search")() + g.args(fmt.Sprintf("query: %q", g.pick("eau", "forage école", "association lille", "awa", "cahier", "rencontre")),
				kinds, first) + " { " + g.some(g.field("kind"), g.field("score"), g.field("__typename"), func() string {
				// One type's fragment: two types' fields of one name but
				// another type or arguments would conflict.
				fragment := []func() string{
					func() string { return "... on Structure { " + g.structure(1) + " }" },
					func() string { return "... on Project { " + g.project(1) + " }" },
					func() string { return "... on Event { " + g.event(1) + " }" },
					func() string { return "... on FundingCall { " + g.call(1) + " }" },
					func() string { return "... on Contact { " + g.contact(1) + " }" },
					func() string { return "... on SupportSession { " + g.session(1) + " }" },
				}[g.r.IntN(6)]
				return g.field("node")() + " { " + g.some(g.field("id"), g.field("__typename"), fragment) + " }"
			}) + " }"
		},
		func() string {
			// Records of every kind by id, some missing, some a role may
			// not see; one type's fragment, as for search.
			ids := make([]string, 1+g.r.IntN(4))
			for i := range ids {
				ids[i] = fmt.Sprintf("%q", fmt.Sprintf("%s:%d", g.pick("Structure", "Project", "Event", "FundingCall", "Contact",
					"SupportSession", "Partnership", "Publication", "TrainingCycle"), 1+g.r.IntN(40)))
			}
			fragment := []func() string{
				func() string { return "... on Structure { " + g.structure(1) + " }" },
				func() string { return "... on Contact { " + g.contact(1) + " }" },
				func() string { return "... on SupportSession { " + g.session(1) + " }" },
				func() string { return "... on Event { " + g.event(1) + " }" },
			}[g.r.IntN(4)]
			return g.field("nodes")() + "(ids: [" + strings.Join(ids, ", ") + "]) { " + g.some(g.field("id"), g.field("__typename"), fragment) + " }"
		},
		func() string {
			query := g.pick("", "", `query: "awa"`, `query: "karim diallo"`)
			return g.field("contacts")() + g.args(query, g.paging(6)) + " " + g.connection(g.contact, "Contact", 0)
		},
		func() string {
			kind := g.pick("", "", `kind: "voisinage"`, `kind: "partenariat"`, `kind: "l'autre ?"`)
			return g.field("partnerships")() + g.args(kind, g.paging(6)) + " " + g.connection(g.partnership, "Partnership", 0)
		},
		func() string {
			filter := g.pick("", "", `filter: {departments: ["59", "62"]}`, `filter: {structure: "Structure:4"}`,
				`filter: {between: {from: "2021-04-01", to: "2021-09-30"}}`, `filter: {query: "accompagnement"}`,
				`filter: {query: "accompagnement forage", departments: ["59"]}`)
			return g.field("supportSessions")() + g.args(filter, g.paging(6)) + " " + g.connection(g.session, "SupportSession", 0)
		},
	) + " }"
}
