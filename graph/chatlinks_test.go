package graph_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
)

// TestChatLinksForStaffAndErasedWithThePerson: the staff read the links,
// pending first, and validate or refuse them; an access request shows the
// links a contact's e-mail made; erasing the contact, or the chat user,
// removes theirs.
//
// The chat user ids are long so that no random text of the database (a
// token, a hash) holds one by chance: the last check reads every value.
func TestChatLinksForStaffAndErasedWithThePerson(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		a.role = access.Staff
		var created struct{ CreateContact struct{ ID string } }
		a.data(`mutation { createContact(input: {name: "Awa Diallo", email: "awa.diallo@exemple.org", structure: "Structure:38"}) { id } }`, nil, &created)

		// A Slack member linked by their e-mail, two Discord members' claims.
		links := domain.New(bdb, clock.Fixed(a.now)).ChatLinks
		ctx := access.WithRole(context.Background(), access.Member)
		_, ok, err := links.LinkByEmail(ctx, "slack", "U042SLACKAWA", "awa", "Awa.Diallo@Exemple.org")
		require.NoError(t, err)
		require.True(t, ok)
		_, err = links.Claim(ctx, "discord", "D007DISCPAUL", "paul", 12)
		require.NoError(t, err)
		_, err = links.Claim(ctx, "discord", "D008DISCZOE", "zoe", 8)
		require.NoError(t, err)

		type node struct {
			ID, Platform, ChatUserID, Status, Method string
			Number                                   int
			Structure                                struct{ Name string }
			Contact                                  *struct{ Name string }
			DecidedBy                                *string
		}
		var list struct {
			ChatLinks struct {
				TotalCount int
				Nodes      []node
			}
		}
		query := `query($status: ChatLinkStatus) { chatLinks(status: $status) { totalCount nodes { id number platform chatUserId status method
			structure { name } contact { name } decidedBy } } }`
		a.data(query, nil, &list)
		require.Equal(t, 3, list.ChatLinks.TotalCount)
		got := list.ChatLinks.Nodes
		require.Equal(t, []string{"D007DISCPAUL", "D008DISCZOE", "U042SLACKAWA"}, []string{got[0].ChatUserID, got[1].ChatUserID, got[2].ChatUserID}, "pending first, oldest first")
		require.Equal(t, "PENDING", got[0].Status)
		require.Equal(t, "CLAIM", got[0].Method)
		require.Equal(t, "Ville de Lille", got[0].Structure.Name)
		require.Nil(t, got[0].Contact)
		require.Equal(t, "VALIDATED", got[2].Status)
		require.Equal(t, "EMAIL", got[2].Method)
		require.Equal(t, "Awa Diallo", got[2].Contact.Name)
		require.Equal(t, "Ca vient du coeur", got[2].Structure.Name)
		require.Equal(t, fmt.Sprintf("ChatLink:%d", got[0].Number), got[0].ID)

		var decided struct{ ValidateChatLink node }
		a.data(fmt.Sprintf(`mutation { validateChatLink(id: %q) { status decidedBy } }`, got[0].ID), nil, &decided)
		require.Equal(t, "VALIDATED", decided.ValidateChatLink.Status)
		require.NotNil(t, decided.ValidateChatLink.DecidedBy)
		resp := a.do(fmt.Sprintf(`mutation { refuseChatLink(id: %q) { status } }`, got[0].ID), nil)
		require.Equal(t, "CONFLICT", resp.Errors[0].Extensions["code"], "decided already")
		resp = a.do(`mutation { refuseChatLink(id: "Structure:1") { status } }`, nil)
		require.Equal(t, "BAD_USER_INPUT", resp.Errors[0].Extensions["code"])
		var refused struct{ RefuseChatLink node }
		a.data(fmt.Sprintf(`mutation { refuseChatLink(id: %q) { status } }`, got[1].ID), nil, &refused)
		require.Equal(t, "REFUSED", refused.RefuseChatLink.Status)
		a.data(query, map[string]any{"status": "PENDING"}, &list)
		require.Zero(t, list.ChatLinks.TotalCount)

		// A member reads none, and cannot decide.
		a.role = access.Member
		resp = a.do(query, nil)
		require.Equal(t, "FORBIDDEN", resp.Errors[0].Extensions["code"])
		resp = a.do(fmt.Sprintf(`mutation { validateChatLink(id: %q) { status } }`, got[1].ID), nil)
		require.Equal(t, "FORBIDDEN", resp.Errors[0].Extensions["code"])

		// The access request shows the link the e-mail made.
		a.role = access.Admin
		var report struct {
			PersonalData struct {
				ChatLinks []struct{ Platform, ChatUserID, Method string }
			}
		}
		a.data(fmt.Sprintf(`{ personalData(contact: %q) { chatLinks { platform chatUserId method } } }`, created.CreateContact.ID), nil, &report)
		require.Len(t, report.PersonalData.ChatLinks, 1)
		require.Equal(t, "U042SLACKAWA", report.PersonalData.ChatLinks[0].ChatUserID)

		// eraseChatUser removes a chat user's link; erasePersonalData the
		// contact's.
		var erased struct{ EraseChatUser struct{ Links int } }
		a.data(`mutation { eraseChatUser(platform: "discord", id: "D007DISCPAUL") { links } }`, nil, &erased)
		require.Equal(t, 1, erased.EraseChatUser.Links)
		a.data(`mutation { erasePersonalData(contact: `+fmt.Sprintf("%q", created.CreateContact.ID)+`) { contact } }`, nil, &struct{}{})
		a.data(query, nil, &list)
		require.Equal(t, 1, list.ChatLinks.TotalCount)
		require.Equal(t, "D008DISCZOE", list.ChatLinks.Nodes[0].ChatUserID)
		values := textValues(t, bdb)
		require.NotContains(t, values, "U042SLACKAWA")
		require.NotContains(t, values, "D007DISCPAUL")
	})
}
