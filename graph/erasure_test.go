package graph_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
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

// TestErasureLeavesNoTraceInAnyCaseNorInTheFile reproduces issue 14, item 5:
// the person's old e-mail and phone in earlier audit entries, their name in
// capitals in a support session's subject (and so in the search index), in
// an announcement and as a chat user in the audit trail's actors; then on
// SQLite the bytes of the file and of its write-ahead log.
func TestErasureLeavesNoTraceInAnyCaseNorInTheFile(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		ctx := context.Background()
		a.role = access.Staff
		var created struct {
			CreateContact struct {
				ID      string
				Version int
			} `json:"createContact"`
		}
		a.data(`mutation { createContact(input: {name: "Hélène Vandenbroucke", email: "helene.vdb@exemple.org", phone: "03 20 11 22 33",
			consent: true, structure: "Structure:2"}) { id version } }`, nil, &created)
		a.data(fmt.Sprintf(`mutation { updateContact(id: %q, version: %d, input: {name: "Hélène Vandenbroucke",
			email: "h.vandenbroucke@exemple.net", phone: "06 11 22 33 44", consent: true, structure: "Structure:2"}) { id } }`,
			created.CreateContact.ID, created.CreateContact.Version), nil, &struct{}{})
		a.data(`mutation { createSupportSession(input: {structure: "Structure:2", subject: "Dossier FRIO de HÉLÈNE VANDENBROUCKE"}) { id } }`, nil, &struct{}{})
		_, err := bdb.NewRaw("INSERT INTO announcements (key, kind, text, author, send_at, created_at) VALUES (?, ?, ?, ?, ?, ?)",
			"test-annonce", "free", "Bienvenue à hélène vandenbroucke !", "test", a.now.UTC(), a.now.UTC()).Exec(ctx)
		require.NoError(t, err)
		require.NoError(t, audit.Record(access.WithActor(ctx, "slack:U42 (Hélène Vandenbroucke)"), bdb, a.now, audit.ActionUpdate,
			"structure", 2, nil, nil, ""))

		var found struct{ Search []struct{ Kind string } }
		a.data(`{ search(query: "vandenbroucke", kinds: [SUPPORT_SESSION, CONTACT]) { kind } }`, nil, &found)
		require.Len(t, found.Search, 2, "the session and the contact are found before")

		secrets := []string{"Hélène Vandenbroucke", "helene.vdb@exemple.org", "03 20 11 22 33",
			"h.vandenbroucke@exemple.net", "06 11 22 33 44", "vandenbroucke"}
		all := strings.ToLower(textValues(t, bdb))
		for _, s := range secrets {
			require.Contains(t, all, strings.ToLower(s))
		}

		a.role = access.Admin
		r := a.do(fmt.Sprintf(`mutation { erasePersonalData(contact: %q) { contact } }`, created.CreateContact.ID), nil)
		require.Empty(t, r.Errors)

		all = strings.ToLower(textValues(t, bdb))
		for _, s := range secrets {
			require.NotContains(t, all, strings.ToLower(s), "no table holds %q in any case", s)
		}
		require.Contains(t, all, "dossier frio de [effacé]", "the session stays, scrubbed")
		a.role = access.Staff
		a.data(`{ search(query: "vandenbroucke") { kind } }`, nil, &found)
		require.Empty(t, found.Search, "the index forgot the name")

		var buf bytes.Buffer
		_, err = (&audit.Service{DB: bdb}).Export(access.WithRole(ctx, access.Admin), &buf)
		require.NoError(t, err)
		doc, err := dataset.Export(ctx, bdb)
		require.NoError(t, err)
		require.NoError(t, doc.WriteJSON(&buf))
		for _, s := range secrets {
			require.NotContains(t, strings.ToLower(buf.String()), strings.ToLower(s), "nor the exports")
		}

		if db.IsPostgres(bdb) {
			return
		}
		var seq int
		var name, path string
		require.NoError(t, bdb.QueryRowContext(ctx, "PRAGMA database_list").Scan(&seq, &name, &path))
		for _, file := range []string{path, path + "-wal"} {
			raw, err := os.ReadFile(file)
			if os.IsNotExist(err) {
				continue
			}
			require.NoError(t, err)
			lower := bytes.ToLower(raw)
			for _, s := range secrets {
				require.False(t, bytes.Contains(lower, []byte(strings.ToLower(s))), "%s holds %q", file, s)
			}
		}
	})
}

// TestSearchDoesNotConfirmAHiddenContactsName reproduces issue 14, item 6: a
// member searching a real name and a commune got nothing where a made-up
// name got the commune's structures, which told that the name belongs to a
// contact who did not consent.
func TestSearchDoesNotConfirmAHiddenContactsName(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		a.role = access.Staff
		var s struct{ Structure struct{ Commune string } }
		a.data(`{ structure(id: "Structure:2") { commune } }`, nil, &s)
		require.NotEmpty(t, s.Structure.Commune)
		a.data(`mutation { createContact(input: {name: "Gwendoline Kerbrat", consent: false, structure: "Structure:2"}) { id } }`, nil, &struct{}{})

		a.role = access.Member
		search := func(name string) string {
			r := a.do(fmt.Sprintf(`{ search(query: "%s %s", kinds: [CONTACT, STRUCTURE]) { kind node { id } } }`, name, s.Structure.Commune), nil)
			require.Empty(t, r.Errors)
			return string(r.Data)
		}
		real, madeUp := search("Gwendoline Kerbrat"), search("Zébulon Quiproquo")
		require.Contains(t, madeUp, "STRUCTURE")
		require.Equal(t, madeUp, real, "a hidden contact changes nothing a member sees")
	})
}

// TestErasureSparesHomonyms: another contact of the same name is another
// person; erasing one keeps the other, and the other is still found.
func TestErasureSparesHomonyms(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		a.role = access.Staff
		var first, second struct{ CreateContact struct{ ID string } }
		a.data(`mutation { createContact(input: {name: "Sophie Diallo", email: "s.diallo@exemple.org", structure: "Structure:2"}) { id } }`, nil, &first)
		a.data(`mutation { createContact(input: {name: "Sophie Diallo", email: "sophie@autre.example", structure: "Structure:3"}) { id } }`, nil, &second)
		a.role = access.Admin
		require.Empty(t, a.do(fmt.Sprintf(`mutation { erasePersonalData(contact: %q) { contact } }`, first.CreateContact.ID), nil).Errors)
		var out struct {
			Search []struct{ Node struct{ ID string } }
		}
		a.data(`{ search(query: "Sophie Diallo", kinds: [CONTACT]) { node { id } } }`, nil, &out)
		require.Len(t, out.Search, 1)
		require.Equal(t, second.CreateContact.ID, out.Search[0].Node.ID)
		all := textValues(t, bdb)
		require.Contains(t, all, "sophie@autre.example")
		require.NotContains(t, all, "s.diallo@exemple.org")
	})
}
