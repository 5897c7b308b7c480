package slack_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/bots/core"
	slackbot "github.com/lianes-cooperation/lianes/bots/slack"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/network"
)

// profileSlack answers users.info from a table of profiles, counting the
// calls, and keeps the messages posted.
type profileSlack struct {
	mu      sync.Mutex
	lookups map[string]int
	posts   []url.Values
}

func (f *profileSlack) serve(t *testing.T, profiles map[string]string) *httptest.Server {
	mux := http.NewServeMux()
	mux.HandleFunc("/users.info", func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		user := r.PostForm.Get("user")
		f.mu.Lock()
		f.lookups[user]++
		f.mu.Unlock()
		email, ok := profiles[user]
		if !ok {
			_, _ = io.WriteString(w, `{"ok":false,"error":"missing_scope","needed":"users:read.email"}`)
			return
		}
		fmt.Fprintf(w, `{"ok":true,"user":{"id":%q,"name":"marie","profile":{"real_name":"Marie","email":%q}}}`, user, email)
	})
	mux.HandleFunc("/chat.postMessage", func(w http.ResponseWriter, r *http.Request) {
		require.NoError(t, r.ParseForm())
		f.mu.Lock()
		f.posts = append(f.posts, r.PostForm)
		f.mu.Unlock()
		_, _ = io.WriteString(w, `{"ok":true,"channel":"D1","ts":"1700000000.000100"}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

func (f *profileSlack) lookupsOf(user string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.lookups[user]
}

func (f *profileSlack) last() string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.posts[len(f.posts)-1].Get("blocks")
}

// TestFirstMessageLinksAMemberByTheirProfileEmail: a workspace member whose
// profile e-mail is a contact's (in another letter case) is linked on their
// first message, and told so in its answer; their second message asks
// Slack nothing. Slack failing or giving no e-mail links nobody, once.
func TestFirstMessageLinksAMemberByTheirProfileEmail(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		_, err := dataset.SeedDemo(ctx, bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		contact := network.Contact{StructureID: 38, Name: "Marie Dupont", SortName: "marie dupont", Email: "Marie.Dupont@Example.org",
			Version: 1, CreatedAt: time.Now(), UpdatedAt: time.Now()}
		_, err = bdb.NewInsert().Model(&contact).Exec(ctx)
		require.NoError(t, err)

		fake := &profileSlack{lookups: map[string]int{}}
		srv := fake.serve(t, map[string]string{"U42": "marie.dupont@example.org", "U44": ""})
		services := domain.New(bdb, demoClock)
		brain := core.New(services, demoClock, "https://lianes.test")
		var log strings.Builder
		bot := slackbot.New(slackbot.Config{BotToken: "xoxb-test", SigningSecret: secret, APIURL: srv.URL},
			brain, slog.New(slog.NewTextHandler(&syncWriter{b: &log}, nil)))
		api := httptest.NewServer(bot.Handler())
		t.Cleanup(api.Close)
		n := 0
		dm := func(user, text string) string {
			t.Helper()
			n++
			body := fmt.Sprintf(`{"type":"event_callback","event_id":"EvP%d","event":{"type":"message","channel_type":"im","user":%q,"text":%q,"ts":"17000000%02d.000100","channel":"D%s"}}`,
				n, user, text, n, user)
			e := &env{srv: api}
			status, _ := e.send(t, "/slack/events", "application/json", body, sign(secret, body, time.Now()))
			require.Equal(t, http.StatusOK, status)
			bot.Wait()
			return fake.last()
		}

		first := dm("U42", "bonjour")
		require.Contains(t, first, "Je vous ai reconnu·e : vous êtes de Ca vient du coeur. « oublie-moi » pour défaire ce lien.")
		second := dm("U42", "qui suis-je ?")
		require.NotContains(t, second, "reconnu·e")
		require.Contains(t, second, "Vous êtes de Ca vient du coeur.")
		require.Contains(t, second, "le courriel de votre profil est celui d'un contact de la structure")
		require.Equal(t, 1, fake.lookupsOf("U42"), "one lookup per person, not per message")

		var link struct {
			Status, Method string
			ContactID      int64 `bun:"contact_id"`
		}
		require.NoError(t, bdb.NewSelect().TableExpr("chat_links").Column("status", "method", "contact_id").
			Where("chat_user_id = 'U42'").Scan(ctx, &link))
		require.Equal(t, "validated", link.Status)
		require.Equal(t, "email", link.Method)
		require.Equal(t, contact.ID, link.ContactID)

		// Slack's error (a scope missing) and a profile without e-mail:
		// answered all the same, unlinked, and asked once.
		for _, user := range []string{"U43", "U44"} {
			require.Contains(t, dm(user, "agenda"), "Accès à l’eau au Sénégal")
			require.Contains(t, dm(user, "qui suis-je"), "Je ne sais pas encore de quelle structure vous êtes.")
			require.Equal(t, 1, fake.lookupsOf(user))
		}
		require.Contains(t, log.String(), "users.info")

		// « oublie-moi » undoes the link, and the e-mail does not make it again.
		require.Contains(t, dm("U42", "oublie-moi"), "n'est plus lié à aucune structure")
		require.Contains(t, dm("U42", "qui suis-je"), "Je ne sais pas encore")
		require.Equal(t, 1, fake.lookupsOf("U42"))
		count, err := bdb.NewSelect().TableExpr("chat_links").Count(ctx)
		require.NoError(t, err)
		require.Zero(t, count)
	})
}
