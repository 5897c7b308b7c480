// Package charts turns the observatory's figures into bar charts: first the
// data of each chart (labels, series, a French description for people who
// cannot see it), computed from internal/observatory, then its PNG picture,
// drawn in Go by gonum.org/v1/plot. The picture uses the fonts plot embeds, so
// the same data gives the same bytes on any machine, with or without system
// fonts. The web page, the CLI and the bots all draw through here.
package charts

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/observatory"
	"github.com/lianes-cooperation/lianes/internal/reference"
)

// The charts' names, as they appear in addresses (/observatoire/pays.png)
// and in the bot's answers.
const (
	Departments = "departements"
	ActorTypes  = "types"
	Countries   = "pays"
	Themes      = "themes"
)

// Names lists the charts in the order the observatory shows them.
func Names() []string { return []string{Departments, ActorTypes, Countries, Themes} }

// maxCountries keeps the countries' chart readable on a phone: the page's
// table lists them all.
const maxCountries = 10

// Series is one set of bars: one value per label of its chart.
type Series struct {
	Name   string    `json:"name"`
	Values []float64 `json:"values"`
}

// Chart is what a bar chart shows. Golden tests compare it, Draw renders it.
type Chart struct {
	Name  string `json:"name"`
	Title string `json:"title"`
	// Alt says in words what the picture shows, for the alt text of the web
	// page and for anyone who cannot see the picture.
	Alt string `json:"alt"`
	// Axis names the values' unit.
	Axis   string   `json:"axis"`
	Labels []string `json:"labels"`
	Series []Series `json:"series"`
	// Horizontal bars leave room for long labels (actor types, themes).
	Horizontal bool `json:"horizontal"`
}

// UnknownError is returned for a chart name that is not one of Names.
type UnknownError struct{ Name string }

func (e *UnknownError) Error() string {
	return fmt.Sprintf("graphique inconnu « %s » : les graphiques sont %s", e.Name, strings.Join(Names(), ", "))
}

// Figures are the observatory's counts the charts are drawn from, as its
// service returns them; a page that already read them draws without reading
// again.
type Figures struct {
	Ref         *reference.Lists
	Departments map[string]int
	ActorTypes  map[string]int
	Countries   map[string]int
	Themes      map[string]observatory.ThemeCounts
}

// Load computes a chart's data from the observatory's current figures,
// reading only those it needs.
func Load(ctx context.Context, obs *observatory.Service, name string) (Chart, error) {
	if !known(name) {
		return Chart{}, &UnknownError{Name: name}
	}
	var f Figures
	var err error
	if f.Ref, err = reference.Load(ctx, obs.DB); err != nil {
		return Chart{}, fmt.Errorf("charts: %w", err)
	}
	switch name {
	case Departments:
		f.Departments, err = obs.ByDepartment(ctx)
	case ActorTypes:
		f.ActorTypes, err = obs.ByActorType(ctx)
	case Countries:
		f.Countries, err = obs.ByCountry(ctx)
	case Themes:
		f.Themes, err = obs.ByTheme(ctx)
	}
	if err != nil {
		return Chart{}, fmt.Errorf("charts: %s: %w", name, err)
	}
	return Of(name, f)
}

// Of computes a chart's data from figures already read.
func Of(name string, f Figures) (Chart, error) {
	switch name {
	case Departments:
		return departments(observatory.Departments(f.Departments, f.Ref.Departments)), nil
	case ActorTypes:
		return actorTypes(f.ActorTypes, f.Ref.ActorTypes), nil
	case Countries:
		return countries(f.Countries, f.Ref.Countries), nil
	case Themes:
		return themes(f.Themes, f.Ref.Themes), nil
	}
	return Chart{}, &UnknownError{Name: name}
}

func known(name string) bool {
	for _, n := range Names() {
		if n == name {
			return true
		}
	}
	return false
}

func departments(figures []observatory.DepartmentFigures) Chart {
	c := Chart{Name: Departments, Title: "Structures et population par département", Axis: "% de la région",
		Series: []Series{{Name: "Part des structures"}, {Name: "Part de la population"}}}
	var words []string
	for _, f := range figures {
		// The index goes under the name: it is the figure the chart is for.
		c.Labels = append(c.Labels, fmt.Sprintf("%s\nindice %s", f.Department.Name, decimal(f.RepresentationIndex, 2)))
		c.Series[0].Values = append(c.Series[0].Values, f.Share)
		c.Series[1].Values = append(c.Series[1].Values, float64(f.Department.PopulationShare))
		words = append(words, fmt.Sprintf("%s (%s) : %s %% des structures pour %d %% de la population, indice %s",
			f.Department.Name, f.Department.Code, decimal(f.Share, 1), f.Department.PopulationShare, decimal(f.RepresentationIndex, 2)))
	}
	c.Alt = "Part des structures de la région et part de sa population, par département (au-dessus de 1, un département est sur-représenté). " +
		sentence(words)
	return c
}

func actorTypes(counts map[string]int, types []reference.ActorType) Chart {
	var bars []bar
	for _, t := range types {
		if n := counts[t.Code]; n > 0 {
			bars = append(bars, bar{t.Name, n})
		}
	}
	return counted(Chart{Name: ActorTypes, Title: "Structures par type d'acteur", Axis: "structures", Horizontal: true},
		"Nombre de structures de chaque type d'acteur, du plus nombreux au moins nombreux", bars, len(bars))
}

func countries(counts map[string]int, list []reference.Country) Chart {
	var bars []bar
	for _, c := range list {
		if n := counts[c.Code]; n > 0 {
			bars = append(bars, bar{c.Name, n})
		}
	}
	return counted(Chart{Name: Countries, Title: "Pays d'action (les 10 premiers)", Axis: "structures", Horizontal: true},
		"Nombre de structures de chaque pays ou y menant un projet, pour les dix pays qui en comptent le plus", bars, maxCountries)
}

type bar struct {
	label string
	n     int
}

// counted fills a one-series chart with the largest counts first, ties in
// the reference lists' order, so that the same data draws the same chart.
func counted(c Chart, about string, bars []bar, limit int) Chart {
	sort.SliceStable(bars, func(i, j int) bool { return bars[i].n > bars[j].n })
	if len(bars) > limit {
		bars = bars[:limit]
	}
	c.Series = []Series{{Name: "Structures", Values: []float64{}}}
	c.Labels = []string{}
	var words []string
	for _, b := range bars {
		c.Labels = append(c.Labels, b.label)
		c.Series[0].Values = append(c.Series[0].Values, float64(b.n))
		words = append(words, fmt.Sprintf("%s : %d", b.label, b.n))
	}
	if len(words) == 0 {
		words = []string{"aucune structure pour l'instant"}
	}
	c.Alt = about + ". " + sentence(words)
	return c
}

func themes(counts map[string]observatory.ThemeCounts, list []reference.Theme) Chart {
	c := Chart{Name: Themes, Axis: "nombre", Horizontal: true,
		Labels: []string{}, Series: []Series{{Name: "Structures", Values: []float64{}}, {Name: "Projets", Values: []float64{}}}}
	rows := make([]reference.Theme, 0, len(list))
	for _, t := range list {
		if n := counts[t.Code]; n.Structures+n.Projects > 0 {
			rows = append(rows, t)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := counts[rows[i].Code], counts[rows[j].Code]
		if a.Structures != b.Structures {
			return a.Structures > b.Structures
		}
		return a.Projects > b.Projects
	})
	var words []string
	for _, t := range rows {
		n := counts[t.Code]
		c.Labels = append(c.Labels, t.Name)
		c.Series[0].Values = append(c.Series[0].Values, float64(n.Structures))
		c.Series[1].Values = append(c.Series[1].Values, float64(n.Projects))
		words = append(words, fmt.Sprintf("%s : %s, %s", t.Name, plural(n.Structures, "structure"), plural(n.Projects, "projet")))
	}
	if len(words) == 0 {
		words = []string{"aucun thème renseigné pour l'instant"}
	}
	c.Alt = "Nombre de structures et de projets de chaque thème. " + sentence(words)
	// A series of zeros would draw only noise: where no structure has a
	// theme yet, the chart shows the projects alone.
	var kept []string
	for i := 0; i < len(c.Series); i++ {
		if empty(c.Series[i].Values) && len(c.Series) > 1 {
			c.Series = append(c.Series[:i], c.Series[i+1:]...)
			i--
			continue
		}
		kept = append(kept, strings.ToLower(c.Series[i].Name))
	}
	c.Title = strings.ToUpper(kept[0][:1]) + strings.Join(kept, " et ")[1:] + " par thème"
	if len(kept) == 1 {
		c.Axis = kept[0]
	}
	return c
}

func empty(values []float64) bool {
	for _, v := range values {
		if v != 0 {
			return false
		}
	}
	return true
}

// decimal writes a number the French way, with a decimal comma.
func decimal(v float64, digits int) string {
	return strings.Replace(strconv.FormatFloat(v, 'f', digits, 64), ".", ",", 1)
}

// plural counts a noun the French way: 0 and 1 take the singular.
func plural(n int, noun string) string {
	if n > 1 {
		noun += "s"
	}
	return fmt.Sprintf("%d %s", n, noun)
}

func sentence(parts []string) string { return strings.Join(parts, " ; ") + "." }
