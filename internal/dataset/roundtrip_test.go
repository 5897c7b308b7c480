package dataset

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

var seedTime = time.Date(2021, 1, 4, 9, 30, 0, 123456789, time.UTC)

func exportJSON(t *testing.T, bdb *bun.DB) []byte {
	t.Helper()
	d, err := Export(context.Background(), bdb)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, d.WriteJSON(&buf))
	return buf.Bytes()
}

func TestSeedExportImportRoundTrip(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		res, err := SeedDemo(ctx, bdb, seedTime)
		require.NoError(t, err)
		require.False(t, res.AlreadySeeded)
		first := exportJSON(t, bdb)

		doc, err := ReadJSON(bytes.NewReader(first), "export.json")
		require.NoError(t, err)
		require.Len(t, doc.Events, 41)
		require.Len(t, doc.SupportSessions, 54)
		require.Len(t, doc.ActorTypes, 19)
		require.Len(t, doc.Departments, 5)

		// Seeding twice changes nothing.
		res, err = SeedDemo(ctx, bdb, seedTime.Add(time.Hour))
		require.NoError(t, err)
		require.True(t, res.AlreadySeeded)
		require.Equal(t, string(first), string(exportJSON(t, bdb)))

		// Export -> import -> export gives the same document.
		for _, kind := range dbtest.Kinds() {
			target := dbtest.Open(t, kind)
			require.NoError(t, Import(ctx, target, doc, "export.json", time.Now()))
			require.Equal(t, string(first), string(exportJSON(t, target)), "round trip into %s", kind)
		}
	})
}

func TestSeedIsTheSameOnBothDatabases(t *testing.T) {
	if len(dbtest.Kinds()) < 2 {
		t.Skip("PostgreSQL non configuré")
	}
	var exports []string
	for _, kind := range dbtest.Kinds() {
		bdb := dbtest.Open(t, kind)
		_, err := SeedDemo(context.Background(), bdb, seedTime)
		require.NoError(t, err)
		exports = append(exports, string(exportJSON(t, bdb)))
	}
	require.Equal(t, exports[0], exports[1])
}

func TestImportRefusesBadDocumentsAndWritesNothing(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		good, err := Demo()
		require.NoError(t, err)

		cases := []struct {
			name   string
			break_ func(d *Document)
			want   string
		}{
			{"unknown actor type", func(d *Document) { d.Structures[3].ActorType = "asso" },
				"structures[3] (id 4), champ « actorType » : type d'acteur « asso » inconnu"},
			{"unknown department", func(d *Document) { d.Structures[0].Department = "75" },
				"champ « department » : département « 75 » inconnu"},
			{"empty name", func(d *Document) { d.Structures[1].Name = " " },
				"structures[1] (id 2), champ « name » : ne doit pas être vide"},
			{"deadline before opening", func(d *Document) {
				d.FundingCalls[0].Opens = mustPeriod(t, "Mai")
				d.FundingCalls[0].Deadline = mustPeriod(t, "12 janvier")
			}, "champ « deadline » : la date limite (12 janvier 2021) précède l'ouverture (mai 2021)"},
			{"malformed date", func(d *Document) { d.Events[0].Date.From = "2021-13-45" },
				"events[0] (id 1), champ « date » : date « 2021-13-45 » invalide"},
			{"dangling reference", func(d *Document) { d.SupportSessions[0].StructureID = 9999 },
				"supportSessions[0] (id 1), champ « structure » : structure 9999 inexistant(e)"},
		}
		for _, c := range cases {
			t.Run(c.name, func(t *testing.T) {
				var buf bytes.Buffer
				require.NoError(t, good.WriteJSON(&buf))
				d, err := ReadJSON(&buf, "cassé.json")
				require.NoError(t, err)
				c.break_(d)
				err = Import(ctx, bdb, d, "cassé.json", time.Now())
				require.Error(t, err)
				require.Contains(t, err.Error(), "cassé.json")
				require.Contains(t, err.Error(), c.want)
				n, err := bdb.NewSelect().TableExpr("structures").Count(ctx)
				require.NoError(t, err)
				require.Zero(t, n, "nothing is written")
			})
		}

		// A valid document goes into an empty database only.
		require.NoError(t, Import(ctx, bdb, good, "bon.json", time.Now()))
		require.ErrorIs(t, Import(ctx, bdb, good, "bon.json", time.Now()), ErrNotEmpty)
	})
}
