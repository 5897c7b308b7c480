package dataset

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

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

// FuzzReadStructuresCSV: whatever the file, reading it ends with rows or a
// French problem, never a panic (the unterminated quote panicked), and
// every row read has the header's columns. The import's writes are tested
// against both databases above; the fuzzing stays off the database, to try
// many files a second.
func FuzzReadStructuresCSV(f *testing.F) {
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
	f.Fuzz(func(t *testing.T, body string) {
		var res CSVResult
		rows, err := readCSV(strings.NewReader(body), "fuzz.csv", nil, &res)
		if err != nil {
			require.NotEmpty(t, err.Error())
			return
		}
		for _, row := range rows {
			require.Positive(t, row.line)
			for _, v := range row.fields {
				require.True(t, utf8.ValidString(v) && !strings.ContainsRune(v, 0), "%q", v)
			}
		}
	})
}
