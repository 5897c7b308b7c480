package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// TestBackupWhileWritingRestoresTheSameExport takes a backup while a writer
// commits pairs of structures, then restores it into empty databases of
// both kinds: the backup holds whole transactions only (never half a pair),
// some but not all of the writes, and every restore exports as the backup.
func TestBackupWhileWritingRestoresTheSameExport(t *testing.T) {
	for _, kind := range dbtest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			database := dbtest.URL(t, kind)
			_, errOut, code := lianes(t, "--database", database, "--now", "2021-01-04", "seed", "--demo")
			require.Zero(t, code, errOut)
			bdb, err := db.Open(context.Background(), database)
			require.NoError(t, err)
			defer bdb.Close()

			// The writer commits two structures per transaction until told
			// to stop.
			var pairs atomic.Int64
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				for n := 0; ; n++ {
					select {
					case <-stop:
						return
					default:
					}
					err := bdb.RunInTx(context.Background(), nil, func(ctx context.Context, tx bun.Tx) error {
						for _, suffix := range []string{"a", "b"} {
							if _, err := tx.NewRaw("INSERT INTO structures (name, created_at, updated_at) VALUES (?, ?, ?)",
								fmt.Sprintf("Charge %d %s", n, suffix), time.Now().UTC(), time.Now().UTC()).Exec(ctx); err != nil {
								return err
							}
						}
						return nil
					})
					if err != nil {
						t.Errorf("writer: %v", err)
						return
					}
					pairs.Add(1)
				}
			}()
			require.Eventually(t, func() bool { return pairs.Load() >= 5 }, 20*time.Second, 5*time.Millisecond)
			backup := filepath.Join(t.TempDir(), "lianes.backup")
			_, errOut, code = lianes(t, "--database", database, "backup", "-o", backup)
			atBackup := pairs.Load()
			require.Zero(t, code, errOut)
			require.Contains(t, errOut, "sauvegarde écrite dans "+backup)
			require.Eventually(t, func() bool { return pairs.Load() >= atBackup+5 }, 20*time.Second, 5*time.Millisecond)
			close(stop)
			wg.Wait()

			// What the backup holds, as an export document.
			var saved []byte
			if kind == "sqlite" {
				isSQLite, err := db.IsSQLiteFile(backup)
				require.NoError(t, err)
				require.True(t, isSQLite)
				out, errOut, code := lianes(t, "--database", "sqlite:"+backup, "export")
				require.Zero(t, code, errOut)
				saved = []byte(out)
			} else {
				saved, err = os.ReadFile(backup)
				require.NoError(t, err)
			}
			var doc struct {
				Structures []struct{ Name string } `json:"structures"`
			}
			require.NoError(t, json.Unmarshal(saved, &doc))
			charges := 0
			for _, s := range doc.Structures {
				if len(s.Name) > 7 && s.Name[:7] == "Charge " {
					charges++
				}
			}
			require.Zero(t, charges%2, "a transaction is in the backup whole or not at all")
			require.GreaterOrEqual(t, int64(charges/2), int64(5), "the writes before the backup are in it")
			require.Less(t, int64(charges/2), pairs.Load(), "the writes after the backup are not")

			for _, target := range dbtest.Kinds() {
				dest := dbtest.URL(t, target)
				out, errOut, code := lianes(t, "--database", dest, "restore", backup)
				require.Zero(t, code, errOut)
				require.Contains(t, out, "restauré")
				again, errOut, code := lianes(t, "--database", dest, "export")
				require.Zero(t, code, errOut)
				require.Equal(t, string(saved), again, "%s backup restored into %s", kind, target)

				_, errOut, code = lianes(t, "--database", dest, "restore", backup)
				require.Equal(t, 1, code, "a restore goes into an empty database only")
				require.NotEmpty(t, errOut)
			}
		})
	}
}

func TestBackupNeedsAnOutput(t *testing.T) {
	_, errOut, code := lianes(t, "--database", dbtest.URL(t, "sqlite"), "backup")
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "lianes backup -o FICHIER")
}
