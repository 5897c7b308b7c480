package main

import (
	"image/png"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// TestAskWritesTheChart draws the chart of a figures answer to a file, as
// the chat platforms would post it, and refuses for an answer without one.
func TestAskWritesTheChart(t *testing.T) {
	for _, kind := range dbtest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			database := dbtest.URL(t, kind)
			_, errOut, code := lianes(t, "--database", database, "seed", "--demo")
			require.Zero(t, code, errOut)
			dir := t.TempDir()

			for question, size := range map[string][2]int{
				"stats": {800, 500},
				"quels départements sont sous-représentés ?": {800, 500},
				// One bar per actor type of the demo's structures.
				"combien d'associations ?": {800, 150 + 46*11},
			} {
				file := filepath.Join(dir, "chart.png")
				out, errOut, code := lianes(t, "--database", database, "ask", "--now", "2021-01-04", "--chart", file, question)
				require.Zero(t, code, "%s: %s", question, errOut)
				require.NotEmpty(t, out, "the answer is still printed")
				f, err := os.Open(file)
				require.NoError(t, err, question)
				img, err := png.Decode(f)
				f.Close()
				require.NoError(t, err, question)
				require.Equal(t, size, [2]int{img.Bounds().Dx(), img.Bounds().Dy()}, question)
				require.NoError(t, os.Remove(file))
			}

			file := filepath.Join(dir, "none.png")
			out, errOut, code := lianes(t, "--database", database, "ask", "--now", "2021-01-04", "--chart", file, "Quels sont les prochains webinaires ?")
			require.Equal(t, 1, code)
			require.Contains(t, out, "Accès à l’eau au Sénégal", "the answer is printed before the complaint")
			require.Contains(t, errOut, "--chart : cette réponse n'a pas de graphique")
			_, err := os.Stat(file)
			require.True(t, os.IsNotExist(err), "no file written")
		})
	}
}
