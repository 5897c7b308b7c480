// Package graphiql serves GraphiQL, the GraphQL editor, from the binary: its
// built files are vendored from npm at a pinned version (see README.md) and
// embedded, so the page works without internet and sends no visitor to a
// third party.
package graphiql

import (
	"embed"
	"io/fs"
	"net/http"
)

//go:embed index.html assets
var files embed.FS

// AssetsPath is where the page expects its scripts and stylesheets.
const AssetsPath = "/graphiql/assets/"

// Policy is the page's Content-Security-Policy: everything from the service
// itself. GraphiQL's stylesheet carries its fonts and icons inline as data:
// URLs, which is the only exception; there is no inline script (the page
// starts GraphiQL from lianes.js).
const Policy = "default-src 'self'; img-src 'self' data:; font-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

// Page serves the editor's HTML page.
func Page() http.Handler {
	page, err := files.ReadFile("index.html")
	if err != nil {
		panic(err) // embedded at build time: cannot be missing
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		_, _ = w.Write(page)
	})
}

// Assets serves the vendored files under AssetsPath.
func Assets() http.Handler {
	sub, err := fs.Sub(files, "assets")
	if err != nil {
		panic(err) // embedded at build time: cannot be missing
	}
	fileServer := http.StripPrefix(AssetsPath, http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The versions are pinned: a day of caching costs nothing on an upgrade.
		w.Header().Set("Cache-Control", "public, max-age=86400")
		fileServer.ServeHTTP(w, r)
	})
}
