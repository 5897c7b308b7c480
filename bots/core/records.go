package core

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/lianes-cooperation/lianes/internal/changes"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// IntentAdd is the staff command that records a funding call or an event
// from chat: "ajouter appel <titre> ; date limite 15/03/2021 ; thèmes eau".
// It goes through the same checks as the GraphQL mutations, and the
// subscribers are told of the new record the same way.
const IntentAdd = "ajouter"

// recordFields are the keys a line of "ajouter" may start with, folded, and
// the field each fills; the longest key that matches wins.
var recordFields = map[string]string{
	"date limite": "deadline", "limite": "deadline", "cloture": "deadline", "ouverture": "opens",
	"financeur": "funder", "financeurs": "funder", "bailleur": "funder", "programme": "programme",
	"themes": "themes", "theme": "themes", "publics": "audiences", "public": "audiences", "pays": "countries",
	"territoire": "territory", "lien": "url", "url": "url", "site": "url", "inscription": "url",
	"description": "description", "contenu": "description",
	"type": "kind", "sorte": "kind", "date": "date", "quand": "date", "lieu": "place", "en ligne": "online",
	"statut": "status",
}

// Words a field is named by in answers, for the checks' field names too.
var fieldNames = map[string]string{
	"title": "titre", "deadline": "date limite", "opens": "ouverture", "funder": "financeur", "programme": "programme",
	"themes": "thèmes", "audiences": "publics", "countries": "pays", "territory": "territoire", "url": "lien",
	"registrationUrl": "lien", "description": "description", "content": "description", "kind": "type",
	"date": "date", "place": "lieu", "status": "statut", "online": "en ligne",
}

var reRecordLines = regexp.MustCompile(`\s*[;\n]\s*`)

func addHelp() []string {
	return []string{
		"« ajouter appel <titre> ; date limite <date> ; financeur <nom> ; thèmes <…> ; publics <…> ; pays <…> ;",
		"  territoire régional | national | européen | international ; ouverture <date> ; lien <adresse> ; description <texte> »",
		"« ajouter événement <titre> ; type webinaire | groupe de travail | événement ; date <date> ; thèmes <…> ;",
		"  publics <…> ; lieu <…> ; en ligne ; lien <inscription> ; description <texte> »",
		"Les dates s'écrivent « 15/03/2021 », « 15 mars 2021 14h », « mars 2021 », « printemps 2021 » ou « à définir ».",
		"Les abonnés concernés sont avertis du nouvel appel ou du nouvel événement.",
	}
}

// addRecord records a funding call or an event written in a message.
func (b *Brain) addRecord(ctx context.Context, text string) (Answer, error) {
	text = strings.TrimSpace(text)
	kind, rest := text, ""
	if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
		kind, rest = text[:i], text[i:]
	}
	var isCall bool
	switch search.Fold(kind) {
	case "appel":
		isCall = true
	case "evenement", "rendez-vous", "webinaire":
	default:
		return Answer{}, &refusal{title: "Que faut-il ajouter : un appel ou un événement ?", lines: addHelp()}
	}
	// "ajouter appel à projets <titre>" reads as "ajouter appel <titre>".
	if i := strings.Index(rest, "projets"); i >= 0 && strings.HasPrefix(search.Fold(rest), "a projets") {
		rest = strings.TrimSpace(rest[i+len("projets"):])
	}
	lines := reRecordLines.Split(strings.TrimSpace(rest), -1)
	title := strings.TrimSpace(lines[0])
	values := map[string]string{}
	var problems []string
	for _, line := range lines[1:] {
		if line == "" {
			continue
		}
		field, value, ok := recordField(line)
		if !ok {
			problems = append(problems, fmt.Sprintf("« %s » : je ne sais pas quel champ c'est", line))
			continue
		}
		values[field] = value
	}
	v, err := b.vocabulary(ctx)
	if err != nil {
		return Answer{}, err
	}
	codes := func(field, what string, pick func(request) []string) []string {
		var out []string
		for _, item := range splitList(values[field]) {
			found := pick(understand(item, b.today(), v))
			if len(found) == 0 {
				problems = append(problems, fmt.Sprintf("%s « %s » inconnu", what, item))
			}
			out = append(out, found...)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	themes := codes("themes", "thème", func(r request) []string { return r.themes })
	audiences := codes("audiences", "public", func(r request) []string { return r.audiences })
	countries := codes("countries", "pays", func(r request) []string { return r.countries })
	year := b.Clock.Now().In(clock.Paris).Year() // a date without a year is in this one
	date := func(field string) period.Period {
		p, err := period.Parse(values[field], year)
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s : %v", fieldNames[field], err))
		}
		return p
	}
	if isCall {
		c := &fundingcall.FundingCall{Title: title, Funder: values["funder"], Programme: values["programme"],
			Description: values["description"], URL: values["url"], Status: fundingcall.StatusActive,
			Themes: themes, Audiences: audiences, Countries: countries, Opens: date("opens"), Deadline: date("deadline"),
			Territory: pickCode(values["territory"], "regional", fundingcall.Territories, "territoire", &problems)}
		if len(problems) > 0 {
			return refusedRecord("Appel non ajouté", problems), nil
		}
		created, err := b.Services.Changes.CreateFundingCall(ctx, c)
		if err != nil {
			return b.recordError("Appel non ajouté", err)
		}
		return b.recordAdded(v, fmt.Sprintf("FundingCall:%d", created.ID), "Appel à projets ajouté : "+created.Title,
			[]string{deadlineText(created.Deadline), "Territoire : " + fundingcall.Territories[created.Territory]},
			created.Themes, created.Audiences, created.Countries), nil
	}
	e := &event.Event{Title: title, Content: values["description"], RegistrationURL: values["url"], Place: values["place"],
		Themes: themes, Audiences: audiences, Countries: countries, Date: date("date"),
		Kind:   pickCode(values["kind"], "", event.Kinds, "type", &problems),
		Status: pickCode(values["status"], event.StatusConfirmed, event.Statuses, "statut", &problems)}
	if search.Fold(kind) == "webinaire" && e.Kind == "" {
		e.Kind = event.KindWebinar
	}
	if e.Kind == "" {
		problems = append(problems, "type : « webinaire », « groupe de travail » ou « événement »")
	}
	if _, online := values["online"]; online {
		yes := true
		e.Online = &yes
	}
	if len(problems) > 0 {
		return refusedRecord("Événement non ajouté", problems), nil
	}
	created, err := b.Services.Changes.CreateEvent(ctx, e)
	if err != nil {
		return b.recordError("Événement non ajouté", err)
	}
	return b.recordAdded(v, fmt.Sprintf("Event:%d", created.ID), capitalize(event.Kinds[created.Kind])+" ajouté : "+created.Title,
		[]string{"Date : " + created.Date.String()}, created.Themes, created.Audiences, created.Countries), nil
}

// recordField reads "date limite : 15/03/2021" as the field and its value.
func recordField(line string) (field, value string, ok bool) {
	words := strings.Fields(line)
	for n := min(len(words), 2); n >= 1; n-- {
		key := strings.Join(search.Words(strings.Join(words[:n], " ")), " ")
		if f, found := recordFields[key]; found {
			value = strings.TrimSpace(strings.Join(words[n:], " "))
			return f, strings.TrimSpace(strings.TrimPrefix(value, ":")), true
		}
	}
	return "", "", false
}

// splitList reads "eau, climat et énergie" as its items.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(strings.ReplaceAll(s, " et ", ","), ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// pickCode finds a code by its French name or the code itself; fallback
// when nothing is written.
func pickCode(written, fallback string, names map[string]string, what string, problems *[]string) string {
	if strings.TrimSpace(written) == "" {
		return fallback
	}
	w := strings.Join(search.Words(written), " ")
	for code, name := range names {
		if w == strings.Join(search.Words(name), " ") || w == strings.Join(search.Words(code), " ") {
			return code
		}
	}
	known := make([]string, 0, len(names))
	for _, name := range names {
		known = append(known, name)
	}
	slices.Sort(known)
	*problems = append(*problems, fmt.Sprintf("%s « %s » inconnu (%s)", what, written, strings.Join(known, ", ")))
	return fallback
}

func refusedRecord(title string, problems []string) Answer {
	return Answer{Intent: IntentAdd, Title: title + " : rien n'a été enregistré.", Lines: append(problems, addHelp()...)}
}

// recordError turns the checks of the changes service into the answer's
// lines; any other error is the server's.
func (b *Brain) recordError(title string, err error) (Answer, error) {
	var invalid *changes.InvalidError
	if !errors.As(err, &invalid) {
		return Answer{}, err
	}
	var problems []string
	for _, f := range invalid.Errors {
		name := fieldNames[f.Field]
		if name == "" {
			name = f.Field
		}
		problems = append(problems, name+" : "+f.Message)
	}
	return refusedRecord(title, problems), nil
}

func (b *Brain) recordAdded(v vocabulary, gid, title string, lines, themes, audiences, countries []string) Answer {
	names := func(label string, codes []string, name func(string) string) {
		if len(codes) == 0 {
			return
		}
		out := make([]string, len(codes))
		for i, c := range codes {
			out[i] = name(c)
		}
		lines = append(lines, label+" : "+strings.Join(out, ", "))
	}
	names("Thèmes", themes, func(c string) string { return v.ref.Theme(c).Name })
	names("Publics", audiences, func(c string) string { return v.ref.Audience(c).Name })
	names("Pays", countries, func(c string) string { return v.ref.Country(c).Name })
	lines = append(lines, "Les abonnés concernés en seront avertis.")
	if link := b.link(gid); link != "" {
		lines = append(lines, "Fiche : "+link)
	}
	return Answer{Intent: IntentAdd, Title: title, Lines: lines}
}

func deadlineText(p period.Period) string {
	if !p.IsFixed() {
		return "Date limite non communiquée"
	}
	return "Date limite : " + p.String()
}

func capitalize(s string) string {
	r := []rune(s)
	if len(r) == 0 {
		return s
	}
	return strings.ToUpper(string(r[0])) + string(r[1:])
}
