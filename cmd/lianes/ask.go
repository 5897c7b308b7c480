package main

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

func (a *app) askCommand() *cobra.Command {
	var role, format, baseURL, thread string
	cmd := &cobra.Command{
		Use:   `ask [--as anonymous|member|staff|admin] [--format text|json] "question"`,
		Short: "Pose une question au robot, comme dans Slack ou Discord",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := access.ParseRole(role)
			if err != nil {
				return fmt.Errorf("--as : %w", err)
			}
			if format != "text" && format != "json" {
				return fmt.Errorf("--format : « %s » inconnu, attendu text ou json", format)
			}
			ctx := cmd.Context()
			bdb, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer bdb.Close()
			brain := core.New(domain.New(bdb, a.clock), a.clock, baseURL)
			answer, err := brain.Ask(ctx, core.Asker{Platform: "terminal", ID: "terminal", Role: r, Thread: thread}, strings.Join(args, " "))
			if err != nil {
				return err
			}
			if format == "text" {
				fmt.Fprint(a.stdout, answer.Text())
				return nil
			}
			enc := json.NewEncoder(a.stdout)
			enc.SetEscapeHTML(false)
			enc.SetIndent("", "  ")
			return enc.Encode(struct {
				Intent string `json:"intent"`
				Text   string `json:"text"`
				core.Answer
			}{answer.Intent, answer.Text(), answer})
		},
	}
	cmd.Flags().StringVar(&role, "as", "member", "rôle de la personne qui demande : anonymous, member, staff ou admin")
	cmd.Flags().StringVar(&thread, "thread", "", "nom d'une conversation : une question de suivi (« et pour les écoles ? ») s'y lit avec la précédente, pendant 30 minutes")
	cmd.Flags().StringVar(&format, "format", "text", "format de la réponse : text ou json")
	cmd.Flags().StringVar(&baseURL, "base-url", envOr("LIANES_PUBLIC_URL", "http://127.0.0.1:8080"), "adresse publique du service, pour les liens (LIANES_PUBLIC_URL)")
	return cmd
}
