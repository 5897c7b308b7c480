package main

import (
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/lianes-cooperation/lianes/internal/audit"
)

func (a *app) auditCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "audit", Short: "Le journal des modifications"}
	var output string
	export := &cobra.Command{
		Use:   "export [-o FICHIER]",
		Short: "Écrit tout le journal des modifications en JSON (sortie standard par défaut)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bdb, err := a.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer bdb.Close()
			w := a.stdout
			if output != "" && output != "-" {
				f, err := os.Create(output)
				if err != nil {
					return fmt.Errorf("audit export : %w", err)
				}
				defer f.Close()
				w = f
			}
			n, err := (&audit.Service{DB: bdb}).Export(cmd.Context(), w)
			if err != nil {
				return err
			}
			if output != "" && output != "-" {
				fmt.Fprintf(a.stderr, "%d entrée(s) écrite(s) dans %s\n", n, output)
			}
			return nil
		},
	}
	export.Flags().StringVarP(&output, "output", "o", "", "fichier de sortie (sortie standard par défaut)")
	cmd.AddCommand(export)
	return cmd
}
