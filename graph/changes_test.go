package graph_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// auditCount counts the audit entries about one record.
func auditCount(t *testing.T, bdb *bun.DB, kind, action string, id string) int {
	t.Helper()
	var n int
	num := id[strings.LastIndex(id, ":")+1:]
	require.NoError(t, bdb.NewSelect().TableExpr("audit_log").ColumnExpr("count(*)").
		Where("kind = ? AND action = ? AND record_id = ?", kind, action, num).Scan(context.Background(), &n))
	return n
}

// rowCount counts the rows of a table.
func rowCount(t *testing.T, bdb *bun.DB, table string) int {
	t.Helper()
	var n int
	require.NoError(t, bdb.NewSelect().TableExpr(table).ColumnExpr("count(*)").Scan(context.Background(), &n))
	return n
}

type record struct {
	ID         string   `json:"id"`
	Version    int      `json:"version"`
	Name       string   `json:"name"`
	OtherNames []string `json:"otherNames"`
}

// mutate runs a mutation that must succeed and returns the record it answers.
func (a *api) mutate(query string, vars map[string]any) record {
	a.t.Helper()
	var out map[string]record
	a.data(query, vars, &out)
	require.Len(a.t, out, 1)
	for _, r := range out {
		return r
	}
	return record{}
}

const createStructure = `mutation($input: StructureInput!) { createStructure(input: $input) { id version name otherNames } }`

func TestStaffChangesAreCheckedVersionedAndAudited(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		a.role = access.Staff
		input := map[string]any{"name": "Les Sources Vives", "actorType": "association-locale", "department": "59",
			"commune": "Roubaix", "country": "bf", "themes": []string{"eau-assainissement"}}
		s := a.mutate(createStructure, map[string]any{"input": input})
		require.Equal(t, 1, s.Version)
		require.Equal(t, 1, auditCount(t, bdb, "structure", "create", s.ID))

		// The new structure is in the graph and in the search index at once.
		var found struct {
			Search []struct{ Node record } `json:"search"`
			Node   struct {
				Country struct{ Name string } `json:"country"`
				Themes  []struct{ Name string }
			} `json:"node"`
		}
		a.data(`query($id: ID!) { search(query: "sources vives") { node { id } }
			node(id: $id) { ... on Structure { country { name } themes { name } } } }`, map[string]any{"id": s.ID}, &found)
		require.NotEmpty(t, found.Search)
		require.Equal(t, s.ID, found.Search[0].Node.ID)
		require.Equal(t, "Burkina Faso", found.Node.Country.Name)
		require.Equal(t, "Eau et assainissement", found.Node.Themes[0].Name)

		// An update moves the version on; one that carries the old version is refused.
		update := `mutation($id: ID!, $v: Int!, $input: StructureInput!) { updateStructure(id: $id, version: $v, input: $input) { id version name } }`
		input["name"] = "Les Sources Vives de Roubaix"
		s2 := a.mutate(update, map[string]any{"id": s.ID, "v": 1, "input": input})
		require.Equal(t, 2, s2.Version)
		input["name"] = "Écrasé"
		resp := a.do(update, map[string]any{"id": s.ID, "v": 1, "input": input})
		require.Len(t, resp.Errors, 1)
		require.Equal(t, "CONFLICT", resp.Errors[0].Extensions["code"])
		require.Contains(t, resp.Errors[0].Message, "modifié entre-temps")
		require.Equal(t, 1, auditCount(t, bdb, "structure", "update", s.ID))

		// An invalid input names every wrong field, in French, and writes nothing.
		structures, trail := rowCount(t, bdb, "structures"), rowCount(t, bdb, "audit_log")
		resp = a.do(createStructure, map[string]any{"input": map[string]any{
			"name": "  ", "actorType": "club-de-foot", "department": "99", "themes": []string{"eau", "energie"}}})
		require.Len(t, resp.Errors, 1)
		e := resp.Errors[0]
		require.Equal(t, "BAD_USER_INPUT", e.Extensions["code"])
		require.Equal(t, "input.name", e.Extensions["field"])
		var fields []string
		for _, f := range e.Extensions["fields"].([]any) {
			fields = append(fields, f.(map[string]any)["field"].(string))
		}
		require.ElementsMatch(t, []string{"input.name", "input.actorType", "input.department", "input.themes"}, fields)
		require.Contains(t, e.Message, "club-de-foot")
		require.Equal(t, structures, rowCount(t, bdb, "structures"))
		require.Equal(t, trail, rowCount(t, bdb, "audit_log"))

		events := rowCount(t, bdb, "events")
		resp = a.do(`mutation { createEvent(input: {kind: WEBINAIRE, title: "Webinaire eau", date: "le 31 février"}) { id } }`, nil)
		require.Len(t, resp.Errors, 1)
		require.Equal(t, "BAD_USER_INPUT", resp.Errors[0].Extensions["code"])
		require.Equal(t, "input.date", resp.Errors[0].Extensions["field"])
		require.Equal(t, events, rowCount(t, bdb, "events"))

		// A member and the public change nothing.
		for _, role := range []access.Role{access.Anonymous, access.Member} {
			a.role = role
			resp = a.do(createStructure, map[string]any{"input": map[string]any{"name": "Intrus"}})
			require.Len(t, resp.Errors, 1)
			require.Equal(t, "FORBIDDEN", resp.Errors[0].Extensions["code"], role.String())
		}
		require.Equal(t, structures, rowCount(t, bdb, "structures"))

		// A delete needs the current version too, and leaves its trace.
		a.role = access.Staff
		del := `mutation($id: ID!, $v: Int!) { deleteStructure(id: $id, version: $v) }`
		resp = a.do(del, map[string]any{"id": s.ID, "v": 1})
		require.Equal(t, "CONFLICT", resp.Errors[0].Extensions["code"])
		var deleted map[string]string
		a.data(del, map[string]any{"id": s.ID, "v": 2}, &deleted)
		require.Equal(t, s.ID, deleted["deleteStructure"])
		require.Equal(t, 1, auditCount(t, bdb, "structure", "delete", s.ID))
		resp = a.do(del, map[string]any{"id": s.ID, "v": 2})
		require.Equal(t, "NOT_FOUND", resp.Errors[0].Extensions["code"])
		a.data(`query($id: ID!) { node(id: $id) { id } search(query: "sources vives") { node { id } } }`, map[string]any{"id": s.ID}, &found)
		require.Empty(t, found.Search, "a deleted record leaves the index")
	})
}

func TestEveryKindCanBeCreatedUpdatedAndDeleted(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		a.role = access.Staff
		kinds := []struct {
			name, fields, create, update string
		}{
			{"Contact", "role", `{name: "Awa Diallo", role: "Chargée de projets", email: "awa@example.org", consent: true, structure: "Structure:1"}`,
				`{name: "Awa Diallo", role: "Direction", structure: "Structure:1"}`},
			{"Partnership", "kind", `{structure: "Structure:2", partner: "Structure:3", kind: "jumelage", since: "mars 2019"}`,
				`{structure: "Structure:2", partner: "Structure:3", kind: "convention", since: "2020"}`},
			{"Project", "title", `{title: "Puits au Sahel", lead: "Structure:2", countries: ["BF"], themes: ["eau-assainissement"]}`,
				`{title: "Puits et latrines au Sahel", lead: "Structure:2"}`},
			{"Event", "title", `{kind: WEBINAIRE, title: "Webinaire eau", date: "12 mars 2021 à 14h", themes: ["eau-assainissement"]}`,
				`{kind: EVENEMENT, title: "Forum eau", date: "avril 2021"}`},
			{"FundingCall", "title", `{title: "Fonds eau 2021", territory: REGIONAL, deadline: "30 avril 2021", themes: ["eau-assainissement"]}`,
				`{title: "Fonds eau et assainissement 2021", territory: NATIONAL}`},
			{"SupportSession", "subject", `{structure: "Structure:2", subject: "Montage d'un dossier", date: "15 janvier 2021"}`,
				`{structure: "Structure:2", subject: "Budget prévisionnel"}`},
			{"Publication", "title", `{title: "Guide de l'eau", kind: BROCHURE}`, `{title: "Guide de l'eau, 2e édition", kind: BROCHURE}`},
		}
		for _, k := range kinds {
			t.Run(k.name, func(t *testing.T) {
				var created map[string]map[string]any
				a.data(fmt.Sprintf(`mutation { create%s(input: %s) { id version %s } }`, k.name, k.create, k.fields), nil, &created)
				rec := created["create"+k.name]
				require.NotNil(t, rec, k.name)
				id := rec["id"].(string)
				require.Equal(t, float64(1), rec["version"])
				kind := auditKind(k.name)
				require.Equal(t, 1, auditCount(t, bdb, kind, "create", id))

				var updated map[string]map[string]any
				a.data(fmt.Sprintf(`mutation { update%s(id: %q, version: 1, input: %s) { id version %s } }`, k.name, id, k.update, k.fields), nil, &updated)
				require.Equal(t, float64(2), updated["update"+k.name]["version"])
				require.NotEqual(t, rec[k.fields], updated["update"+k.name][k.fields])
				require.Equal(t, 1, auditCount(t, bdb, kind, "update", id))

				var node map[string]map[string]any
				a.data(fmt.Sprintf(`{ node(id: %q) { id } }`, id), nil, &node)
				require.Equal(t, id, node["node"]["id"])
				a.data(fmt.Sprintf(`mutation { delete%s(id: %q, version: 2) }`, k.name, id), nil, &map[string]any{})
				a.data(fmt.Sprintf(`{ node(id: %q) { id } }`, id), nil, &node)
				require.Nil(t, node["node"])
				require.Equal(t, 1, auditCount(t, bdb, kind, "delete", id))
			})
		}
	})
}

// auditKind is the audit trail's name for a GraphQL type.
func auditKind(typ string) string {
	switch typ {
	case "FundingCall":
		return "funding_call"
	case "SupportSession":
		return "support_session"
	}
	return strings.ToLower(typ)
}

func TestSameVersionEditsOneWinsTheOtherConflicts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		a.role = access.Staff
		s := a.mutate(createStructure, map[string]any{"input": map[string]any{"name": "Terre d'échanges"}})
		update := `mutation($id: ID!, $name: String!) { updateStructure(id: $id, version: 1, input: {name: $name}) { name version } }`
		var wg sync.WaitGroup
		codes := make([]string, 2)
		for i, name := range []string{"Terre d'échanges (Lille)", "Terre d'échanges (Arras)"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				resp := a.do(update, map[string]any{"id": s.ID, "name": name})
				codes[i] = "ok"
				if len(resp.Errors) > 0 {
					codes[i] = fmt.Sprint(resp.Errors[0].Extensions["code"])
				}
			}()
		}
		wg.Wait()
		sort.Strings(codes)
		require.Equal(t, []string{"CONFLICT", "ok"}, codes)
		var out struct{ Node record }
		a.data(`query($id: ID!) { node(id: $id) { ... on Structure { name version } } }`, map[string]any{"id": s.ID}, &out)
		require.Equal(t, 2, out.Node.Version, "exactly one edit was applied")
		require.Equal(t, 1, auditCount(t, bdb, "structure", "update", s.ID))
	})
}

func TestMergeMovesLinksAndKeepsNames(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		a.role = access.Staff
		keep := a.mutate(createStructure, map[string]any{"input": map[string]any{"name": "Association Solidarité Sahel", "otherNames": []string{"ASS"}}})
		gone := a.mutate(createStructure, map[string]any{"input": map[string]any{"name": "Solidarité Sahel (doublon)", "otherNames": []string{"ASS", "Sol. Sahel"}}})
		partner := "Structure:1"
		for _, q := range []string{
			fmt.Sprintf(`mutation { createContact(input: {name: "Moussa Traoré", structure: %q}) { id } }`, gone.ID),
			fmt.Sprintf(`mutation { createPartnership(input: {structure: %q, partner: %q, kind: "membre"}) { id } }`, keep.ID, partner),
			fmt.Sprintf(`mutation { createPartnership(input: {structure: %q, partner: %q, kind: "membre"}) { id } }`, gone.ID, partner),
			fmt.Sprintf(`mutation { createPartnership(input: {structure: %q, partner: %q, kind: "jumelage"}) { id } }`, gone.ID, partner),
			fmt.Sprintf(`mutation { createPartnership(input: {structure: %q, partner: %q, kind: "membre"}) { id } }`, keep.ID, gone.ID),
			fmt.Sprintf(`mutation { createProject(input: {title: "Jardins partagés de Kaya", lead: %q}) { id } }`, gone.ID),
		} {
			a.data(q, nil, &map[string]any{})
		}

		merge := `mutation($keep: ID!, $merge: ID!, $kv: Int!) { mergeStructures(keep: $keep, keepVersion: $kv, merge: $merge, mergeVersion: 1) { id version name otherNames } }`
		resp := a.do(merge, map[string]any{"keep": keep.ID, "merge": gone.ID, "kv": 7})
		require.Equal(t, "CONFLICT", resp.Errors[0].Extensions["code"])
		merged := a.mutate(merge, map[string]any{"keep": keep.ID, "merge": gone.ID, "kv": 1})
		require.Equal(t, keep.ID, merged.ID)
		require.Equal(t, "Association Solidarité Sahel", merged.Name)
		require.ElementsMatch(t, []string{"ASS", "Solidarité Sahel (doublon)", "Sol. Sahel"}, merged.OtherNames)

		var out struct {
			Kept struct {
				Contacts struct{ Nodes []struct{ Name string } }
				Partners struct {
					Edges []struct {
						Node        record
						Partnership struct{ Kind string }
					}
				}
				Projects struct{ Nodes []struct{ Title string } }
			} `json:"kept"`
			Gone   *record `json:"gone"`
			Search []struct{ Node record }
		}
		a.data(`query($keep: ID!, $gone: ID!) {
			kept: node(id: $keep) { ... on Structure { contacts { nodes { name } }
				partners { edges { node { id } partnership { kind } } } projects { nodes { title } } } }
			gone: node(id: $gone) { id }
			search(query: "Sol. Sahel", kinds: [STRUCTURE]) { node { id } } }`, map[string]any{"keep": keep.ID, "gone": gone.ID}, &out)
		require.Nil(t, out.Gone)
		require.Equal(t, "Moussa Traoré", out.Kept.Contacts.Nodes[0].Name)
		require.Equal(t, "Jardins partagés de Kaya", out.Kept.Projects.Nodes[0].Title)
		var links []string
		for _, e := range out.Kept.Partners.Edges {
			links = append(links, e.Node.ID+" "+e.Partnership.Kind)
		}
		require.ElementsMatch(t, []string{partner + " membre", partner + " jumelage"}, links,
			"the doubled link and the link between the two are gone")
		require.Equal(t, keep.ID, out.Search[0].Node.ID, "the merged name still finds the structure")
		require.Equal(t, 1, auditCount(t, bdb, "structure", "merge", keep.ID))
	})
}

// roleCase is what each role gets from one root field: "ok", an error code,
// or "n=K" for a list whose totalCount must be K.
type roleCase struct {
	query string
	want  [4]string // anonymous, member, staff, admin
}

var (
	public    = [4]string{"ok", "ok", "ok", "ok"}
	staffOnly = [4]string{"FORBIDDEN", "FORBIDDEN", "NOT_FOUND", "NOT_FOUND"}
	staffNew  = [4]string{"FORBIDDEN", "FORBIDDEN", "BAD_USER_INPUT", "BAD_USER_INPUT"}
	adminOnly = [4]string{"FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "ok"}
)

// The role table: every root field of the schema, and what each role gets.
// Changes by staff are tried with a missing record or an invalid input, so
// that the table writes nothing and shows the caller got past the rule.
var roleCases = map[string]roleCase{
	"node":              {`{ node(id: "Structure:1") { id } }`, public},
	"nodes":             {`{ nodes(ids: ["Structure:1"]) { id } }`, public},
	"actorTypes":        {`{ actorTypes { code } }`, public},
	"departments":       {`{ departments { code } }`, public},
	"audiences":         {`{ audiences { code } }`, public},
	"themes":            {`{ themes { code } }`, public},
	"countries":         {`{ countries { code } }`, public},
	"structures":        {`{ structures { totalCount } }`, public},
	"structure":         {`{ structure(id: "Structure:1") { name email } }`, public},
	"contacts":          {`{ contacts { totalCount } }`, [4]string{"n=0", "n=1", "n=2", "n=2"}},
	"partnerships":      {`{ partnerships { totalCount } }`, public},
	"projects":          {`{ projects { totalCount } }`, public},
	"project":           {`{ project(id: "Project:1") { title } }`, public},
	"events":            {`{ events { totalCount } }`, public},
	"event":             {`{ event(id: "Event:1") { title } }`, public},
	"upcomingEvents":    {`{ upcomingEvents { totalCount } }`, public},
	"fundingCalls":      {`{ fundingCalls { totalCount } }`, public},
	"fundingCall":       {`{ fundingCall(id: "FundingCall:1") { title } }`, public},
	"openFundingCalls":  {`{ openFundingCalls { totalCount } }`, public},
	"supportSessions":   {`{ supportSessions { totalCount } }`, [4]string{"n=0", "n=0", "n=54", "n=54"}},
	"trainings":         {`{ trainings { totalCount } }`, public},
	"publications":      {`{ publications { totalCount } }`, public},
	"censusCampaigns":   {`{ censusCampaigns { totalCount } }`, public},
	"programmeActions":  {`{ programmeActions { totalCount } }`, public},
	"observatory":       {`{ observatory { contacts } }`, public},
	"search":            {`{ search(query: "lianes") { kind } }`, public},
	"introductionPath":  {`{ introductionPath(from: "Structure:1", to: "Structure:2") { structures { id } } }`, public},
	"suggestedPartners": {`{ suggestedPartners(structure: "Structure:1") { structure { id } } }`, public},
	"auditLog":          {`{ auditLog { totalCount } }`, adminOnly},
	"personalData":      {`{ personalData(contact: "Contact:1") { contact { name } } }`, adminOnly},

	"unansweredQuestions": {`{ unansweredQuestions { totalCount } }`, [4]string{"FORBIDDEN", "FORBIDDEN", "n=0", "n=0"}},
	"eraseChatUser":       {`mutation { eraseChatUser(platform: "teams", id: "U999") { questions } }`, [4]string{"FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "BAD_USER_INPUT"}},

	"chatLinks":        {`{ chatLinks { totalCount } }`, [4]string{"FORBIDDEN", "FORBIDDEN", "n=0", "n=0"}},
	"validateChatLink": {`mutation { validateChatLink(id: "ChatLink:999") { id } }`, staffOnly},
	"refuseChatLink":   {`mutation { refuseChatLink(id: "ChatLink:999") { id } }`, staffOnly},

	"channelSubscriptions": {`{ channelSubscriptions { id } }`, [4]string{"FORBIDDEN", "FORBIDDEN", "ok", "ok"}},
	"announcements":        {`{ announcements { totalCount } }`, [4]string{"FORBIDDEN", "FORBIDDEN", "n=0", "n=0"}},
	"subscribe":            {`mutation { subscribe(input: {platform: SLACK, channel: "C1", themes: ["inconnu"]}) { id } }`, staffNew},
	"unsubscribe":          {`mutation { unsubscribe(platform: SLACK, channel: "C999") }`, [4]string{"FORBIDDEN", "FORBIDDEN", "ok", "ok"}},
	"announce":             {`mutation { announce(input: {text: " ", channels: [{platform: SLACK, channel: "C1"}]}) { id } }`, staffNew},
	"confirmAnnouncement":  {`mutation { confirmAnnouncement(id: "Announcement:999") { id } }`, staffOnly},
	"editAnnouncement":     {`mutation { editAnnouncement(id: "Announcement:999", text: "x") { id } }`, staffOnly},
	"cancelAnnouncement":   {`mutation { cancelAnnouncement(id: "Announcement:999") { id } }`, staffOnly},

	"erasePersonalData":    {`mutation { erasePersonalData(contact: "Contact:999") { contact } }`, [4]string{"FORBIDDEN", "FORBIDDEN", "FORBIDDEN", "NOT_FOUND"}},
	"createStructure":      {`mutation { createStructure(input: {name: ""}) { id } }`, staffNew},
	"updateStructure":      {`mutation { updateStructure(id: "Structure:999", version: 1, input: {name: "x"}) { id } }`, staffOnly},
	"deleteStructure":      {`mutation { deleteStructure(id: "Structure:999", version: 1) }`, staffOnly},
	"mergeStructures":      {`mutation { mergeStructures(keep: "Structure:1", keepVersion: 1, merge: "Structure:999", mergeVersion: 1) { id } }`, staffOnly},
	"createContact":        {`mutation { createContact(input: {name: ""}) { id } }`, staffNew},
	"updateContact":        {`mutation { updateContact(id: "Contact:999", version: 1, input: {name: "x"}) { id } }`, staffOnly},
	"deleteContact":        {`mutation { deleteContact(id: "Contact:999", version: 1) }`, staffOnly},
	"createPartnership":    {`mutation { createPartnership(input: {structure: "Structure:1", partner: "Structure:1", kind: "membre"}) { id } }`, staffNew},
	"updatePartnership":    {`mutation { updatePartnership(id: "Partnership:999", version: 1, input: {structure: "Structure:1", partner: "Structure:2", kind: "membre"}) { id } }`, staffOnly},
	"deletePartnership":    {`mutation { deletePartnership(id: "Partnership:999", version: 1) }`, staffOnly},
	"createProject":        {`mutation { createProject(input: {title: ""}) { id } }`, staffNew},
	"updateProject":        {`mutation { updateProject(id: "Project:999", version: 1, input: {title: "x"}) { id } }`, staffOnly},
	"deleteProject":        {`mutation { deleteProject(id: "Project:999", version: 1) }`, staffOnly},
	"createEvent":          {`mutation { createEvent(input: {kind: EVENEMENT, title: "x", date: "hier soir"}) { id } }`, staffNew},
	"updateEvent":          {`mutation { updateEvent(id: "Event:999", version: 1, input: {kind: EVENEMENT, title: "x", date: "2021"}) { id } }`, staffOnly},
	"deleteEvent":          {`mutation { deleteEvent(id: "Event:999", version: 1) }`, staffOnly},
	"createFundingCall":    {`mutation { createFundingCall(input: {title: "", territory: REGIONAL}) { id } }`, staffNew},
	"updateFundingCall":    {`mutation { updateFundingCall(id: "FundingCall:999", version: 1, input: {title: "x", territory: REGIONAL}) { id } }`, staffOnly},
	"deleteFundingCall":    {`mutation { deleteFundingCall(id: "FundingCall:999", version: 1) }`, staffOnly},
	"createSupportSession": {`mutation { createSupportSession(input: {structure: "Structure:1", subject: ""}) { id } }`, staffNew},
	"updateSupportSession": {`mutation { updateSupportSession(id: "SupportSession:999", version: 1, input: {structure: "Structure:1", subject: "x"}) { id } }`, staffOnly},
	"deleteSupportSession": {`mutation { deleteSupportSession(id: "SupportSession:999", version: 1) }`, staffOnly},
	"createPublication":    {`mutation { createPublication(input: {title: "", kind: BROCHURE}) { id } }`, staffNew},
	"updatePublication":    {`mutation { updatePublication(id: "Publication:999", version: 1, input: {title: "x", kind: BROCHURE}) { id } }`, staffOnly},
	"deletePublication":    {`mutation { deletePublication(id: "Publication:999", version: 1) }`, staffOnly},
}

func TestEveryRootFieldWithEveryRole(t *testing.T) {
	a := newAPI(t, dbtest.Open(t, "sqlite"))
	// A second contact, without consent: members must not see it.
	a.role = access.Staff
	a.data(`mutation { createContact(input: {name: "Sans Consentement", structure: "Structure:2"}) { id } }`, nil, &map[string]any{})
	_, err := a.db.NewUpdate().TableExpr("contacts").Set("consent = TRUE").Where("id = 1").Exec(context.Background())
	require.NoError(t, err)

	// The table covers the schema exactly: a new root field fails here until
	// someone decides who may use it.
	var schema struct {
		Schema struct {
			QueryType, MutationType struct{ Fields []struct{ Name string } }
		} `json:"__schema"`
	}
	a.data(`{ __schema { queryType { fields { name } } mutationType { fields { name } } } }`, nil, &schema)
	var fields []string
	for _, f := range append(schema.Schema.QueryType.Fields, schema.Schema.MutationType.Fields...) {
		fields = append(fields, f.Name)
	}
	var table []string
	for name := range roleCases {
		table = append(table, name)
	}
	require.ElementsMatch(t, fields, table)

	trail := rowCount(t, a.db, "audit_log")
	roles := []access.Role{access.Anonymous, access.Member, access.Staff, access.Admin}
	for name, c := range roleCases {
		for i, role := range roles {
			a.role = role
			resp := a.do(c.query, nil)
			got := "ok"
			if len(resp.Errors) > 0 {
				got = fmt.Sprint(resp.Errors[0].Extensions["code"])
			} else if strings.HasPrefix(c.want[i], "n=") {
				var data map[string]struct{ TotalCount int }
				require.NoError(t, json.Unmarshal(resp.Data, &data))
				got = fmt.Sprintf("n=%d", data[name].TotalCount)
			}
			require.Equal(t, c.want[i], got, "%s as %s: %s", name, role, resp.Errors)
		}
	}
	require.Equal(t, trail, rowCount(t, a.db, "audit_log"), "the table changed nothing")
}
