package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/lianes-cooperation/lianes/bots/core"
	discordbot "github.com/lianes-cooperation/lianes/bots/discord"
	slackbot "github.com/lianes-cooperation/lianes/bots/slack"
	"github.com/lianes-cooperation/lianes/graph"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/announce"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/logging"
	"github.com/lianes-cooperation/lianes/internal/replay"
	"github.com/lianes-cooperation/lianes/internal/tokens"
	"github.com/lianes-cooperation/lianes/internal/web"
	"github.com/spf13/cobra"
)

func (a *app) serveCommand() *cobra.Command {
	var (
		addr       string
		demo       bool
		shareRuns  bool
		publicURL  string
		limits     = graph.DefaultLimits
		rateLimits = web.DefaultRateLimits
		reminders  string
		digest     string
		sendEvery  time.Duration
		// Operations (operate.go).
		metricsAddr string
		readURL     string
	)
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Lance le service HTTP : API GraphQL sur /graphql, agenda sur /calendar.ics, santé sur /healthz",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			ctx := cmd.Context()
			if problems := checkConfig(os.Getenv, serveSettings{addr: addr, metricsAddr: metricsAddr,
				databaseURL: a.databaseURL, readURL: readURL, publicURL: publicURL}); len(problems) > 0 {
				for _, p := range problems {
					fmt.Fprintln(a.stderr, "configuration :", p)
				}
				return fmt.Errorf("configuration à corriger : %d problème(s), voir ci-dessus", len(problems))
			}
			tuneCollector(os.Getenv)
			// A line per request: batched, it costs no write of its own.
			logs := logging.NewBatch(a.stderr)
			defer logs.Close()
			a.log, _ = logging.New(logs, a.logFormat, slog.LevelInfo) // the format was checked before
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
			// reads are the services of the read paths: the standby when one
			// is configured, the primary otherwise.
			reads := services
			if readURL != "" {
				rdb, err := db.Open(ctx, readURL)
				if err != nil {
					return fmt.Errorf("--database-read : %w", err)
				}
				defer rdb.Close()
				reads = services.ReadingFrom(rdb)
				a.log.Info("lectures sur la réplique", "database", db.Redact(readURL))
			}
			ops := newOperations(a.log, a.clock, services, reads)
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
			brain := core.New(reads, a.clock, publicURL)
			brain.Observe = ops.observeQuestion
			if brain.Handoff, err = handoffTarget(envOr("LIANES_HANDOFF_CHANNEL", "")); err != nil {
				return err
			}
			posters := map[string]announce.Poster{}
			bots := map[string]http.Handler{}
			var slackBot *slackbot.Bot
			// Posting announcements needs the bot token alone; answering
			// needs the signing secret (HTTP) or the app token (Socket Mode).
			if cfg := slackbot.ConfigFromEnv(); cfg.BotToken != "" {
				slackBot = slackbot.New(cfg, brain, a.log)
				slackBot.Replays = &replay.Guard{DB: bdb} // a request answered once across replicas
				posters[announce.Slack] = slackBot.Poster()
				if cfg.SigningSecret != "" {
					bots["/slack/"] = slackBot.Handler()
				}
				slackBot.OnConnection = ops.platformConfigured(announce.Slack, cfg.AppToken != "")
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
				discordBot.Replays = &replay.Guard{DB: bdb}
				posters[announce.Discord] = discordBot.Poster()
				discordBot.OnConnection = ops.platformConfigured(announce.Discord, cfg.Gateway)
				if cfg.Gateway {
					go func() {
						if err := discordBot.RunGateway(botCtx); err != nil {
							ops.platforms.Set(announce.Discord, web.PlatformFailing, "connexion à la passerelle impossible", a.clock.Now())
							a.log.Error("discord: passerelle arrêtée", "error", err)
						}
					}()
				} else if cfg.PublicKey != "" {
					bots["/discord/"] = discordBot.Handler()
				}
				a.log.Info("Discord activé", "passerelle", cfg.Gateway)
			}
			if len(posters) > 0 {
				// Announcements go out while the service runs; a delivery cut
				// short by the stop is taken over at the next start.
				sender := announce.NewSender(bdb, a.clock, posters, a.log)
				sender.Observe = ops.observeDelivery
				go announce.Run(ctx, services.Announce, sender, sendEvery)
			}
			if proxies := os.Getenv("LIANES_TRUSTED_PROXIES"); rateLimits.TrustedProxies == nil && proxies != "" {
				if rateLimits.TrustedProxies, err = web.ParseTrustedProxies(proxies); err != nil {
					return fmt.Errorf("LIANES_TRUSTED_PROXIES : %w", err)
				}
			}
			listener, err := net.Listen("tcp", addr)
			if err != nil {
				return fmt.Errorf("écoute sur %s impossible : %w", addr, err)
			}
			gql := graph.NewHandler(&graph.Resolver{Services: services, Clock: a.clock, Observer: ops.metrics, RunsApart: !shareRuns}, limits, a.log)
			if reads != services {
				gql = graph.SplitReads(graph.NewHandler(&graph.Resolver{Services: reads, Clock: a.clock, Observer: ops.metrics, RunsApart: !shareRuns}, limits, a.log), gql, limits)
			}
			handler := web.NewHandler(web.Deps{
				DB: bdb, Clock: a.clock, Log: a.log, Services: reads, Bots: bots,
				Tokens: &tokens.Service{DB: bdb}, RateLimits: rateLimits, GraphQL: gql,
				Platforms: ops.platforms,
			})
			if metricsAddr == "" {
				handler = withMetrics(handler, ops.metricsHandler())
			} else {
				stopMetrics, err := ops.serveMetrics(metricsAddr)
				if err != nil {
					return err
				}
				defer stopMetrics()
			}
			srv := &http.Server{
				Handler:           logging.Requests(a.log, ops.metrics.ObserveRequest, handler, "GET /healthz", "GET /metrics"),
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
	cmd.Flags().StringVar(&metricsAddr, "metrics-addr", envOr("LIANES_METRICS_ADDR", ""),
		"adresse d'écoute de /metrics, à part du service (LIANES_METRICS_ADDR ; par défaut /metrics sur le service)")
	cmd.Flags().StringVar(&readURL, "database-read", envOr("LIANES_DATABASE_READ_URL", ""),
		"réplique PostgreSQL où lire les requêtes GraphQL, le robot et l'agenda (LIANES_DATABASE_READ_URL)")
	cmd.Flags().StringVar(&addr, "addr", envOr("LIANES_ADDR", "127.0.0.1:8080"), "adresse d'écoute (LIANES_ADDR)")
	cmd.Flags().BoolVar(&shareRuns, "share-runs", envOr("LIANES_SHARE_RUNS", "true") == "true",
		"une seule lecture pour les requêtes identiques arrivées pendant la lecture précédente (LIANES_SHARE_RUNS)")
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
	cmd.Flags().IntVar(&rateLimits.CostPerToken, "cost-per-token", envInt("LIANES_COST_PER_TOKEN", rateLimits.CostPerToken),
		"complexité GraphQL cumulée permise à un jeton par minute (LIANES_COST_PER_TOKEN ; 0 : sans limite)")
	cmd.Flags().IntVar(&rateLimits.CostPerAddress, "cost-per-address", envInt("LIANES_COST_PER_ADDRESS", rateLimits.CostPerAddress),
		"complexité GraphQL cumulée permise à une adresse sans jeton par minute (LIANES_COST_PER_ADDRESS ; 0 : sans limite)")
	cmd.Flags().Func("trusted-proxies", "mandataires inverses (adresses ou préfixes CIDR, séparés par des virgules) dont l'en-tête "+
		"X-Forwarded-For désigne le client, pour les limites par adresse (LIANES_TRUSTED_PROXIES)", func(v string) error {
		var err error
		rateLimits.TrustedProxies, err = web.ParseTrustedProxies(v)
		return err
	})
	return cmd
}
