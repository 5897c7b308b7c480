package main

import (
	"fmt"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/tokens"
)

func (a *app) tokenCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "token", Short: "Gère les jetons d'accès à l'API (Authorization: Bearer …)"}
	var role, name, expires string
	create := &cobra.Command{
		Use:   `create --role anonymous|member|staff|admin --name "…" [--expires 90d|AAAA-MM-JJ]`,
		Short: "Crée un jeton ; il n'est affiché qu'une fois",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			r, err := access.ParseRole(role)
			if err != nil {
				return fmt.Errorf("--role : %w", err)
			}
			now := time.Now()
			var until *time.Time
			if expires != "" {
				t, err := parseExpiry(expires, now)
				if err != nil {
					return err
				}
				until = &t
			}
			bdb, err := a.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer bdb.Close()
			plain, t, err := (&tokens.Service{DB: bdb}).Create(cmd.Context(), name, r, until, now)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stderr, "jeton n°%d « %s » (%s) créé ; copiez-le maintenant, il ne sera plus affiché :\n", t.ID, t.Name, t.Role)
			fmt.Fprintln(a.stdout, plain)
			return nil
		},
	}
	create.Flags().StringVar(&role, "role", "", "rôle du jeton : anonymous, member, staff ou admin")
	create.Flags().StringVar(&name, "name", "", "qui l'utilise et pour quoi (« site internet », « CRM »…)")
	create.Flags().StringVar(&expires, "expires", "", "expiration : une durée en jours (90d) ou une date (AAAA-MM-JJ) ; jamais par défaut")
	_ = create.MarkFlagRequired("role")
	_ = create.MarkFlagRequired("name")

	list := &cobra.Command{
		Use:   "list",
		Short: "Liste les jetons (jamais leur valeur)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			bdb, err := a.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer bdb.Close()
			all, err := (&tokens.Service{DB: bdb}).List(cmd.Context())
			if err != nil {
				return err
			}
			w := tabwriter.NewWriter(a.stdout, 2, 4, 2, ' ', 0)
			fmt.Fprintln(w, "N°\tNOM\tRÔLE\tDÉBUT\tCRÉÉ\tEXPIRE\tÉTAT\tDERNIER USAGE")
			for _, t := range all {
				state, exp, used := "actif", "jamais", "—"
				if t.ExpiresAt != nil {
					exp = t.ExpiresAt.Format("2006-01-02")
					if !t.ExpiresAt.After(time.Now()) {
						state = "expiré"
					}
				}
				if t.RevokedAt != nil {
					state = "révoqué"
				}
				if t.LastUsedAt != nil {
					used = t.LastUsedAt.Format("2006-01-02 15:04")
				}
				fmt.Fprintf(w, "%d\t%s\t%s\t%s…\t%s\t%s\t%s\t%s\n", t.ID, t.Name, t.Role, t.Prefix, t.CreatedAt.Format("2006-01-02"), exp, state, used)
			}
			return w.Flush()
		},
	}
	revoke := &cobra.Command{
		Use:   "revoke N°|NOM",
		Short: "Révoque un jeton",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			bdb, err := a.openDB(cmd.Context())
			if err != nil {
				return err
			}
			defer bdb.Close()
			t, err := (&tokens.Service{DB: bdb}).Revoke(cmd.Context(), args[0], time.Now())
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "jeton n°%d « %s » révoqué (refusé par les serveurs en marche d'ici 5 secondes)\n", t.ID, t.Name)
			return nil
		},
	}
	cmd.AddCommand(create, list, revoke)
	return cmd
}

// parseExpiry reads "90d" or a day.
func parseExpiry(value string, now time.Time) (time.Time, error) {
	var days int
	if _, err := fmt.Sscanf(value, "%dd", &days); err == nil && days > 0 && fmt.Sprintf("%dd", days) == value {
		return now.AddDate(0, 0, days), nil
	}
	t, err := time.ParseInLocation("2006-01-02", value, time.Local)
	if err != nil {
		return time.Time{}, fmt.Errorf("--expires : « %s » non reconnu : attendu une durée en jours (90d) ou une date (AAAA-MM-JJ)", value)
	}
	return t, nil
}
