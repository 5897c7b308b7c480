package slack

import (
	"context"

	"github.com/lianes-cooperation/lianes/bots/core"
	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/chatlink"
)

// recognise links a workspace user who writes for the first time to the
// structure whose contact has their profile's e-mail (users.info, scope
// users:read.email); the brain then tells them so in its answer. The
// lookup is remembered, hit or miss, in the database (chatlink.LookupTTL):
// one call to Slack per person a day, whichever replica answers, rather
// than one per message. Slack failing, or giving no e-mail, leaves the
// person unlinked: they can still write « je suis de <structure> ».
func (b *Bot) recognise(ctx context.Context, asker core.Asker) {
	links := b.brain.Services.ChatLinks
	if links == nil || asker.ID == "" || asker.Role < access.Member {
		return
	}
	ctx = access.WithActor(access.WithRole(ctx, asker.Role), "robot (slack)")
	need, err := links.NeedsLookup(ctx, chatlink.Slack, asker.ID)
	if err != nil {
		b.log.ErrorContext(ctx, "slack: lien au profil impossible à vérifier", "error", err)
		return
	}
	if !need {
		return
	}
	var email, name string
	user, err := b.api.GetUserInfoContext(ctx, asker.ID)
	switch {
	case err != nil:
		// A missing scope or a Slack outage: the lookup is remembered
		// all the same, so that every message does not ask again.
		b.log.WarnContext(ctx, "slack: profil illisible (users.info)", "error", err)
	case user.IsBot || user.Deleted:
	default:
		email, name = user.Profile.Email, user.Name
	}
	if _, _, err := links.LinkByEmail(ctx, chatlink.Slack, asker.ID, name, email); err != nil {
		b.log.ErrorContext(ctx, "slack: lien au profil impossible", "error", err)
	}
}
