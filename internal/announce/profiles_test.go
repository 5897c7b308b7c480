package announce_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/announce"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/matching/matchingtest"
	"github.com/lianes-cooperation/lianes/internal/period"
)

// A member of an association working on water in Burkina follows their
// structure's profile with « abonner » in a direct message: the calls that
// fit reach them, the others do not, nor their reminders; the digest is
// "pour <structure>".
func TestProfileAlerts(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb, paris(2021, 1, 4, 10, 0))
		f := matchingtest.Seed(t, e.services)
		brain := core.New(e.services, e.clock, "")
		member := core.Asker{Platform: announce.Slack, ID: "UEAU", Name: "awa", Role: access.Member, Channel: "DEAU",
			Direct: true, Structure: f.Association}
		unlinked := core.Asker{Platform: announce.Slack, ID: "UAUTRE", Name: "paul", Role: access.Member, Channel: "DAUTRE", Direct: true}

		a := e.ask(brain, member, "abonner")
		require.Equal(t, core.IntentSubscribe, a.Intent)
		require.Equal(t, "Vous recevrez désormais ce qui correspond à "+matchingtest.Association+".", a.Title)
		require.Contains(t, a.Lines[0], "la lettre « pour "+matchingtest.Association+" »")
		a = e.ask(brain, unlinked, "abonner")
		require.Equal(t, "Suivi : tout.", a.Lines[0], "without a structure: everything, as before")
		require.Contains(t, a.Lines[1], "je suis de <nom de votre structure>")
		staff := core.Asker{Platform: announce.Slack, ID: "USTAFF", Name: "camille", Role: access.Staff, Channel: "CEQUIPE"}
		a = e.ask(brain, staff, "abonnements")
		require.Contains(t, strings.Join(a.Lines, "\n"), "alertes personnelles DEAU (Slack) : le profil de la structure n°")

		call := func(title string, audiences, themes, countries []string, deadline period.Date) {
			_, err := e.services.Changes.CreateFundingCall(e.staff, &fundingcall.FundingCall{Title: title, Funder: "Agence de l'eau",
				Audiences: audiences, Themes: themes, Countries: countries, Territory: "national", Status: fundingcall.StatusActive,
				Opens: period.NotFixed(""), Deadline: period.OnDay(deadline, "")})
			require.NoError(t, err)
		}
		call("Puits solaires au Burkina", []string{"associations"}, []string{"eau-assainissement"}, []string{"BF"}, day(2021, 3, 10))
		call("Eau des communes", []string{"collectivites"}, []string{"eau-assainissement"}, []string{"BF"}, day(2021, 3, 12))
		call("Fonds culture", []string{"associations"}, []string{"culture"}, nil, day(2021, 3, 12))
		call("Fonds pour tous", nil, nil, nil, day(2021, 6, 1))
		e.send()
		mine := texts(e.slack.Messages("DEAU"))
		require.Len(t, mine, 2, "%v", mine)
		require.Contains(t, mine[0], "Nouvel appel à projets : Puits solaires au Burkina")
		require.Contains(t, mine[1], "Nouvel appel à projets : Fonds pour tous", "open to all, about nothing in particular")
		require.Len(t, e.slack.Messages("DAUTRE"), 4, "everything")

		// A staff announcement to the subscribers of a theme reaches the
		// profiles with that theme.
		a = e.ask(brain, staff, "annonce abonnés:eau Réunion des porteurs de projets eau")
		e.ask(brain, staff, "annonce envoyer "+strings.TrimPrefix(a.Title, "Aperçu de l'annonce n° "))
		a = e.ask(brain, staff, "annonce abonnés:culture Rencontre des acteurs culturels")
		e.ask(brain, staff, "annonce envoyer "+strings.TrimPrefix(a.Title, "Aperçu de l'annonce n° "))
		e.send()
		mine = texts(e.slack.Messages("DEAU"))
		require.Len(t, mine, 3)
		require.Equal(t, "Réunion des porteurs de projets eau", mine[2])

		// Reminders: J-14 of the call that fits; not of "Eau des communes",
		// closed to associations, whose J-14 falls the same week.
		e.clock.Set(paris(2021, 2, 26, 9, 0))
		e.send()
		mine = texts(e.slack.Messages("DEAU"))
		require.Len(t, mine, 4, "%v", mine)
		require.Contains(t, mine[3], "Rappel : plus que 14 jours pour répondre à l'appel à projets Puits solaires au Burkina")
		require.Contains(t, strings.Join(texts(e.slack.Messages("DAUTRE")), "\n"), "Rappel : plus que 14 jours pour répondre à l'appel à projets Eau des communes")

		// The digest of the week, "pour" the structure, with what fits it.
		e.services.Announce.DigestTime = "09:00"
		e.clock.Set(paris(2021, 3, 1, 9, 0))
		e.send()
		var digest string
		for _, m := range texts(e.slack.Messages("DEAU")) {
			if strings.HasPrefix(m, "La semaine du réseau") {
				digest = m
			}
		}
		require.True(t, strings.HasPrefix(digest, "La semaine du réseau pour "+matchingtest.Association+" (à partir du "), digest)
		require.Contains(t, digest, "Puits solaires au Burkina")
		require.NotContains(t, digest, "Eau des communes")
		require.NotContains(t, digest, matchingtest.Closed)
		for _, m := range texts(e.slack.Messages("DAUTRE")) {
			if strings.HasPrefix(m, "La semaine du réseau") {
				require.True(t, strings.HasPrefix(m, "La semaine du réseau (à partir du "), m)
				require.Contains(t, m, "Eau des communes")
			}
		}

		// « abonner tout » follows everything again.
		a = e.ask(brain, member, "abonner tout")
		require.Equal(t, "Vous recevrez désormais les annonces qui correspondent.", a.Title)
		require.Equal(t, "Suivi : tout.", a.Lines[0])
	})
}
