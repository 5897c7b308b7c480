package core

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// linkedStructure is a structure of the demo.
const linkedStructure = 38

func linkBrain(t *testing.T, bdb *bun.DB) *Brain {
	t.Helper()
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	c := clock.Fixed(time.Date(2021, 1, 4, 9, 0, 0, 0, clock.Paris))
	return New(domain.New(bdb, c), c, "https://lianes.test")
}

func linkRows(t *testing.T, bdb *bun.DB, table string) int {
	t.Helper()
	n, err := bdb.NewSelect().TableExpr(table).Count(context.Background())
	require.NoError(t, err)
	return int(n)
}

func linkSaid(a Answer) string { return a.Title + "\n" + strings.Join(a.Lines, "\n") }

// TestClaimWaitsForTheStaff: a Discord member's claim waits for the staff;
// a member cannot validate it, the staff can; the member is told on their
// next message, and from then on speaks for the structure.
func TestClaimWaitsForTheStaff(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		b := linkBrain(t, bdb)
		ctx := context.Background()
		member := Asker{Platform: "discord", ID: "111", Name: "marie", Role: access.Member, Channel: "DM1", Direct: true}
		other := Asker{Platform: "discord", ID: "222", Name: "paul", Role: access.Member, Channel: "DM2", Direct: true}
		staff := Asker{Platform: "slack", ID: "USTAFF", Name: "lea", Role: access.Staff, Channel: "D9", Direct: true}
		ask := func(who Asker, text string) Answer {
			t.Helper()
			a, err := b.Ask(ctx, who, text)
			require.NoError(t, err)
			return a
		}

		a := ask(member, "qui suis-je ?")
		require.Equal(t, IntentWhoAmI, a.Intent)
		require.Contains(t, linkSaid(a), "Je ne sais pas encore de quelle structure vous êtes")

		a = ask(member, "je suis de l'asso Ca vient du coeur")
		require.Equal(t, IntentClaim, a.Intent)
		require.Contains(t, linkSaid(a), "vous êtes de Ca vient du coeur, à confirmer par l'équipe")
		require.Contains(t, linkSaid(a), "n° 1")
		who, _, err := b.identify(ctx, member)
		require.NoError(t, err)
		require.Zero(t, who.Structure, "a pending claim speaks for nobody")
		require.Contains(t, linkSaid(ask(member, "qui suis-je")), "Votre demande de lien à Ca vient du coeur attend l'équipe")

		// Bad input writes nothing: a member who validates, an unknown
		// number, a number missing, an unknown structure.
		trail := linkRows(t, bdb, "audit_log")
		a = ask(other, "valider 1")
		require.Equal(t, IntentRefused, a.Intent)
		require.Contains(t, a.Title, "réservée à l'équipe")
		require.Contains(t, linkSaid(ask(staff, "valider 99")), "Aucune demande de lien n° 99.")
		require.Contains(t, linkSaid(ask(staff, "refuser")), "Quel lien refuser ?")
		a = ask(other, "je suis de Zorglub et associés")
		require.Equal(t, IntentClaim, a.Intent)
		require.Contains(t, a.Title, "Je ne trouve pas de structure « Zorglub et associés ».")
		require.Equal(t, trail, linkRows(t, bdb, "audit_log"))
		require.Equal(t, 1, linkRows(t, bdb, "chat_links"))

		a = ask(staff, "liens")
		require.Equal(t, IntentLinks, a.Intent)
		require.Contains(t, linkSaid(a), "n° 1 : marie (Discord) dit être de Ca vient du coeur")
		a = ask(staff, "valider n°1")
		require.Equal(t, IntentValidate, a.Intent)
		require.Contains(t, a.Title, "Lien n° 1 validé : marie (Discord) parle désormais pour Ca vient du coeur.")
		require.Contains(t, linkSaid(ask(staff, "refuser 1")), "déjà été traitée")
		require.Contains(t, linkSaid(ask(staff, "liens")), "Aucune demande de lien en attente.")

		who, _, err = b.identify(ctx, member)
		require.NoError(t, err)
		require.Equal(t, int64(linkedStructure), who.Structure, "Asker.Structure comes from the validated link")
		a = ask(member, "agenda")
		require.Equal(t, "L'équipe a validé votre lien : vous êtes de Ca vient du coeur. « oublie-moi » pour défaire ce lien.", a.Lines[0])
		require.NotContains(t, linkSaid(ask(member, "agenda")), "validé votre lien", "told once")
		a = ask(member, "qui suis-je")
		require.Equal(t, "Vous êtes de Ca vient du coeur.", a.Title)
		require.Contains(t, linkSaid(a), "Lien demandé le 4 janvier 2021, validé par l'équipe le 4 janvier 2021.")

		// Another claim is refused; the member is told, and the claim goes.
		ask(other, "je fais partie de Lycée du Paraclet")
		a = ask(staff, "refuser 2")
		require.Equal(t, IntentRefuse, a.Intent)
		require.Contains(t, a.Title, "Lien n° 2 refusé")
		require.Contains(t, linkSaid(ask(other, "bonjour")), "L'équipe n'a pas validé votre lien à Lycée du Paraclet.")
		require.Contains(t, linkSaid(ask(other, "qui suis-je")), "Je ne sais pas encore")

		// The trail records every change without the chat user's id or name.
		var entries []struct {
			Action, Actor, After string
		}
		require.NoError(t, bdb.NewSelect().TableExpr("audit_log").Column("action", "actor").ColumnExpr("after_json AS after").
			Where("kind = 'chat_link'").OrderExpr("id").Scan(ctx, &entries))
		require.Len(t, entries, 5) // claim, validation, claim, refusal, refused claim gone once told
		require.Equal(t, "lea (slack)", entries[1].Actor)
		for _, e := range entries {
			require.NotContains(t, e.After+e.Actor, "marie")
			require.NotContains(t, e.After+e.Actor, "111")
		}

		// Alerts in the member's direct messages follow the structure.
		ask(member, "abonner")
		var following int
		require.NoError(t, bdb.NewSelect().TableExpr("subscriptions").ColumnExpr("COUNT(*)").
			Where("channel = 'DM1' AND structure_id IS NOT NULL").Scan(ctx, &following))
		require.Equal(t, 1, following)

		// « oublie-moi » undoes the link, and the alerts that followed it.
		a = ask(member, "oublie-moi")
		require.Equal(t, IntentForget, a.Intent)
		require.Contains(t, a.Title, "n'est plus lié")
		require.Contains(t, linkSaid(a), "Vos alertes qui suivaient la structure sont arrêtées")
		require.NoError(t, bdb.NewSelect().TableExpr("subscriptions").ColumnExpr("COUNT(*)").
			Where("channel = 'DM1'").Scan(ctx, &following))
		require.Zero(t, following)
		who, _, err = b.identify(ctx, member)
		require.NoError(t, err)
		require.Zero(t, who.Structure)
		require.Zero(t, linkRows(t, bdb, "chat_links"))
		require.Contains(t, ask(member, "oublie-moi").Title, "Il n'y avait aucun lien")
	})
}

// TestClaimOfANameSeveralStructuresShareOffersButtons: the buttons name
// each structure by its number, and one press makes the claim.
func TestClaimOfANameSeveralStructuresShareOffersButtons(t *testing.T) {
	b := linkBrain(t, dbtest.Open(t, "sqlite"))
	member := Asker{Platform: "slack", ID: "U1", Role: access.Member, Channel: "D1", Direct: true}
	a, err := b.Ask(context.Background(), member, "je suis de la ville")
	require.NoError(t, err)
	require.Equal(t, IntentClaim, a.Intent)
	require.Contains(t, a.Title, "laquelle est la vôtre ?")
	require.GreaterOrEqual(t, len(a.Actions), 2)
	require.LessOrEqual(t, len(a.Actions), maxClaimCandidates)
	var lille string
	for _, act := range a.Actions {
		if strings.HasPrefix(act.Label, "Ville de Lille") {
			lille = act.Command
		}
	}
	require.Equal(t, "je suis de n°12", lille)
	a, err = b.Ask(context.Background(), member, lille)
	require.NoError(t, err)
	require.Contains(t, a.Title, "vous êtes de Ville de Lille, à confirmer")
}

// TestLinkCommandsOutsideChat: the terminal has no account to link.
func TestLinkCommandsOutsideChat(t *testing.T) {
	b := linkBrain(t, dbtest.Open(t, "sqlite"))
	terminal := Asker{Platform: "terminal", ID: "terminal", Role: access.Member}
	a, err := b.Ask(context.Background(), terminal, "je suis de Ca vient du coeur")
	require.NoError(t, err)
	require.Equal(t, "Le lien à une structure se fait depuis Slack ou Discord.", a.Title)
	terminal.Structure = linkedStructure // lianes ask --structure
	a, err = b.Ask(context.Background(), terminal, "qui suis-je")
	require.NoError(t, err)
	require.Equal(t, "Ici, vous parlez pour Ca vient du coeur.", a.Title)
	// A question that begins like a claim is a question.
	a, err = b.Ask(context.Background(), terminal, "je suis de Lille, quels webinaires ?")
	require.NoError(t, err)
	require.NotEqual(t, IntentClaim, a.Intent)
	a, err = b.Ask(context.Background(), terminal, "valider mon inscription au webinaire")
	require.NoError(t, err)
	require.NotEqual(t, IntentRefused, a.Intent, "a question that begins with « valider » is a question")
}
