package discord_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	discordbot "github.com/lianes-cooperation/lianes/bots/discord"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// asUser is a command of a user with roles; option is the subcommand's
// options, as Discord sends them.
func asUser(user, name string, roles []string, command, sub, options string) string {
	r, _ := json.Marshal(roles)
	return fmt.Sprintf(`{"id":"%d","application_id":"APP","type":2,"token":"tok","version":1,"guild_id":"G1","channel_id":"C1",
		"member":{"user":{"id":%q,"username":%q},"roles":%s},
		"data":{"id":"c1","name":%q,"type":1,"options":[{"name":%q,"type":1,"options":[%s]}]}}`,
		interactionIDs.Add(1), user, name, r, command, sub, options)
}

// TestDiscordClaimWaitsForTheStaff: a member's claim through the slash
// command waits; a member cannot validate it, the staff do; the member is
// told on their next command, and « oublie-moi » undoes the link.
func TestDiscordClaimWaitsForTheStaff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb)
		say := func(body string) string {
			t.Helper()
			status, out := e.send(t, body, time.Now(), e.priv, nil)
			require.Equal(t, http.StatusOK, status)
			raw, _ := json.Marshal(out)
			return string(raw)
		}
		staff := []string{"RSTAFF"}
		links := func() int {
			n, err := bdb.NewSelect().TableExpr("chat_links").Count(t.Context())
			require.NoError(t, err)
			return int(n)
		}

		got := say(asUser("U7", "marie", nil, "lianes", "je-suis-de", `{"name":"nom","type":3,"value":"Ca vient du coeur"}`))
		require.Contains(t, got, "vous êtes de Ca vient du coeur, à confirmer par l'équipe")
		require.Contains(t, say(asUser("U7", "marie", nil, "lianes", "qui-suis-je", "")), "attend l'équipe")

		// A member may not validate: the staff command is refused before the brain.
		got = say(asUser("U8", "paul", nil, discordbot.StaffCommand, "valider", `{"name":"lien","type":4,"value":1}`))
		require.Contains(t, got, "réservée à l'équipe")
		require.Contains(t, say(asUser("U9", "lea", staff, discordbot.StaffCommand, "refuser", `{"name":"lien","type":4,"value":99}`)),
			"Aucune demande de lien n° 99.")

		got = say(asUser("U9", "lea", staff, discordbot.StaffCommand, "liens", ""))
		require.Contains(t, got, "n° 1 : marie (Discord) dit être de Ca vient du coeur")
		got = say(asUser("U9", "lea", staff, discordbot.StaffCommand, "valider", `{"name":"lien","type":4,"value":1}`))
		require.Contains(t, got, "Lien n° 1 validé : marie (Discord) parle désormais pour Ca vient du coeur.")

		got = say(asUser("U7", "marie", nil, "lianes", "qui-suis-je", ""))
		require.Contains(t, got, "L'équipe a validé votre lien : vous êtes de Ca vient du coeur.")
		require.Contains(t, got, "Vous êtes de Ca vient du coeur.")
		require.Equal(t, 1, links())

		require.Contains(t, say(asUser("U7", "marie", nil, "lianes", "oublie-moi", "")), "n'est plus lié à aucune structure")
		require.Zero(t, links())
	})
}
