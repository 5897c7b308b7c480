package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/lianes-cooperation/lianes/graph"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"
)

// statements counts the SQL statements a database runs.
type statements struct{ n atomic.Int64 }

func (s *statements) BeforeQuery(ctx context.Context, _ *bun.QueryEvent) context.Context { return ctx }
func (s *statements) AfterQuery(context.Context, *bun.QueryEvent)                        { s.n.Add(1) }

// api is the GraphQL endpoint over a seeded demo database.
type api struct {
	t       *testing.T
	db      *bun.DB
	now     time.Time
	server  *httptest.Server
	role    access.Role
	counter *statements
	log     *bytes.Buffer
}

// newAPI seeds the demo into db and serves GraphQL on it, as of 4 January 2021.
func newAPI(t *testing.T, bdb *bun.DB) *api {
	t.Helper()
	return newAPIWith(t, bdb, false)
}

// newAPIWith is newAPI, answering every query through the resolvers when
// resolversOnly is set (what a test of the resolvers' loading needs, since
// the shapes it uses may be compiled).
func newAPIWith(t *testing.T, bdb *bun.DB, resolversOnly bool) *api {
	t.Helper()
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	now := time.Date(2021, 1, 4, 9, 0, 0, 0, clock.Paris)
	a := &api{t: t, db: bdb, now: now, counter: &statements{}, log: &bytes.Buffer{}}
	bdb.AddQueryHook(a.counter)
	resolver := &graph.Resolver{Services: domain.New(bdb, clock.Fixed(now)), Clock: clock.Fixed(now), ResolversOnly: resolversOnly}
	h := graph.NewHandler(resolver, graph.DefaultLimits, slog.New(slog.NewTextHandler(a.log, nil)))
	a.server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(access.WithRole(r.Context(), a.role)))
	}))
	t.Cleanup(a.server.Close)
	return a
}

func (a *api) clockNow() time.Time { return a.now }

type gqlError struct {
	Message    string         `json:"message"`
	Path       []any          `json:"path"`
	Extensions map[string]any `json:"extensions"`
}

type response struct {
	Data   json.RawMessage `json:"data"`
	Errors []gqlError      `json:"errors"`
}

// do posts a query and returns the decoded response.
func (a *api) do(query string, vars map[string]any) response {
	a.t.Helper()
	body, err := json.Marshal(map[string]any{"query": query, "variables": vars})
	require.NoError(a.t, err)
	resp, err := http.Post(a.server.URL, "application/json", bytes.NewReader(body))
	require.NoError(a.t, err)
	defer resp.Body.Close()
	var out response
	raw, err := io.ReadAll(resp.Body)
	require.NoError(a.t, err)
	require.NoError(a.t, json.Unmarshal(raw, &out), string(raw))
	return out
}

// data runs a query that must succeed and decodes its data into dest.
func (a *api) data(query string, vars map[string]any, dest any) {
	a.t.Helper()
	resp := a.do(query, vars)
	require.Empty(a.t, resp.Errors, "query failed: %s", query)
	require.NoError(a.t, json.Unmarshal(resp.Data, dest))
}

type titled struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Name  string `json:"name"`
}

func TestUpcomingEventsFollowDatePrecision(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		var out struct {
			UpcomingEvents struct {
				TotalCount int `json:"totalCount"`
				Nodes      []struct {
					Title string `json:"title"`
					Kind  string `json:"kind"`
					Date  struct {
						Label    string `json:"label"`
						Fixed    bool   `json:"fixed"`
						Relation string `json:"relation"`
					} `json:"date"`
				} `json:"nodes"`
			} `json:"upcomingEvents"`
		}
		q := `query($now: Date, $kinds: [EventKind!]) { upcomingEvents(now: $now, filter: {kinds: $kinds}, first: 100) {
			totalCount nodes { title kind date { label fixed relation(on: $now) } } } }`

		a.data(q, map[string]any{"kinds": []string{"WEBINAIRE"}}, &out)
		require.Equal(t, "Accès à l’eau au Sénégal", out.UpcomingEvents.Nodes[0].Title, "the clock says 4 January 2021")
		require.Contains(t, out.UpcomingEvents.Nodes[1].Title, "DAECT")

		// On 15 April, May's events are upcoming; on 15 May they are current;
		// in June they are gone; the Amiens opening, not fixed, stays, last.
		for _, c := range []struct {
			now      string
			relation string
			present  bool
		}{{"2021-04-15", "UPCOMING", true}, {"2021-05-15", "CURRENT", true}, {"2021-06-01", "", false}} {
			a.data(q, map[string]any{"now": c.now}, &out)
			found := false
			for _, n := range out.UpcomingEvents.Nodes {
				if n.Title == "Commission Energie" {
					found = true
					require.Equal(t, c.relation, n.Date.Relation, c.now)
				}
			}
			require.Equal(t, c.present, found, c.now)
			last := out.UpcomingEvents.Nodes[len(out.UpcomingEvents.Nodes)-1]
			require.Equal(t, "Ouverture de l’antenne d’Amiens", last.Title)
			require.False(t, last.Date.Fixed)
			require.Equal(t, "NOT_FIXED", last.Date.Relation)
		}

		// Past events are listed as past, never the one not fixed.
		var past struct {
			Events struct {
				Nodes []titled `json:"nodes"`
			} `json:"events"`
		}
		a.data(`{ events(filter: {relations: [PAST], on: "2030-01-01"}, first: 100) { nodes { title } } }`, nil, &past)
		require.Len(t, past.Events.Nodes, 40)
	})
}

func TestOpenFundingCalls(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		var out struct {
			OpenFundingCalls struct {
				TotalCount int `json:"totalCount"`
				Nodes      []struct {
					Title         string `json:"title"`
					DeadlineKnown bool   `json:"deadlineKnown"`
					Deadline      struct {
						Text string `json:"text"`
					} `json:"deadline"`
				} `json:"nodes"`
			} `json:"openFundingCalls"`
		}
		a.data(`{ openFundingCalls(audience: "associations", theme: "eau-assainissement") { totalCount nodes { title } } }`, nil, &out)
		require.Zero(t, out.OpenFundingCalls.TotalCount, "no call of the programme is about water")

		a.data(`{ openFundingCalls(audience: "collectivites", first: 50) { totalCount nodes { title deadlineKnown deadline { text } } } }`, nil, &out)
		require.Equal(t, 6, out.OpenFundingCalls.TotalCount, "DAECT (3), Erasmus +, CES and ISI")
		for _, n := range out.OpenFundingCalls.Nodes {
			require.False(t, n.DeadlineKnown, "the programme gives no deadline: %s", n.Title)
			require.Equal(t, "date à définir", n.Deadline.Text)
		}

		a.data(`{ openFundingCalls(territory: REGIONAL) { totalCount nodes { title } } }`, nil, &out)
		require.Equal(t, 2, out.OpenFundingCalls.TotalCount, "Récital and Acteurs de l'Energie pour l'Afrique")

		// A closed call is no longer open, deadline or not.
		_, err := bdb.NewUpdate().TableExpr("funding_calls").Set("status = 'clos'").Where("title = ?", "FASEP").Exec(context.Background())
		require.NoError(t, err)
		a.data(`{ openFundingCalls(first: 50) { totalCount nodes { title } } }`, nil, &out)
		require.Equal(t, 12, out.OpenFundingCalls.TotalCount)
	})
}

func TestSearchFindsTheRightRecordsFirst(t *testing.T) {
	results := map[string][]string{}
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		type hit struct {
			Kind string `json:"kind"`
			Node titled `json:"node"`
		}
		var out struct {
			Search []hit `json:"search"`
		}
		q := `query($q: String!) { search(query: $q, first: 5) { kind node {
			... on Structure { id name } ... on Project { id title } ... on Event { id title }
			... on FundingCall { id title } ... on TrainingCycle { id title } ... on Publication { id title }
			... on ProgrammeAction { id title } ... on CensusCampaign { id title } } } }`
		first := func(query string) hit {
			a.data(q, map[string]any{"q": query}, &out)
			require.NotEmpty(t, out.Search, query)
			var ids []string
			for _, h := range out.Search {
				ids = append(ids, h.Node.ID)
			}
			results[t.Name()+"|"+query] = ids
			return out.Search[0]
		}

		h := first("electrification")
		require.Equal(t, "PROJECT", h.Kind)
		require.Contains(t, strings.ToLower(h.Node.Title), "électrification")
		require.Equal(t, first("électrification"), first("ELECTRIFICATION"))

		h = first("Sénégal")
		require.Contains(t, h.Node.Title, "Sénégal")
		require.Equal(t, first("Sénégal").Node, first("senegal").Node)

		h = first("eau")
		require.Contains(t, []string{"Accès à l’eau au Sénégal", "Accès à l’eau au Burkina Faso", "Commission Eau et Assainissement",
			"Projet de forage au Sénégal", "Fonds eau de la MEL", "Projet de forage au Maroc"}, h.Node.Title+h.Node.Name)
		require.Equal(t, first("eau").Node, first("l'eau").Node, "elisions are ignored")

		h = first("jeunes")
		require.Equal(t, h.Node, first("jeune").Node, "plural and singular meet")

		a.data(q, map[string]any{"q": "zzzz introuvable"}, &out)
		require.Empty(t, out.Search)
	})
	for key, ids := range results {
		if strings.Contains(key, "sqlite") {
			pgKey := strings.Replace(key, "sqlite", "postgres", 1)
			if pg, ok := results[pgKey]; ok {
				require.Equal(t, ids, pg, "the same ranking on both databases: %s", key)
			}
		}
	}
}

func TestAnonymousCallersSeeNoPersonalData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		q := `{ structures(filter: {query: "Lianes coopération"}, first: 1) { nodes { name email
			contacts { totalCount nodes { name email phone } } supportSessions { totalCount } } }
			supportSessions { totalCount } search(query: "Derisbourg") { kind } }`
		resp := a.do(q, nil)
		require.Empty(t, resp.Errors)
		require.NotContains(t, string(resp.Data), "f.derisbourg")
		require.Contains(t, string(resp.Data), "contact@lianescooperation.org", "the structure's public e-mail is public")
		require.Contains(t, string(resp.Data), `"supportSessions":{"totalCount":0}`)

		a.role = access.Staff
		resp = a.do(q, nil)
		require.Empty(t, resp.Errors)
		require.Contains(t, string(resp.Data), "f.derisbourg@lianescooperation.org")
		require.Contains(t, string(resp.Data), `"supportSessions":{"totalCount":54}`)

		// A member sees consenting contacts' names, but an e-mail is for staff:
		// null with FORBIDDEN on its path, the rest of the query answered.
		_, err := bdb.NewUpdate().TableExpr("contacts").Set("consent = TRUE").Where("1 = 1").Exec(context.Background())
		require.NoError(t, err)
		a.role = access.Member
		resp = a.do(`{ structure(id: "Structure:1") { name contacts { nodes { name email } } } }`, nil)
		require.Len(t, resp.Errors, 1)
		require.Equal(t, "FORBIDDEN", resp.Errors[0].Extensions["code"])
		require.Equal(t, []any{"structure", "contacts", "nodes", float64(0), "email"}, resp.Errors[0].Path)
		require.Contains(t, string(resp.Data), `"name":"F. Derisbourg","email":null`)
	})
}

func TestNestedQueryStatementsDoNotDependOnRows(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPIWith(t, bdb, true)
		q := `query($n: Int!) { structures(first: $n, orderBy: {field: NAME}) { totalCount nodes { name otherNames
			actorType { name } projects(role: ANY, first: 5) { totalCount nodes { title countries { name }
			partners { nodes { name } } } } } } }`
		count := func(n int) int64 {
			before := a.counter.n.Load()
			var out struct {
				Structures struct {
					Nodes []json.RawMessage `json:"nodes"`
				} `json:"structures"`
			}
			a.data(q, map[string]any{"n": n}, &out)
			require.Len(t, out.Structures.Nodes, n)
			return a.counter.n.Load() - before
		}
		small, large := count(20), count(50)
		require.Equal(t, small, large, "statements for 2 and 50 structures")
		require.LessOrEqual(t, large, int64(10), "count, page, structures, other names, reference lists, projects page, projects, countries, partners page, partners")

		// A structure's partners, and theirs: partnerships are read from
		// both ends, then the structures at the other end.
		q = `query($n: Int!) { structures(first: $n, orderBy: {field: NAME}) { totalCount nodes { name otherNames
			partners(first: 3) { totalCount nodes { name otherNames partners { nodes { name } } } } } } }`
		small, large = count(20), count(50)
		require.Equal(t, small, large, "statements for 20 and 50 structures with their partners")
		require.LessOrEqual(t, large, int64(12), "count, page, structures, other names, and twice: partner links, partnerships, structures, other names once more")
	})
}

func TestPagination(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		type conn struct {
			TotalCount int `json:"totalCount"`
			PageInfo   struct {
				HasNextPage     bool   `json:"hasNextPage"`
				HasPreviousPage bool   `json:"hasPreviousPage"`
				StartCursor     string `json:"startCursor"`
				EndCursor       string `json:"endCursor"`
			} `json:"pageInfo"`
			Edges []struct {
				Cursor string `json:"cursor"`
				Node   titled `json:"node"`
			} `json:"edges"`
		}
		var all, page struct {
			Events conn `json:"events"`
		}
		q := `query($first: Int, $after: String, $last: Int, $before: String) { events(first: $first, after: $after, last: $last, before: $before) {
			totalCount pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { id title } } } }`
		a.data(q, map[string]any{"first": 41}, &all)
		require.Equal(t, 41, all.Events.TotalCount)
		require.Len(t, all.Events.Edges, 41)

		var walked []string
		var after any
		for {
			a.data(q, map[string]any{"first": 10, "after": after}, &page)
			for _, e := range page.Events.Edges {
				walked = append(walked, e.Node.ID)
			}
			if !page.Events.PageInfo.HasNextPage {
				break
			}
			after = page.Events.PageInfo.EndCursor
		}
		require.Len(t, walked, 41)
		for i, e := range all.Events.Edges {
			require.Equal(t, e.Node.ID, walked[i])
		}

		a.data(q, map[string]any{"last": 3}, &page)
		require.Len(t, page.Events.Edges, 3)
		require.Equal(t, all.Events.Edges[38].Node.ID, page.Events.Edges[0].Node.ID)
		require.True(t, page.Events.PageInfo.HasPreviousPage)
		require.False(t, page.Events.PageInfo.HasNextPage)

		a.data(q, map[string]any{"last": 2, "before": all.Events.Edges[5].Cursor}, &page)
		require.Equal(t, []string{all.Events.Edges[3].Node.ID, all.Events.Edges[4].Node.ID},
			[]string{page.Events.Edges[0].Node.ID, page.Events.Edges[1].Node.ID})

		// Nested connections page per parent.
		var nested struct {
			FundingCall struct {
				Events conn `json:"events"`
			} `json:"fundingCall"`
		}
		nq := `query($after: String) { fundingCall(id: "FundingCall:5") { events(first: 1, after: $after) {
			totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { title } } } } }`
		a.data(nq, nil, &nested)
		require.Equal(t, 3, nested.FundingCall.Events.TotalCount, "Erasmus + is presented three times")
		require.True(t, nested.FundingCall.Events.PageInfo.HasNextPage)
		second := nested.FundingCall.Events.PageInfo.EndCursor
		a.data(nq, map[string]any{"after": second}, &nested)
		require.Len(t, nested.FundingCall.Events.Edges, 1)
		require.True(t, nested.FundingCall.Events.PageInfo.HasPreviousPage)
	})
}

func TestNodeAndGraphLinks(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		var out struct {
			Nodes []map[string]any `json:"nodes"`
		}
		a.data(`{ nodes(ids: ["Event:1", "Structure:1", "Project:99999", "FundingCall:7"]) {
			id ... on Event { title } ... on Structure { name } ... on FundingCall { title } } }`, nil, &out)
		require.Equal(t, "Accès à l’eau au Sénégal", out.Nodes[0]["title"])
		require.Equal(t, "Lianes coopération", out.Nodes[1]["name"])
		require.Nil(t, out.Nodes[2])
		require.Equal(t, "Appel à projets Récital", out.Nodes[3]["title"])

		var path struct {
			IntroductionPath struct {
				Length int `json:"length"`
				Steps  []struct {
					Via string `json:"via"`
				} `json:"steps"`
				Structures []titled `json:"structures"`
			} `json:"introductionPath"`
		}
		var ids struct {
			A struct{ Nodes []titled } `json:"a"`
			B struct{ Nodes []titled } `json:"b"`
			C struct{ Nodes []titled } `json:"c"`
			D struct{ Nodes []titled } `json:"d"`
		}
		a.data(`{ a: structures(filter: {query: "Watt 4 All"}) { nodes { id name } }
			b: structures(filter: {query: "Amiens Métropole"}) { nodes { id name } }
			c: structures(filter: {query: "Halluin"}) { nodes { id name } }
			d: structures(filter: {query: "Ca vient du coeur"}) { nodes { id name } } }`, nil, &ids)
		a.data(`query($a: ID!, $b: ID!) { introductionPath(from: $a, to: $b) { length steps { via } structures { name } } }`,
			map[string]any{"a": ids.A.Nodes[0].ID, "b": ids.B.Nodes[0].ID}, &path)
		require.Equal(t, 3, path.IntroductionPath.Length)
		require.Equal(t, "projet commun « REV Madagascar »", path.IntroductionPath.Steps[0].Via)
		require.Equal(t, []titled{{Name: "Watt 4 All"}, {Name: "Région Hauts-de-France"}, {Name: "Lianes coopération"}, {Name: "Amiens Métropole"}},
			path.IntroductionPath.Structures)

		resp := a.do(`query($a: ID!, $b: ID!) { introductionPath(from: $a, to: $b) { length } }`,
			map[string]any{"a": ids.A.Nodes[0].ID, "b": ids.C.Nodes[0].ID})
		require.Empty(t, resp.Errors)
		require.JSONEq(t, `{"introductionPath": null}`, string(resp.Data), "Halluin has no tie yet")

		var sugg struct {
			SuggestedPartners []struct {
				Structure titled   `json:"structure"`
				Reasons   []string `json:"reasons"`
			} `json:"suggestedPartners"`
		}
		a.data(`query($a: ID!) { suggestedPartners(structure: $a) { structure { name } reasons } }`,
			map[string]any{"a": ids.A.Nodes[0].ID}, &sugg)
		require.Empty(t, sugg.SuggestedPartners, "Watt 4 All shares Madagascar only with the Région, already a partner")

		a.data(`query($a: ID!) { suggestedPartners(structure: $a, first: 20) { structure { name } reasons } }`,
			map[string]any{"a": ids.D.Nodes[0].ID}, &sugg)
		require.NotEmpty(t, sugg.SuggestedPartners)
		require.Contains(t, sugg.SuggestedPartners[0].Reasons, "pays en commun : Sénégal")
		names := map[string]bool{}
		for _, s := range sugg.SuggestedPartners {
			require.NotEmpty(t, s.Reasons)
			names[s.Structure.Name] = true
		}
		require.True(t, names["GREF"], "GREF works in Senegal too")
		require.True(t, names["Lycée du Paraclet"], "a water project too")
		require.False(t, names["Ca vient du coeur"])
	})
}

func TestObservatory(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		var out struct {
			Observatory struct {
				SupportSessions int `json:"supportSessions"`
				LatestSnapshot  struct {
					StructuresTotal  int `json:"structuresTotal"`
					DepartmentCounts []struct {
						Department          struct{ Name string } `json:"department"`
						StructureShare      int                   `json:"structureShare"`
						PopulationShare     int                   `json:"populationShare"`
						RepresentationIndex float64               `json:"representationIndex"`
					} `json:"departmentCounts"`
				} `json:"latestSnapshot"`
				ByActorType []struct {
					Count int `json:"count"`
				} `json:"byActorType"`
			} `json:"observatory"`
		}
		a.data(`{ observatory { supportSessions byActorType { count } latestSnapshot { structuresTotal
			departmentCounts { department { name } structureShare populationShare representationIndex } } } }`, nil, &out)
		require.Equal(t, 54, out.Observatory.SupportSessions, "aggregate counts are public")
		require.Equal(t, 934, out.Observatory.LatestSnapshot.StructuresTotal)
		nord := out.Observatory.LatestSnapshot.DepartmentCounts[0]
		require.Equal(t, "Nord", nord.Department.Name)
		require.Equal(t, 54, nord.StructureShare)
		require.Equal(t, 43, nord.PopulationShare)
		require.InDelta(t, 1.26, nord.RepresentationIndex, 0.001)
		require.Len(t, out.Observatory.ByActorType, 19)
	})
}

func TestContactsAndPartnershipsLists(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		q := `{ contacts { totalCount nodes { name } } partnerships(kind: "appui") { totalCount nodes { kind structure { name } partner { name } } } }`
		resp := a.do(q, nil)
		require.Empty(t, resp.Errors)
		require.Contains(t, string(resp.Data), `"contacts":{"totalCount":0,"nodes":[]}`, "anonymous callers see no contact")
		require.Contains(t, string(resp.Data), `"partnerships":{"totalCount":2`)
		a.role = access.Staff
		resp = a.do(q, nil)
		require.Contains(t, string(resp.Data), `"contacts":{"totalCount":1,"nodes":[{"name":"F. Derisbourg"}]}`)
	})
}
