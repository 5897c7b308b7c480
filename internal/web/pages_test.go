package web_test

import (
	"context"
	"image/png"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strconv"
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
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/search"
	"github.com/lianes-cooperation/lianes/internal/tokens"
	"github.com/lianes-cooperation/lianes/internal/web"
)

// site is the service on the demo data, replayed as of 4 January 2021, with
// a member's and a staff token.
type site struct {
	t             testing.TB
	db            *bun.DB
	handler       http.Handler
	srv           *httptest.Server
	tokens        *tokens.Service // the server's own
	member, staff string
}

func newSite(t testing.TB, bdb *bun.DB) *site {
	t.Helper()
	ctx := context.Background()
	_, err := dataset.SeedDemo(ctx, bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	now := clock.Fixed(time.Date(2021, 1, 4, 9, 0, 0, 0, clock.Paris))
	ts := &tokens.Service{DB: bdb}
	member, _, err := ts.Create(ctx, "adhérent", access.Member, nil, time.Now())
	require.NoError(t, err)
	staff, _, err := ts.Create(ctx, "équipe", access.Staff, nil, time.Now())
	require.NoError(t, err)
	services := domain.New(bdb, now)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	h := web.NewHandler(web.Deps{
		DB: bdb, Clock: now, Log: log, Services: services, Tokens: ts,
		GraphQL: graph.NewHandler(&graph.Resolver{Services: services, Clock: now}, graph.DefaultLimits, log),
	})
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return &site{t: t, db: bdb, handler: h, srv: srv, tokens: ts, member: member, staff: staff}
}

// id returns the id of the record of a table whose column has a value.
func (s *site) id(table, column, value string) int64 {
	s.t.Helper()
	var id int64
	require.NoError(s.t, s.db.NewSelect().Table(table).Column("id").Where("? = ?", bun.Ident(column), value).Scan(context.Background(), &id),
		"%s %s", table, value)
	return id
}

// client signs in with a token through /connexion, or stays anonymous.
func (s *site) client(token string) *http.Client {
	s.t.Helper()
	jar, err := cookiejar.New(nil)
	require.NoError(s.t, err)
	c := &http.Client{Jar: jar}
	if token != "" {
		resp, err := c.PostForm(s.srv.URL+"/connexion", url.Values{"jeton": {token}, "suite": {"/"}})
		require.NoError(s.t, err)
		resp.Body.Close()
		require.Equal(s.t, http.StatusOK, resp.StatusCode)
	}
	return c
}

func (s *site) get(c *http.Client, path string) (int, http.Header, string) {
	s.t.Helper()
	resp, err := c.Get(s.srv.URL + path)
	require.NoError(s.t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(s.t, err)
	return resp.StatusCode, resp.Header, string(body)
}

// page gets an HTML page that must answer 200 with the security headers.
func (s *site) page(c *http.Client, path string) string {
	s.t.Helper()
	status, h, body := s.get(c, path)
	require.Equal(s.t, http.StatusOK, status, "%s: %s", path, body)
	requireSecurityHeaders(s.t, h, path)
	require.Contains(s.t, h.Get("Content-Type"), "text/html")
	require.Contains(s.t, body, `<meta property="og:title"`, path)
	require.Contains(s.t, body, `<meta property="og:description"`, path)
	require.Contains(s.t, body, `<main id="contenu">`, path)
	return body
}

func requireSecurityHeaders(t testing.TB, h http.Header, path string) {
	t.Helper()
	csp := h.Get("Content-Security-Policy")
	require.Contains(t, csp, "default-src 'self'", path)
	require.Contains(t, csp, "frame-ancestors 'none'", path)
	require.NotContains(t, csp, "http", "no other origin allowed: %s", path)
	require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"), path)
	require.Equal(t, "DENY", h.Get("X-Frame-Options"), path)
}

func TestPagesShowEachRoleWhatItMaySee(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		s := newSite(t, bdb)
		ctx := context.Background()
		lianes := s.id("structures", "name", "Lianes coopération")
		// A person who agreed to be shown to members, beside the demo's
		// director, who did not.
		_, err := bdb.NewInsert().Model(&network.Contact{StructureID: lianes, Name: "Awa Diallo", Role: "Chargée de mission",
			Email: "a.diallo@example.org", Consent: true, Version: 1, CreatedAt: time.Now(), UpdatedAt: time.Now()}).Exec(ctx)
		require.NoError(t, err)
		director := s.id("contacts", "name", "F. Derisbourg")
		consenting := s.id("contacts", "name", "Awa Diallo")
		require.NoError(t, search.ReindexRecords(ctx, bdb, search.KindContact, consenting))
		coeur := s.id("structures", "name", "Ca vient du coeur")
		forage := s.id("projects", "title", "Projet de forage au Sénégal")
		water := s.id("events", "title", "Accès à l’eau au Sénégal")
		jeunesse := s.id("funding_calls", "title", "Appel à projets Jeunesse VII de la DAECT")
		session := s.id("support_sessions", "subject", "Accompagnement projet de forage au Sénégal")
		training := s.id("training_cycles", "title", "Formation Gestion du Cycle de Projet")

		anonymous, member, staff := s.client(""), s.client(s.member), s.client(s.staff)
		fiche := func(typ string, id int64) string { return "/fiche/" + typ + ":" + itoa(id) }

		t.Run("structure", func(t *testing.T) {
			for _, c := range []*http.Client{anonymous, member, staff} {
				body := s.page(c, fiche("Structure", coeur))
				for _, want := range []string{"<h1>Ca vient du coeur</h1>", "Association locale", "Nord (59)",
					"Projet de forage au Sénégal", fiche("Project", forage), "Sénégal",
					`<meta property="og:title" content="Ca vient du coeur">`, "Porte : Projet de forage au Sénégal"} {
					require.Contains(t, body, want)
				}
			}
			body := s.page(anonymous, fiche("Structure", coeur))
			require.Contains(t, body, "réservés aux membres")
			require.NotContains(t, body, "Accompagnements (équipe)")
			body = s.page(staff, fiche("Structure", coeur))
			require.Contains(t, body, "Accompagnements (équipe)")
			require.Contains(t, body, fiche("SupportSession", session))

			body = s.page(anonymous, fiche("Structure", lianes))
			require.NotContains(t, body, "Awa Diallo")
			require.NotContains(t, body, "Derisbourg")
			body = s.page(member, fiche("Structure", lianes))
			require.Contains(t, body, "Awa Diallo", "a member sees who consented")
			require.NotContains(t, body, "Derisbourg", "and no one else")
			require.NotContains(t, body, "a.diallo@example.org", "nor e-mails")
			body = s.page(staff, fiche("Structure", lianes))
			require.Contains(t, body, "Derisbourg")
			require.Contains(t, body, "f.derisbourg@lianescooperation.org")
			require.Contains(t, body, "Région Hauts-de-France", "partners")
		})
		t.Run("contact", func(t *testing.T) {
			status, _, _ := s.get(anonymous, fiche("Contact", consenting))
			require.Equal(t, http.StatusNotFound, status)
			body := s.page(member, fiche("Contact", consenting))
			require.Contains(t, body, "Chargée de mission")
			require.NotContains(t, body, "a.diallo@example.org")
			require.Contains(t, body, `<meta property="og:description" content="Contact du réseau Lianes coopération.">`, "an unfurled link says nothing of the person")
			status, _, _ = s.get(member, fiche("Contact", director))
			require.Equal(t, http.StatusNotFound, status, "no consent: not for members")
			body = s.page(staff, fiche("Contact", director))
			require.Contains(t, body, "f.derisbourg@lianescooperation.org")
			require.Contains(t, body, "n&#39;a pas consenti")
		})
		t.Run("project", func(t *testing.T) {
			body := s.page(anonymous, fiche("Project", forage))
			for _, want := range []string{"<h1>Projet de forage au Sénégal</h1>", "Porteur", fiche("Structure", coeur), "Ca vient du coeur",
				"Sénégal", "Eau et assainissement", "Projet porté par Ca vient du coeur (Sénégal)"} {
				require.Contains(t, body, want)
			}
			require.NotContains(t, body, "Accompagnement projet de forage")
			require.Contains(t, s.page(staff, fiche("Project", forage)), "Accompagnement projet de forage au Sénégal")
		})
		t.Run("event", func(t *testing.T) {
			body := s.page(anonymous, fiche("Event", water))
			for _, want := range []string{"Webinaire", "12 janvier 2021", "date précise", "Associations, collectivités territoriales",
				"Eau et assainissement", "Sénégal", fiche("Event", water) + "/agenda.ics", "Ajouter à mon agenda"} {
				require.Contains(t, body, want)
			}
			status, h, ics := s.get(anonymous, fiche("Event", water)+"/agenda.ics")
			require.Equal(t, http.StatusOK, status)
			require.Contains(t, h.Get("Content-Type"), "text/calendar")
			require.Equal(t, 1, strings.Count(ics, "BEGIN:VEVENT"))
			require.Contains(t, ics, "SUMMARY:Accès à l’eau au Sénégal")

			presenting := s.id("events", "title", "Présentation de l’appel à projet Jeunesse VII de la DAECT / Ministère Europe et Affaires Etrangères")
			body = s.page(anonymous, fiche("Event", presenting))
			require.Contains(t, body, "Appels à projets présentés")
			require.Contains(t, body, fiche("FundingCall", jeunesse))
		})
		t.Run("funding call", func(t *testing.T) {
			body := s.page(anonymous, fiche("FundingCall", jeunesse))
			for _, want := range []string{"Appel à projets", "DAECT / Ministère de l’Europe et des Affaires étrangères", "Jeunesse",
				"Collectivités territoriales, associations", ">national</a>", "Présenté lors de", "Date limite non communiquée", "ouvert"} {
				require.Contains(t, body, want)
			}
		})
		t.Run("training, publication, action, census", func(t *testing.T) {
			body := s.page(anonymous, fiche("TrainingCycle", training))
			require.Contains(t, body, "Modules")
			require.Contains(t, body, "Concevoir un projet de solidarité internationale")
			require.Contains(t, body, "module 1")
			body = s.page(anonymous, fiche("Publication", s.id("publications", "title", "Villes et territoires durables en Afrique")))
			for _, want := range []string{"Revue annuelle des RRMA", "revue", "mars 2021", "dans le mois"} {
				require.Contains(t, body, want)
			}
			body = s.page(anonymous, fiche("ProgrammeAction", s.id("programme_actions", "title", "Ready to Move ! : webinaires d’information sur les dispositifs financiers de mobilité")))
			require.Contains(t, body, `href="https://www.ready-to-move.fr/" rel="noopener noreferrer"`)
			body = s.page(anonymous, fiche("CensusCampaign", s.id("census_campaigns", "title", "Campagne de recensement des organisations picardes")))
			require.Contains(t, body, "Recensement")
			require.Contains(t, body, "été 2021")
		})
		t.Run("support session", func(t *testing.T) {
			for _, c := range []*http.Client{anonymous, member} {
				status, h, body := s.get(c, fiche("SupportSession", session))
				require.Equal(t, http.StatusNotFound, status)
				requireSecurityHeaders(t, h, "404")
				require.Contains(t, body, "introuvable")
				require.NotContains(t, body, "forage")
			}
			body := s.page(staff, fiche("SupportSession", session))
			require.Contains(t, body, "Réservé à l&#39;équipe")
			require.Contains(t, body, fiche("Structure", coeur))
			require.Contains(t, body, fiche("Project", forage))
		})
		t.Run("missing records", func(t *testing.T) {
			for _, path := range []string{"/fiche/Event:99999", "/fiche/nimporte", "/fiche/Structure:-1", "/fiche/Chose:1", "/nimporte/ou"} {
				status, _, body := s.get(anonymous, path)
				require.Equal(t, http.StatusNotFound, status, path)
				require.Contains(t, body, "introuvable", path)
			}
		})
		t.Run("calls", func(t *testing.T) {
			body := s.page(anonymous, "/appels")
			require.Contains(t, body, fiche("FundingCall", jeunesse))
			require.Contains(t, body, `<label for="f-theme">Thème</label>`)
			body = s.page(anonymous, "/appels?theme=jeunesse-mobilite")
			require.Contains(t, body, fiche("FundingCall", jeunesse))
			require.NotContains(t, body, "Fonds bilatéraux de la DAECT")
			require.Contains(t, body, `<option value="jeunesse-mobilite" selected>`)
			status, _, body := s.get(anonymous, "/appels?theme=astronomie")
			require.Equal(t, http.StatusBadRequest, status)
			require.Contains(t, body, "Thème « astronomie » inconnu")
		})
		t.Run("agenda", func(t *testing.T) {
			body := s.page(anonymous, "/agenda")
			for _, want := range []string{"<h2>Janvier 2021</h2>", "<h2>Mai 2021</h2>", "<h2>Date à définir</h2>", "Commission Energie",
				"(dans le mois)", "(date précise)", `href="/calendar.ics"`} {
				require.Contains(t, body, want)
			}
			body = s.page(anonymous, "/agenda?genre=groupe_de_travail&theme=ecsi")
			require.NotContains(t, body, "Accès à l’eau au Sénégal")
			require.Contains(t, body, `href="/calendar.ics?kind=groupe_de_travail&amp;theme=ecsi"`)
			status, _, _ := s.get(anonymous, "/calendar.ics?kind=groupe_de_travail&theme=ecsi")
			require.Equal(t, http.StatusOK, status)
			body = s.page(anonymous, "/agenda?pays=SN")
			require.Contains(t, body, "Accès à l’eau au Sénégal")
			require.NotContains(t, body, "Commission Energie")
			require.Contains(t, body, `href="/calendar.ics?country=SN"`)
			_, _, ics := s.get(anonymous, "/calendar.ics?country=SN")
			require.Contains(t, ics, "SUMMARY:Accès à l’eau au Sénégal")
			require.NotContains(t, ics, "Commission Energie")
		})
		t.Run("structures", func(t *testing.T) {
			body := s.page(anonymous, "/structures")
			require.Contains(t, body, "Structures suivantes", "paged")
			require.Contains(t, body, `<label for="f-departement">Département</label>`)
			next := between(body, `<a class="button" href="`, `"`)
			second := s.page(anonymous, strings.ReplaceAll(next, "&amp;", "&"))
			require.NotEqual(t, body, second)
			body = s.page(anonymous, "/structures?pays=SN")
			require.Contains(t, body, "Ca vient du coeur", "acts in Senegal through its project")
			body = s.page(anonymous, "/structures?departement=59&q=coeur")
			require.Contains(t, body, "Ca vient du coeur")
			require.Contains(t, body, "1 structure<")
		})
		t.Run("search", func(t *testing.T) {
			body := s.page(anonymous, "/recherche?q=energie")
			require.Contains(t, body, "Commission Energie", "without the accent")
			require.Contains(t, s.page(anonymous, "/recherche?q=forages"), fiche("Project", forage), "plural")
			require.NotContains(t, s.page(anonymous, "/recherche?q=accompagnement+forage"), fiche("SupportSession", session))
			require.Contains(t, s.page(staff, "/recherche?q=accompagnement+forage"), fiche("SupportSession", session))
			require.NotContains(t, s.page(anonymous, "/recherche?q=diallo"), "Awa Diallo")
			require.Contains(t, s.page(member, "/recherche?q=diallo"), "Awa Diallo")
		})
		t.Run("observatory", func(t *testing.T) {
			body := s.page(anonymous, "/observatoire")
			for _, want := range []string{"Représentation des départements", "Indice de représentation", "Nord (59)", "1.26", "Association locale"} {
				require.Contains(t, body, want)
			}
			// The charts are linked with their size and a text saying what they
			// show, and served as PNG pictures of that size from the service itself.
			images := regexp.MustCompile(`<img src="(/observatoire/[a-z]+\.png)" width="(\d+)" height="(\d+)" alt="([^"]+)"`).
				FindAllStringSubmatch(body, -1)
			require.Len(t, images, 4, body)
			require.Contains(t, images[0][4], "Nord (59) : ", "the departments' chart comes first and is described")
			for _, img := range images {
				status, h, raw := s.get(anonymous, img[1])
				require.Equal(t, http.StatusOK, status, img[1])
				requireSecurityHeaders(t, h, img[1])
				require.Equal(t, "image/png", h.Get("Content-Type"), img[1])
				require.Contains(t, h.Get("Cache-Control"), "max-age=", img[1])
				picture, err := png.Decode(strings.NewReader(raw))
				require.NoError(t, err, img[1])
				require.Equal(t, img[2], strconv.Itoa(picture.Bounds().Dx()), img[1])
				require.Equal(t, img[3], strconv.Itoa(picture.Bounds().Dy()), img[1])
			}
			status, _, text := s.get(anonymous, "/observatoire/camembert.png")
			require.Equal(t, http.StatusNotFound, status)
			require.Contains(t, text, "/observatoire/departements.png")
		})
		t.Run("home", func(t *testing.T) {
			body := s.page(anonymous, "/")
			for _, want := range []string{`href="/appels"`, `href="/agenda"`, `href="/structures"`, `href="/observatoire"`, `href="/recherche"`,
				`href="/graphql"`, "Accès à l’eau au Sénégal", "<title>Lianes coopération</title>"} {
				require.Contains(t, body, want)
			}
		})
	})
}

func TestSignInKeepsTheTokenInAStrictCookie(t *testing.T) {
	s := newSite(t, dbtest.Open(t, "sqlite"))
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	post := func(form url.Values, origin string) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, s.srv.URL+"/connexion", strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := noRedirect.Do(req)
		require.NoError(t, err)
		resp.Body.Close()
		return resp
	}
	resp := post(url.Values{"jeton": {s.staff}, "suite": {"/agenda"}}, s.srv.URL)
	require.Equal(t, http.StatusSeeOther, resp.StatusCode)
	require.Equal(t, "/agenda", resp.Header.Get("Location"))
	cookie := resp.Header.Get("Set-Cookie")
	require.Contains(t, cookie, "lianes_jeton=")
	require.Contains(t, cookie, "HttpOnly")
	require.Contains(t, cookie, "SameSite=Lax")
	require.NotContains(t, cookie, "Secure", "plain HTTP here")

	resp = post(url.Values{"jeton": {s.staff}, "suite": {"//ailleurs.example"}}, "")
	require.Equal(t, "/", resp.Header.Get("Location"), "never sent to another site")
	resp = post(url.Values{"jeton": {s.staff}}, "https://ailleurs.example")
	require.Equal(t, http.StatusForbidden, resp.StatusCode, "a form from another site")
	resp = post(url.Values{"jeton": {"lianes_nimporte"}}, "")
	require.Equal(t, http.StatusUnauthorized, resp.StatusCode)

	status, _, body := s.get(http.DefaultClient, "/connexion")
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, body, `<label for="jeton">Jeton d'API</label>`)

	// A cookie whose token was revoked: the page is public again. (Revoked
	// by another process, it is after a few seconds: internal/tokens.)
	c := s.client(s.staff)
	_, err := s.tokens.Revoke(context.Background(), "équipe", time.Now())
	require.NoError(t, err)
	_, _, body = s.get(c, "/")
	require.Contains(t, body, `href="/connexion?suite=%2f"`, "public again, and the sign-in link brings back here")
}

func TestGraphiQLIsServedFromTheBinary(t *testing.T) {
	s := newSite(t, dbtest.Open(t, "sqlite"))
	req, _ := http.NewRequest(http.MethodGet, s.srv.URL+"/graphql", nil)
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode)
	requireSecurityHeaders(t, resp.Header, "/graphql")
	page := string(body)
	require.NotContains(t, page, "//", "no address outside the service") // no http://, https:// nor //cdn…
	for _, asset := range []string{"graphiql.min.js", "graphiql.min.css", "react.production.min.js", "react-dom.production.min.js", "lianes.js"} {
		require.Contains(t, page, "/graphiql/assets/"+asset)
		status, h, content := s.get(http.DefaultClient, "/graphiql/assets/"+asset)
		require.Equal(t, http.StatusOK, status, asset)
		require.Equal(t, "nosniff", h.Get("X-Content-Type-Options"))
		require.NotEmpty(t, content)
	}
	require.NotContains(t, page, "<script>", "no inline script")

	// Queries still go through.
	status, _, answer := s.get(http.DefaultClient, "/graphql?query="+url.QueryEscape("{ events(first: 1) { totalCount } }"))
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, answer, `"totalCount":41`)
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func between(s, start, end string) string {
	_, after, ok := strings.Cut(s, start)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(after, end)
	return v
}
