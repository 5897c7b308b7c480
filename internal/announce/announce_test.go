package announce_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/bots/core"
	discordbot "github.com/lianes-cooperation/lianes/bots/discord"
	slackbot "github.com/lianes-cooperation/lianes/bots/slack"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/announce"
	"github.com/lianes-cooperation/lianes/internal/chatfake"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/period"
)

// manual is a clock the test moves.
type manual struct {
	mu sync.Mutex
	t  time.Time
}

func (m *manual) Now() time.Time  { m.mu.Lock(); defer m.mu.Unlock(); return m.t }
func (m *manual) Set(t time.Time) { m.mu.Lock(); defer m.mu.Unlock(); m.t = t }

// env is the demo network with its fake chat platforms.
type env struct {
	t        *testing.T
	db       *bun.DB
	clock    *manual
	services *domain.Services
	slack    *chatfake.Slack
	discord  *chatfake.Discord
	posters  map[string]announce.Poster
	staff    context.Context
}

func newEnv(t *testing.T, bdb *bun.DB, now time.Time) *env {
	t.Helper()
	ctx := context.Background()
	_, err := dataset.SeedDemo(ctx, bdb, now)
	require.NoError(t, err)
	e := &env{t: t, db: bdb, clock: &manual{t: now}, slack: chatfake.NewSlack(t), discord: chatfake.NewDiscord(t, "APP")}
	e.services = domain.New(bdb, e.clock)
	e.services.Announce.BaseURL = "https://lianes.example.org"
	// The digest has its own test; elsewhere, a Monday would add it.
	e.services.Announce.DigestTime = ""
	brain := core.New(e.services, e.clock, "")
	log := slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil))
	sb := slackbot.New(slackbot.Config{BotToken: "xoxb-test", SigningSecret: "secret", APIURL: e.slack.URL}, brain, log)
	db, err := discordbot.New(discordbot.Config{BotToken: "token", AppID: "APP", APIURL: e.discord.URL}, brain, log)
	require.NoError(t, err)
	e.posters = map[string]announce.Poster{announce.Slack: sb.Poster(), announce.Discord: db.Poster()}
	e.staff = access.WithActor(access.WithRole(ctx, access.Staff), "Camille (équipe)")
	return e
}

// ask asks the brain as someone, and fails the test on an error.
func (e *env) ask(brain *core.Brain, a core.Asker, text string) core.Answer {
	e.t.Helper()
	out, err := brain.Ask(context.Background(), a, text)
	require.NoError(e.t, err)
	return out
}

func (e *env) sender() *announce.Sender {
	return announce.NewSender(e.db, e.clock, e.posters, slog.New(slog.NewTextHandler(&bytes.Buffer{}, nil)))
}

// send runs the scheduler and a sender until nothing is due.
func (e *env) send() {
	e.t.Helper()
	_, err := e.services.Announce.Schedule(context.Background())
	require.NoError(e.t, err)
	_, err = e.sender().SendDue(context.Background())
	require.NoError(e.t, err)
}

func (e *env) subscribe(platform, channel string, sub announce.Subscription) {
	e.t.Helper()
	sub.Platform, sub.Channel = platform, channel
	_, err := e.services.Announce.Subscribe(e.staff, sub)
	require.NoError(e.t, err)
}

func (e *env) newCall(title string, deadline period.Period, themes ...string) *fundingcall.FundingCall {
	e.t.Helper()
	c, err := e.services.Changes.CreateFundingCall(e.staff, &fundingcall.FundingCall{Title: title, Funder: "Région Hauts-de-France",
		Territory: "regional", Status: fundingcall.StatusActive, Opens: period.NotFixed(""), Deadline: deadline, Themes: themes})
	require.NoError(e.t, err)
	return c
}

func day(y int, m time.Month, d int) period.Date { return period.NewDate(y, m, d) }

func paris(y int, m time.Month, d, h, min int) time.Time {
	return time.Date(y, m, d, h, min, 0, 0, clock.Paris)
}

func texts(ms []chatfake.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Text)
	}
	return out
}

func TestNewCallIsAnnouncedOnceToEachMatchingSubscription(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb, paris(2021, 3, 1, 10, 0))
		e.subscribe(announce.Slack, "CEAU", announce.Subscription{Themes: announce.Codes{"eau-assainissement"}})
		e.subscribe(announce.Discord, "D-TOUT", announce.Subscription{})
		e.subscribe(announce.Slack, "CCULTURE", announce.Subscription{Themes: announce.Codes{"culture"}})
		e.subscribe(announce.Slack, "CEVENTS", announce.Subscription{Kinds: announce.Codes{announce.RecordEvent}})

		c := e.newCall("Fonds régional pour l'eau", period.OnDay(day(2021, 4, 30), ""), "eau-assainissement")
		e.send()
		e.send() // a second pass sends nothing more

		require.Len(t, e.slack.Messages("CEAU"), 1)
		require.Len(t, e.discord.Messages("D-TOUT"), 1)
		require.Empty(t, e.slack.Messages("CCULTURE"))
		require.Empty(t, e.slack.Messages("CEVENTS"))
		msg := e.slack.Messages("CEAU")[0].Text
		require.Contains(t, msg, "Nouvel appel à projets : Fonds régional pour l'eau (Région Hauts-de-France), date limite le 30 avril 2021.")
		require.Contains(t, msg, "https://lianes.example.org/fiche/FundingCall:")

		// The delivery log says where it went, with the message's link.
		log, err := e.services.Announce.Log(e.staff, 10)
		require.NoError(t, err)
		require.Equal(t, c.ID, log[0].RecordID)
		require.Len(t, log[0].Deliveries, 2)
		for _, d := range log[0].Deliveries {
			require.Equal(t, announce.StatusSent, d.Status)
			require.NotEmpty(t, d.Link)
		}

		// An honest date: a deadline not known is said so.
		e.newCall("Appel sans date", period.NotFixed("A définir"))
		e.send()
		require.Contains(t, e.discord.Messages("D-TOUT")[1].Text, "date limite non communiquée")

		// Seeding announces nothing: only the two calls above went out.
		require.Len(t, e.discord.All(), 2)

		// Data cannot ping anyone: escaped on Slack, mentions forbidden on Discord.
		e.newCall("Fonds <!channel> @everyone", period.NotFixed(""), "eau-assainissement")
		e.send()
		require.Contains(t, e.slack.Messages("CEAU")[2].Text, "Fonds &lt;!channel&gt; @everyone")
		for _, m := range e.discord.All() {
			require.False(t, m.MayPing, m.Text)
		}
	})
}

func TestRemindersFireOnTheirDayAcrossDaylightSaving(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		// Summer time begins on 28 March 2021: J-14 (23 March) is in winter
		// time, J-3 (3 April) in summer time; both go at 9:00 in Paris.
		e := newEnv(t, bdb, paris(2021, 3, 1, 10, 0))
		e.subscribe(announce.Slack, "CEAU", announce.Subscription{Themes: announce.Codes{"eau-assainissement"}})
		e.newCall("Fonds eau", period.OnDay(day(2021, 4, 6), ""), "eau-assainissement")
		e.send()
		require.Len(t, e.slack.Messages("CEAU"), 1, "the new call")

		for _, step := range []struct {
			at   time.Time
			want int
		}{
			{paris(2021, 3, 22, 23, 59), 1},
			{paris(2021, 3, 23, 8, 59), 1}, // the reminder is written, not yet due
			{paris(2021, 3, 23, 9, 0), 2},  // 08:00 UTC
			{paris(2021, 3, 24, 9, 0), 2},
			{paris(2021, 4, 3, 8, 59), 2},
			{paris(2021, 4, 3, 9, 0), 3}, // 07:00 UTC
			{paris(2021, 4, 6, 9, 0), 3},
			{paris(2021, 4, 7, 9, 0), 3},
		} {
			e.clock.Set(step.at)
			e.send()
			require.Len(t, e.slack.Messages("CEAU"), step.want, "at %s", step.at)
		}
		ms := texts(e.slack.Messages("CEAU"))
		require.Contains(t, ms[1], "Rappel : plus que 14 jours pour répondre à l'appel à projets Fonds eau (date limite le 6 avril 2021).")
		require.Contains(t, ms[2], "plus que 3 jours")

		var sent []time.Time
		require.NoError(t, bdb.NewSelect().TableExpr("announcements").Column("send_at").Where("kind = ?", announce.KindReminder).
			OrderExpr("send_at").Scan(context.Background(), &sent))
		require.Equal(t, []time.Time{time.Date(2021, 3, 23, 8, 0, 0, 0, time.UTC), time.Date(2021, 4, 3, 7, 0, 0, 0, time.UTC)},
			[]time.Time{sent[0].UTC(), sent[1].UTC()})

		// A call added after its J-14 day gets no J-14 reminder.
		e.clock.Set(paris(2021, 5, 20, 10, 0))
		e.newCall("Fonds eau bis", period.OnDay(day(2021, 5, 30), ""), "eau-assainissement")
		e.send()
		require.Len(t, e.slack.Messages("CEAU"), 4, "only its announcement")
	})
}

func TestWeeklyDigest(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb, paris(2021, 1, 3, 12, 0)) // a Sunday
		e.services.Announce.DigestTime = "09:00"
		e.subscribe(announce.Slack, "CTOUT", announce.Subscription{})
		e.subscribe(announce.Discord, "D-CULTURE", announce.Subscription{Themes: announce.Codes{"culture"}, Kinds: announce.Codes{announce.RecordFundingCall}})
		e.send()
		require.Empty(t, e.slack.All(), "no digest before Monday 9:00")

		e.clock.Set(paris(2021, 1, 4, 9, 0))
		e.send()
		e.clock.Set(paris(2021, 1, 4, 15, 0))
		e.send()
		require.Len(t, e.slack.Messages("CTOUT"), 1, "one digest a week")
		digest := e.slack.Messages("CTOUT")[0].Text
		require.True(t, strings.HasPrefix(digest, "La semaine du réseau (à partir du 4 janvier 2021)"), digest)

		// It lists the events of the next two weeks, as the calendar has them.
		evs, err := e.services.Events.Matching(context.Background(), event.Filter{From: day(2021, 1, 4), To: day(2021, 1, 18),
			Upcoming: true, On: day(2021, 1, 4)})
		require.NoError(t, err)
		require.NotEmpty(t, evs)
		for _, ev := range evs {
			require.Contains(t, digest, ev.Title)
		}
		require.NotContains(t, digest, "Appels qui ouvrent")
		require.Empty(t, e.discord.All(), "nothing matched the culture calls")

		e.clock.Set(paris(2021, 1, 11, 9, 30))
		e.send()
		require.Len(t, e.slack.Messages("CTOUT"), 2, "next Monday's")
	})
}

func TestChangesAreAnnouncedToThoseWhoGotTheEvent(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb, paris(2021, 2, 1, 10, 0))
		e.subscribe(announce.Slack, "CEAU", announce.Subscription{Themes: announce.Codes{"eau-assainissement"}})
		e.subscribe(announce.Discord, "D-EVENTS", announce.Subscription{Kinds: announce.Codes{announce.RecordEvent}})
		ev, err := e.services.Changes.CreateEvent(e.staff, &event.Event{Kind: event.KindWebinar, Title: "Webinaire eau et santé",
			Status: event.StatusConfirmed, Date: period.Period{Precision: period.Month, From: day(2021, 5, 1), To: day(2021, 5, 31), Label: "Mai"},
			Themes: []string{"eau-assainissement"}})
		require.NoError(t, err)
		e.send()
		require.Contains(t, e.slack.Messages("CEAU")[0].Text, "Nouveau webinaire : Webinaire eau et santé, en mai 2021.")

		// A subscription made later did not get it, and is not told of its changes.
		e.subscribe(announce.Slack, "CTARD", announce.Subscription{})
		ev.Status = event.StatusCancelled
		_, err = e.services.Changes.UpdateEvent(e.staff, ev.ID, ev.Version, ev)
		require.NoError(t, err)
		e.send()
		for _, ms := range [][]chatfake.Message{e.slack.Messages("CEAU"), e.discord.Messages("D-EVENTS")} {
			require.Len(t, ms, 2)
			require.Equal(t, fmt.Sprintf("Annulé : Webinaire eau et santé (en mai 2021) n'aura pas lieu.\nhttps://lianes.example.org/fiche/Event:%d",
				ev.ID), ms[1].Text)
		}
		require.Empty(t, e.slack.Messages("CTARD"))

		// A change nobody needs to hear of (the description) is not announced.
		ev2, err := e.services.Events.Event(context.Background(), ev.ID)
		require.NoError(t, err)
		ev.Content, ev.Version = "Avec le réseau santé", ev2.Version
		_, err = e.services.Changes.UpdateEvent(e.staff, ev.ID, ev.Version, ev)
		require.NoError(t, err)
		e.send()
		require.Len(t, e.slack.Messages("CEAU"), 2)

		// Deleted: those who got it hear that it is withdrawn, and what was
		// still to be sent about it (here a new event's announcement
		// scheduled for later) never is.
		ev2, err = e.services.Events.Event(context.Background(), ev.ID)
		require.NoError(t, err)
		require.NoError(t, e.services.Changes.DeleteEvent(e.staff, ev.ID, ev2.Version))
		later, err := e.services.Changes.CreateEvent(e.staff, &event.Event{Kind: event.KindWebinar, Title: "Webinaire eau et climat",
			Status: event.StatusConfirmed, Date: period.Period{Precision: period.Month, From: day(2021, 6, 1), To: day(2021, 6, 30), Label: "Juin"},
			Themes: []string{"eau-assainissement"}})
		require.NoError(t, err)
		require.NoError(t, e.services.Changes.DeleteEvent(e.staff, later.ID, later.Version))
		e.send()
		for _, ms := range [][]chatfake.Message{e.slack.Messages("CEAU"), e.discord.Messages("D-EVENTS")} {
			require.Len(t, ms, 3, texts(ms))
			require.Equal(t, "Retiré : Webinaire eau et santé (en mai 2021) ne figure plus au calendrier du réseau.", ms[2].Text)
		}
		require.Empty(t, e.slack.Messages("CTARD"))
	})
}

func TestACrashAfterThePlatformAnswersDoesNotPostTwice(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb, paris(2021, 3, 1, 10, 0))
		e.subscribe(announce.Slack, "CEAU", announce.Subscription{})
		e.subscribe(announce.Discord, "D-EAU", announce.Subscription{})
		e.newCall("Fonds eau", period.OnDay(day(2021, 4, 30), ""), "eau-assainissement")

		for _, p := range []*chatfake.Platform{e.slack.Platform, e.discord.Platform} {
			// The sender "dies" once the platform has the message: its context
			// ends before the answer is recorded.
			ctx, kill := context.WithCancel(context.Background())
			p.AfterPost(func(chatfake.Message) { kill() })
			_, _ = e.sender().SendDue(ctx)
			p.AfterPost(nil)
		}
		require.Len(t, e.slack.Messages("CEAU"), 1)
		require.Len(t, e.discord.Messages("D-EAU"), 1)

		// Restarted, nothing happens before the dead sender's lease is over…
		e.send()
		var sending int
		require.NoError(t, bdb.NewSelect().TableExpr("deliveries").ColumnExpr("count(*)").Where("status = ?", announce.StatusSending).
			Scan(context.Background(), &sending))
		require.Equal(t, 2, sending)
		// …then the next sender finds the messages on the platforms and records them.
		e.clock.Set(e.clock.Now().Add(3 * time.Minute))
		e.send()
		require.Len(t, e.slack.Messages("CEAU"), 1)
		require.Len(t, e.discord.Messages("D-EAU"), 1)
		log, err := e.services.Announce.Log(e.staff, 1)
		require.NoError(t, err)
		for _, d := range log[0].Deliveries {
			require.Equal(t, announce.StatusSent, d.Status, d.Platform)
			require.Equal(t, 2, d.Attempts)
			require.NotEmpty(t, d.MessageID)
		}
	})
}

func TestGoneChannelsAndRateLimits(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb, paris(2021, 3, 1, 10, 0))
		e.subscribe(announce.Slack, "CGONE", announce.Subscription{})
		e.subscribe(announce.Discord, "D-LIMITED", announce.Subscription{})
		e.slack.Gone("CGONE")
		e.discord.RateLimit(1)
		e.newCall("Fonds eau", period.OnDay(day(2021, 4, 30), ""))
		e.send()
		require.Empty(t, e.discord.All(), "rate limited: waits")
		e.clock.Set(e.clock.Now().Add(2 * time.Second))
		e.send()
		require.Len(t, e.discord.Messages("D-LIMITED"), 1)

		log, err := e.services.Announce.Log(e.staff, 1)
		require.NoError(t, err)
		byChannel := map[string]announce.Delivery{}
		for _, d := range log[0].Deliveries {
			byChannel[d.Channel] = d
		}
		require.Equal(t, announce.StatusFailed, byChannel["CGONE"].Status)
		require.Contains(t, byChannel["CGONE"].Error, "channel_not_found")
		require.Equal(t, 1, byChannel["CGONE"].Attempts, "reported, not retried")
		require.Equal(t, announce.StatusSent, byChannel["D-LIMITED"].Status)
	})
}

func TestTwoReplicasPostEachMessageOnce(t *testing.T) {
	for _, kind := range dbtest.Kinds() {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, dbtest.Open(t, kind), paris(2021, 3, 1, 10, 0))
			channels := []string{"C1", "C2", "C3", "C4", "C5"}
			for _, c := range channels {
				e.subscribe(announce.Slack, c, announce.Subscription{})
				e.subscribe(announce.Discord, "D"+c, announce.Subscription{})
			}
			for i := range 6 {
				e.newCall("Appel "+string(rune('A'+i)), period.OnDay(day(2021, 4, 30), ""))
			}
			// Two replicas, each with its scheduler and two senders.
			var wg sync.WaitGroup
			errs := make(chan error, 8)
			for range 2 {
				replica := domain.New(e.db, e.clock)
				replica.Announce.DigestTime = ""
				for range 2 {
					wg.Add(1)
					go func() {
						defer wg.Done()
						if _, err := replica.Announce.Schedule(context.Background()); err != nil {
							errs <- err
						}
						if _, err := e.sender().SendDue(context.Background()); err != nil {
							errs <- err
						}
					}()
				}
			}
			wg.Wait()
			close(errs)
			for err := range errs {
				require.NoError(t, err)
			}
			for _, c := range channels {
				require.Len(t, e.slack.Messages(c), 6, c)
				require.Len(t, e.discord.Messages("D"+c), 6, c)
			}
		})
	}
}

func TestStaffAnnouncementsAndWhoMayMakeThem(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb, paris(2021, 3, 1, 10, 0))
		e.subscribe(announce.Slack, "CEAU", announce.Subscription{Themes: announce.Codes{"eau-assainissement"}})
		e.subscribe(announce.Discord, "D-EAU", announce.Subscription{Themes: announce.Codes{"eau-assainissement"}})
		member := access.WithRole(context.Background(), access.Member)
		_, err := e.services.Announce.Announce(member, announce.Staff{Text: "Bonjour", Targets: []announce.Target{{announce.Slack, "CEAU"}}})
		require.ErrorIs(t, err, access.ErrForbidden)
		_, err = e.services.Announce.Subscribe(member, announce.Subscription{Platform: announce.Slack, Channel: "CX"})
		require.ErrorIs(t, err, access.ErrForbidden)

		// To the subscribers of a theme on both platforms, tomorrow at 9:00.
		a, err := e.services.Announce.Announce(e.staff, announce.Staff{Text: "Rencontre des porteurs de projets eau jeudi !",
			Filter: &announce.Subject{Themes: []string{"eau-assainissement"}}, At: paris(2021, 3, 2, 9, 0)})
		require.NoError(t, err)
		require.Len(t, a.Deliveries, 2)
		e.send()
		require.Empty(t, e.slack.All(), "not before its time")
		e.clock.Set(paris(2021, 3, 2, 9, 0))
		e.send()
		require.Len(t, e.slack.Messages("CEAU"), 1)
		require.Len(t, e.discord.Messages("D-EAU"), 1)
		require.ErrorIs(t, e.services.Announce.Cancel(e.staff, a.ID), announce.ErrTooLate)

		// A scheduled one can be edited, then cancelled before it goes.
		b, err := e.services.Announce.Announce(e.staff, announce.Staff{Text: "Brouillon", Targets: []announce.Target{{announce.Slack, "CEAU"}},
			At: paris(2021, 3, 3, 14, 0)})
		require.NoError(t, err)
		b, err = e.services.Announce.Edit(e.staff, b.ID, "Webinaire reporté", paris(2021, 3, 4, 14, 0))
		require.NoError(t, err)
		require.Equal(t, "Webinaire reporté", b.Text)
		require.NoError(t, e.services.Announce.Cancel(e.staff, b.ID))
		e.clock.Set(paris(2021, 3, 5, 9, 0))
		e.send()
		require.Len(t, e.slack.Messages("CEAU"), 1, "the cancelled one never went")

		_, err = e.services.Announce.Announce(e.staff, announce.Staff{Text: "  "})
		require.ErrorIs(t, err, announce.ErrEmpty)
		_, err = e.services.Announce.Announce(e.staff, announce.Staff{Text: "Hier", Targets: []announce.Target{{announce.Slack, "CEAU"}},
			At: paris(2021, 3, 1, 9, 0)})
		require.ErrorIs(t, err, announce.ErrPast)
	})
}

func TestChatCommandsFromStaffAndMembers(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb, paris(2021, 3, 1, 10, 0))
		brain := core.New(e.services, e.clock, "")
		ask := func(a core.Asker, text string) core.Answer { return e.ask(brain, a, text) }
		staffSlack := core.Asker{Platform: announce.Slack, ID: "USTAFF", Name: "camille", Role: access.Staff, Channel: "CEAU"}
		staffDiscord := core.Asker{Platform: announce.Discord, ID: "42", Name: "camille", Role: access.Staff, Channel: "D-EAU"}
		member := core.Asker{Platform: announce.Slack, ID: "U1", Name: "marie", Role: access.Member, Channel: "CEAU"}

		// A member is refused politely, and nothing is written.
		a := ask(member, "annonce Forum demain")
		require.Equal(t, core.IntentRefused, a.Intent)
		require.Equal(t, "Commande réservée à l'équipe", a.Title)
		a = ask(member, "abonner eau")
		require.Equal(t, core.IntentRefused, a.Intent, "a member does not subscribe a channel")
		// …but may have their own alerts in a direct message.
		dm := member
		dm.Channel, dm.Direct = "DMARIE", true
		a = ask(dm, "abonner eau")
		require.Equal(t, "Vous recevrez désormais les annonces qui correspondent.", a.Title)

		a = ask(staffSlack, "abonner appels eau")
		require.Contains(t, a.Lines[0], "sortes : funding_call ; thèmes : eau-assainissement")
		ask(staffDiscord, "abonner eau")
		a = ask(staffSlack, "abonnements")
		require.Len(t, a.Lines, 2, "Slack's: the channel and the member's alerts")

		// An announcement to the subscribers of a theme, on both platforms:
		// first a preview, then the confirmation.
		a = ask(staffSlack, "annonce abonnés:eau demain 9h Rencontre des porteurs de projets eau jeudi à Lille")
		require.Regexp(t, `^Aperçu de l'annonce n° \d+$`, a.Title)
		id := strings.TrimPrefix(a.Title, "Aperçu de l'annonce n° ")
		require.Equal(t, "> Rencontre des porteurs de projets eau jeudi à Lille", a.Lines[0])
		require.Contains(t, a.Lines[1], "<#CEAU> (Slack)")
		require.Contains(t, a.Lines[1], "<#D-EAU> (Discord)")
		require.Contains(t, a.Lines[1], "<#DMARIE> (Slack)")
		require.Equal(t, "Envoi : le 2 mars 2021 à 9h00", a.Lines[2])
		e.clock.Set(paris(2021, 3, 2, 9, 0))
		e.send()
		require.Empty(t, e.slack.All(), "a draft waits for its author")
		a = ask(staffSlack, "annonce envoyer "+id)
		require.Equal(t, "Annonce n° "+id+" confirmée : envoi immédiat.", a.Title)
		e.send()
		require.Equal(t, []string{"Rencontre des porteurs de projets eau jeudi à Lille"}, texts(e.slack.Messages("CEAU")))
		require.Equal(t, []string{"Rencontre des porteurs de projets eau jeudi à Lille"}, texts(e.discord.Messages("D-EAU")))
		require.Len(t, e.slack.Messages("DMARIE"), 1)
		a = ask(staffDiscord, "annonces")
		require.Contains(t, a.Lines[0], "<#D-EAU> (Discord) envoyée https://discord.com/channels/G1/D-EAU/")
		a = ask(staffSlack, "annonce annuler "+id)
		require.Equal(t, "L'annonce est déjà partie : elle ne peut plus être modifiée ni annulée.", a.Title)

		// Without a target, the channel it is typed in; edited, then cancelled.
		a = ask(staffDiscord, "annonce lundi 14h Webinaire eau : inscriptions ouvertes")
		id = strings.TrimPrefix(a.Title, "Aperçu de l'annonce n° ")
		require.Equal(t, "Destinataires : <#D-EAU> (Discord)", a.Lines[1])
		require.Equal(t, "Envoi : le 8 mars 2021 à 14h00", a.Lines[2])
		a = ask(staffDiscord, "annonce modifier "+id+" mardi 10h")
		require.Equal(t, "Envoi : le 9 mars 2021 à 10h00", a.Lines[2])
		ask(staffDiscord, "annonce annuler "+id)
		e.clock.Set(paris(2021, 3, 10, 9, 0))
		e.send()
		require.Len(t, e.discord.Messages("D-EAU"), 1)

		// Bad input is named.
		require.Equal(t, "Heure « 25h » invalide.", ask(staffSlack, "annonce demain 25h Forum").Title)
		require.Equal(t, "Filtre « xyzzy » inconnu.", ask(staffSlack, "annonce abonnés:xyzzy Forum").Title)
		require.Equal(t, "Le texte de l'annonce est vide.", ask(staffSlack, "annonce demain 9h").Title)

		a = ask(staffSlack, "desabonner")
		require.Equal(t, "Abonnement arrêté : plus aucune annonce automatique ici.", a.Title)
		a = ask(staffSlack, "abonnements")
		require.Len(t, a.Lines, 1)
	})
}

func TestTheTerminalOnlyReadsAnnouncements(t *testing.T) {
	e := newEnv(t, dbtest.Open(t, "sqlite"), paris(2021, 3, 1, 10, 0))
	e.subscribe(announce.Discord, "D-EAU", announce.Subscription{Themes: announce.Codes{"eau-assainissement"}})
	brain := core.New(e.services, e.clock, "")
	terminal := core.Asker{Platform: "terminal", ID: "terminal", Role: access.Admin}
	a, err := brain.Ask(context.Background(), terminal, "annonce abonnés:eau Forum")
	require.NoError(t, err)
	require.Equal(t, "Les annonces et les abonnements se gèrent depuis Slack ou Discord, ou par l'API GraphQL.", a.Title)
	a, err = brain.Ask(context.Background(), terminal, "abonnements")
	require.NoError(t, err)
	require.Equal(t, []string{"<#D-EAU> (Discord) : thèmes : eau-assainissement (par Camille (équipe))"}, a.Lines)
}

func TestStaffAddCallsAndEventsFromChat(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		e := newEnv(t, bdb, paris(2021, 3, 1, 10, 0))
		brain := core.New(e.services, e.clock, "https://lianes.example.org")
		ask := func(a core.Asker, text string) core.Answer { return e.ask(brain, a, text) }
		count := func(table string) int {
			n, err := bdb.NewSelect().TableExpr(table).Count(context.Background())
			require.NoError(t, err)
			return int(n)
		}
		staffSlack := core.Asker{Platform: announce.Slack, ID: "USTAFF", Name: "camille", Role: access.Staff, Channel: "CEAU"}
		staffDiscord := core.Asker{Platform: announce.Discord, ID: "42", Name: "camille", Role: access.Staff, Channel: "D-EAU"}
		member := core.Asker{Platform: announce.Slack, ID: "U1", Name: "marie", Role: access.Member, Channel: "CEAU"}
		e.subscribe(announce.Slack, "CEAU", announce.Subscription{Themes: announce.Codes{"eau-assainissement"}})
		e.subscribe(announce.Discord, "D-AGENDA", announce.Subscription{Kinds: announce.Codes{announce.RecordEvent}})
		calls, events := count("funding_calls"), count("events")

		a := ask(member, "ajouter appel Fonds eau ; date limite 15/03/2021")
		require.Equal(t, core.IntentRefused, a.Intent)

		// A call, its fields on lines or after semicolons, names or codes.
		a = ask(staffSlack, "ajouter appel à projets Fonds eau 2021 ; date limite : 15/03/2021 ; financeur Agence de l'eau Artois-Picardie\n"+
			"thèmes eau ; publics associations, collectivités ; pays Sénégal et Mali")
		require.Equal(t, "Appel à projets ajouté : Fonds eau 2021", a.Title)
		require.Equal(t, "Date limite : 15 mars 2021", a.Lines[0])
		require.Equal(t, "Territoire : régional", a.Lines[1])
		require.Equal(t, "Thèmes : Eau et assainissement", a.Lines[2])
		require.Equal(t, "Pays : Mali, Sénégal", a.Lines[4])
		require.Regexp(t, `^Fiche : https://lianes.example.org/fiche/FundingCall:\d+$`, a.Lines[len(a.Lines)-1])
		require.Equal(t, calls+1, count("funding_calls"))
		e.send()
		require.Len(t, e.slack.Messages("CEAU"), 1)
		require.Contains(t, e.slack.Messages("CEAU")[0].Text, "Fonds eau 2021")
		require.Empty(t, e.discord.Messages("D-AGENDA"), "a channel that follows events only")

		// An event, from Discord, to those who follow events and water.
		a = ask(staffDiscord, "ajouter événement\nWebinaire eau et climat\ntype webinaire\ndate 12 avril 2021 14h\nthèmes eau, climat\nen ligne")
		require.Equal(t, "Webinaire ajouté : Webinaire eau et climat", a.Title)
		require.Equal(t, "Date : 12 avril 2021 à 14h00", a.Lines[0])
		e.send()
		require.Len(t, e.discord.Messages("D-AGENDA"), 1)
		require.Contains(t, e.discord.Messages("D-AGENDA")[0].Text, "Webinaire eau et climat")
		require.Len(t, e.slack.Messages("CEAU"), 2)

		// What is wrong is named, all of it, and nothing is written.
		a = ask(staffSlack, "ajouter appel Fonds X ; date limite bientôt ; thèmes xyzzy ; territoire lunaire ; couleur bleu")
		require.Equal(t, "Appel non ajouté : rien n'a été enregistré.", a.Title)
		require.Equal(t, "« couleur bleu » : je ne sais pas quel champ c'est", a.Lines[0])
		require.Equal(t, "thème « xyzzy » inconnu", a.Lines[1])
		require.Equal(t, "date limite : période « bientôt » non reconnue", a.Lines[2])
		require.Equal(t, "territoire « lunaire » inconnu (européen, international, national, régional)", a.Lines[3])
		a = ask(staffSlack, "ajouter appel ; date limite 15/03/2021")
		require.Equal(t, "Appel non ajouté : rien n'a été enregistré.", a.Title)
		require.Equal(t, "titre : obligatoire, ne doit pas être vide", a.Lines[0])
		a = ask(staffSlack, "ajouter événement Forum ; date 12/05/2021")
		require.Equal(t, "type : « webinaire », « groupe de travail » ou « événement »", a.Lines[0])
		a = ask(staffSlack, "ajouter truc")
		require.Equal(t, "Que faut-il ajouter : un appel ou un événement ?", a.Title)
		require.Equal(t, calls+1, count("funding_calls"))
		require.Equal(t, events+1, count("events"))

		// The terminal reads; it adds nothing.
		a = ask(core.Asker{Platform: "terminal", Role: access.Staff}, "ajouter appel Fonds Y")
		require.Contains(t, a.Title, "depuis Slack ou Discord")
		require.Equal(t, calls+1, count("funding_calls"))
	})
}
