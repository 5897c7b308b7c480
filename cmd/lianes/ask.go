package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/charts"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/network"
)

func (a *app) askCommand() *cobra.Command {
	var role, format, baseURL, thread, since, chartFile string
	var unansweredOnly bool
	var structure int64
	cmd := &cobra.Command{
		Use:   `ask [--as anonymous|member|staff|admin] [--structure ID] [--format text|json] [--thread KEY] [--chart FILE.png] "question" | ask --as staff --unanswered [--since DATE]`,
		Short: "Pose une question au robot, comme dans Slack ou Discord ; --unanswered liste celles qu'il n'a pas su traiter",
		Args: func(cmd *cobra.Command, args []string) error {
			if unansweredOnly {
				return cobra.NoArgs(cmd, args)
			}
			return cobra.MinimumNArgs(1)(cmd, args)
		},
		RunE: func(cmd *cobra.Command, args []string) error {
			r, err := access.ParseRole(role)
			if err != nil {
				return fmt.Errorf("--as : %w", err)
			}
			if format != "text" && format != "json" {
				return fmt.Errorf("--format : « %s » inconnu, attendu text ou json", format)
			}
			ctx := cmd.Context()
			var from time.Time
			if since != "" {
				if from, err = clock.Parse(since); err != nil {
					return fmt.Errorf("--since : %w", err)
				}
			}
			bdb, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer bdb.Close()
			if unansweredOnly {
				return a.listUnanswered(access.WithRole(ctx, r), domain.New(bdb, a.clock), from, format)
			}
			services := domain.New(bdb, a.clock)
			if structure != 0 {
				// Asked as a member of the structure: "quels appels pour nous ?"
				if _, err := services.Network.Structure(access.WithRole(ctx, r), structure); errors.Is(err, network.ErrNotFound) {
					return fmt.Errorf("--structure : aucune structure n° %d ; son numéro est celui de son identifiant (Structure:12 → 12)", structure)
				} else if err != nil {
					return err
				}
			} else if cmd.Flags().Changed("structure") {
				return fmt.Errorf("--structure : attendu le numéro d'une structure (Structure:12 → 12), pas 0")
			}
			brain := core.New(services, a.clock, baseURL)
			answer, err := brain.Ask(ctx, core.Asker{Platform: "terminal", ID: "terminal", Role: r, Thread: thread, Structure: structure}, strings.Join(args, " "))
			if err != nil {
				return err
			}
			if format == "text" {
				fmt.Fprint(a.stdout, answer.Text())
			} else {
				enc := json.NewEncoder(a.stdout)
				enc.SetEscapeHTML(false)
				enc.SetIndent("", "  ")
				if err := enc.Encode(struct {
					Intent string `json:"intent"`
					Text   string `json:"text"`
					core.Answer
				}{answer.Intent, answer.Text(), answer}); err != nil {
					return err
				}
			}
			if chartFile == "" {
				return nil
			}
			return writeChart(ctx, services, answer, chartFile)
		},
	}
	cmd.Flags().StringVar(&role, "as", "member", "rôle de la personne qui demande : anonymous, member, staff ou admin")
	cmd.Flags().Int64Var(&structure, "structure", 0, "pose la question comme membre de cette structure (son numéro : Structure:12 → 12) : « quels appels pour nous ? »")
	cmd.Flags().BoolVar(&unansweredOnly, "unanswered", false, "liste les questions auxquelles le robot n'a pas su répondre, les plus récentes d'abord (équipe)")
	cmd.Flags().StringVar(&since, "since", "", "avec --unanswered : depuis ce jour (2021-03-01) ou cet instant")
	cmd.Flags().StringVar(&thread, "thread", "", "nom d'une conversation : une question de suivi (« et pour les écoles ? ») s'y lit avec la précédente, pendant 30 minutes")
	cmd.Flags().StringVar(&format, "format", "text", "format de la réponse : text ou json")
	cmd.Flags().StringVar(&chartFile, "chart", "", "écrit dans ce fichier PNG le graphique qui accompagne une réponse chiffrée (stats, représentation, types d'acteurs)")
	cmd.Flags().StringVar(&baseURL, "base-url", envOr("LIANES_PUBLIC_URL", "http://127.0.0.1:8080"), "adresse publique du service, pour les liens (LIANES_PUBLIC_URL)")
	return cmd
}

// writeChart draws the chart an answer names, as Slack and Discord would
// post it.
func writeChart(ctx context.Context, s *domain.Services, answer core.Answer, path string) error {
	if answer.Chart == "" {
		return fmt.Errorf("--chart : cette réponse n'a pas de graphique ; les questions de chiffres en ont un (« stats », « quels départements sont sous-représentés ? », « combien d'associations ? »)")
	}
	c, err := charts.Load(ctx, s.Observatory, answer.Chart)
	if err != nil {
		return err
	}
	raw, err := c.PNG()
	if err != nil {
		return err
	}
	if err := writeFile(path, func(w io.Writer) error { _, err := w.Write(raw); return err }); err != nil {
		return fmt.Errorf("--chart : %w", err)
	}
	return nil
}

// listUnanswered prints the questions the bot could not answer, for staff.
func (a *app) listUnanswered(ctx context.Context, s *domain.Services, since time.Time, format string) error {
	if !access.AtLeast(ctx, access.Staff) {
		return fmt.Errorf("--unanswered : réservé à l'équipe, ajoutez --as staff")
	}
	size := listing.MaxSize
	p, err := s.Unanswered.List(ctx, since, listing.Args{First: &size})
	if err != nil {
		return err
	}
	questions, err := s.Unanswered.Questions(ctx, p.IDs)
	if err != nil {
		return err
	}
	if format == "json" {
		out := make([]any, 0, len(p.IDs))
		for _, id := range p.IDs {
			if q := questions[id]; q != nil {
				out = append(out, q)
			}
		}
		enc := json.NewEncoder(a.stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	if len(p.IDs) == 0 {
		fmt.Fprintln(a.stdout, "Aucune question sans réponse.")
		return nil
	}
	for _, id := range p.IDs {
		if q := questions[id]; q != nil {
			fmt.Fprintf(a.stdout, "%s  %-8s  %-10s  « %s »  (personne %s)\n", q.AskedAt.In(clock.Paris).Format("2006-01-02 15:04"),
				q.Platform, q.Intent, q.Text, q.AskerHash[:8])
		}
	}
	return nil
}
