package main

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/spf13/cobra"

	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/db"
)

func (a *app) migrateCommand() *cobra.Command {
	var status bool
	cmd := &cobra.Command{
		Use:   "migrate",
		Short: "Met le schéma de la base à jour (fait aussi au démarrage de chaque commande)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if status {
				bdb, err := db.Open(ctx, a.databaseURL)
				if err != nil {
					return err
				}
				defer bdb.Close()
				pending, err := db.Pending(ctx, bdb)
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%d migration(s) en attente\n", len(pending))
				for _, name := range pending {
					fmt.Fprintln(a.stdout, " ", name)
				}
				return nil
			}
			bdb, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer bdb.Close()
			fmt.Fprintln(a.stdout, "schéma à jour")
			return nil
		},
	}
	cmd.Flags().BoolVar(&status, "status", false, "liste les migrations en attente sans les appliquer")
	return cmd
}

func (a *app) seedCommand() *cobra.Command {
	var (
		demo      bool
		synthetic int
	)
	cmd := &cobra.Command{
		Use:   "seed",
		Short: "Charge les listes de référence ; avec --demo le programme d'action 2021 ; avec --synthetic N un réseau de test",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			bdb, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer bdb.Close()
			if synthetic != 0 {
				if demo {
					return fmt.Errorf("%w : --demo et --synthetic ne vont pas ensemble", errUsage)
				}
				start := time.Now()
				doc, err := dataset.SeedSynthetic(ctx, bdb, synthetic, a.clock.Now())
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "réseau synthétique chargé en %s : %s\n", time.Since(start).Round(time.Millisecond), doc.CountsLine())
				return nil
			}
			if !demo {
				if err := dataset.SeedReference(ctx, bdb); err != nil {
					return err
				}
				fmt.Fprintln(a.stdout, "listes de référence chargées")
				return nil
			}
			res, err := dataset.SeedDemo(ctx, bdb, a.clock.Now())
			if err != nil {
				return err
			}
			if res.AlreadySeeded {
				fmt.Fprintln(a.stdout, "programme d'action 2021 déjà chargé : rien à faire")
				return nil
			}
			fmt.Fprintf(a.stdout, "programme d'action 2021 chargé : %s\n", res.Document.CountsLine())
			return nil
		},
	}
	cmd.Flags().BoolVar(&demo, "demo", false, "charge les données de démonstration (programme d'action 2021)")
	cmd.Flags().IntVar(&synthetic, "synthetic", 0, "charge un réseau synthétique de N structures, pour les mesures de performance")
	return cmd
}

func (a *app) exportCommand() *cobra.Command {
	var output string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Écrit toutes les données en un document JSON (sortie standard par défaut)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			bdb, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer bdb.Close()
			doc, err := dataset.Export(ctx, bdb)
			if err != nil {
				return err
			}
			if output == "" || output == "-" {
				return doc.WriteJSON(a.stdout)
			}
			// Written beside the target and renamed, so that a failed export
			// never leaves half a file under the expected name.
			tmp, err := os.CreateTemp(filepath.Dir(output), ".lianes-export-*")
			if err != nil {
				return fmt.Errorf("export : %w", err)
			}
			defer os.Remove(tmp.Name())
			w := bufio.NewWriter(tmp)
			if err := doc.WriteJSON(w); err != nil {
				tmp.Close()
				return fmt.Errorf("export : %w", err)
			}
			if err := w.Flush(); err != nil {
				tmp.Close()
				return fmt.Errorf("export : %w", err)
			}
			if err := tmp.Close(); err != nil {
				return fmt.Errorf("export : %w", err)
			}
			if err := os.Chmod(tmp.Name(), 0o644); err != nil {
				return fmt.Errorf("export : %w", err)
			}
			if err := os.Rename(tmp.Name(), output); err != nil {
				return fmt.Errorf("export : %w", err)
			}
			fmt.Fprintf(a.stderr, "export écrit dans %s : %s\n", output, doc.CountsLine())
			return nil
		},
	}
	cmd.Flags().StringVarP(&output, "output", "o", "", "fichier de sortie (sortie standard par défaut)")
	return cmd
}

func (a *app) importCommand() *cobra.Command {
	var structuresCSV string
	cmd := &cobra.Command{
		Use:   "import [FICHIER.json]",
		Short: "Relit un export JSON dans une base vide, ou avec --structures ajoute les structures d'un CSV",
		Args:  cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			ctx := cmd.Context()
			if (structuresCSV == "") == (len(args) == 0) {
				return fmt.Errorf("%w : donner soit un fichier JSON (lianes import export.json), soit --structures FICHIER.csv", errUsage)
			}
			path := structuresCSV
			if path == "" {
				path = args[0]
			}
			f, err := os.Open(path)
			if err != nil {
				return fmt.Errorf("import : %w", err)
			}
			defer f.Close()
			bdb, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer bdb.Close()

			if structuresCSV != "" {
				progress := func(n int) { fmt.Fprintf(a.stderr, "\r%d lignes lues…", n) }
				res, err := dataset.ImportStructuresCSV(ctx, bdb, bufio.NewReader(f), path, a.clock.Now(), progress)
				if res.Rows >= dataset.ProgressEvery {
					fmt.Fprintln(a.stderr)
				}
				if err != nil {
					return err
				}
				fmt.Fprintf(a.stdout, "%s : %d ligne(s) lue(s), %d structure(s) ajoutée(s), %d déjà présente(s)\n",
					path, res.Rows, res.Imported, len(res.Skipped))
				for _, name := range res.Skipped {
					fmt.Fprintf(a.stdout, "  déjà présente : %s\n", name)
				}
				return nil
			}
			doc, err := dataset.ReadJSON(bufio.NewReader(f), path)
			if err != nil {
				return err
			}
			if err := dataset.Import(ctx, bdb, doc, path, a.clock.Now()); err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "%s importé : %s\n", path, doc.CountsLine())
			return nil
		},
	}
	cmd.Flags().StringVar(&structuresCSV, "structures", "", "fichier CSV de structures (export d'un CRM) à ajouter")
	return cmd
}
