package dataset

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/network"
)

// TestBrokenCSVIsNamedNotPanicked: a file ending in an unterminated quote
// panicked with a stack trace (issue 14, item 10); each broken file is now a
// French problem naming its line, and nothing is written.
func TestBrokenCSVIsNamedNotPanicked(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		for name, c := range map[string]struct{ body, want string }{
			"unterminated quote": {"name,commune\nAfrica Lille,Lille\n\"Oxfam,Lille\n", "ligne 3 : guillemet non fermé"},
			"bare quote":         {"name,commune\nAfri\"ca,Lille\n", "ligne 2 : guillemet au milieu d'un champ"},
			"NUL":                {"name,commune\nAfrica\x00,Lille\n", "ligne 2, champ « name » : caractère nul"},
			"invalid UTF-8":      {"name,commune\nAfrica \xff,Lille\n", "UTF-8"},
			"quote in header":    {"na\"me\n", "ligne 1 : guillemet"},
		} {
			t.Run(name, func(t *testing.T) {
				_, err := ImportStructuresCSV(ctx, bdb, strings.NewReader(c.body), "crm.csv", time.Now(), nil)
				var problems *Problems
				require.True(t, errors.As(err, &problems), "%v", err)
				require.Contains(t, err.Error(), c.want)
				require.Contains(t, err.Error(), "rien n'a été importé")
				n, err := bdb.NewSelect().Model((*network.Structure)(nil)).Count(ctx)
				require.NoError(t, err)
				require.Zero(t, n)
			})
		}
	})
}

// FuzzImportStructuresCSV: whatever the file, the import ends with a result
// or an error, never a panic, and a refused file writes nothing.
func FuzzImportStructuresCSV(f *testing.F) {
	for _, seed := range []string{
		"name,commune\nAfrica Lille,Lille\n",
		"nom;ville;thèmes\nAfrica Lille;Lille;eau|santé\n",
		"name,commune\n\"Oxfam,Lille\n",
		"name\n\"a\"\"b\"\n",
		"\ufeffname,other names\nX,\"A|B\"\n",
		"name,commune\nAfrica\x00,Lille\n",
		"",
	} {
		f.Add(seed)
	}
	bdb := dbtest.Open(f, "sqlite")
	f.Fuzz(func(t *testing.T, body string) {
		ctx := context.Background()
		before, err := bdb.NewSelect().Model((*network.Structure)(nil)).Count(ctx)
		require.NoError(t, err)
		_, err = ImportStructuresCSV(ctx, bdb, strings.NewReader(body), "fuzz.csv", time.Now(), nil)
		if err != nil {
			after, cerr := bdb.NewSelect().Model((*network.Structure)(nil)).Count(ctx)
			require.NoError(t, cerr)
			require.Equal(t, before, after, "a refused file writes nothing: %v", err)
		}
	})
}

