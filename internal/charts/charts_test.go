package charts_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/charts"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/observatory"
)

var (
	update   = flag.Bool("update", false, "rewrite testdata/demo.golden.json from the data computed")
	pictures = flag.String("pictures", "", "write the demo's PNG charts to this directory, to look at them")
)

func demo(t *testing.T, bdb *bun.DB) *observatory.Service {
	t.Helper()
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	return &observatory.Service{DB: bdb}
}

// TestDemoData compares the bars computed from the demo data with the golden
// file: the same file for both databases, so they must agree.
func TestDemoData(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		obs := demo(t, bdb)
		var all []charts.Chart
		for _, name := range charts.Names() {
			c, err := charts.Load(context.Background(), obs, name)
			require.NoError(t, err)
			require.Equal(t, name, c.Name)
			for _, s := range c.Series {
				require.Len(t, s.Values, len(c.Labels), "%s: %s", name, s.Name)
			}
			all = append(all, c)
		}
		got, err := json.MarshalIndent(all, "", "  ")
		require.NoError(t, err)
		golden := filepath.Join("testdata", "demo.golden.json")
		if *update {
			require.NoError(t, os.WriteFile(golden, append(got, '\n'), 0o644))
		}
		want, err := os.ReadFile(golden)
		require.NoError(t, err)
		require.JSONEq(t, string(want), string(got))
	})
}

// TestPNG checks each picture decodes at the size announced, and that the
// same data draws the same bytes.
func TestPNG(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	obs := demo(t, bdb)
	for _, name := range charts.Names() {
		t.Run(name, func(t *testing.T) {
			c, err := charts.Load(context.Background(), obs, name)
			require.NoError(t, err)
			raw, err := c.PNG()
			require.NoError(t, err)
			img, err := png.Decode(bytes.NewReader(raw))
			require.NoError(t, err)
			w, h := c.Size()
			require.Equal(t, charts.Width, w)
			require.Equal(t, w, img.Bounds().Dx())
			require.Equal(t, h, img.Bounds().Dy())
			require.GreaterOrEqual(t, h, 500)
			again, err := c.PNG()
			require.NoError(t, err)
			require.True(t, bytes.Equal(raw, again), "two drawings of the same data differ")
			if *pictures != "" {
				require.NoError(t, os.WriteFile(filepath.Join(*pictures, name+".png"), raw, 0o644))
			}
		})
	}
	t.Run("departments are 800×500", func(t *testing.T) {
		c, err := charts.Load(context.Background(), obs, charts.Departments)
		require.NoError(t, err)
		w, h := c.Size()
		require.Equal(t, [2]int{800, 500}, [2]int{w, h})
	})
}

// TestEmpty draws the charts of a network with no structure yet: an empty
// picture, not an error.
func TestEmpty(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	require.NoError(t, dataset.SeedReference(context.Background(), bdb))
	obs := &observatory.Service{DB: bdb}
	for _, name := range charts.Names() {
		c, err := charts.Load(context.Background(), obs, name)
		require.NoError(t, err)
		raw, err := c.PNG()
		require.NoError(t, err, name)
		_, err = png.Decode(bytes.NewReader(raw))
		require.NoError(t, err, name)
	}
}

func TestUnknown(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	_, err := charts.Load(context.Background(), &observatory.Service{DB: bdb}, "camembert")
	var unknown *charts.UnknownError
	require.True(t, errors.As(err, &unknown))
	require.Equal(t, "graphique inconnu « camembert » : les graphiques sont departements, types, pays, themes", err.Error())
}

// BenchmarkPNG measures reading the figures and drawing each chart, as
// /observatoire/<name>.png does on every request.
func BenchmarkPNG(b *testing.B) {
	bdb := dbtest.Open(b, "sqlite")
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(b, err)
	obs := &observatory.Service{DB: bdb}
	for _, name := range charts.Names() {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				c, err := charts.Load(context.Background(), obs, name)
				require.NoError(b, err)
				_, err = c.PNG()
				require.NoError(b, err)
			}
		})
	}
}
