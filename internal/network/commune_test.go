package network_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/network"
)

// TestCommuneFilterFindsTheNameAsWritten checks that a commune whose name
// starts with an accented capital is found by its name as written, and in
// capitals, and in small letters, on both databases: SQLite's LOWER leaves
// "É" as it is, where Go and PostgreSQL fold it.
func TestCommuneFilterFindsTheNameAsWritten(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		_, err := bdb.NewRaw(`INSERT INTO structures (name, sort_name, commune, created_at, updated_at)
			VALUES ('Comité de jumelage', 'comite de jumelage', 'Étaples', '2021-01-04 09:00:00', '2021-01-04 09:00:00'),
				('Lycée Baudimont', 'lycee baudimont', 'Arras', '2021-01-04 09:00:00', '2021-01-04 09:00:00'),
				('Port de pêche', 'port de peche', 'Saint-Étienne-au-Mont', '2021-01-04 09:00:00', '2021-01-04 09:00:00')`).Exec(ctx)
		require.NoError(t, err)
		svc := &network.Service{DB: bdb}
		for asked, want := range map[string]string{
			"Étaples": "Comité de jumelage", " ÉTAPLES ": "Comité de jumelage", "étaples": "Comité de jumelage",
			"arras": "Lycée Baudimont", "saint-étienne-au-mont": "Port de pêche", "Saint-Étienne-au-Mont": "Port de pêche",
		} {
			conds := svc.Conditions(network.StructureFilter{Communes: []string{asked}})
			var names []string
			require.NoError(t, bdb.NewRaw("SELECT s.name FROM structures AS s WHERE "+strings.Join(conds, " AND ")).Scan(ctx, &names))
			require.Equal(t, []string{want}, names, "communes: [%q]", asked)
		}
	})
}
