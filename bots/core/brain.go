package core

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/domain"
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
}

// Brain answers messages from the domain services.
type Brain struct {
	Services *domain.Services
	Clock    clock.Clock
	// BaseURL prefixes the links to records (e.g. https://lianes.example.org).
	BaseURL string
	// MaxItems bounds the records of one answer; the rest is behind "voir plus".
	MaxItems int
	// Observe, when set, is told the platform and intent of every answered
	// message (IntentUnknown for one not understood), for the metrics.
	Observe func(platform, intent string)

	mu       sync.Mutex
	vocab    vocabulary
	vocabAt  time.Time
	vocabTTL time.Duration
}

// New returns a brain over the services.
func New(s *domain.Services, c clock.Clock, baseURL string) *Brain {
	return &Brain{Services: s, Clock: c, BaseURL: strings.TrimRight(baseURL, "/"), MaxItems: 8, vocabTTL: time.Minute}
}

// vocabulary reads the reference lists and communes, kept a minute: they
// change with imports, rarely, and a question should not pay for them.
func (b *Brain) vocabulary(ctx context.Context) (vocabulary, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.vocab.ref != nil && time.Since(b.vocabAt) < b.vocabTTL {
		return b.vocab, nil
	}
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
	b.vocab, b.vocabAt = v, time.Now()
	return v, nil
}

func (b *Brain) today() period.Date { return period.DateOf(b.Clock.Now().In(clock.Paris)) }

// Ask answers one message of one asker. Only the announcement commands
// change anything, with the asker's role.
func (b *Brain) Ask(ctx context.Context, asker Asker, text string) (Answer, error) {
	a, err := b.ask(ctx, asker, text)
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
	var a Answer
	switch r.intent {
	case IntentEmpty:
		a = Answer{Intent: IntentEmpty, Title: "Bonjour ! Que puis-je pour vous ?", Lines: helpLines()}
	case IntentHelp:
		a = Answer{Intent: IntentHelp, Title: "Voici ce que je sais faire", Lines: helpLines()}
	case IntentCalls:
		a, err = b.calls(ctx, r, v)
	case IntentAgenda:
		a, err = b.agenda(ctx, r, v)
	case IntentProjects:
		a, err = b.projects(ctx, r, v)
	case IntentWho:
		a, err = b.who(ctx, r, v)
	case IntentStructure:
		a, err = b.structure(ctx, r)
	case IntentTrainings:
		a, err = b.trainings(ctx, r, v)
	case IntentPublications:
		a, err = b.publications(ctx, r, v)
	case IntentStats:
		a, err = b.stats(ctx, r, v)
	case IntentContact:
		a, err = b.contact(ctx)
	default:
		a, err = b.search(ctx, r)
	}
	if err != nil {
		return Answer{}, err
	}
	if a.Items == nil {
		a.Items = []Item{}
	}
	return a.safe(), nil
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
