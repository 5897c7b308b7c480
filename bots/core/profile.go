package core

import (
	"context"
	"errors"
	"fmt"
	"github.com/lianes-cooperation/lianes/internal/announce"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/chatlink"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// A chat user linked to their structure is asked "pour nous" questions for
// it: the link is made by their profile's e-mail (Slack, in the transport),
// or claimed with « je suis de <structure> » and validated by the staff.
// « qui suis-je » shows it, « oublie-moi » undoes it; the staff list the
// claims with « liens » and answer them with « valider N » / « refuser N ».

// Intents of the profile commands.
const (
	IntentClaim    = "je_suis_de"
	IntentWhoAmI   = "qui_suis_je"
	IntentForget   = "oublie_moi"
	IntentLinks    = "liens"
	IntentValidate = "valider"
	IntentRefuse   = "refuser"
)

// maxClaimCandidates bounds the structures offered as buttons when a claimed
// name is several structures'.
const maxClaimCandidates = 5

var (
	// reClaim reads « je suis de <structure> » and its usual variants; the
	// structure's words are the group.
	reClaim = regexp.MustCompile(`(?i)^\s*(?:je\s+suis\s+(?:membre\s+)?|je\s+fais\s+partie\s+)(?:de\s+|d['’]\s*)(.+?)[\s.!]*$|^\s*je\s+repr[eé]sente\s+(.+?)[\s.!]*$`)
	// reStructureNumber is a structure named by its number, as the buttons do.
	reStructureNumber = regexp.MustCompile(`^n°\s*(\d+)$`)
)

// profileCommand runs a profile command; false when the text is not one.
func (b *Brain) profileCommand(ctx context.Context, asker Asker, text string) (Answer, bool, error) {
	if b.Services.ChatLinks == nil || utf8.RuneCountInString(text) > 200 {
		return Answer{}, false, nil
	}
	words := search.Words(strings.ReplaceAll(text, "’", "'"))
	joined := strings.Join(words, " ")
	var a Answer
	var err error
	switch {
	case joined == "qui suis je" || joined == "qui je suis" || joined == "je suis qui":
		a, err = b.whoAmI(ctx, asker)
	case joined == "oublie moi" || joined == "oubliez moi" || joined == "oublies moi":
		a, err = b.forgetLink(ctx, asker)
	case joined == "liens" || joined == "liens en attente":
		a, err = b.pendingLinks(ctx, asker)
	case len(words) > 0 && (words[0] == "valider" || words[0] == "refuser") && linkNumber(words[1:]):
		a, err = b.decideLink(ctx, asker, words[0], words[1:])
	default:
		m := reClaim.FindStringSubmatch(text)
		// A question that begins like a claim ("je suis de Lille, quels
		// appels ?") is a question.
		if m == nil || strings.Contains(text, "?") {
			return Answer{}, false, nil
		}
		name := strings.TrimSpace(m[1] + m[2])
		a, err = b.claimLink(ctx, asker, name)
	}
	if err != nil {
		return Answer{}, true, err
	}
	return a, true, nil
}

// linkNumber reports whether words are what follows « valider » as a
// command: nothing, or a number ("12", "n° 12"); "valider mon inscription"
// is a question.
func linkNumber(words []string) bool {
	if len(words) > 0 && (words[0] == "n" || words[0] == "no" || words[0] == "numero") {
		words = words[1:]
	}
	if len(words) == 0 {
		return true
	}
	_, err := strconv.ParseInt(words[0], 10, 64)
	return len(words) == 1 && err == nil
}

// chat reports whether the asker has an account a link can be made for.
func (a Asker) chat() bool {
	return (a.Platform == chatlink.Slack || a.Platform == chatlink.Discord) && a.ID != ""
}

// sayLinkDay says a day in French, in Paris: "4 janvier 2021".
func sayLinkDay(t time.Time) string {
	return period.OnDay(period.DateOf(t.In(clock.Paris)), "").String()
}

// claimLink records « je suis de <structure> »: the structure is found as
// names are everywhere (every word of its name written, or a name holding
// every word written); several are offered as buttons.
func (b *Brain) claimLink(ctx context.Context, asker Asker, name string) (Answer, error) {
	ids, err := b.claimedStructures(ctx, name)
	if err != nil {
		return Answer{}, err
	}
	switch {
	case len(ids) == 0:
		return Answer{Intent: IntentClaim, Title: fmt.Sprintf("Je ne trouve pas de structure « %s ».", safe(name)),
			Lines: []string{"Écrivez son nom comme dans l'annuaire du réseau, par exemple « je suis de Ca vient du coeur » ;",
				"« cherche <nom> » montre les structures qui s'en approchent. Une structure absente de l'annuaire s'y ajoute avec l'équipe : écrivez « contact »."}}, nil
	case len(ids) > 1:
		structures, err := b.Services.Network.Structures(ctx, ids)
		if err != nil {
			return Answer{}, err
		}
		a := Answer{Intent: IntentClaim, Title: fmt.Sprintf("Plusieurs structures répondent à « %s » : laquelle est la vôtre ?", safe(name))}
		for _, id := range ids {
			if s := structures[id]; s != nil {
				label := s.Name
				if s.Commune != "" {
					label += " (" + s.Commune + ")"
				}
				if utf8.RuneCountInString(label) > 70 {
					label = string([]rune(label)[:69]) + "…"
				}
				a.Lines = append(a.Lines, "• "+safe(label))
				a.Actions = append(a.Actions, Action{Label: label, Command: fmt.Sprintf("je suis de n°%d", id)})
			}
		}
		return a, nil
	}
	s, err := b.Services.Network.Structure(ctx, ids[0])
	if err != nil {
		return Answer{}, err
	}
	if !asker.chat() {
		return Answer{Intent: IntentClaim, Title: "Le lien à une structure se fait depuis Slack ou Discord.",
			Lines: []string{fmt.Sprintf("Écrivez-y « je suis de %s » au robot : l'équipe validera le lien.", safe(s.Name))}}, nil
	}
	ctx = access.WithActor(ctx, "membre ("+asker.Platform+")")
	l, err := b.Services.ChatLinks.Claim(ctx, asker.Platform, asker.ID, asker.Name, s.ID)
	var linked *chatlink.LinkedError
	if errors.As(err, &linked) {
		title := "Vous êtes déjà lié·e à une structure."
		if cur, err := b.Services.Network.Structure(ctx, linked.Link.StructureID); err == nil {
			title = fmt.Sprintf("Vous êtes déjà lié·e à %s.", safe(cur.Name))
		}
		if linked.Link.StructureID == s.ID {
			return Answer{Intent: IntentClaim, Title: title, Lines: []string{"« qui suis-je » montre ce lien ; « oublie-moi » le défait."}}, nil
		}
		return Answer{Intent: IntentClaim, Title: title,
			Lines: []string{"Pour parler au nom d'une autre structure, écrivez d'abord « oublie-moi », puis « je suis de <structure> »."}}, nil
	}
	if err != nil {
		return Answer{}, err
	}
	return Answer{Intent: IntentClaim, Title: fmt.Sprintf("C'est noté : vous êtes de %s, à confirmer par l'équipe.", safe(s.Name)),
		Lines: []string{fmt.Sprintf("Votre demande (n° %d) attend la validation de l'équipe de Lianes coopération : personne ne parle au nom d'une structure sans en être.", l.ID),
			"Je vous dirai sa réponse à votre prochain message. « qui suis-je » montre où elle en est ; « oublie-moi » l'annule."}}, nil
}

// claimedStructures are the structures a claimed name may be: one when the
// name is one structure's, several to choose from, none when it is no
// structure's name.
func (b *Brain) claimedStructures(ctx context.Context, name string) ([]int64, error) {
	if m := reStructureNumber.FindStringSubmatch(strings.TrimSpace(name)); m != nil {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		found, err := b.Services.Network.Structures(ctx, []int64{id})
		if err != nil || found[id] == nil {
			return nil, err
		}
		return []int64{id}, nil
	}
	v, err := b.vocabulary(ctx)
	if err != nil {
		return nil, err
	}
	asked := map[string]bool{}
	for _, t := range search.Terms(name) {
		asked[t] = true
	}
	if hit, ok, err := b.namedByName(ctx, asked, search.KindStructure, v); err != nil || ok {
		return []int64{hit.ID}, err
	}
	holders, err := b.nameHolders(ctx, name, maxClaimCandidates, search.KindStructure)
	if err != nil {
		return nil, err
	}
	return search.IDs(holders), nil
}

// whoAmI shows the asker's link: to which structure, since when, how.
func (b *Brain) whoAmI(ctx context.Context, asker Asker) (Answer, error) {
	none := Answer{Intent: IntentWhoAmI, Title: "Je ne sais pas encore de quelle structure vous êtes.",
		Lines: []string{"Écrivez « je suis de <structure> » : l'équipe de Lianes coopération validera le lien, et je répondrai à « quels appels pour nous ? » pour votre structure."}}
	if !asker.chat() {
		if asker.Structure == 0 {
			return none, nil
		}
		s, err := b.Services.Network.Structure(ctx, asker.Structure)
		if err != nil {
			return Answer{}, err
		}
		return Answer{Intent: IntentWhoAmI, Title: fmt.Sprintf("Ici, vous parlez pour %s.", safe(s.Name))}, nil
	}
	l, err := b.Services.ChatLinks.Of(ctx, asker.Platform, asker.ID)
	if errors.Is(err, chatlink.ErrNotFound) {
		return none, nil
	}
	if err != nil {
		return Answer{}, err
	}
	s, err := b.Services.Network.Structure(ctx, l.StructureID)
	if err != nil {
		return Answer{}, err
	}
	name := safe(s.Name)
	a := Answer{Intent: IntentWhoAmI}
	switch l.Status {
	case chatlink.StatusValidated:
		a.Title = fmt.Sprintf("Vous êtes de %s.", name)
		if l.Method == chatlink.MethodEmail {
			a.Lines = append(a.Lines, fmt.Sprintf("Lien fait le %s : le courriel de votre profil est celui d'un contact de la structure.", sayLinkDay(l.CreatedAt)))
		} else {
			a.Lines = append(a.Lines, fmt.Sprintf("Lien demandé le %s, validé par l'équipe le %s.", sayLinkDay(l.CreatedAt), sayLinkDay(l.DecidedAt)))
		}
		a.Lines = append(a.Lines, "« oublie-moi » pour défaire ce lien.")
	case chatlink.StatusPending:
		a.Title = fmt.Sprintf("Votre demande de lien à %s attend l'équipe.", name)
		a.Lines = []string{fmt.Sprintf("Demande n° %d du %s. « oublie-moi » pour l'annuler.", l.ID, sayLinkDay(l.CreatedAt))}
	default:
		a.Title = fmt.Sprintf("L'équipe n'a pas validé votre lien à %s.", name)
		a.Lines = []string{"« je suis de <structure> » pour une nouvelle demande ; « contact » pour en parler avec l'équipe."}
	}
	return a, nil
}

// forgetLink undoes the asker's link at their request.
func (b *Brain) forgetLink(ctx context.Context, asker Asker) (Answer, error) {
	if !asker.chat() {
		return Answer{Intent: IntentForget, Title: "Ici, aucun lien à une structure à défaire : les liens se font depuis Slack ou Discord."}, nil
	}
	had, err := b.Services.ChatLinks.Forget(access.WithActor(ctx, "membre ("+asker.Platform+")"), asker.Platform, asker.ID)
	if err != nil {
		return Answer{}, err
	}
	lines := []string{"Je ne vous relierai plus à une structure par votre courriel ; « je suis de <structure> » pour refaire un lien."}
	// Alerts that followed the structure's profile go with the link; they
	// live in the member's direct messages, the only channel known here.
	if asker.Direct {
		stopped, err := b.Services.Announce.StopProfileAlerts(ctx, announce.Target{Platform: asker.Platform, Channel: asker.Channel})
		if err != nil {
			return Answer{}, err
		}
		if stopped {
			lines = append(lines, "Vos alertes qui suivaient la structure sont arrêtées ; « abonner » pour en recevoir de nouvelles.")
		}
	} else {
		lines = append(lines, "Si vous receviez des alertes pour la structure en message direct, écrivez-y « desabonner ».")
	}
	if !had {
		return Answer{Intent: IntentForget, Title: "Il n'y avait aucun lien entre vous et une structure.", Lines: lines}, nil
	}
	return Answer{Intent: IntentForget, Title: "C'est fait : votre compte n'est plus lié à aucune structure.", Lines: lines}, nil
}

// linkStaffOnly is the answer to a member who tries a staff command.
func linkStaffOnly() Answer {
	return Answer{Intent: IntentRefused, Title: "Commande réservée à l'équipe",
		Lines: []string{"Valider ou refuser les liens entre les membres et leurs structures est l'affaire de l'équipe de Lianes coopération.",
			"« qui suis-je » montre votre propre lien ; écrivez « contact » pour joindre l'équipe."}}
}

// linkHolder names a chat user for the staff.
func linkHolder(l chatlink.Link) string {
	name := l.UserName
	if name == "" {
		name = l.UserID
	}
	return fmt.Sprintf("%s (%s)", safe(name), platformNames[l.Platform])
}

// pendingLinks lists the claims that wait for the staff.
func (b *Brain) pendingLinks(ctx context.Context, asker Asker) (Answer, error) {
	if asker.Role < access.Staff {
		return linkStaffOnly(), nil
	}
	links, total, err := b.Services.ChatLinks.Pending(ctx, 20)
	if err != nil {
		return Answer{}, err
	}
	if total == 0 {
		return Answer{Intent: IntentLinks, Title: "Aucune demande de lien en attente."}, nil
	}
	ids := make([]int64, len(links))
	for i, l := range links {
		ids[i] = l.StructureID
	}
	structures, err := b.Services.Network.Structures(ctx, ids)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Intent: IntentLinks, Title: fmt.Sprintf("%d demande(s) de lien en attente", total)}
	for _, l := range links {
		name := "?"
		if s := structures[l.StructureID]; s != nil {
			name = safe(s.Name)
		}
		a.Lines = append(a.Lines, fmt.Sprintf("n° %d : %s dit être de %s, depuis le %s", l.ID, linkHolder(l), name, sayLinkDay(l.CreatedAt)))
	}
	if total > len(links) {
		a.Lines = append(a.Lines, fmt.Sprintf("… et %d autre(s), à traiter d'abord celles-ci.", total-len(links)))
	}
	a.Lines = append(a.Lines, "« valider <n°> » ou « refuser <n°> » ; le membre le saura à son prochain message.")
	return a, nil
}

// decideLink validates or refuses a claim by its number.
func (b *Brain) decideLink(ctx context.Context, asker Asker, verb string, args []string) (Answer, error) {
	intent := IntentValidate
	if verb == "refuser" {
		intent = IntentRefuse
	}
	if asker.Role < access.Staff {
		return linkStaffOnly(), nil
	}
	if len(args) > 0 && (args[0] == "n" || args[0] == "no" || args[0] == "numero") {
		args = args[1:]
	}
	id, err := strconv.ParseInt(strings.Join(args, ""), 10, 64)
	if err != nil || id <= 0 || len(args) != 1 {
		return Answer{Intent: intent, Title: fmt.Sprintf("Quel lien %s ? Écrivez « %s <n°> ».", verb, verb),
			Lines: []string{"« liens » montre les demandes en attente et leurs numéros."}}, nil
	}
	// The staff's decisions name who made them: their name, or their
	// account when the platform gave none (a Slack event).
	actor := asker.Name
	if actor == "" {
		actor = asker.ID
	}
	if asker.chat() {
		actor += " (" + asker.Platform + ")"
	} else {
		actor = "ligne de commande"
	}
	ctx = access.WithActor(ctx, actor)
	decide := b.Services.ChatLinks.Validate
	if verb == "refuser" {
		decide = b.Services.ChatLinks.Refuse
	}
	l, err := decide(ctx, id)
	switch {
	case errors.Is(err, chatlink.ErrNotFound):
		return Answer{Intent: intent, Title: fmt.Sprintf("Aucune demande de lien n° %d.", id),
			Lines: []string{"« liens » montre les demandes en attente et leurs numéros."}}, nil
	case errors.Is(err, chatlink.ErrDecided):
		return Answer{Intent: intent, Title: fmt.Sprintf("La demande de lien n° %d a déjà été traitée.", id),
			Lines: []string{"« liens » montre les demandes en attente."}}, nil
	case err != nil:
		return Answer{}, err
	}
	name := "?"
	if s, err := b.Services.Network.Structure(ctx, l.StructureID); err == nil {
		name = safe(s.Name)
	}
	title := fmt.Sprintf("Lien n° %d validé : %s parle désormais pour %s.", id, linkHolder(*l), name)
	if verb == "refuser" {
		title = fmt.Sprintf("Lien n° %d refusé : %s ne parle pas pour %s.", id, linkHolder(*l), name)
	}
	return Answer{Intent: intent, Title: title, Lines: []string{"Le membre le saura à son prochain message."}}, nil
}

// identify fills the asker's structure from their validated link, and
// returns a decision on their link they have not been told of yet.
func (b *Brain) identify(ctx context.Context, asker Asker) (Asker, *chatlink.Link, error) {
	if b.Services.ChatLinks == nil || !asker.chat() || asker.Role < access.Member {
		return asker, nil, nil
	}
	l, err := b.Services.ChatLinks.Of(access.WithRole(ctx, asker.Role), asker.Platform, asker.ID)
	if errors.Is(err, chatlink.ErrNotFound) {
		return asker, nil, nil
	}
	if err != nil {
		return asker, nil, err
	}
	if l.Status == chatlink.StatusValidated && asker.Structure == 0 {
		asker.Structure = l.StructureID
	}
	if l.Status == chatlink.StatusPending || !l.ToldAt.IsZero() {
		return asker, nil, nil
	}
	return asker, l, nil
}

// tellLink adds to an answer the decision on the asker's link, once.
func (b *Brain) tellLink(ctx context.Context, asker Asker, l *chatlink.Link, a Answer) (Answer, error) {
	ctx = access.WithRole(ctx, asker.Role)
	s, err := b.Services.Network.Structure(ctx, l.StructureID)
	if err != nil {
		return Answer{}, err
	}
	var line string
	switch {
	case l.Status == chatlink.StatusRefused:
		line = fmt.Sprintf("L'équipe n'a pas validé votre lien à %s. Écrivez « contact » pour en parler avec elle.", safe(s.Name))
	case l.Method == chatlink.MethodEmail:
		line = fmt.Sprintf("Je vous ai reconnu·e : vous êtes de %s. « oublie-moi » pour défaire ce lien.", safe(s.Name))
	default:
		line = fmt.Sprintf("L'équipe a validé votre lien : vous êtes de %s. « oublie-moi » pour défaire ce lien.", safe(s.Name))
	}
	if err := b.Services.ChatLinks.Told(ctx, l); err != nil {
		return Answer{}, err
	}
	a.Lines = append([]string{line}, a.Lines...)
	return a, nil
}
