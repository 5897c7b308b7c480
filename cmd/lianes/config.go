package main

import (
	"encoding/hex"
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/db"
)

// serveSettings are the settings of lianes serve that the check compares
// with each other; the platforms' own settings are read from env.
type serveSettings struct {
	addr, metricsAddr    string
	databaseURL, readURL string
	publicURL            string
}

// checkConfig returns one French line per setting that is missing or
// inconsistent, so that an operator fixes them all at once instead of
// meeting them one by one in production. A platform half configured is a
// problem; a platform not configured at all is not.
func checkConfig(env func(string) string, s serveSettings) []string {
	var problems []string
	add := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if _, err := handoffTarget(env("LIANES_HANDOFF_CHANNEL")); err != nil {
		add("%v", err)
	}

	// Slack: posting announcements needs the bot token alone; answering needs
	// it too, with the signing secret (HTTP) or the app token (Socket Mode).
	botToken, appToken := env("LIANES_SLACK_BOT_TOKEN"), env("LIANES_SLACK_APP_TOKEN")
	if botToken == "" {
		for _, name := range []string{"LIANES_SLACK_SIGNING_SECRET", "LIANES_SLACK_APP_TOKEN", "LIANES_SLACK_STAFF", "LIANES_SLACK_ADMINS"} {
			if env(name) != "" {
				add("Slack : %s est défini mais LIANES_SLACK_BOT_TOKEN manque (le jeton du robot, xoxb-…)", name)
			}
		}
	}
	if strings.HasPrefix(botToken, "xapp-") {
		add("Slack : LIANES_SLACK_BOT_TOKEN est un jeton d'application (xapp-…) : attendu le jeton du robot (xoxb-…)")
	}
	if appToken != "" && !strings.HasPrefix(appToken, "xapp-") {
		add("Slack : LIANES_SLACK_APP_TOKEN doit être un jeton d'application commençant par « xapp- » (Socket Mode)")
	}

	// Discord: the token and the application id go together; answering
	// needs the public key (interactions endpoint) or the gateway.
	dToken, dApp := env("LIANES_DISCORD_BOT_TOKEN"), env("LIANES_DISCORD_APP_ID")
	switch {
	case dToken != "" && dApp == "":
		add("Discord : LIANES_DISCORD_BOT_TOKEN est défini mais LIANES_DISCORD_APP_ID manque (l'identifiant de l'application)")
	case dToken == "" && dApp != "":
		add("Discord : LIANES_DISCORD_APP_ID est défini mais LIANES_DISCORD_BOT_TOKEN manque (le jeton du robot)")
	case dToken == "" && dApp == "":
		for _, name := range []string{"LIANES_DISCORD_PUBLIC_KEY", "LIANES_DISCORD_GATEWAY", "LIANES_DISCORD_STAFF_ROLES", "LIANES_DISCORD_ADMIN_ROLES"} {
			if env(name) != "" && env(name) != "false" {
				add("Discord : %s est défini mais LIANES_DISCORD_BOT_TOKEN et LIANES_DISCORD_APP_ID manquent", name)
			}
		}
	}
	if key := env("LIANES_DISCORD_PUBLIC_KEY"); key != "" {
		if raw, err := hex.DecodeString(key); err != nil || len(raw) != 32 {
			add("Discord : LIANES_DISCORD_PUBLIC_KEY invalide : attendu 64 caractères hexadécimaux (la clé publique de l'application)")
		}
	}
	if g := env("LIANES_DISCORD_GATEWAY"); g != "" && g != "true" && g != "false" {
		add("Discord : LIANES_DISCORD_GATEWAY vaut « %s » : attendu true ou false", g)
	}

	for _, name := range []string{"LIANES_RATE_PER_TOKEN", "LIANES_RATE_PER_ADDRESS", "LIANES_GRAPHQL_MAX_COMPLEXITY", "LIANES_GRAPHQL_MAX_DEPTH",
		"LIANES_COST_PER_TOKEN", "LIANES_COST_PER_ADDRESS"} {
		if v := env(name); v != "" {
			if n, err := strconv.Atoi(v); err != nil || n < 0 {
				add("%s vaut « %s » : attendu un nombre entier positif ou nul", name, v)
			}
		}
	}
	if v := env("LIANES_GRAPHQL_INTROSPECTION"); v != "" && v != "true" && v != "false" {
		add("LIANES_GRAPHQL_INTROSPECTION vaut « %s » : attendu true ou false", v)
	}

	if s.publicURL != "" {
		if u, err := url.Parse(s.publicURL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			add("--public-url (LIANES_PUBLIC_URL) « %s » : attendu une adresse complète, ex. https://lianes.example.org", s.publicURL)
		}
	}
	if s.metricsAddr != "" && s.metricsAddr == s.addr {
		add("--metrics-addr (LIANES_METRICS_ADDR) est l'adresse du service : laisser vide pour servir /metrics sur le service, ou donner une autre adresse")
	}
	if s.readURL != "" {
		primaryPG := strings.HasPrefix(s.databaseURL, "postgres://") || strings.HasPrefix(s.databaseURL, "postgresql://")
		readPG := strings.HasPrefix(s.readURL, "postgres://") || strings.HasPrefix(s.readURL, "postgresql://")
		switch {
		case !readPG:
			add("--database-read (LIANES_DATABASE_READ_URL) « %s » : une réplique en lecture est une base PostgreSQL (postgres://…)", db.Redact(s.readURL))
		case !primaryPG:
			add("--database-read (LIANES_DATABASE_READ_URL) est défini mais la base principale n'est pas PostgreSQL : une réplique lit la base principale, sur le même serveur de bases")
		}
	}
	return problems
}
