package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/lianes-cooperation/lianes/internal/access"
)

// sessionCookie holds a visitor's API token, set by /connexion: the pages then
// show what the token's role may see, as the API would.
const sessionCookie = "lianes_jeton"

// viewer gives a page request the role of the token in its cookie. A token
// that no longer holds (unknown, expired, revoked) is forgotten and the page
// stays public. A bearer token, already applied by the guard, wins.
func (s *site) viewer(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie(sessionCookie)
		if err != nil || c.Value == "" || s.tokens == nil || r.Header.Get("Authorization") != "" {
			next(w, r)
			return
		}
		tok, role, err := s.tokens.Authenticate(r.Context(), c.Value, time.Now()) // security: the machine's time
		if err != nil {
			s.setSession(w, r, "")
			next(w, r)
			return
		}
		ctx := access.WithActor(access.WithRole(r.Context(), role), "jeton « "+tok.Name+" »")
		next(w, r.WithContext(ctx))
	}
}

// setSession sets the cookie, or clears it for an empty token: HttpOnly so
// that no script reads it, SameSite=Lax so that no other site posts with it,
// Secure when the request came over HTTPS.
func (s *site) setSession(w http.ResponseWriter, r *http.Request, token string) {
	c := &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")}
	if token == "" {
		c.MaxAge = -1
	} else {
		c.MaxAge = int((30 * 24 * time.Hour).Seconds())
	}
	http.SetCookie(w, c)
}

type loginPage struct {
	Error string
	Next  string
}

func (s *site) loginForm(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "login", view{Title: "Connexion", Section: "connexion",
		Description: "Connexion de l'équipe et des membres de Lianes coopération avec un jeton d'API.",
		Body:        loginPage{Next: safeNext(r.URL.Query().Get("suite"))}})
}

// login checks a token posted from the form and keeps it in the cookie.
func (s *site) login(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		s.fail(w, r, &problem{http.StatusForbidden, "Formulaire refusé : il doit être envoyé depuis ce site."})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, 4096)
	token := strings.TrimSpace(r.PostFormValue("jeton"))
	next := safeNext(r.PostFormValue("suite"))
	if s.tokens == nil {
		s.render(w, r, http.StatusServiceUnavailable, "login", view{Title: "Connexion", Section: "connexion",
			Body: loginPage{Error: "La connexion n'est pas disponible sur ce serveur.", Next: next}})
		return
	}
	if token == "" {
		s.render(w, r, http.StatusBadRequest, "login", view{Title: "Connexion", Section: "connexion",
			Body: loginPage{Error: "Jeton manquant : collez le jeton que l'équipe vous a remis.", Next: next}})
		return
	}
	if _, _, err := s.tokens.Authenticate(r.Context(), token, time.Now()); err != nil {
		s.render(w, r, http.StatusUnauthorized, "login", view{Title: "Connexion", Section: "connexion",
			Body: loginPage{Error: "Jeton refusé (" + err.Error() + ").", Next: next}})
		return
	}
	s.setSession(w, r, token)
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *site) logout(w http.ResponseWriter, r *http.Request) {
	if !sameOrigin(r) {
		s.fail(w, r, &problem{http.StatusForbidden, "Formulaire refusé : il doit être envoyé depuis ce site."})
		return
	}
	s.setSession(w, r, "")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// sameOrigin refuses a form posted from another site: browsers send Origin
// with every POST.
func sameOrigin(r *http.Request) bool {
	origin := r.Header.Get("Origin")
	if origin == "" || origin == "null" {
		return origin == "" // a client that is not a browser
	}
	u, err := url.Parse(origin)
	return err == nil && u.Host == r.Host
}

// safeNext keeps a redirection on this site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		return "/"
	}
	return next
}
