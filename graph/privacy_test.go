package graph_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/audit"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// textValues reads every text cell of every table of the database.
func textValues(t *testing.T, bdb *bun.DB) string {
	t.Helper()
	ctx := context.Background()
	var tables []string
	if db.IsPostgres(bdb) {
		require.NoError(t, bdb.NewSelect().TableExpr("information_schema.tables").Column("table_name").
			Where("table_schema = 'public'").Scan(ctx, &tables))
	} else {
		require.NoError(t, bdb.NewSelect().TableExpr("sqlite_master").Column("name").
			Where("type = 'table' AND name NOT LIKE 'sqlite_%'").Scan(ctx, &tables))
	}
	var all strings.Builder
	for _, table := range tables {
		rows, err := bdb.QueryContext(ctx, "SELECT * FROM "+table)
		require.NoError(t, err)
		cols, _ := rows.Columns()
		for rows.Next() {
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			require.NoError(t, rows.Scan(ptrs...))
			for _, v := range vals {
				switch x := v.(type) {
				case string:
					all.WriteString(x + "\n")
				case []byte:
					all.Write(x)
					all.WriteString("\n")
				}
			}
		}
		require.NoError(t, rows.Close())
	}
	return all.String()
}

func TestErasureLeavesNoTrace(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		ctx := context.Background()
		const email = "f.derisbourg@lianescooperation.org"
		// A colleague's session note names the person: it is personal data too.
		_, err := bdb.NewUpdate().TableExpr("support_sessions").Set("staff = ?", "F. Derisbourg").Where("id = 1").Exec(ctx)
		require.NoError(t, err)
		require.NoError(t, audit.Record(access.WithActor(ctx, "test"), bdb, a.clockNow(), audit.ActionUpdate, "contact", 1,
			map[string]string{"email": "ancien@example.org"}, map[string]string{"email": email}, ""))
		require.Contains(t, textValues(t, bdb), email)

		a.role = access.Admin
		var report struct {
			PersonalData struct {
				Contact         struct{ Email string }    `json:"contact"`
				SupportSessions []struct{ ID string }     `json:"supportSessions"`
				AuditEntries    []struct{ Action string } `json:"auditEntries"`
			} `json:"personalData"`
		}
		a.data(`{ personalData(contact: "Contact:1") { contact { email } supportSessions { id } auditEntries { action } } }`, nil, &report)
		require.Equal(t, email, report.PersonalData.Contact.Email)
		require.Len(t, report.PersonalData.SupportSessions, 1)
		require.Len(t, report.PersonalData.AuditEntries, 1)

		resp := a.do(`mutation { erasePersonalData(contact: "Contact:1") { contact erasedAt } }`, nil)
		require.Empty(t, resp.Errors)

		require.NotContains(t, textValues(t, bdb), email, "nowhere in the database")
		require.NotContains(t, strings.ToLower(textValues(t, bdb)), "derisbourg", "not even in the search index")
		doc, err := dataset.Export(ctx, bdb)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, doc.WriteJSON(&buf))
		require.NotContains(t, buf.String(), email, "nor in the export")
		buf.Reset()
		_, err = (&audit.Service{DB: bdb}).Export(access.WithRole(ctx, access.Admin), &buf)
		require.NoError(t, err)
		require.NotContains(t, buf.String(), email, "nor in the audit trail")
		require.Contains(t, buf.String(), `"action": "erase"`, "the trail says an erasure happened")
		require.Len(t, doc.Structures, 55, "the structures stay")
		require.Len(t, doc.SupportSessions, 54, "the sessions stay")
	})
}

func TestAdminOnlyFieldsAndMutations(t *testing.T) {
	a := newAPI(t, dbtest.Open(t, "sqlite"))
	for _, role := range []access.Role{access.Anonymous, access.Member, access.Staff} {
		a.role = role
		resp := a.do(`{ auditLog { totalCount } personalData(contact: "Contact:1") { contact { name } } }`, nil)
		require.Len(t, resp.Errors, 2, role.String())
		for _, e := range resp.Errors {
			require.Equal(t, "FORBIDDEN", e.Extensions["code"], role.String())
		}
		resp = a.do(`mutation { erasePersonalData(contact: "Contact:1") { contact } }`, nil)
		require.NotEmpty(t, resp.Errors)
		require.Equal(t, "FORBIDDEN", resp.Errors[0].Extensions["code"])
	}
	a.role = access.Admin
	var out struct {
		AuditLog struct {
			TotalCount int
			Nodes      []struct{ Action, Actor, Note string }
		} `json:"auditLog"`
	}
	a.data(`{ auditLog { totalCount nodes { action actor note } } }`, nil, &out)
	require.Equal(t, 1, out.AuditLog.TotalCount, "the seed is one entry, not one per record")
	require.Equal(t, "import", out.AuditLog.Nodes[0].Action)
	require.Contains(t, out.AuditLog.Nodes[0].Note, "events 41")

	// A mutation never runs from a GET, whatever the role.
	resp, err := http.Get(a.server.URL + "?query=" + url.QueryEscape(`mutation { erasePersonalData(contact: "Contact:1") { contact } }`))
	require.NoError(t, err)
	defer resp.Body.Close()
	var r response
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&r))
	require.NotEmpty(t, r.Errors)
	var contacts int
	require.NoError(t, a.db.NewSelect().TableExpr("contacts").ColumnExpr("count(*)").Scan(context.Background(), &contacts))
	require.Equal(t, 1, contacts)
}
