package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/db"
)

func (a *app) backupCommand() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "backup -o FICHIER",
		Short: "Sauvegarde la base pendant que le service tourne : copie SQLite, ou document d'export sur PostgreSQL",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if output == "" {
				return fmt.Errorf("%w : donner le fichier de sauvegarde, lianes backup -o FICHIER", errUsage)
			}
			bdb, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer bdb.Close()
			if db.IsPostgres(bdb) {
				// The export document, read in one REPEATABLE READ
				// transaction; pg_dump is the other way (docs/operate.md).
				doc, err := dataset.Export(ctx, bdb)
				if err != nil {
					return err
				}
				if err := writeFile(output, doc.WriteJSON); err != nil {
					return fmt.Errorf("sauvegarde : %w", err)
				}
				fmt.Fprintf(a.stderr, "sauvegarde écrite dans %s (document d'export) : %s\n", output, doc.CountsLine())
				return nil
			}
			// VACUUM INTO writes a new file only: into a temporary name
			// beside the target, renamed once complete.
			tmp := filepath.Join(filepath.Dir(output), fmt.Sprintf(".lianes-backup-%d.db", os.Getpid()))
			_ = os.Remove(tmp)
			defer os.Remove(tmp)
			if err := db.BackupSQLite(ctx, bdb, tmp); err != nil {
				return fmt.Errorf("sauvegarde : %w", err)
			}
			if err := os.Rename(tmp, output); err != nil {
				return fmt.Errorf("sauvegarde : %w", err)
			}
			fmt.Fprintf(a.stderr, "sauvegarde écrite dans %s (copie SQLite)\n", output)
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "fichier de sauvegarde")
	return cmd
}

func (a *app) restoreCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "restore FICHIER",
		Short: "Restaure une sauvegarde (copie SQLite ou document d'export) dans une base vide",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			path := args[0]
			isSQLite, err := db.IsSQLiteFile(path)
			if err != nil {
				return fmt.Errorf("restauration : %w", err)
			}
			var doc *dataset.Document
			if isSQLite {
				if doc, err = a.readSQLiteBackup(cmd, path); err != nil {
					return err
				}
			} else {
				f, err := os.Open(path)
				if err != nil {
					return fmt.Errorf("restauration : %w", err)
				}
				defer f.Close()
				if doc, err = dataset.ReadJSON(bufio.NewReader(f), path); err != nil {
					return err
				}
			}
			bdb, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer bdb.Close()
			if err := dataset.Import(ctx, bdb, doc, path, a.clock.Now()); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s restauré : %s\n", path, doc.CountsLine())
			return nil
		},
	}
}

// readSQLiteBackup reads a backup copy as an export document. It works on a
// copy of the copy: opening a database may write to it (its journal, a
// migration of an older backup), and a backup is kept as it was taken.
func (a *app) readSQLiteBackup(cmd *cobra.Command, path string) (*dataset.Document, error) {
	ctx := cmd.Context()
	dir, err := os.MkdirTemp("", "lianes-restore-")
	if err != nil {
		return nil, fmt.Errorf("restauration : %w", err)
	}
	defer os.RemoveAll(dir)
	work := filepath.Join(dir, "backup.db")
	if err := copyFile(path, work); err != nil {
		return nil, fmt.Errorf("restauration : %w", err)
	}
	src, err := db.Open(ctx, "sqlite:"+work)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	if _, err := db.Migrate(ctx, src); err != nil {
		return nil, err
	}
	return dataset.Export(ctx, src)
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(to)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// writeFile writes a file beside its target and renames it, so that a
// failure never leaves half a file under the expected name.
func writeFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".lianes-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	w := bufio.NewWriter(tmp)
	if err := write(w); err != nil {
		tmp.Close()
		return err
	}
	if err := w.Flush(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Chmod(tmp.Name(), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
