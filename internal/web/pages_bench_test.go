package web_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sort"
	"testing"
	"time"

	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// BenchmarkPages renders each kind of page on the demo data, in process (no
// network), on SQLite and, when configured, PostgreSQL. The goal is every
// page under 50 ms; the p50 and the p99 are reported beside the mean.
//
//	go test ./internal/web/ -run XXX -bench Pages -benchtime 200x
func BenchmarkPages(b *testing.B) {
	for _, kind := range dbtest.Kinds() {
		b.Run(kind, func(b *testing.B) {
			s := newSite(b, dbtest.Open(b, kind))
			fiche := func(typ, table, column, value string) string {
				return fmt.Sprintf("/fiche/%s:%d", typ, s.id(table, column, value))
			}
			staff := &http.Cookie{Name: "lianes_jeton", Value: s.staff}
			pages := []struct {
				name, path string
				cookie     *http.Cookie
			}{
				{"home", "/", nil},
				{"structure", fiche("Structure", "structures", "name", "Lianes coopération"), nil},
				{"structure-staff", fiche("Structure", "structures", "name", "Lianes coopération"), staff},
				{"project", fiche("Project", "projects", "title", "Projet de forage au Sénégal"), nil},
				{"event", fiche("Event", "events", "title", "Accès à l’eau au Sénégal"), nil},
				{"event-ics", fiche("Event", "events", "title", "Accès à l’eau au Sénégal") + "/agenda.ics", nil},
				{"funding-call", fiche("FundingCall", "funding_calls", "title", "Appel à projets Jeunesse VII de la DAECT"), nil},
				{"training", fiche("TrainingCycle", "training_cycles", "title", "Formation Gestion du Cycle de Projet"), nil},
				{"support-session", fiche("SupportSession", "support_sessions", "subject", "Accompagnement projet de forage au Sénégal"), staff},
				{"calls", "/appels", nil},
				{"calls-filtered", "/appels?theme=jeunesse-mobilite&public=associations", nil},
				{"agenda", "/agenda", nil},
				{"structures", "/structures", nil},
				{"structures-filtered", "/structures?departement=59&theme=eau-assainissement", nil},
				{"search", "/recherche?q=eau+senegal", nil},
				{"observatory", "/observatoire", nil},
				{"graphiql", "/graphql", nil},
			}
			for _, p := range pages {
				b.Run(p.name, func(b *testing.B) {
					durations := make([]time.Duration, 0, b.N)
					for b.Loop() {
						req := httptest.NewRequest(http.MethodGet, p.path, nil)
						req.Header.Set("Accept", "text/html")
						if p.cookie != nil {
							req.AddCookie(p.cookie)
						}
						w := httptest.NewRecorder()
						start := time.Now()
						s.handler.ServeHTTP(w, req)
						durations = append(durations, time.Since(start))
						if w.Code != http.StatusOK {
							b.Fatalf("%s: %d %s", p.path, w.Code, w.Body.String())
						}
					}
					sort.Slice(durations, func(i, j int) bool { return durations[i] < durations[j] })
					b.ReportMetric(float64(durations[len(durations)/2].Microseconds())/1000, "ms/p50")
					b.ReportMetric(float64(durations[len(durations)*99/100].Microseconds())/1000, "ms/p99")
				})
			}
		})
	}
}
