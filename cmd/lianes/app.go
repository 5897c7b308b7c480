package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"

	"github.com/spf13/cobra"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/logging"
)

// app holds the settings shared by every subcommand.
type app struct {
	databaseURL string
	now         string
	logFormat   string
	stdout      io.Writer
	stderr      io.Writer
	log         *slog.Logger
	clock       clock.Clock
}

// run executes the command line and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	a := &app{stdout: stdout, stderr: stderr}
	root := a.rootCommand()
	root.SetArgs(args)
	root.SetOut(stdout)
	root.SetErr(stderr)
	// The command line is the administrator's own tool: it acts as admin, and
	// the audit trail says it was the command line.
	ctx = access.WithActor(access.WithRole(ctx, access.Admin), "ligne de commande")
	if err := root.ExecuteContext(ctx); err != nil {
		fmt.Fprintln(stderr, "erreur :", err)
		var problems *dataset.Problems
		if errors.As(err, &problems) {
			return 2 // the input is wrong, not the service: a script can tell
		}
		return 1
	}
	return 0
}

func envOr(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}

func (a *app) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:           "lianes",
		Short:         "Le réseau Lianes coopération sous forme de graphe interrogeable",
		SilenceUsage:  true,
		SilenceErrors: true,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			log, err := logging.New(a.stderr, a.logFormat, slog.LevelInfo)
			if err != nil {
				return fmt.Errorf("--log-format : %w", err)
			}
			a.log = log
			c, err := clock.FromSetting(a.now)
			if err != nil {
				return fmt.Errorf("--now : %w", err)
			}
			a.clock = c
			return nil
		},
	}
	root.PersistentFlags().StringVar(&a.databaseURL, "database", envOr("LIANES_DATABASE_URL", db.DefaultURL),
		"base de données : postgres://… ou sqlite:CHEMIN (LIANES_DATABASE_URL)")
	root.PersistentFlags().StringVar(&a.now, "now", os.Getenv("LIANES_NOW"),
		"date de départ de l'horloge, qui avance ensuite, ex. 2021-01-04 (LIANES_NOW)")
	root.PersistentFlags().StringVar(&a.logFormat, "log-format", envOr("LIANES_LOG_FORMAT", "text"),
		"format du journal : text ou json (LIANES_LOG_FORMAT)")
	root.AddCommand(a.serveCommand(), a.migrateCommand(), a.seedCommand(), a.exportCommand(), a.importCommand(), a.askCommand(), a.discordCommand(), a.tokenCommand(), a.auditCommand(),
		a.backupCommand(), a.restoreCommand(), a.healthcheckCommand())
	return root
}

func envInt(name string, fallback int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil {
		return v
	}
	return fallback
}

// openDB opens the configured database and brings its schema up to date, as
// every subcommand needs it so.
func (a *app) openDB(ctx context.Context) (*bun.DB, error) {
	bdb, err := db.Open(ctx, a.databaseURL)
	if err != nil {
		return nil, err
	}
	applied, err := db.Migrate(ctx, bdb)
	if err != nil {
		_ = bdb.Close()
		return nil, err
	}
	for _, name := range applied {
		a.log.Info("migration appliquée", "migration", name)
	}
	return bdb, nil
}

// errUsage marks a command line that cannot be run as written.
var errUsage = errors.New("utilisation incorrecte")
