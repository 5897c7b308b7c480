package graph_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

func TestAnnouncementsThroughGraphQL(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		a.role = access.Staff

		// A subscription with an unknown code is refused, naming it.
		resp := a.do(`mutation { subscribe(input: {platform: DISCORD, channel: "D1", themes: ["eau-assainissement", "plomberie"], countries: ["ZZ"]}) { id } }`, nil)
		require.Len(t, resp.Errors, 1)
		require.Equal(t, "BAD_USER_INPUT", resp.Errors[0].Extensions["code"])
		require.Contains(t, resp.Errors[0].Message, "thème « plomberie » inconnu")
		require.Contains(t, resp.Errors[0].Message, "pays « ZZ » inconnu")

		var sub struct {
			Subscribe struct {
				ID       string
				Platform string
				Kinds    []string
				Themes   []string
			}
		}
		a.data(`mutation { subscribe(input: {platform: DISCORD, channel: "D1", kinds: [FUNDING_CALL], themes: ["eau-assainissement"]}) {
			id platform kinds themes } }`, nil, &sub)
		require.Equal(t, "DISCORD", sub.Subscribe.Platform)
		require.Equal(t, []string{"FUNDING_CALL"}, sub.Subscribe.Kinds)

		// A new call made through the API is queued for the subscription.
		var call struct{ CreateFundingCall struct{ ID string } }
		a.data(`mutation { createFundingCall(input: {title: "Fonds eau 2021", territory: REGIONAL, deadline: "30 avril 2021",
			themes: ["eau-assainissement"]}) { id } }`, nil, &call)
		var log struct {
			Announcements struct {
				TotalCount int
				Nodes      []struct {
					ID         string
					Kind       string
					Text       string
					Record     struct{ ID string }
					Deliveries []struct{ Platform, Channel, Status string }
				}
			}
		}
		a.data(`{ announcements { totalCount nodes { id kind text record { id } deliveries { platform channel status } } } }`, nil, &log)
		require.Equal(t, 1, log.Announcements.TotalCount)
		n := log.Announcements.Nodes[0]
		require.Equal(t, "NEW", n.Kind)
		require.Equal(t, call.CreateFundingCall.ID, n.Record.ID)
		require.Contains(t, n.Text, "Fonds eau 2021")
		require.Equal(t, "SCHEDULED", n.Deliveries[0].Status)

		// A staff announcement: a draft, confirmed, then too late to cancel
		// once confirmed and sent is not possible here; cancelling a draft is.
		var draft struct {
			Announce struct {
				ID         string
				Deliveries []struct{ Status string }
			}
		}
		a.data(`mutation { announce(input: {text: "Forum des solidarités le 12 juin", subscribers: {themes: ["eau-assainissement"]},
			channels: [{platform: SLACK, channel: "C1"}], draft: true}) { id deliveries { status } } }`, nil, &draft)
		require.Len(t, draft.Announce.Deliveries, 2)
		require.Equal(t, "DRAFT", draft.Announce.Deliveries[0].Status)
		var confirmed struct {
			ConfirmAnnouncement struct{ Deliveries []struct{ Status string } }
		}
		a.data(`mutation($id: ID!) { confirmAnnouncement(id: $id) { deliveries { status } } }`, map[string]any{"id": draft.Announce.ID}, &confirmed)
		require.Equal(t, "SCHEDULED", confirmed.ConfirmAnnouncement.Deliveries[0].Status)
		resp = a.do(`mutation($id: ID!) { confirmAnnouncement(id: $id) { id } }`, map[string]any{"id": draft.Announce.ID})
		require.Equal(t, "CONFLICT", resp.Errors[0].Extensions["code"])
		var cancelled struct {
			CancelAnnouncement struct{ Deliveries []struct{ Status string } }
		}
		a.data(`mutation($id: ID!) { cancelAnnouncement(id: $id) { deliveries { status } } }`, map[string]any{"id": draft.Announce.ID}, &cancelled)
		require.Equal(t, "CANCELLED", cancelled.CancelAnnouncement.Deliveries[0].Status)

		resp = a.do(`mutation { announce(input: {text: "Hier", channels: [{platform: SLACK, channel: "C1"}], at: "2020-12-01T09:00:00Z"}) { id } }`, nil)
		require.Equal(t, "BAD_USER_INPUT", resp.Errors[0].Extensions["code"])
		require.Equal(t, "input.at", resp.Errors[0].Extensions["field"])
		require.Equal(t, "l'heure d'envoi est déjà passée", resp.Errors[0].Message)

		// Members see none of it.
		a.role = access.Member
		resp = a.do(`{ announcements { totalCount } }`, nil)
		require.Equal(t, "FORBIDDEN", resp.Errors[0].Extensions["code"])
	})
}
