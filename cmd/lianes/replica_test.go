package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/chatfake"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// TestReadsGoToTheStandby runs lianes serve with --database-read on a second
// PostgreSQL database standing for the standby, filled by the test with
// content of its own: queries, the calendar and the bot show the standby's content,
// a mutation writes to the primary and answers from it.
func TestReadsGoToTheStandby(t *testing.T) {
	ctx := context.Background()
	primary, standby := dbtest.URL(t, "postgres"), dbtest.URL(t, "postgres")
	for _, database := range []string{primary, standby} {
		_, errOut, code := lianes(t, "--database", database, "--now", "2021-01-04", "seed", "--demo")
		require.Zero(t, code, errOut)
	}
	sdb, err := db.Open(ctx, standby)
	require.NoError(t, err)
	defer sdb.Close()
	_, err = sdb.ExecContext(ctx, "UPDATE structures SET name = 'Nom lu sur la réplique' WHERE id = 1")
	require.NoError(t, err)
	_, err = sdb.ExecContext(ctx, "UPDATE events SET title = 'Événement lu sur la réplique' WHERE id = 1")
	require.NoError(t, err)
	token := staffToken(t, primary) // tokens live on the primary only
	const secret = "standby-signing-secret"
	t.Setenv("LIANES_SLACK_BOT_TOKEN", "xoxb-standby")
	t.Setenv("LIANES_SLACK_SIGNING_SECRET", secret)
	t.Setenv("LIANES_SLACK_API_URL", chatfake.NewSlack(t).URL)

	s := serve(t, primary, "--database-read", standby)
	require.Contains(t, s.slash(t, secret, "agenda"), "Événement lu sur la réplique", "the bot reads the standby")
	out, _ := s.graphql(t, "", "Noms", `query Noms { structures(first: 100) { nodes { name } } }`)
	require.Contains(t, jsonText(t, out), "Nom lu sur la réplique")

	resp, err := http.Get(s.base + "/calendar.ics")
	require.NoError(t, err)
	ics, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	require.Contains(t, string(ics), "Événement lu sur la réplique")

	out, _ = s.graphql(t, token, "Nouvelle", `mutation Nouvelle { createStructure(input: {name: "Créée sur la principale"}) { name version } }`)
	require.Contains(t, jsonText(t, out), "Créée sur la principale", "the payload is read back from the primary")
	pdb, err := db.Open(ctx, primary)
	require.NoError(t, err)
	defer pdb.Close()
	var inPrimary, inStandby int
	require.NoError(t, pdb.QueryRowContext(ctx, "SELECT count(*) FROM structures WHERE name = 'Créée sur la principale'").Scan(&inPrimary))
	require.NoError(t, sdb.QueryRowContext(ctx, "SELECT count(*) FROM structures WHERE name = 'Créée sur la principale'").Scan(&inStandby))
	require.Equal(t, 1, inPrimary)
	require.Zero(t, inStandby)

	families := scrape(t, s.base)
	_, found := sample(families, "go_sql_open_connections", map[string]string{"db_name": "read"})
	require.True(t, found, "the standby's pool is watched")
}

func jsonText(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}
