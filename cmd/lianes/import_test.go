package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// TestBrokenCSVExitsTwoWithAFrenchMessage: a file ending in an unterminated
// quote made lianes import panic with a stack trace (issue 14, item 10).
func TestBrokenCSVExitsTwoWithAFrenchMessage(t *testing.T) {
	for _, kind := range []string{"sqlite", "postgres"} {
		t.Run(kind, func(t *testing.T) {
			database := dbtest.URL(t, kind)
			file := filepath.Join(t.TempDir(), "crm.csv")
			require.NoError(t, os.WriteFile(file, []byte("name,commune\nAfrica Lille,Lille\n\"Oxfam,Lille\n"), 0o600))
			_, errOut, code := lianes(t, "--database", database, "import", "--structures", file)
			require.Equal(t, 2, code, errOut)
			require.Contains(t, errOut, "ligne 3 : guillemet non fermé")
			require.Contains(t, errOut, "rien n'a été importé")
			require.NotContains(t, errOut, "goroutine")
		})
	}
}
