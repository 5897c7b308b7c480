package core

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/matching"
)

// "Pour nous" (issue 16): a member asks for their own structure ("quels
// appels pour nous ?", "quoi de neuf pour notre asso ?", "nos prochains
// événements"), and the bot answers from the structure's profile, the calls
// and events that fit it ranked by internal/matching, each with its reasons.
// A member who says who they are in the message ("notre asso travaille au
// Burkina sur l'eau") is answered from those facts, as before: the profile
// stands in for facts not written.

// IntentForUs answers from the asker's structure, or asks which it is.
const IntentForUs = "pour_nous"

// What a "pour nous" question asks for.
const (
	forUsCalls  = "appels"
	forUsEvents = "agenda"
	forUsBoth   = "tout"
)

// forUsPhrases say that the question is about the asker's own structure.
var forUsPhrases = []string{"pour nous", "pour moi", "pour notre", "pour nos", "pour ma structure", "pour mon asso",
	"pour mon association", "pour mon organisation", "nous concerne", "nous concernent", "nous concerner",
	"nous interesse", "nous interesser", "nous interessent", "nos prochains", "nos prochaines", "notre structure",
	"notre asso", "notre association", "notre organisation", "nous correspond", "nous correspondent",
	"nous correspondrait", "nous correspondraient", "nous convient", "nous conviennent", "nous conviendrait", "nous conviendraient",
	"nous irait", "nous iraient", "nous va", "nous vont", "nous ouvert", "nous ouverts"}

// newsWords ask what is new, calls and events alike: "quoi de neuf",
// "quelque chose", "du nouveau".
var newsPhrases = []string{"quoi de neuf", "quelque chose", "du nouveau", "des nouveautes", "quoi de nouveau"}

// readForUs tells what a "pour nous" question asks for, or "" when the
// message is not one: it names the asker's structure without saying what
// it is (no theme, country, place, type or programme), and asks for calls,
// events or what is new ("quoi de neuf", "quelque chose").
func readForUs(r request) string {
	if r.command || r.scope != nil { // what the data does not hold is said so, profile or not
		return ""
	}
	// "on pourrait répondre à quels appels, nous ?"
	words := strings.Fields(r.folded)
	phrase := len(words) > 1 && words[len(words)-1] == "nous"
	for _, p := range forUsPhrases {
		if containsPhrase(r.folded, p) {
			phrase = true
			break
		}
	}
	if !phrase || len(r.themes)+len(r.countries)+len(r.departments)+len(r.communes)+len(r.places)+
		len(r.actorTypes)+len(r.programmes)+len(r.territories) > 0 || r.titleWords != "" {
		return ""
	}
	if r.intent == IntentCalls {
		return forUsCalls
	}
	// "quelque chose ce mois-ci" asks for everything, though the month made
	// it read as the agenda.
	for _, p := range newsPhrases {
		if containsPhrase(r.folded, p) {
			return forUsBoth
		}
	}
	if r.intent == IntentAgenda || len(r.kinds) > 0 {
		return forUsEvents
	}
	return "" // "réserver une salle pour notre AG": not a list the profile answers
}

// askWho is the answer to a "pour nous" question of someone whose
// structure the bot does not know.
func askWho() Answer {
	return Answer{Intent: IntentForUs, Title: "De quelle structure êtes-vous ?",
		Lines: []string{"Écrivez « je suis de <nom de votre structure> » : une fois le lien fait, je vous montre les appels et les rendez-vous qui correspondent à votre structure.",
			"En attendant, dites-moi ce que vous faites : « appels pour les associations sur l'eau au Burkina »."}}
}

// forUsHint is added to an answer read from the question's own facts, for
// someone whose structure the bot does not know.
const forUsHint = "Pour des réponses choisies selon votre structure, écrivez « je suis de <nom de votre structure> »."

// forUs answers a "pour nous" question from the asker's structure.
func (b *Brain) forUs(ctx context.Context, asker Asker, r request, v vocabulary) (Answer, *matching.Profile, error) {
	ctx = access.WithRole(ctx, asker.Role)
	day := b.today()
	title := func(p *matching.Profile, what string) string { return "Pour " + p.Name + " : " + what }
	switch r.forUs {
	case forUsCalls, forUsEvents:
		calls := r.forUs == forUsCalls
		args := b.pageArgs(r.page)
		args.SkipTotal = false
		var page matching.Page
		var err error
		if calls {
			page, err = b.Services.Matching.FundingCalls(ctx, asker.Structure, day, args)
		} else if r.when != nil {
			page, err = b.eventsWhen(ctx, asker.Structure, r)
		} else {
			page, err = b.Services.Matching.Events(ctx, asker.Structure, day, args)
		}
		if err != nil {
			return Answer{}, nil, err
		}
		a := Answer{Intent: IntentForUs}
		items, err := b.matchItems(ctx, calls, page.Matches)
		if err != nil {
			return Answer{}, nil, err
		}
		a.Items = items
		if calls {
			a.Title = title(page.Profile, "les appels à projets ouverts qui vous correspondent")
		} else {
			a.Title = title(page.Profile, "les prochains rendez-vous qui vous correspondent")
			if r.when != nil {
				a.Title = title(page.Profile, "les rendez-vous "+r.when.Label+" qui vous correspondent")
			}
		}
		a.Lines = append(a.Lines, profileLine(page.Profile, v))
		if len(a.Items) == 0 {
			if calls {
				a.Lines = append(a.Lines, "Aucun appel ouvert aujourd'hui n'est accessible à votre type de structure. Écrivez « appels » pour tous les voir.")
			} else {
				a.Lines = append(a.Lines, "Aucun rendez-vous prévu ne vous est ouvert. Écrivez « agenda » pour tout le calendrier.")
			}
		}
		b.more(&a, r, listing.Page{IDs: page.IDs(), Info: page.Info}, r.page)
		return a, page.Profile, nil
	}
	// What is new: the best calls and the best events, a few of each.
	n := max(b.MaxItems/2, 1)
	calls, err := b.Services.Matching.FundingCalls(ctx, asker.Structure, day, listing.Args{First: &n})
	if err != nil {
		return Answer{}, nil, err
	}
	var events matching.Page
	if r.when != nil {
		events, err = b.eventsWhen(ctx, asker.Structure, r)
		if len(events.Matches) > n {
			events.Matches, events.Info.Total = events.Matches[:n], len(events.Matches)
		}
	} else {
		events, err = b.Services.Matching.Events(ctx, asker.Structure, day, listing.Args{First: &n})
	}
	if err != nil {
		return Answer{}, nil, err
	}
	a := Answer{Intent: IntentForUs, Title: title(calls.Profile, "les appels et les rendez-vous qui vous correspondent")}
	if r.when != nil {
		a.Title = title(calls.Profile, "les appels ouverts et les rendez-vous "+r.when.Label+" qui vous correspondent")
	}
	a.Lines = append(a.Lines, profileLine(calls.Profile, v))
	ci, err := b.matchItems(ctx, true, calls.Matches)
	if err != nil {
		return Answer{}, nil, err
	}
	ei, err := b.matchItems(ctx, false, events.Matches)
	if err != nil {
		return Answer{}, nil, err
	}
	a.Items = append(ci, ei...)
	a.Lines = append(a.Lines, fmt.Sprintf("%s et %s vous sont ouverts ; « quels appels pour nous ? » ou « nos prochains événements » pour la liste entière.",
		count(calls.Info.Total, "appel ouvert", "appels ouverts"), count(events.Info.Total, "rendez-vous à venir", "rendez-vous à venir")))
	a.Total = len(a.Items)
	return a, calls.Profile, nil
}

func count(n int, one, many string) string {
	switch n {
	case 0:
		return "aucun " + one
	case 1:
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

// eventsWhen are the events that fit, within the period asked ("ce
// mois-ci"), best first.
func (b *Brain) eventsWhen(ctx context.Context, structure int64, r request) (matching.Page, error) {
	n := listing.MaxSize
	p, err := b.Services.Matching.Events(ctx, structure, b.today(), listing.Args{First: &n})
	if err != nil {
		return p, err
	}
	evs, err := b.Services.Events.Events(ctx, p.IDs())
	if err != nil {
		return p, err
	}
	kept := p.Matches[:0]
	for _, m := range p.Matches {
		if e := evs[m.ID]; e != nil && e.Date.IsFixed() && e.Date.To >= r.when.From && e.Date.From <= r.when.To {
			kept = append(kept, m)
		}
	}
	p.Matches = kept
	from, size := (r.page-1)*b.MaxItems, b.MaxItems
	p.Info = listing.Info{From: min(from, len(kept)), To: min(from+size, len(kept)), Total: len(kept)}
	p.Matches = kept[p.Info.From:p.Info.To]
	return p, nil
}

// matchItems are the answer's items of matches, each with its reasons and
// its deadline or date.
func (b *Brain) matchItems(ctx context.Context, calls bool, ms []matching.Match) ([]Item, error) {
	ids := make([]int64, len(ms))
	for i, m := range ms {
		ids[i] = m.ID
	}
	var out []Item
	if calls {
		recs, err := b.Services.Calls.FundingCalls(ctx, ids)
		if err != nil {
			return nil, err
		}
		for _, m := range ms {
			if c := recs[m.ID]; c != nil {
				it := b.callItem(c)
				deadline := "date limite non communiquée"
				if c.Deadline.IsFixed() {
					deadline = "date limite : " + c.Deadline.String()
				}
				it.Detail = strings.Join(m.Reasons, " ; ") + " ; " + deadline
				out = append(out, it)
			}
		}
		return out, nil
	}
	recs, err := b.Services.Events.Events(ctx, ids)
	if err != nil {
		return nil, err
	}
	for _, m := range ms {
		if e := recs[m.ID]; e != nil {
			it := b.eventItem(e)
			it.Detail += " ; " + strings.Join(m.Reasons, " ; ")
			out = append(out, it)
		}
	}
	return out, nil
}

// profileLine says what the ranking read of the structure.
func profileLine(p *matching.Profile, v vocabulary) string {
	var parts []string
	if v.ref != nil {
		if t := v.ref.ActorType(p.ActorType); t != nil {
			parts = append(parts, strings.ToLower(t.Name))
		}
		var names []string
		for _, t := range v.ref.ThemesOf(p.Themes) {
			names = append(names, t.Name)
		}
		if len(names) > 0 {
			parts = append(parts, "thèmes : "+strings.Join(names, ", "))
		}
		names = nil
		for _, c := range v.ref.CountriesOf(p.Countries) {
			names = append(names, c.Name)
		}
		if len(names) > 0 {
			parts = append(parts, "pays : "+strings.Join(names, ", "))
		}
		if d := v.ref.Department(p.Department); d != nil {
			parts = append(parts, "département : "+d.Name)
		}
	}
	if len(parts) == 0 {
		return "Votre fiche ne dit encore ni type, ni thèmes, ni pays : tout ce qui vous est ouvert vient, par date. L'équipe peut la compléter (« contact »)."
	}
	return "Selon votre fiche (" + strings.Join(parts, " ; ") + "), les mieux adaptés d'abord."
}

// answerForUs answers a "pour nous" question: from the asker's structure,
// from the question's own words for someone who said their audience
// ("quels appels pour notre asso ?") with a hint, or by asking who they are.
// The profile is returned for the answer's explanation.
func (b *Brain) answerForUs(ctx context.Context, asker Asker, r request, v vocabulary) (Answer, *matching.Profile, error) {
	if asker.Structure != 0 {
		a, p, err := b.forUs(ctx, asker, r, v)
		if errors.Is(err, matching.ErrNotFound) {
			return askWho(), nil, nil // a link to a structure since deleted
		}
		return a, p, err
	}
	if len(r.audiences) > 0 && (r.intent == IntentCalls || r.intent == IntentAgenda) {
		a, err := b.answer(ctx, r, v)
		a.Lines = append(a.Lines, forUsHint)
		return a, nil, err
	}
	return askWho(), nil, nil
}
