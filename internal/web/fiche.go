package web

import (
	"context"
	"errors"
	"fmt"
	"html/template"
	"net/http"
	"strconv"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
)

// fiche is the page a chat answer links to: one public record, in French,
// readable by anyone. It shows what the public directory shows, no more.
type fiche struct {
	Kind, Title, Date, Body string
	Facts                   [][2]string
}

var ficheTemplate = template.Must(template.New("fiche").Parse(`<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}} – Lianes coopération</title>
<style>body{font-family:system-ui,sans-serif;max-width:46rem;margin:2rem auto;padding:0 1rem;line-height:1.5;color:#222}
.kind{color:#666;text-transform:uppercase;font-size:.8rem;letter-spacing:.05em}dt{font-weight:600}dd{margin:0 0 .5rem}</style>
</head><body>
<p class="kind">{{.Kind}}</p>
<h1>{{.Title}}</h1>
{{if .Date}}<p><strong>{{.Date}}</strong></p>{{end}}
{{if .Body}}<p>{{.Body}}</p>{{end}}
{{if .Facts}}<dl>{{range .Facts}}<dt>{{index . 0}}</dt><dd>{{index . 1}}</dd>{{end}}</dl>{{end}}
<p><small>Lianes coopération, réseau régional multi-acteurs des Hauts-de-France.</small></p>
</body></html>
`))

func (d Deps) fiche(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	f, err := d.loadFiche(r.Context(), id)
	if errors.Is(err, errNoFiche) {
		http.Error(w, fmt.Sprintf("fiche « %s » introuvable", id), http.StatusNotFound)
		return
	}
	if err != nil {
		d.Log.ErrorContext(r.Context(), "fiche", "id", id, "error", err)
		http.Error(w, "erreur interne", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = ficheTemplate.Execute(w, f)
}

var errNoFiche = errors.New("no such public record")

func (d Deps) loadFiche(ctx context.Context, id string) (fiche, error) {
	typ, num, ok := strings.Cut(id, ":")
	n, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil {
		return fiche{}, errNoFiche
	}
	s := d.Services
	switch typ {
	case "Structure":
		m, err := s.Network.Structures(ctx, []int64{n})
		if err != nil || m[n] == nil {
			return fiche{}, orNoFiche(err)
		}
		x := m[n]
		f := fiche{Kind: "Structure", Title: x.Name, Body: x.Description}
		for _, fact := range [][2]string{{"Commune", x.Commune}, {"Site", x.Website}, {"Courriel", x.Email}, {"Téléphone", x.Phone}} {
			if fact[1] != "" {
				f.Facts = append(f.Facts, fact)
			}
		}
		return f, nil
	case "Event":
		m, err := s.Events.Events(ctx, []int64{n})
		if err != nil || m[n] == nil {
			return fiche{}, orNoFiche(err)
		}
		x := m[n]
		f := fiche{Kind: event.Kinds[x.Kind], Title: x.Title, Date: x.Date.String() + " (" + event.Statuses[x.Status] + ")", Body: x.Content}
		for _, fact := range [][2]string{{"Public", x.AudienceText}, {"Forme", x.Format}, {"Lieu", x.Place}, {"Inscription", x.RegistrationURL}, {"Remarque", x.Note}} {
			if fact[1] != "" {
				f.Facts = append(f.Facts, fact)
			}
		}
		return f, nil
	case "FundingCall":
		m, err := s.Calls.FundingCalls(ctx, []int64{n})
		if err != nil || m[n] == nil {
			return fiche{}, orNoFiche(err)
		}
		x := m[n]
		deadline := "non communiquée"
		if x.Deadline.IsFixed() {
			deadline = x.Deadline.String()
		}
		f := fiche{Kind: "Appel à projets", Title: x.Title, Date: "Date limite : " + deadline, Body: x.Description}
		for _, fact := range [][2]string{{"Financeur", x.Funder}, {"Programme", x.Programme}, {"Public", x.AudienceText},
			{"Territoire", fundingcall.Territories[x.Territory]}, {"Récurrence", x.Recurrence}, {"Lien", x.URL}} {
			if fact[1] != "" {
				f.Facts = append(f.Facts, fact)
			}
		}
		return f, nil
	case "Project":
		m, err := s.Projects.Projects(ctx, []int64{n})
		if err != nil || m[n] == nil {
			return fiche{}, orNoFiche(err)
		}
		return fiche{Kind: "Projet", Title: m[n].Title, Body: m[n].Description}, nil
	case "TrainingCycle":
		m, err := s.Programme.Trainings(ctx, []int64{n})
		if err != nil || m[n] == nil {
			return fiche{}, orNoFiche(err)
		}
		modules, err := s.Programme.ModulesOf(ctx, []int64{n})
		if err != nil {
			return fiche{}, err
		}
		f := fiche{Kind: "Formation", Title: m[n].Title, Body: m[n].Description}
		for _, mod := range modules[n] {
			f.Facts = append(f.Facts, [2]string{fmt.Sprintf("Module %d", mod.Position), mod.Title})
		}
		return f, nil
	case "Publication":
		m, err := s.Programme.Publications(ctx, []int64{n})
		if err != nil || m[n] == nil {
			return fiche{}, orNoFiche(err)
		}
		return fiche{Kind: "Publication", Title: m[n].Title, Date: m[n].Date.String(), Body: m[n].Description}, nil
	case "ProgrammeAction":
		m, err := s.Programme.Actions(ctx, []int64{n})
		if err != nil || m[n] == nil {
			return fiche{}, orNoFiche(err)
		}
		return fiche{Kind: "Action du programme", Title: m[n].Title, Body: m[n].Description}, nil
	case "CensusCampaign":
		m, err := s.Programme.CensusCampaigns(ctx, []int64{n})
		if err != nil || m[n] == nil {
			return fiche{}, orNoFiche(err)
		}
		return fiche{Kind: "Recensement", Title: m[n].Title, Date: m[n].Date.String(), Body: m[n].Description}, nil
	}
	// Contacts and support sessions are personal data: no public page.
	return fiche{}, errNoFiche
}

func orNoFiche(err error) error {
	if err != nil {
		return err
	}
	return errNoFiche
}
