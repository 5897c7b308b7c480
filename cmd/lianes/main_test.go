package main

import (
	"bytes"
	"context"
	"encoding/json"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/stretchr/testify/require"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lianes runs the command line as a user would and returns its output.
func lianes(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(context.Background(), args, &out, &errOut)
	return out.String(), errOut.String(), code
}

func TestSeedExportImportFromTheCommandLine(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			source := dbtest.URL(t, kind)
			out, errOut, code := lianes(t, "--database", source, "--now", "2021-01-04", "seed", "--demo")
			require.Zero(t, code, errOut)
			require.Contains(t, out, "events 41")
			require.Contains(t, out, "supportSessions 54")

			out, _, code = lianes(t, "--database", source, "seed", "--demo")
			require.Zero(t, code)
			require.Contains(t, out, "déjà chargé")

			exported := filepath.Join(t.TempDir(), "export.json")
			_, errOut, code = lianes(t, "--database", source, "export", "-o", exported)
			require.Zero(t, code, errOut)
			first, err := os.ReadFile(exported)
			require.NoError(t, err)

			for _, target := range dbtest.Kinds() {
				dest := dbtest.URL(t, target)
				out, errOut, code = lianes(t, "--database", dest, "import", exported)
				require.Zero(t, code, errOut)
				require.Contains(t, out, "importé")
				again, _, code := lianes(t, "--database", dest, "export")
				require.Zero(t, code)
				require.Equal(t, string(first), again, "%s -> %s", kind, target)
			}

			_, errOut, code = lianes(t, "--database", source, "import", "--structures", "../../internal/dataset/testdata/structures-bad.csv")
			require.Equal(t, 2, code, "a bad input file exits 2, a failure of the service 1")
			require.Contains(t, errOut, "ligne 3, champ « type » : type d'acteur « Asso » inconnu")
			after, _, _ := lianes(t, "--database", source, "export")
			require.Equal(t, string(first), after, "a bad CSV changes nothing")
		})
	}
}

func TestCommandLineRefusesBadInput(t *testing.T) {
	database := dbtest.URL(t, "sqlite")
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"--now", "hier", "migrate"}, "date « hier » non reconnue"},
		{[]string{"--database", "mysql://x", "migrate"}, "base de données « mysql://x » non reconnue"},
		{[]string{"--database", database, "import"}, "donner soit un fichier JSON"},
		{[]string{"--database", database, "import", "absent.json"}, "absent.json"},
		{[]string{"--database", database, "frobnicate"}, "unknown command"},
	}
	for _, c := range cases {
		_, errOut, code := lianes(t, c.args...)
		require.Equal(t, 1, code, c.args)
		require.Contains(t, errOut, c.want, c.args)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

func TestServeAnswersHealthAndStopsGracefully(t *testing.T) {
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int)
	var errOut bytes.Buffer
	go func() {
		done <- run(ctx, []string{"--database", dbtest.URL(t, "sqlite"), "--now", "2021-01-04",
			"serve", "--demo", "--addr", addr}, io.Discard, &errOut)
	}()

	var resp *http.Response
	require.Eventually(t, func() bool {
		var err error
		resp, err = http.Get("http://" + addr + "/healthz")
		return err == nil
	}, 10*time.Second, 20*time.Millisecond)
	defer resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var report map[string]string
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&report))
	require.Equal(t, "ok", report["status"])
	require.Equal(t, "sqlite", report["database"])
	require.Contains(t, report["now"], "2021-01-04T", "the clock starts at --now")

	cancel() // what SIGINT and SIGTERM do through signal.NotifyContext
	select {
	case code := <-done:
		require.Zero(t, code, errOut.String())
		require.Contains(t, errOut.String(), "arrêté proprement")
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop")
	}
}

func TestAskFromTheTerminal(t *testing.T) {
	for _, kind := range dbtest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			database := dbtest.URL(t, kind)
			_, errOut, code := lianes(t, "--database", database, "seed", "--demo")
			require.Zero(t, code, errOut)

			out, errOut, code := lianes(t, "--database", database, "ask", "--now", "2021-01-04", "Quels sont les prochains webinaires ?")
			require.Zero(t, code, errOut)
			first := strings.Index(out, "12 janvier 2021 — Accès à l’eau au Sénégal")
			second := strings.Index(out, "14 janvier 2021 — Présentation des Appels à projets de la DAECT")
			require.GreaterOrEqual(t, first, 0, out)
			require.Greater(t, second, first, out)

			out, errOut, code = lianes(t, "--database", database, "ask", "--now", "2021-01-04", "--format", "json",
				"Quels sont les prochains webinaires ?")
			require.Zero(t, code, errOut)
			var answer struct {
				Intent string `json:"intent"`
				Text   string `json:"text"`
				Items  []struct {
					Kind, ID, Title, Date string
				} `json:"items"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &answer))
			require.Equal(t, "agenda", answer.Intent)
			require.Equal(t, "Event:1", answer.Items[0].ID)
			require.Equal(t, "event", answer.Items[0].Kind)
			require.Equal(t, "12 janvier 2021", answer.Items[0].Date)
			require.Contains(t, answer.Items[1].Title, "DAECT")
			require.NotEmpty(t, answer.Text)

			// Anonymous askers get no support session; staff do.
			out, _, _ = lianes(t, "--database", database, "ask", "--as", "anonymous", "cherche RECITAL")
			require.NotContains(t, out, "RDV accompagnement")
			out, _, _ = lianes(t, "--database", database, "ask", "--as", "staff", "cherche RECITAL")
			require.Contains(t, out, "RDV accompagnement")

			// A follow-up in a named conversation is read with the question before it.
			_, errOut, code = lianes(t, "--database", database, "ask", "--now", "2021-01-04", "--thread", "t1", "quels appels pour les assos ?")
			require.Zero(t, code, errOut)
			out, errOut, code = lianes(t, "--database", database, "ask", "--now", "2021-01-04", "--thread", "t1", "--format", "json", "et pour les écoles ?")
			require.Zero(t, code, errOut)
			require.NoError(t, json.Unmarshal([]byte(out), &answer))
			require.Equal(t, "appels", answer.Intent, out)
			require.Contains(t, answer.Text, "établissements scolaires")
			out, _, _ = lianes(t, "--database", database, "ask", "--now", "2021-01-04", "--format", "json", "et pour les écoles ?")
			require.NoError(t, json.Unmarshal([]byte(out), &answer))
			require.NotEqual(t, "appels", answer.Intent, "without --thread, nothing is remembered")

			// What the bot could not answer is kept for the staff.
			_, errOut, code = lianes(t, "--database", database, "ask", "--now", "2021-01-04", "Quelle est la météo à Lille demain ?")
			require.Zero(t, code, errOut)
			out, errOut, code = lianes(t, "--database", database, "ask", "--as", "staff", "--unanswered", "--since", "2021-01-01")
			require.Zero(t, code, errOut)
			require.Contains(t, out, "hors_champ  « Quelle est la météo à Lille demain ? »")
			_, errOut, code = lianes(t, "--database", database, "ask", "--unanswered")
			require.Equal(t, 1, code)
			require.Contains(t, errOut, "réservé à l'équipe")

			_, errOut, code = lianes(t, "--database", database, "ask", "--as", "chef", "aide")
			require.Equal(t, 1, code)
			require.Contains(t, errOut, "rôle « chef » inconnu")
		})
	}
}

func TestTokensFromTheCommandLine(t *testing.T) {
	database := dbtest.URL(t, "sqlite")
	out, errOut, code := lianes(t, "--database", database, "token", "create", "--role", "staff", "--name", "CRM", "--expires", "90d")
	require.Zero(t, code, errOut)
	token := strings.TrimSpace(out)
	require.True(t, strings.HasPrefix(token, "lianes_"))
	require.Contains(t, errOut, "il ne sera plus affiché")

	out, _, code = lianes(t, "--database", database, "token", "list")
	require.Zero(t, code)
	require.Contains(t, out, "CRM")
	require.Contains(t, out, "staff")
	require.NotContains(t, out, token, "a token is shown once, at creation")

	out, _, code = lianes(t, "--database", database, "token", "revoke", "CRM")
	require.Zero(t, code)
	require.Contains(t, out, "révoqué")
	out, _, _ = lianes(t, "--database", database, "token", "list")
	require.Contains(t, out, "révoqué")

	_, errOut, code = lianes(t, "--database", database, "token", "create", "--role", "chef", "--name", "x")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "rôle « chef » inconnu")
	_, errOut, code = lianes(t, "--database", database, "token", "create", "--role", "staff", "--name", "x", "--expires", "bientôt")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "--expires")
}

func TestDiscordRegisterAgainstALocalFake(t *testing.T) {
	var mu sync.Mutex
	var paths []string
	var body []byte
	fake := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		paths = append(paths, r.Method+" "+r.URL.Path)
		body, _ = io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	defer fake.Close()
	t.Setenv("LIANES_DISCORD_BOT_TOKEN", "token")
	t.Setenv("LIANES_DISCORD_APP_ID", "APP")
	t.Setenv("LIANES_DISCORD_API_URL", fake.URL)
	database := dbtest.URL(t, "sqlite")
	_, errOut, code := lianes(t, "--database", database, "seed")
	require.Zero(t, code, errOut)
	out, errOut, code := lianes(t, "--database", database, "discord", "register", "--guild", "G1")
	require.Zero(t, code, errOut)
	require.Contains(t, out, "2 commande(s) enregistrée(s) dans le serveur G1")
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, []string{"PUT /api/v9/applications/APP/guilds/G1/commands"}, paths)
	require.Contains(t, string(body), `"name":"lianes-staff"`)
	require.Contains(t, string(body), `"default_member_permissions":"8192"`, "the staff command is hidden from members")
}
