package core

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/announce"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// Intents of the announcement commands.
const (
	IntentAnnounce      = "annonce"
	IntentAnnouncements = "annonces"
	IntentSubscribe     = "abonner"
	IntentUnsubscribe   = "desabonner"
	IntentSubscriptions = "abonnements"
	IntentRefused       = "refus"
)

// announceCommands are the commands that change what the network is told:
// staff's, except a member's own alerts in a direct message.
var announceCommands = map[string]string{
	"annonce": IntentAnnounce, "annonces": IntentAnnouncements, "abonner": IntentSubscribe, "sabonner": IntentSubscribe,
	"desabonner": IntentUnsubscribe, "abonnements": IntentSubscriptions, "ajouter": IntentAdd,
}

var (
	reChannel = regexp.MustCompile(`^<#([A-Za-z0-9]+)(?:\|[^>]*)?>$`)
	reClock   = regexp.MustCompile(`^(\d{1,2})(?:h|:)(\d{2})?$`)
)

// command runs an announcement command; false when the text is not one.
func (b *Brain) command(ctx context.Context, asker Asker, text string) (Answer, bool, error) {
	if a, ok, err := b.profileCommand(ctx, asker, text); ok || err != nil {
		return a, ok, err // « je suis de », « qui suis-je », « oublie-moi », « liens », « valider » (profile.go)
	}
	fields := strings.Fields(text)
	if len(fields) == 0 {
		return Answer{}, false, nil
	}
	first := strings.Join(search.Words(strings.ReplaceAll(fields[0], "’", "'")), "")
	intent, ok := announceCommands[first]
	if !ok {
		return Answer{}, false, nil
	}
	personal := asker.Direct && (intent == IntentSubscribe || intent == IntentUnsubscribe)
	if asker.Role < access.Staff && !personal {
		return Answer{Intent: IntentRefused, Title: "Commande réservée à l'équipe",
			Lines: []string{"Les annonces, les abonnements des salons et l'ajout d'appels ou d'événements sont l'affaire de l'équipe de Lianes coopération.",
				"En message direct, « abonner eau » vous abonne vous-même aux alertes sur l'eau.",
				"Écrivez « contact » pour joindre l'équipe."}}, true, nil
	}
	ctx = access.WithActor(ctx, asker.Name+" ("+asker.Platform+")")
	args := fields[1:]
	chat := asker.Platform == announce.Slack || asker.Platform == announce.Discord
	if !chat && intent != IntentAnnouncements && intent != IntentSubscriptions {
		title := "Les annonces et les abonnements se gèrent depuis Slack ou Discord, ou par l'API GraphQL."
		if intent == IntentAdd {
			title = "Les appels et les événements s'ajoutent depuis Slack ou Discord, ou par l'API GraphQL."
		}
		return Answer{Intent: intent, Title: title, Lines: []string{"Ici, « annonces » et « abonnements » montrent où ils en sont."}}, true, nil
	}
	var a Answer
	var err error
	switch intent {
	case IntentSubscribe:
		a, err = b.subscribe(ctx, asker, strings.Join(args, " "), personal)
	case IntentUnsubscribe:
		a, err = b.unsubscribe(ctx, asker, personal)
	case IntentSubscriptions:
		a, err = b.subscriptions(ctx, asker)
	case IntentAnnouncements:
		a, err = b.announcements(ctx)
	case IntentAdd:
		// The raw text: its lines and semicolons separate the fields.
		a, err = b.addRecord(ctx, strings.TrimPrefix(strings.TrimSpace(text), fields[0]))
	default:
		a, err = b.announce(ctx, asker, args)
	}
	var refused *refusal
	switch {
	case errors.As(err, &refused):
		return Answer{Intent: intent, Title: refused.title, Lines: refused.lines}, true, nil
	case errors.Is(err, announce.ErrEmpty), errors.Is(err, announce.ErrPast), errors.Is(err, announce.ErrNoTarget),
		errors.Is(err, announce.ErrNotFound), errors.Is(err, announce.ErrTooLate), errors.Is(err, announce.ErrCancelled),
		errors.Is(err, announce.ErrConfirmed):
		msg := err.Error()
		return Answer{Intent: intent, Title: strings.ToUpper(msg[:1]) + msg[1:] + ".", Lines: announceHelp()}, true, nil
	case err != nil:
		return Answer{}, true, err
	}
	return a, true, nil
}

// refusal is a command the brain cannot run as written, with what to write.
type refusal struct {
	title string
	lines []string
}

func (r *refusal) Error() string { return r.title }

func announceHelp() []string {
	return []string{
		"« annonce [#salon | abonnés:<filtre>] [quand] <texte> » : prépare une annonce et en montre l'aperçu,",
		"  par exemple « annonce abonnés:eau demain 9h Rencontre des porteurs de projets eau jeudi » ;",
		"  quand : « demain 9h », « lundi 14h », « 2021-03-02 09:00 » ; sans heure, dès confirmation ;",
		"« annonce envoyer <n°> », « annonce modifier <n°> [quand] [texte] », « annonce annuler <n°> » ;",
		"« annonces » : les dernières annonces et où elles en sont ;",
		"« abonner [appels | agenda] [thèmes, publics, pays, départements] » : ce salon suit ce qui y correspond ;",
		"« desabonner », « abonnements » ;",
		"« ajouter appel <titre> ; date limite <date> ; thèmes <…> » ou « ajouter événement <titre> ; type <…> ; date <date> »",
		"  (écrire « ajouter » seul pour le détail).",
	}
}

// filters reads the codes a subscription follows from words in French.
func (b *Brain) filters(ctx context.Context, text string) (announce.Subject, error) {
	v, err := b.vocabulary(ctx)
	if err != nil {
		return announce.Subject{}, err
	}
	r := understand(text, b.today(), v)
	x := announce.Subject{Themes: r.themes, Audiences: r.audiences, Departments: r.departments, Countries: r.countries}
	words := " " + r.folded + " "
	calls := strings.Contains(words, " appel")
	events := strings.Contains(words, " agenda ") || strings.Contains(words, " evenement") || len(r.kinds) > 0
	switch {
	case calls && !events:
		x.Kind = announce.RecordFundingCall
	case events && !calls:
		x.Kind = announce.RecordEvent
	}
	return x, nil
}

func describeSubscription(sub announce.Subscription) string {
	if sub.StructureID != 0 {
		return fmt.Sprintf("le profil de la structure n° %d", sub.StructureID)
	}
	var parts []string
	for _, p := range []struct {
		name  string
		codes []string
	}{{"sortes", sub.Kinds}, {"thèmes", sub.Themes}, {"publics", sub.Audiences}, {"départements", sub.Departments}, {"pays", sub.Countries}} {
		if len(p.codes) > 0 {
			parts = append(parts, p.name+" : "+strings.Join(p.codes, ", "))
		}
	}
	if len(parts) == 0 {
		return "tout"
	}
	return strings.Join(parts, " ; ")
}

func (b *Brain) subscribe(ctx context.Context, asker Asker, text string, personal bool) (Answer, error) {
	x, err := b.filters(ctx, text)
	if err != nil {
		return Answer{}, err
	}
	sub := announce.Subscription{Platform: asker.Platform, Channel: asker.Channel, Personal: personal,
		Themes: x.Themes, Audiences: x.Audiences, Departments: x.Departments, Countries: x.Countries}
	if x.Kind != "" {
		sub.Kinds = announce.Codes{x.Kind}
	}
	if sub.Channel == "" {
		return Answer{}, &refusal{title: "Je ne sais pas quel salon abonner.", lines: announceHelp()}
	}
	if a, ok, err := b.subscribeProfile(ctx, asker, sub, x, text, personal); ok || err != nil {
		return a, err // a member's own alerts without a filter follow their structure (forus_alerts.go)
	}
	subscribe := b.Services.Announce.Subscribe
	if personal {
		subscribe = b.Services.Announce.SubscribeOwn // the transport knows the channel is the asker's
	}
	if _, err := subscribe(ctx, sub); err != nil {
		return Answer{}, err
	}
	who := "Ce salon"
	if personal {
		who = "Vous"
	}
	return Answer{Intent: IntentSubscribe, Title: who + " recevrez désormais les annonces qui correspondent.",
		Lines: []string{"Suivi : " + describeSubscription(sub) + ".", "« desabonner » pour arrêter."}}, nil
}

func (b *Brain) unsubscribe(ctx context.Context, asker Asker, personal bool) (Answer, error) {
	unsubscribe := b.Services.Announce.Unsubscribe
	if personal {
		unsubscribe = b.Services.Announce.UnsubscribeOwn
	}
	ok, err := unsubscribe(ctx, announce.Target{Platform: asker.Platform, Channel: asker.Channel})
	if err != nil {
		return Answer{}, err
	}
	if !ok {
		return Answer{Intent: IntentUnsubscribe, Title: "Il n'y avait pas d'abonnement ici."}, nil
	}
	return Answer{Intent: IntentUnsubscribe, Title: "Abonnement arrêté : plus aucune annonce automatique ici."}, nil
}

func (b *Brain) subscriptions(ctx context.Context, asker Asker) (Answer, error) {
	platform := asker.Platform
	if platform != announce.Slack && platform != announce.Discord {
		platform = "" // a terminal sees both platforms
	}
	subs, err := b.Services.Announce.Subscriptions(ctx, platform)
	if err != nil {
		return Answer{}, err
	}
	if len(subs) == 0 {
		return Answer{Intent: IntentSubscriptions, Title: "Aucun abonnement.", Lines: announceHelp()}, nil
	}
	a := Answer{Intent: IntentSubscriptions, Title: fmt.Sprintf("%d abonnement(s)", len(subs))}
	for _, s := range subs {
		where := fmt.Sprintf("<#%s> (%s)", s.Channel, platformNames[s.Platform])
		if s.Personal {
			where = fmt.Sprintf("alertes personnelles %s (%s)", s.Channel, platformNames[s.Platform])
		}
		a.Lines = append(a.Lines, fmt.Sprintf("%s : %s (par %s)", where, describeSubscription(s), safe(s.CreatedBy)))
	}
	return a, nil
}

// parseAt reads when to send from the first words: "demain 9h", "lundi
// 14h30", "aujourd'hui 17h", "2021-03-02 09:00", "2021-03-02T09:00". It
// returns the instant (zero for now) and the words it used.
func (b *Brain) parseAt(words []string) (time.Time, int, error) {
	if len(words) == 0 {
		return time.Time{}, 0, nil
	}
	now := b.Clock.Now().In(clock.Paris)
	first := strings.ToLower(words[0])
	if first == "maintenant" {
		return time.Time{}, 1, nil
	}
	if t, err := time.ParseInLocation("2006-01-02T15:04", first, clock.Paris); err == nil {
		return t, 1, nil
	}
	var day time.Time
	switch {
	case first == "demain":
		day = now.AddDate(0, 0, 1)
	case first == "aujourd'hui" || first == "aujourd’hui":
		day = now
	default:
		if d, err := time.ParseInLocation("2006-01-02", first, clock.Paris); err == nil {
			day = d
			break
		}
		wd, ok := weekdayNames[first]
		if !ok {
			return time.Time{}, 0, nil
		}
		ahead := (int(wd) - int(now.Weekday()) + 7) % 7
		if ahead == 0 {
			ahead = 7
		}
		day = now.AddDate(0, 0, ahead)
	}
	hour, minute, used := 9, 0, 1
	if len(words) > 1 {
		if m := reClock.FindStringSubmatch(strings.ToLower(words[1])); m != nil {
			hour, _ = strconv.Atoi(m[1])
			minute, _ = strconv.Atoi(m[2])
			used = 2
			if hour > 23 || minute > 59 {
				return time.Time{}, 0, &refusal{title: fmt.Sprintf("Heure « %s » invalide.", words[1]), lines: announceHelp()}
			}
		}
	}
	return time.Date(day.Year(), day.Month(), day.Day(), hour, minute, 0, 0, clock.Paris), used, nil
}

var weekdayNames = map[string]time.Weekday{
	"lundi": time.Monday, "mardi": time.Tuesday, "mercredi": time.Wednesday, "jeudi": time.Thursday,
	"vendredi": time.Friday, "samedi": time.Saturday, "dimanche": time.Sunday,
}

// sayAt says an instant in French, in Paris.
func sayAt(t time.Time) string {
	p := t.In(clock.Paris)
	return fmt.Sprintf("%s à %dh%02d", period.OnDay(period.DateOf(p), "").String(), p.Hour(), p.Minute())
}

// sayWhen says when an announcement goes: at its time, or at once.
func (b *Brain) sayWhen(t time.Time) string {
	if !t.After(b.Clock.Now()) {
		return "immédiat"
	}
	return "le " + sayAt(t)
}

func (b *Brain) announce(ctx context.Context, asker Asker, args []string) (Answer, error) {
	if len(args) == 0 {
		return Answer{Intent: IntentAnnounce, Title: "Que faut-il annoncer ?", Lines: announceHelp()}, nil
	}
	svc := b.Services.Announce
	if id, err := strconv.ParseInt(strings.TrimPrefix(safeArg(args, 1), "n°"), 10, 64); err == nil {
		switch strings.ToLower(args[0]) {
		case "envoyer", "confirmer":
			a, err := svc.Confirm(ctx, id)
			if err != nil {
				return Answer{}, err
			}
			return Answer{Intent: IntentAnnounce, Title: fmt.Sprintf("Annonce n° %d confirmée : envoi %s.", id, b.sayWhen(a.SendAt)),
				Lines: []string{"« annonces » pour suivre sa distribution."}}, nil
		case "annuler":
			if err := svc.Cancel(ctx, id); err != nil {
				return Answer{}, err
			}
			return Answer{Intent: IntentAnnounce, Title: fmt.Sprintf("Annonce n° %d annulée : elle ne partira pas.", id)}, nil
		case "modifier":
			at, used, err := b.parseAt(args[2:])
			if err != nil {
				return Answer{}, err
			}
			a, err := svc.Edit(ctx, id, strings.Join(args[2+used:], " "), at)
			if err != nil {
				return Answer{}, err
			}
			return b.preview(a, "Annonce modifiée"), nil
		}
	}
	x := announce.Staff{Draft: true}
	for len(args) > 0 {
		if m := reChannel.FindStringSubmatch(args[0]); m != nil {
			x.Targets = append(x.Targets, announce.Target{Platform: asker.Platform, Channel: m[1]})
			args = args[1:]
			continue
		}
		lower := strings.ToLower(args[0])
		if f, ok := cutAny(lower, "abonnés:", "abonnes:"); ok {
			subject := announce.Subject{}
			if f != "tous" && f != "" {
				var err error
				if subject, err = b.filters(ctx, strings.ReplaceAll(f, ",", " ")); err != nil {
					return Answer{}, err
				}
				if len(subject.Themes)+len(subject.Audiences)+len(subject.Departments)+len(subject.Countries) == 0 && subject.Kind == "" {
					return Answer{}, &refusal{title: fmt.Sprintf("Filtre « %s » inconnu.", f),
						lines: []string{"Un filtre nomme un thème, un public, un pays ou un département : « abonnés:eau », « abonnés:senegal », ou « abonnés:tous »."}}
				}
			}
			x.Filter = &subject
			args = args[1:]
			continue
		}
		break
	}
	if len(x.Targets) == 0 && x.Filter == nil && asker.Channel != "" && !asker.Direct {
		x.Targets = []announce.Target{{Platform: asker.Platform, Channel: asker.Channel}}
	}
	at, used, err := b.parseAt(args)
	if err != nil {
		return Answer{}, err
	}
	x.At, x.Text = at, strings.Join(args[used:], " ")
	if utf8.RuneCountInString(x.Text) > 3000 {
		return Answer{}, &refusal{title: "Annonce trop longue : 3 000 caractères au plus."}
	}
	a, err := svc.Announce(ctx, x)
	if err != nil {
		return Answer{}, err
	}
	return b.preview(a, "Aperçu de l'annonce"), nil
}

func cutAny(s string, prefixes ...string) (string, bool) {
	for _, p := range prefixes {
		if rest, ok := strings.CutPrefix(s, p); ok {
			return rest, true
		}
	}
	return "", false
}

func safeArg(args []string, i int) string {
	if i < len(args) {
		return args[i]
	}
	return ""
}

var platformNames = map[string]string{announce.Slack: "Slack", announce.Discord: "Discord"}

func (b *Brain) preview(a *announce.Announcement, title string) Answer {
	var to []string
	for _, d := range a.Deliveries {
		to = append(to, fmt.Sprintf("<#%s> (%s)", d.Channel, platformNames[d.Platform]))
	}
	lines := []string{"> " + strings.ReplaceAll(safe(a.Text), "\n", "\n> "), "Destinataires : " + strings.Join(to, ", "),
		"Envoi : " + b.sayWhen(a.SendAt)}
	if len(a.Deliveries) > 0 && a.Deliveries[0].Status == announce.StatusDraft {
		lines = append(lines, fmt.Sprintf("Pour l'envoyer : « annonce envoyer %d » ; pour l'abandonner : « annonce annuler %d ».", a.ID, a.ID))
	}
	return Answer{Intent: IntentAnnounce, Title: fmt.Sprintf("%s n° %d", title, a.ID), Lines: lines}
}

func (b *Brain) announcements(ctx context.Context) (Answer, error) {
	log, err := b.Services.Announce.Log(ctx, 10)
	if err != nil {
		return Answer{}, err
	}
	if len(log) == 0 {
		return Answer{Intent: IntentAnnouncements, Title: "Aucune annonce pour l'instant.", Lines: announceHelp()}, nil
	}
	a := Answer{Intent: IntentAnnouncements, Title: "Les dernières annonces"}
	for _, an := range log {
		text := an.Text
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			text = text[:i]
		}
		if utf8.RuneCountInString(text) > 80 {
			text = string([]rune(text)[:79]) + "…"
		}
		var states []string
		for _, d := range an.Deliveries {
			s := fmt.Sprintf("<#%s> (%s) %s", d.Channel, platformNames[d.Platform], announce.StatusNames[d.Status])
			switch {
			case d.Status == announce.StatusSent && d.Link != "":
				s += " " + d.Link
			case d.Status == announce.StatusFailed:
				s += " : " + safe(d.Error)
			}
			states = append(states, s)
		}
		a.Lines = append(a.Lines, fmt.Sprintf("n° %d, %s, « %s » : %s", an.ID, sayAt(an.SendAt), safe(text), strings.Join(states, " ; ")))
	}
	return a, nil
}
