package core

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/announce"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/conversation"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/matching"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/reference"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// Asker is the person who writes: who they are on their platform and what
// their role lets them see. The bots act with the asker's role, never more.
type Asker struct {
	Platform string
	ID       string
	Name     string
	Role     access.Role
	// Channel is where the message was written; Direct when it is a direct
	// message with the bot. Announcement commands act on it.
	Channel string
	Direct  bool
	// Thread names the conversation a message belongs to (a Slack thread, a
	// Discord channel, a terminal's --thread): a follow-up in it is read
	// with the question before it. Empty: every message stands alone.
	Thread string
	// Link opens the conversation on its platform, for the staff a question
	// is passed to.
	Link string
	// Structure is the structure the asker speaks for (a validated link of
	// their chat account, or `lianes ask --structure`); 0 when unknown.
	// "Pour nous" questions and profile alerts read it.
	Structure int64
}

// Brain answers messages from the domain services.
type Brain struct {
	Services *domain.Services
	Clock    clock.Clock
	// BaseURL prefixes the links to records (e.g. https://lianes.example.org).
	BaseURL string
	// MaxItems bounds the records of one answer; the rest is behind "voir plus".
	MaxItems int
	// Memory keeps conversations for follow-ups; nil forgets every message.
	Memory *conversation.Store
	// Handoff is the staff's channel a question is passed on to when the
	// bot cannot answer it (LIANES_HANDOFF_CHANNEL); nil: the bot gives the
	// team's contact instead.
	Handoff *announce.Target
	// Observe, when set, is told the platform and intent of every answered
	// message (IntentUnknown for one not understood), for the metrics.
	Observe func(platform, intent string)

	mu       sync.Mutex
	vocab    vocabulary
	vocabAt  time.Time
	vocabTTL time.Duration
	renewing bool // a renewal of the vocabulary is under way
}

// New returns a brain over the services.
func New(s *domain.Services, c clock.Clock, baseURL string) *Brain {
	return &Brain{Services: s, Clock: c, BaseURL: strings.TrimRight(baseURL, "/"), MaxItems: 8, vocabTTL: time.Minute,
		Memory: s.Conversations}
}

// vocabulary is what the brain knows of the data: the reference lists, the
// communes, the programme's titles. It is read once, then kept and renewed
// every minute in the background (imports change it, rarely): a question
// never waits for the renewal, which takes a second at 100 000 structures.
func (b *Brain) vocabulary(ctx context.Context) (vocabulary, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.vocab.ref == nil {
		v, err := b.loadVocabulary(ctx)
		if err != nil {
			return vocabulary{}, err
		}
		b.vocab, b.vocabAt = v, time.Now()
		return v, nil
	}
	if time.Since(b.vocabAt) >= b.vocabTTL && !b.renewing {
		b.renewing = true
		go b.renewVocabulary()
	}
	return b.vocab, nil
}

// renewVocabulary reads the vocabulary again, detached from any question;
// on failure the old one stays, and the next question tries again.
func (b *Brain) renewVocabulary() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	v, err := b.loadVocabulary(ctx)
	b.mu.Lock()
	defer b.mu.Unlock()
	b.renewing = false
	if err == nil {
		b.vocab, b.vocabAt = v, time.Now()
	}
}

// loadVocabulary reads the vocabulary from the database.
func (b *Brain) loadVocabulary(ctx context.Context) (vocabulary, error) {
	ref, err := reference.Load(ctx, b.Services.DB)
	if err != nil {
		return vocabulary{}, err
	}
	var communes []string
	if err := b.Services.DB.NewSelect().TableExpr("structures").ColumnExpr("DISTINCT commune").
		Where("commune <> ''").Scan(ctx, &communes); err != nil {
		return vocabulary{}, fmt.Errorf("brain: communes: %w", err)
	}
	v := vocabulary{ref: ref, communes: map[string]string{}}
	for _, c := range communes {
		v.communes[strings.Join(search.Words(c), " ")] = c
	}
	v.entities = v.entityWords()
	if v.titles, err = loadTitles(ctx, b.Services.DB); err != nil {
		return vocabulary{}, err
	}
	if v.totals, err = b.Services.Observatory.Totals(ctx); err != nil {
		return vocabulary{}, err
	}
	v.contactLine = "Écrivez « contact » pour joindre l'équipe de Lianes coopération."
	if hits, err := search.Lookup(ctx, b.Services.DB, "Lianes coopération", search.KindStructure); err != nil {
		return vocabulary{}, err
	} else if len(hits) > 0 {
		s, err := b.Services.Network.Structure(ctx, hits[0].ID)
		if err != nil {
			return vocabulary{}, err
		}
		var ways []string
		for _, w := range []string{s.Email, s.Phone} {
			if w != "" {
				ways = append(ways, w)
			}
		}
		if len(ways) > 0 {
			v.contactLine = "L'équipe de Lianes coopération vous répond : " + strings.Join(ways, " ou ") + "."
		}
	}
	return v, nil
}

func (b *Brain) today() period.Date { return period.DateOf(b.Clock.Now().In(clock.Paris)) }

// Ask answers one message of one asker. Only the announcement commands
// change anything, with the asker's role.
func (b *Brain) Ask(ctx context.Context, asker Asker, text string) (Answer, error) {
	// Every transport's asker gets the structure of their validated link
	// here, and is told once of a decision on their link.
	asker, decided, err := b.identify(ctx, asker)
	if err != nil {
		return Answer{}, err
	}
	a, err := b.ask(ctx, asker, text)
	if err == nil && decided != nil && a.Intent != IntentForget {
		a, err = b.tellLink(ctx, asker, decided, a)
	}
	if err == nil && b.Observe != nil {
		b.Observe(asker.Platform, a.Intent)
	}
	return a, err
}

func (b *Brain) ask(ctx context.Context, asker Asker, text string) (Answer, error) {
	ctx = access.WithRole(ctx, asker.Role)
	// Announcement commands come first: an announcement may be longer than
	// a question, and its text is the staff's, not words to understand.
	// Their answers name channels (<#C123>), which are links, not pings: the
	// words that come from people are made safe where they are written in.
	if a, ok, err := b.command(ctx, asker, text); ok || err != nil {
		if a.Items == nil {
			a.Items = []Item{}
		}
		return a, err
	}
	if utf8.RuneCountInString(text) > maxMessage {
		return Answer{Intent: IntentTooLong, Title: "Votre message est très long.",
			Lines: []string{"Posez-moi une question courte, par exemple « quels appels pour les assos sur l'eau ? ».",
				"Écrivez « aide » pour voir ce que je sais faire."}, Items: []Item{}}, nil
	}
	v, err := b.vocabulary(ctx)
	if err != nil {
		return Answer{}, err
	}
	r := understand(text, b.today(), v)
	prev, err := b.recall(ctx, asker)
	if err != nil {
		return Answer{}, err
	}
	if asksForHandoff(r.folded) {
		return b.handoff(ctx, asker, text, prev, v)
	}
	// "et les projets de cette structure ?" after its card.
	if id, ok := referredStructure(strings.Fields(r.folded), prev); ok && r.intent == IntentProjects && !r.command {
		a, err := b.projectsOf(ctx, id)
		if err == nil {
			a.Understood = []string{"suite de la conversation"}
			a = a.safe()
		}
		return a, err
	}
	// "plus d'infos sur le premier": the card of that record of the answer
	// before.
	if kind, id, ok := pointedRecord(strings.Fields(r.folded), prev); ok && !r.command {
		if a, ok, err := b.card(ctx, kind, id, v); err != nil || ok {
			if err == nil {
				a.Understood = []string{"suite de la conversation"}
				a = a.safe()
			}
			return a, err
		}
	}
	var a Answer
	var profile *matching.Profile
	if r.forUs != "" { // "quels appels pour nous ?": the asker's structure (forus.go)
		a, profile, err = b.answerForUs(ctx, asker, r, v)
	} else {
		r = followUp(r, prev, v)
		a, err = b.answer(ctx, r, v)
	}
	if err != nil {
		return Answer{}, err
	}
	if a.Intent == IntentOutOfScope || a.Intent == IntentUnknown {
		// What members ask that the bot cannot answer is what to teach it.
		if u := b.Services.Unanswered; u != nil && r.original != "" {
			if err := u.Keep(ctx, b.Clock.Now(), asker.Platform, asker.ID, a.Intent, r.original); err != nil {
				return Answer{}, err
			}
		}
		if b.Handoff != nil && r.original != "" {
			a.Actions = append(a.Actions, Action{Label: "Transmettre à l'équipe", Command: handoffCommand + " " + r.original})
		}
	}
	if err := b.keep(ctx, asker, r, a); err != nil {
		return Answer{}, err
	}
	if a.Items == nil {
		a.Items = []Item{}
	}
	a.Understood = understood(r, v)
	if profile != nil { // "notre asso" was read as the profile, not as a filter
		own := r
		own.audiences, own.actorTypes = nil, nil
		a.Understood = append([]string{"profil : " + profile.Name}, understood(own, v)...)
	}
	a.Ignored = r.extra
	if r.titleWords != "" || r.command {
		a.Ignored = nil
	}
	return a.safe(), nil
}

// answer answers one understood request.
func (b *Brain) answer(ctx context.Context, r request, v vocabulary) (Answer, error) {
	if r.intent == IntentEmpty {
		return Answer{Intent: IntentEmpty, Title: "Bonjour ! Que puis-je pour vous ?", Lines: helpLines()}, nil
	}
	if r.intent == IntentHelp {
		title := "Voici ce que je sais faire"
		if r.greeted && !r.command {
			title = "Bonjour ! Voici ce que je sais faire"
		}
		return Answer{Intent: IntentHelp, Title: title, Lines: helpLines()}, nil
	}
	if r.scope != nil && (r.scope.firm || !staffIntent(r.intent)) && (!r.command || r.intent == IntentWho) {
		return b.outOfScope(ctx, *r.scope, v)
	}
	if !r.command && r.intent != IntentStats && !staffIntent(r.intent) {
		if len(r.readings) == 2 && !r.followed {
			return clarify(r, v), nil
		}
		if !r.followed {
			if a, ok, err := b.named(ctx, r, v); ok || err != nil {
				return a, err
			}
		}
	}
	switch r.intent {
	case IntentCalls:
		return b.calls(ctx, r, v)
	case IntentAgenda:
		return b.agenda(ctx, r, v)
	case IntentProjects:
		return b.projects(ctx, r, v)
	case IntentWho:
		return b.who(ctx, r, v)
	case IntentStructure:
		return b.structure(ctx, r)
	case IntentTrainings:
		return b.trainings(ctx, r, v)
	case IntentPublications:
		return b.publications(ctx, r, v)
	case IntentStats:
		return b.stats(ctx, r, v)
	case IntentContact:
		if len(nonContactWords(r.extra)) > 0 {
			return b.contacts(ctx, r, v) // "adresse mail de Derisbourg"
		}
		return b.contact(ctx)
	case IntentSupport:
		if containsPhrase(r.folded, "heures") || !access.AtLeast(ctx, access.Staff) && containsPhrase(r.folded, "combien") && !containsPhrase(r.folded, "accompagnements") {
			return b.stats(ctx, r, v) // the published figure is public
		}
		return b.support(ctx, r, v)
	case IntentContacts:
		return b.contacts(ctx, r, v)
	default:
		a, err := b.search(ctx, r)
		if err == nil && a.Intent == IntentUnknown && r.question {
			return b.outOfScope(ctx, topic{dont: "répondre à cette question", can: "Je réponds sur les appels à projets, l'agenda, les structures, les projets, les formations, les publications et les chiffres du réseau."}, v)
		}
		return a, err
	}
}

// staffIntent are the intents a word of an out-of-scope topic does not
// override ("accompagnements budget").
func staffIntent(intent string) bool { return intent == IntentSupport || intent == IntentContacts }

// outOfScope is the honest answer: what the bot does not know, what it can
// say on the subject, and the team's contact.
func (b *Brain) outOfScope(ctx context.Context, t topic, v vocabulary) (Answer, error) {
	a := Answer{Intent: IntentOutOfScope, Title: "Je ne sais pas " + t.dont + "."}
	if t.can != "" {
		a.Lines = append(a.Lines, t.can)
	}
	a.Lines = append(a.Lines, v.contactLine)
	return a, nil
}

func helpLines() []string {
	return []string{
		"Posez une question en français, ou utilisez une commande :",
		"« appels » : les appels à projets ouverts, par exemple « appels assos eau » ;",
		"« agenda » : les prochains webinaires, groupes de travail et événements ;",
		"« cherche <texte> » : chercher dans tout le réseau ;",
		"« structure <nom> » : la fiche d'une structure ;",
		"« projets <pays ou thème> », « qui <thème, pays ou département> » ;",
		"« formations », « publications », « stats <département ou type> » ;",
		"« contact » : joindre l'équipe et se faire accompagner.",
	}
}

// link is the address of a record's page.
func (b *Brain) link(id string) string {
	if b.BaseURL == "" {
		return ""
	}
	return b.BaseURL + "/fiche/" + id
}

// neutralised mass mentions: a zero-width joiner keeps "@everyone" readable
// and harmless on every platform.
var massMentions = strings.NewReplacer("@everyone", "@\u200beveryone", "@here", "@\u200bhere", "@channel", "@\u200bchannel",
	"<!", "<\u200b!", "<@", "<\u200b@", "<#", "<\u200b#")

func safe(s string) string { return massMentions.Replace(s) }

// safe neutralises anything in the answer, from the data or elsewhere, that
// a platform could read as a mention.
func (a Answer) safe() Answer {
	a.Title = safe(a.Title)
	for i := range a.Lines {
		a.Lines[i] = safe(a.Lines[i])
	}
	for i := range a.Items {
		a.Items[i].Title = safe(a.Items[i].Title)
		a.Items[i].Detail = safe(a.Items[i].Detail)
	}
	return a
}
