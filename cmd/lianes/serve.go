package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/lianes-cooperation/lianes/bots/core"
	discordbot "github.com/lianes-cooperation/lianes/bots/discord"
	slackbot "github.com/lianes-cooperation/lianes/bots/slack"
	"github.com/lianes-cooperation/lianes/graph"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/announce"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/tokens"
	"github.com/lianes-cooperation/lianes/internal/web"
	"github.com/spf13/cobra"
)

func (a *app) serveCommand() *cobra.Command {
	var (
		addr       string
		demo       bool
		publicURL  string
		limits     = graph.DefaultLimits
		rateLimits = web.DefaultRateLimits
		reminders  string
		digest     string
		sendEvery  time.Duration
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Lance le service HTTP : API GraphQL sur /graphql, agenda sur /calendar.ics, santé sur /healthz",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			bdb, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer bdb.Close()
			if demo {
				res, err := dataset.SeedDemo(ctx, bdb, a.clock.Now())
				if err != nil {
					return err
				}
				if !res.AlreadySeeded {
					a.log.Info("programme d'action 2021 chargé", "contenu", res.Document.CountsLine())
				}
			}
			services := domain.New(bdb, a.clock)
			if services.Announce.ReminderDays, err = announce.ParseReminderDays(reminders); err != nil {
				return err
			}
			if services.Announce.DigestDay, services.Announce.DigestTime, err = announce.ParseDigest(digest); err != nil {
				return err
			}
			// The bots act with each asker's role, never the command line's.
			botCtx := access.WithActor(access.WithRole(ctx, access.Anonymous), "")
			if publicURL == "" {
				publicURL = "http://" + addr
			}
			services.Announce.BaseURL = strings.TrimRight(publicURL, "/")
			brain := core.New(services, a.clock, publicURL)
			posters := map[string]announce.Poster{}
			bots := map[string]http.Handler{}
			var slackBot *slackbot.Bot
			if cfg := slackbot.ConfigFromEnv(); cfg.Enabled() {
				slackBot = slackbot.New(cfg, brain, a.log)
				posters[announce.Slack] = slackBot.Poster()
				if cfg.SigningSecret != "" {
					bots["/slack/"] = slackBot.Handler()
				}
				if cfg.AppToken != "" {
					go func() { _ = slackBot.RunSocketMode(botCtx) }()
				}
				a.log.Info("Slack activé", "http", cfg.SigningSecret != "", "socket_mode", cfg.AppToken != "")
			}
			var discordBot *discordbot.Bot
			if cfg := discordbot.ConfigFromEnv(); cfg.Enabled() {
				if discordBot, err = discordbot.New(cfg, brain, a.log); err != nil {
					return err
				}
				posters[announce.Discord] = discordBot.Poster()
				if cfg.Gateway {
					go func() {
						if err := discordBot.RunGateway(botCtx); err != nil {
							a.log.Error("discord: passerelle arrêtée", "error", err)
						}
					}()
				} else {
					bots["/discord/"] = discordBot.Handler()
				}
				a.log.Info("Discord activé", "passerelle", cfg.Gateway)
			}
			if len(posters) > 0 {
				// Announcements go out while the service runs; a delivery cut
				// short by the stop is taken over at the next start.
				go announce.Run(ctx, services.Announce, announce.NewSender(bdb, a.clock, posters, a.log), sendEvery)
			}
			listener, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("écoute sur %s impossible : %w", addr, err)
			}
			srv := &http.Server{
				Handler: web.NewHandler(web.Deps{
					DB: bdb, Clock: a.clock, Log: a.log, Services: services, Bots: bots,
					Tokens: &tokens.Service{DB: bdb}, RateLimits: rateLimits,
					GraphQL: graph.NewHandler(&graph.Resolver{Services: services, Clock: a.clock}, limits, a.log),
				}),
				ReadHeaderTimeout: 10 * time.Second,
				ReadTimeout:       30 * time.Second,
				WriteTimeout:      60 * time.Second,
				IdleTimeout:       2 * time.Minute,
			}
			a.log.Info("lianes à l'écoute", "url", "http://"+listener.Addr().String(),
				"heure", a.clock.Now().Format(time.RFC3339))
			served := make(chan error, 1)
			go func() { served <- srv.Serve(listener) }()
			select {
			case err := <-served:
				return err
			case <-ctx.Done():
			}
			// SIGINT or SIGTERM: finish the requests in flight, then stop.
			a.log.Info("arrêt demandé : fin des requêtes en cours")
			shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 20*time.Second)
			defer cancel()
			if err := srv.Shutdown(shutdownCtx); err != nil {
				return fmt.Errorf("arrêt : %w", err)
			}
			if err := <-served; err != nil && !errors.Is(err, http.ErrServerClosed) {
				return err
			}
			if slackBot != nil {
				slackBot.Wait() // answers already promised are sent
			}
			if discordBot != nil {
				discordBot.Wait()
			}
			a.log.Info("arrêté proprement")
			return nil
		},
	}
	cmd.Flags().StringVar(&reminders, "reminders", envOr("LIANES_REMINDERS", "14,3"),
		"jours avant la date limite d'un appel où les abonnés sont prévenus, ou « aucun » (LIANES_REMINDERS)")
	cmd.Flags().StringVar(&digest, "digest", envOr("LIANES_DIGEST", "lundi 09:00"),
		"jour et heure (Paris) de la lettre hebdomadaire aux abonnés, ou « aucun » (LIANES_DIGEST)")
	cmd.Flags().DurationVar(&sendEvery, "announce-every", 15*time.Second, "intervalle entre deux passages d'envoi des annonces")
	cmd.Flags().StringVar(&addr, "addr", envOr("LIANES_ADDR", "127.0.0.1:8080"), "adresse d'écoute (LIANES_ADDR)")
	cmd.Flags().BoolVar(&demo, "demo", false, "charge le programme d'action 2021 si la base est neuve")
	cmd.Flags().IntVar(&rateLimits.PerToken, "rate-per-token", envInt("LIANES_RATE_PER_TOKEN", rateLimits.PerToken),
		"requêtes par minute permises à un jeton (LIANES_RATE_PER_TOKEN ; 0 : sans limite)")
	cmd.Flags().IntVar(&rateLimits.PerAddress, "rate-per-address", envInt("LIANES_RATE_PER_ADDRESS", rateLimits.PerAddress),
		"requêtes par minute permises à une adresse sans jeton (LIANES_RATE_PER_ADDRESS ; 0 : sans limite)")
	cmd.Flags().StringVar(&publicURL, "public-url", envOr("LIANES_PUBLIC_URL", ""),
		"adresse publique du service, pour les liens des réponses du robot (LIANES_PUBLIC_URL ; par défaut http://ADDR)")
	cmd.Flags().IntVar(&limits.Complexity, "max-complexity", envInt("LIANES_GRAPHQL_MAX_COMPLEXITY", limits.Complexity),
		"complexité maximale d'une requête GraphQL (LIANES_GRAPHQL_MAX_COMPLEXITY)")
	cmd.Flags().IntVar(&limits.Depth, "max-depth", envInt("LIANES_GRAPHQL_MAX_DEPTH", limits.Depth),
		"profondeur maximale d'une requête GraphQL (LIANES_GRAPHQL_MAX_DEPTH)")
	cmd.Flags().BoolVar(&limits.Introspection, "introspection", envOr("LIANES_GRAPHQL_INTROSPECTION", "true") == "true",
		"autorise l'introspection du schéma (LIANES_GRAPHQL_INTROSPECTION)")
	return cmd
}
