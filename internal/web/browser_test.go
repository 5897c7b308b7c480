package web_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// chromium finds the browser, or skips the test when there is none and
// LIANES_TEST_BROWSER does not ask for it (CI sets it, so a missing browser
// fails there).
func chromium(t *testing.T) string {
	t.Helper()
	required := os.Getenv("LIANES_TEST_BROWSER") != ""
	if testing.Short() && !required {
		t.Skip("test de navigateur sauté en mode -short")
	}
	for _, name := range []string{os.Getenv("LIANES_CHROMIUM"), "chromium", "chromium-browser", "/usr/bin/chromium"} {
		if name == "" {
			continue
		}
		if path, err := exec.LookPath(name); err == nil {
			return path
		}
	}
	if required {
		t.Fatal("LIANES_TEST_BROWSER est défini mais Chromium est introuvable : apt-get install -y chromium")
	}
	t.Skip("Chromium absent (apt-get install -y chromium, ou LIANES_TEST_BROWSER=1 pour l'exiger) : test de navigateur sauté")
	return ""
}

// artefacts is where the screenshots go: LIANES_TEST_ARTEFACTS when set
// (kept after the test), a temporary directory otherwise.
func artefacts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("LIANES_TEST_ARTEFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	dir = filepath.Join(dir, "screenshots", strings.NewReplacer("/", "-", "#", "-").Replace(t.Name()))
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}

// TestBrowserWalksThePages drives Chromium through the pages the way a visitor
// would, on both databases: home, a call through the calls' filter, an event
// from the agenda, a structure from the directory's search, the search box,
// the observatory, and GraphiQL running a query. Every request must go to the
// service and nothing may be written to the console as an error; each page is
// photographed whole at a phone's and a desktop's width, and as a desktop
// visitor first sees it.
func TestBrowserWalksThePages(t *testing.T) {
	browser := chromium(t)
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		s := newSite(t, bdb)
		dir := artefacts(t)

		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.Flag("disable-gpu", true),
			// The machine may have no internet: Chromium must not try to reach Google.
			chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
			chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true),
			chromedp.Flag("disable-domain-reliability", true), chromedp.Flag("no-pings", true),
		)...)
		defer cancelAlloc()
		ctx, cancel := chromedp.NewContext(alloc)
		defer cancel()

		var mu sync.Mutex
		var outside, problems []string
		require.NoError(t, chromedp.Listen(ctx, func(ev any) {
			mu.Lock()
			defer mu.Unlock()
			switch e := ev.(type) {
			case *network.EventRequestWillBeSent:
				if u := e.Request.URL; !strings.HasPrefix(u, s.srv.URL+"/") && !strings.HasPrefix(u, "data:") {
					outside = append(outside, u)
				}
			case *runtime.EventConsoleAPICalled:
				if e.Type == runtime.ConsoleAPICalledTypeError || e.Type == runtime.ConsoleAPICalledTypeAssert {
					var args []string
					for _, a := range e.Args {
						args = append(args, string(a.Value)+a.Description)
					}
					problems = append(problems, "console: "+strings.Join(args, " "))
				}
			case *runtime.EventExceptionThrown:
				problems = append(problems, "exception: "+e.ExceptionDetails.Text+" "+fmt.Sprint(e.ExceptionDetails.Exception))
			case *log.EventEntryAdded:
				if e.Entry.Level == log.EntryLevelError {
					problems = append(problems, "log: "+e.Entry.Text+" "+e.Entry.URL)
				}
			}
		}))

		step := func(what string, actions ...chromedp.Action[chromedp.Void]) {
			t.Helper()
			stepCtx, cancel := context.WithTimeout(ctx, 20*time.Second)
			defer cancel()
			require.NoError(t, chromedp.Do(stepCtx, actions...), what)
		}
		text := func(sel string) string {
			t.Helper()
			v, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
			require.NoError(t, err, sel)
			return v
		}
		location := func() string {
			t.Helper()
			v, err := chromedp.Run(ctx, chromedp.Location())
			require.NoError(t, err)
			return strings.TrimPrefix(v, s.srv.URL)
		}
		shoot := func(name string) {
			t.Helper()
			for _, size := range []struct {
				label         string
				width, height int64
				mobile        bool
			}{{"telephone", 390, 844, true}, {"bureau", 1280, 800, false}} {
				opts := []chromedp.EmulateViewportOption{}
				if size.mobile {
					opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch, chromedp.EmulatePortrait)
				}
				step("viewport "+size.label, chromedp.EmulateViewport(size.width, size.height, opts...))
				png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
				require.NoError(t, err)
				require.NoError(t, os.WriteFile(filepath.Join(dir, name+"-"+size.label+".png"), png, 0o644))
			}
			// What a desktop visitor sees first, without scrolling (the
			// README's pictures).
			png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(dir, name+"-bureau-haut.png"), png, 0o644))
		}

		step("home", chromedp.EmulateViewport(1280, 800), chromedp.Navigate(s.srv.URL+"/"), chromedp.WaitVisible(chromedp.CSS("main h1")))
		require.Contains(t, text("main"), "Appels à projets")
		shoot("accueil")

		step("calls", chromedp.Click(chromedp.CSS(`.cards a[href="/appels"]`)), chromedp.WaitVisible(chromedp.CSS("form.filters")))
		require.Equal(t, "/appels", location())
		step("filter by theme", chromedp.SetValue(chromedp.ID("f-theme"), "jeunesse-mobilite"),
			chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)),
			chromedp.WaitReady(chromedp.CSS(`select#f-theme option[value="jeunesse-mobilite"][selected]`)))
		require.Equal(t, "/appels?public=&theme=jeunesse-mobilite&pays=&territoire=", location())
		list := text("main")
		require.Contains(t, list, "Appel à projets Jeunesse VII de la DAECT")
		require.NotContains(t, list, "Fonds bilatéraux de la DAECT")
		shoot("appels")
		jeunesse := fmt.Sprintf(`ul.items a[href="/fiche/FundingCall:%d"]`, s.id("funding_calls", "title", "Appel à projets Jeunesse VII de la DAECT"))
		step("a call", chromedp.Click(chromedp.CSS(jeunesse)), chromedp.WaitVisible(chromedp.CSS("article h1")))
		require.Equal(t, "Appel à projets Jeunesse VII de la DAECT", text("article h1"))
		shoot("appel")

		step("agenda", chromedp.Click(chromedp.CSS(`nav a[href="/agenda"]`)), chromedp.WaitVisible(chromedp.CSS("ul.agenda")))
		require.Contains(t, text("main"), "Janvier 2021")
		shoot("agenda")
		step("an event", chromedp.Click(chromedp.CSS(`ul.agenda a[href^="/fiche/Event:"]`)), chromedp.WaitVisible(chromedp.CSS("article h1")))
		require.Contains(t, text("main"), "Ajouter à mon agenda")
		shoot("evenement")

		step("directory", chromedp.Click(chromedp.CSS(`nav a[href="/structures"]`)), chromedp.WaitVisible(chromedp.ID("f-q")),
			chromedp.SendKeys(chromedp.ID("f-q"), "coeur"), chromedp.Click(chromedp.CSS(`form.filters button[type="submit"]`)),
			// The attribute, unlike the typed value, is only on the answer's page.
			chromedp.WaitReady(chromedp.CSS(`input#f-q[value="coeur"]`)))
		require.Equal(t, "/structures?q=coeur&type=&departement=&theme=&pays=", location())
		shoot("structures")
		step("a structure", chromedp.Click(chromedp.CSS(`ul.items a[href^="/fiche/Structure:"]`)), chromedp.WaitVisible(chromedp.CSS("article h1")))
		require.Equal(t, "Ca vient du coeur", text("article h1"))
		require.Contains(t, text("main"), "Projet de forage au Sénégal")
		shoot("structure")

		step("search", chromedp.SendKeys(chromedp.ID("recherche-rapide"), "energie"), chromedp.Click(chromedp.CSS(`form.quick button`)),
			chromedp.WaitReady(chromedp.CSS(`input#q[value="energie"]`)))
		require.Equal(t, "/recherche?q=energie", location())
		require.Contains(t, text("main"), "Commission Energie")
		shoot("recherche")

		step("observatory", chromedp.Click(chromedp.CSS(`nav a[href="/observatoire"]`)), chromedp.WaitVisible(chromedp.CSS("table")))
		drawn, err := chromedp.Run(ctx, chromedp.Poll[bool](
			`Array.from(document.querySelectorAll("figure.chart img")).filter(i => i.complete && i.naturalWidth === 800).length === 4`,
			chromedp.WithPollingTimeout(20*time.Second)))
		require.NoError(t, err)
		require.True(t, drawn, "the observatory's four charts are shown")
		shoot("observatoire")

		step("GraphiQL", chromedp.Click(chromedp.CSS(`footer a[href="/graphql"]`)), chromedp.WaitVisible(chromedp.CSS(".graphiql-execute-button")),
			chromedp.Click(chromedp.CSS(".graphiql-execute-button")))
		answered, err := chromedp.Run(ctx, chromedp.Poll[bool](
			`(document.querySelector(".graphiql-response") || {innerText: ""}).innerText.includes("Accès à l’eau au Sénégal")`,
			chromedp.WithPollingTimeout(20*time.Second)))
		require.NoError(t, err)
		require.True(t, answered, "GraphiQL shows the query's answer")
		shoot("graphiql")

		mu.Lock()
		defer mu.Unlock()
		require.Empty(t, outside, "every request goes to the service")
		require.Empty(t, problems, "no error in the console")
		t.Logf("captures d'écran : %s", dir)
	})
}
