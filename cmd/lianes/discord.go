package main

import (
	"errors"
	"fmt"

	"github.com/spf13/cobra"

	"github.com/lianes-cooperation/lianes/bots/core"
	discordbot "github.com/lianes-cooperation/lianes/bots/discord"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

func (a *app) discordCommand() *cobra.Command {
	cmd := &cobra.Command{Use: "discord", Short: "Gère l'application Discord"}
	var guild string
	register := &cobra.Command{
		Use:   "register [--guild ID]",
		Short: "Enregistre les commandes /lianes et /lianes-staff (dans un serveur pour tester, globalement sinon)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg := discordbot.ConfigFromEnv()
			if !cfg.Enabled() {
				return errors.New("Discord non configuré : définir LIANES_DISCORD_BOT_TOKEN et LIANES_DISCORD_APP_ID")
			}
			ctx := cmd.Context()
			bdb, err := a.openDB(ctx)
			if err != nil {
				return err
			}
			defer bdb.Close()
			bot, err := discordbot.New(cfg, core.New(domain.New(bdb, a.clock), a.clock, ""), a.log)
			if err != nil {
				return err
			}
			cmds, err := bot.Register(ctx, guild)
			if err != nil {
				return err
			}
			where := "globalement (visibles sous une heure)"
			if guild != "" {
				where = "dans le serveur " + guild
			}
			fmt.Fprintf(a.stdout, "%d commande(s) enregistrée(s) %s\n", len(cmds), where)
			return nil
		},
	}
	register.Flags().StringVar(&guild, "guild", "", "identifiant du serveur Discord (enregistrement immédiat, pour tester)")
	cmd.AddCommand(register)
	return cmd
}
