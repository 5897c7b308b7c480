package web

import (
	"bytes"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/tokens"
)

//go:embed templates static
var siteFiles embed.FS

// staticPath is where the pages' stylesheet is served.
const staticPath = "/static/"

// pagePolicy is the pages' Content-Security-Policy: nothing but the service
// itself, and no script at all (the pages need none).
const pagePolicy = "default-src 'self'; script-src 'none'; object-src 'none'; base-uri 'none'; " +
	"form-action 'self'; frame-ancestors 'none'"

// html sends the headers every page and its files carry: the policy, no
// content sniffing, no framing by another site.
func html(policy string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", policy)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "same-origin")
		next.ServeHTTP(w, r)
	})
}

func staticFiles() http.Handler {
	sub, err := fs.Sub(siteFiles, "static")
	if err != nil {
		panic(err) // embedded at build time: cannot be missing
	}
	files := http.StripPrefix(staticPath, http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=3600")
		files.ServeHTTP(w, r)
	})
}

// site renders the web pages, reading through the domain services with the
// visitor's role, as the API does.
type site struct {
	services *domain.Services
	clock    clock.Clock
	log      *slog.Logger
	tokens   *tokens.Service
	pages    map[string]*template.Template
}

// pageNames are the templates of templates/, each rendered inside layout.html.
var pageNames = []string{"home", "record", "calls", "agenda", "structures", "search", "observatory", "login", "error"}

func (d Deps) site() *site {
	s := &site{services: d.Services, clock: d.Clock, log: d.Log, tokens: d.Tokens, pages: map[string]*template.Template{}}
	for _, name := range pageNames {
		s.pages[name] = template.Must(template.New("layout.html").Funcs(templateFuncs).
			ParseFS(siteFiles, "templates/layout.html", "templates/parts.html", "templates/"+name+".html"))
	}
	return s
}

var templateFuncs = template.FuncMap{
	"fiche": func(typ string, id int64) string { return ficheURL(typ, id) },
	"date":  func(p period.Period) string { return p.String() },
	"precision": func(p period.Period) string {
		return precisionNames[p.Precision]
	},
}

// precisionNames say how precisely a date is known, beside the date.
var precisionNames = map[period.Precision]string{
	period.Day: "date précise", period.Month: "dans le mois", period.Months: "sur plusieurs mois",
	period.Season: "dans la saison", period.Half: "dans le semestre", period.Year: "dans l'année",
	period.Span: "sur la période", period.Unknown: "date à définir",
}

func ficheURL(typ string, id int64) string { return "/fiche/" + typ + ":" + strconv.FormatInt(id, 10) }

// view is what the layout shows around a page.
type view struct {
	Title       string // the page's <title> and <h1>
	Description string // the Open Graph description, what a pasted link unfurls to
	Section     string // the navigation entry to mark as current
	Role        string // the visitor's role, in French, when signed in
	Here        string // the page's address, to come back to after signing in
	Body        any
}

var roleNames = map[access.Role]string{access.Member: "membre", access.Staff: "équipe", access.Admin: "administration"}

// render writes a page; the template runs into a buffer so that an error
// never leaves half a page.
func (s *site) render(w http.ResponseWriter, r *http.Request, status int, name string, v view) {
	v.Role = roleNames[access.RoleFrom(r.Context())]
	v.Here = r.URL.RequestURI()
	var buf bytes.Buffer
	if err := s.pages[name].Execute(&buf, v); err != nil {
		s.fail(w, r, fmt.Errorf("page %s: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-cache")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// problem is a French message for the visitor, shown with a status.
type problem struct {
	status  int
	message string
}

func (p *problem) Error() string { return p.message }

func notFound(what string) error {
	return &problem{http.StatusNotFound, what}
}

func badRequest(format string, args ...any) error {
	return &problem{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

// fail answers a page that could not be made: the visitor's mistake is said
// in French, anything else is logged and said to be internal.
func (s *site) fail(w http.ResponseWriter, r *http.Request, err error) {
	var p *problem
	if !errors.As(err, &p) {
		s.log.ErrorContext(r.Context(), "page", "path", r.URL.Path, "error", err)
		p = &problem{http.StatusInternalServerError, "Erreur interne : la page n'a pas pu être préparée. Réessayez dans un instant."}
	}
	title := map[int]string{http.StatusNotFound: "Page introuvable", http.StatusBadRequest: "Demande incorrecte"}[p.status]
	if title == "" {
		title = "Erreur"
	}
	v := view{Title: title, Description: p.message, Body: p.message}
	var buf bytes.Buffer
	if err := s.pages["error"].Execute(&buf, v); err != nil {
		http.Error(w, p.message, p.status)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.status)
	_, _ = w.Write(buf.Bytes())
}

// query rebuilds a page's address with its filters, leaving out empty ones.
func query(path string, values url.Values) string {
	clean := url.Values{}
	for k, vs := range values {
		for _, v := range vs {
			if strings.TrimSpace(v) != "" {
				clean.Add(k, v)
			}
		}
	}
	if len(clean) == 0 {
		return path
	}
	return path + "?" + clean.Encode()
}

// today is the network's current day, in Paris, on the service's clock.
func (s *site) today() period.Date { return period.DateOf(s.clock.Now().In(clock.Paris)) }

// summary cuts a text for a description: whole words, at most n runes.
func summary(text string, n int) string {
	text = strings.Join(strings.Fields(text), " ")
	runes := []rune(text)
	if len(runes) <= n {
		return text
	}
	cut := string(runes[:n])
	if i := strings.LastIndex(cut, " "); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
