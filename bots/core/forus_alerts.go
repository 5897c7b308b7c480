package core

import (
	"context"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/announce"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// Alerts that follow the profile (issue 16): « abonner » in a direct
// message, with no filter, from a member whose structure the bot knows,
// follows that structure: the new calls and events that fit it, the J-14
// and J-3 reminders of those calls, and the weekly digest "pour
// <structure>" (internal/announce, profiles.go). « abonner tout » still
// follows everything; a filter (« abonner eau ») still follows the filter.
// A member whose structure the bot does not know gets what « abonner » gave
// before (everything) and is told how to link their structure.

// subscribeProfile runs « abonner » without a filter in a direct message;
// false for any other subscription.
func (b *Brain) subscribeProfile(ctx context.Context, asker Asker, sub announce.Subscription, x announce.Subject, text string, personal bool) (Answer, bool, error) {
	if !personal || x.Kind != "" || len(x.Themes)+len(x.Audiences)+len(x.Departments)+len(x.Countries) > 0 {
		return Answer{}, false, nil
	}
	words := search.Words(text)
	if len(words) > 0 && (words[0] == "tout" || words[0] == "tous" || words[0] == "toutes") {
		return Answer{}, false, nil
	}
	if asker.Structure == 0 {
		if _, err := b.Services.Announce.SubscribeOwn(ctx, sub); err != nil {
			return Answer{}, true, err
		}
		return Answer{Intent: IntentSubscribe, Title: "Vous recevrez désormais les annonces qui correspondent.",
			Lines: []string{"Suivi : tout.",
				"Pour ne recevoir que ce qui correspond à votre structure, écrivez « je suis de <nom de votre structure> », puis « abonner » une fois le lien fait.",
				"« desabonner » pour arrêter."}}, true, nil
	}
	p, err := b.Services.Matching.Profile(access.WithRole(ctx, asker.Role), asker.Structure)
	if err != nil {
		return Answer{}, true, err
	}
	sub.StructureID = p.ID
	if _, err := b.Services.Announce.SubscribeOwn(ctx, sub); err != nil {
		return Answer{}, true, err
	}
	name := safe(p.Name)
	return Answer{Intent: IntentSubscribe, Title: "Vous recevrez désormais ce qui correspond à " + name + ".",
		Lines: []string{
			"Suivi : le profil de " + name + " (son type, ses thèmes, les pays de ses projets) : les nouveaux appels et événements qui lui correspondent, les rappels J-14 et J-3 de ces appels, et chaque semaine la lettre « pour " + name + " ».",
			strings.Join([]string{"« quels appels pour nous ? » montre dès maintenant les appels qui vous correspondent", "« abonner tout » pour tout recevoir, « abonner eau » pour un thème", "« desabonner » pour arrêter."}, " ; "),
		}}, true, nil
}
