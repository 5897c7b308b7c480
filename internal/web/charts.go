package web

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/charts"
)

// chartView is a chart as the observatory page links it.
type chartView struct {
	Src, Alt      string
	Width, Height int
}

// chartViews describes the page's charts from the figures it has read, so
// that each <img> carries its size and a French text saying what it shows.
func chartViews(f charts.Figures) (map[string]chartView, error) {
	out := map[string]chartView{}
	for _, name := range charts.Names() {
		c, err := charts.Of(name, f)
		if err != nil {
			return nil, err
		}
		w, h := c.Size()
		out[name] = chartView{Src: chartPath(name), Alt: c.Alt, Width: w, Height: h}
	}
	return out, nil
}

func chartPath(name string) string { return "/observatoire/" + name + ".png" }

// chartImage serves one of the observatory's charts as a PNG. The figures
// are public aggregates, so shared caches may keep them a few minutes.
func (s *site) chartImage(w http.ResponseWriter, r *http.Request) {
	file := r.PathValue("file")
	name, ok := strings.CutSuffix(file, ".png")
	c, err := charts.Load(r.Context(), s.services.Observatory, name)
	var unknown *charts.UnknownError
	if !ok || errors.As(err, &unknown) {
		s.fail(w, r, notFound(fmt.Sprintf("Aucun graphique à l'adresse « %s » : les graphiques sont %s.", r.URL.Path, chartList())))
		return
	}
	var raw []byte
	if err == nil {
		raw, err = c.PNG()
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "image/png")
	w.Header().Set("Content-Length", strconv.Itoa(len(raw)))
	w.Header().Set("Cache-Control", "public, max-age=300")
	_, _ = w.Write(raw)
}

func chartList() string {
	var paths []string
	for _, name := range charts.Names() {
		paths = append(paths, chartPath(name))
	}
	return strings.Join(paths, ", ")
}
