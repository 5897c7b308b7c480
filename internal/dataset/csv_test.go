package dataset

import (
	"context"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/network"
)

func importCSV(t *testing.T, bdb *bun.DB, path string) (CSVResult, error) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	return ImportStructuresCSV(context.Background(), bdb, f, path, time.Now(), nil)
}

func TestImportStructuresCSV(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		_, err := SeedDemo(ctx, bdb, seedTime)
		require.NoError(t, err)
		before, err := bdb.NewSelect().Model((*network.Structure)(nil)).Count(ctx)
		require.NoError(t, err)

		res, err := importCSV(t, bdb, "testdata/structures.csv")
		require.NoError(t, err)
		require.Equal(t, 4, res.Rows)
		require.Equal(t, 3, res.Imported)
		require.Equal(t, []string{"Oxfam"}, res.Skipped, "a structure already known is not duplicated")

		var s network.Structure
		require.NoError(t, bdb.NewSelect().Model(&s).Where("name = ?", "Eau Vive Hauts-de-France").Scan(ctx))
		require.Equal(t, "association-locale", s.ActorType)
		require.Equal(t, "59", s.Department)
		d, err := Export(ctx, bdb)
		require.NoError(t, err)
		require.Len(t, d.Structures, int(before)+3)
		for _, st := range d.Structures {
			if st.Name == "Eau Vive Hauts-de-France" {
				require.Equal(t, []string{"EVHDF"}, st.OtherNames)
				require.Equal(t, []string{"eau-assainissement", "ecsi"}, st.Themes)
			}
			if st.Name == "Soleil du Sahel, Amiens" {
				require.Equal(t, "osim", st.ActorType)
				require.Equal(t, "80", st.Department)
			}
		}
	})
}

func TestImportStructuresCSVFrenchSpreadsheetIntoEmptyDatabase(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		res, err := importCSV(t, bdb, "testdata/structures-fr.csv")
		require.NoError(t, err)
		require.Equal(t, 2, res.Imported)
		var s network.Structure
		require.NoError(t, bdb.NewSelect().Model(&s).Where("name = ?", "Commune de Kayes").Scan(context.Background()))
		require.Equal(t, "ML", s.Country)
		require.Equal(t, "collectivite-territoriale", s.ActorType)
	})
}

func TestImportStructuresCSVBadRowsWriteNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		_, err := SeedDemo(ctx, bdb, seedTime)
		require.NoError(t, err)
		before, err := bdb.NewSelect().Model((*network.Structure)(nil)).Count(ctx)
		require.NoError(t, err)

		_, err = importCSV(t, bdb, "testdata/structures-bad.csv")
		require.Error(t, err)
		msg := err.Error()
		for _, want := range []string{
			"testdata/structures-bad.csv : 4 erreur(s), rien n'a été importé",
			"ligne 3, champ « type » : type d'acteur « Asso » inconnu",
			"ligne 4, champ « name » : le nom de la structure est vide",
			"ligne 5, champ « department » : département « 75 » inconnu",
			"ligne 6, champ « name » : « Atelier Solidaire » figure déjà ligne 2",
		} {
			require.Contains(t, msg, want)
		}
		after, err := bdb.NewSelect().Model((*network.Structure)(nil)).Count(ctx)
		require.NoError(t, err)
		require.Equal(t, before, after, "a bad CSV leaves the database unchanged")
	})
}

func TestImportStructuresCSVRejectsUnknownColumnsAndReportsProgress(t *testing.T) {
	bdb := dbtest.Open(t, "sqlite")
	_, err := ImportStructuresCSV(context.Background(), bdb, strings.NewReader("name,budget\nX,3\n"), "crm.csv", time.Now(), nil)
	require.ErrorContains(t, err, "crm.csv : ligne 1 : colonne « budget » inconnue")

	var b strings.Builder
	b.WriteString("name,type\n")
	for i := range 2500 {
		fmt.Fprintf(&b, "Structure %d,Association locale\n", i)
	}
	var seen []int
	res, err := ImportStructuresCSV(context.Background(), bdb, strings.NewReader(b.String()), "gros.csv", time.Now(),
		func(n int) { seen = append(seen, n) })
	require.NoError(t, err)
	require.Equal(t, 2500, res.Imported)
	require.Equal(t, []int{1000, 2000}, seen)
}
