package core

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/search"
	"github.com/lianes-cooperation/lianes/internal/support"
)

// Staff ask in plain French about who was advised on what
// ("accompagnements dans l'Oise", "quelles structures ont été accompagnées
// sur Récital ?") and about people ("le mail de la direction ?"). Members get
// what is public of it, and a polite word for the rest: the same access
// rules as the API decide.

// supportWords make a question about support sessions.
var supportWords = wordSet(`accompagnements accompagnees accompagnes accompagnee suivies rdvs`)

// personalWords make "accompagnement" a request for one's own ("me faire
// accompagner") rather than a question about the sessions.
var personalWords = wordSet(`me m mon ma mes nous notre nos je j moi voudrais souhaite aimerais souhaiterais peut peux pouvez`)

// roleWords name the positions a contact holds.
var roleWords = map[string]string{
	"direction": "direction", "directeur": "direction", "directrice": "direction", "dirige": "direction",
	"responsable": "responsable", "responsables": "responsable", "coordinateur": "coordination", "coordinatrice": "coordination",
	"coordination": "coordination", "referent": "referent", "referente": "referent", "charge": "charge", "chargee": "charge",
	"animateur": "animation", "animatrice": "animation", "delegue": "delegue", "deleguee": "delegue",
}

// metWords say the team met someone: "on a vu qui", "qui on a suivi".
var metWords = wordSet(`vu recu rencontre suivi`)

// contactWords ask for a person's details.
var contactWords = wordSet(`mail email courriel adresse telephone tel numero joindre contacter contact contacts coordonnees interlocuteur interlocutrice qui`)

// peopleIntent reads a question about support sessions or contacts.
func peopleIntent(words []string, dated bool) string {
	support, personal, role, ask := false, false, false, false
	self := selfClause(words)
	for i, w := range words {
		support = support || supportWords[w]
		personal = personal || personalWords[w]
		// "je suis chargée de projets", "je dirige une entreprise": who
		// the asker is, not whom they ask about.
		_, isRole := roleWords[w]
		role = role || isRole && !self[i]
		// "qui" asks for a person only as "qui est…", "qui contacter…".
		ask = ask || contactWords[w] && w != "qui" || w == "qui" && i+1 < len(words) && (words[i+1] == "est" || words[i+1] == "sont" || words[i+1] == "contacter" || words[i+1] == "dirige")
	}
	if !support {
		for i, w := range words {
			// "combien d'accompagnements", "accompagnement Récital": about
			// sessions, unless the asker wants one ("un accompagnement pour
			// mon projet").
			if w == "accompagnement" && !personal && (i == 0 || words[i-1] != "un") {
				support = true
			}
			// "on a accompagné qui le 25 février ?", "qui a-t-on accompagné ?"
			// "on accompagne des jeunes" is what the asker does.
			if w == "accompagne" && !personal && (dated || i > 0 && (words[i-1] == "a" || words[i-1] == "on" && i+1 < len(words) && words[i+1] == "qui") || slices.Contains(words, "qui")) {
				support = true
			}
			// "on a vu qui le 19 février ?", "qui a-t-on reçu ?": the team's
			// meetings with carriers are its sessions.
			if metWords[w] && i > 1 && words[i-1] == "a" && words[i-2] == "on" && slices.Contains(words, "qui") {
				support = true
			}
		}
	}
	switch {
	case support:
		return IntentSupport
	case hasAny(words, wordSet("combien nombre")):
		return ""
	case role && ask, hasAny(words, wordSet("contacts coordonnees interlocuteur interlocutrice")), ask && hasAny(words, wordSet("chez")):
		return IntentContacts
	}
	return ""
}

func (b *Brain) support(ctx context.Context, r request, v vocabulary) (Answer, error) {
	if !access.AtLeast(ctx, access.Staff) {
		a := Answer{Intent: IntentSupport, Title: "Le détail des accompagnements est réservé à l'équipe.",
			Lines: []string{"Qui est accompagné et sur quoi reste entre la structure et l'équipe de Lianes coopération."}}
		t := v.totals
		a.Lines = append(a.Lines, fmt.Sprintf("En chiffres : %d accompagnements de %d structures.", t.SupportSessions, t.SupportedStructures),
			"Pour être accompagné vous-même : écrivez « contact ».")
		return a, nil
	}
	f := support.Filter{Departments: r.departments, Themes: r.themes, Countries: r.countries, ActorTypes: r.actorTypes}
	if len(f.ActorTypes) == 0 {
		for _, a := range v.ref.AudiencesOf(r.audiences) {
			f.ActorTypes = append(f.ActorTypes, a.ActorTypes...)
		}
	}
	if len(r.programmes) > 0 {
		// "accompagnements Récital": the sessions about the calls of that
		// programme, whatever their subject says.
		calls, err := b.Services.Calls.List(ctx, fundingcall.Filter{Query: strings.Join(r.programmes, " ")}, listing.Order{}, listing.Args{First: ptr(listing.MaxSize), SkipTotal: true})
		if err != nil {
			return Answer{}, err
		}
		f.FundingCalls = append(calls.IDs, 0) // none found: no session either
		f.Themes = nil
	}
	if h, ok, err := b.nameHolder(ctx, strings.Join(supportRest(r), " "), search.KindStructure); err != nil {
		return Answer{}, err
	} else if ok {
		// "accompagnements synergie roumanie": that structure's sessions,
		// whatever its name says of places and themes.
		f = support.Filter{StructureID: h.ID, FundingCalls: f.FundingCalls}
	} else if text := b.supportText(r, v); text != "" {
		f.Query = text
	}
	if r.when != nil {
		f.From, f.To = r.when.From, r.when.To
	}
	counting := false
	for _, w := range strings.Fields(r.folded) {
		counting = counting || w == "combien" || w == "nombre"
	}
	args := b.pageArgs(r.page)
	args.SkipTotal = false // staff ask "combien": the count comes with the page
	p, err := b.Services.Support.List(ctx, f, args)
	if err != nil {
		return Answer{}, err
	}
	sessions, err := b.Services.Support.Sessions(ctx, p.IDs)
	if err != nil {
		return Answer{}, err
	}
	var structureIDs []int64
	for _, s := range sessions {
		structureIDs = append(structureIDs, s.StructureID)
	}
	structures, err := b.Services.Network.Structures(ctx, structureIDs)
	if err != nil {
		return Answer{}, err
	}
	a := Answer{Intent: IntentSupport, Title: "Accompagnements" + describe(r, v), Total: p.Info.Total}
	a.Lines = append(a.Lines, fmt.Sprintf("%d accompagnement(s)%s.", p.Info.Total, describe(r, v)))
	for _, id := range p.IDs {
		s := sessions[id]
		if s == nil {
			continue
		}
		detail := "accompagnement"
		if st := structures[s.StructureID]; st != nil {
			detail = st.Name
		}
		gid := fmt.Sprintf("SupportSession:%d", s.ID)
		a.Items = append(a.Items, Item{Kind: "support_session", ID: gid, Title: s.Subject, Date: s.Date.String(),
			Precision: string(s.Date.Precision), Detail: detail, Link: b.link(gid)})
	}
	if counting && len(a.Items) > 0 {
		a.Title = fmt.Sprintf("%d accompagnement(s)%s", p.Info.Total, describe(r, v))
	}
	if len(a.Items) == 0 {
		a.Lines = append(a.Lines, "Aucun accompagnement ne correspond.")
	}
	b.more(&a, r, p, r.page)
	return a, nil
}

// selfMarkers start what the asker says of themselves.
var selfMarkers = wordSet(`suis sommes notre nos dirige represente travaille`)

// selfClause marks the words of what the asker says of themselves: from
// "je suis", "nous sommes", "je dirige"… to the end of the clause.
func selfClause(words []string) map[int]bool {
	out := map[int]bool{}
	for i, w := range words {
		if !selfMarkers[w] || i == 0 || (words[i-1] != "je" && words[i-1] != "j" && words[i-1] != "nous" && words[i-1] != "on" && w != "notre" && w != "nos") {
			continue
		}
		for j := i; j < len(words) && j < i+10; j++ {
			if words[j] == "qui" || words[j] == "quels" || words[j] == "quelles" || words[j] == "quel" || words[j] == "quelle" {
				break
			}
			out[j] = true
		}
	}
	return out
}

// supportRest are the words of a support question that may name a structure.
func supportRest(r request) []string {
	var out []string
	for _, w := range r.rest {
		if !supportWords[w] && w != "accompagnement" && w != "accompagne" && !programmeWordSet[w] {
			out = append(out, w)
		}
	}
	return out
}

// programmeWordSet are the words of funders and programmes.
var programmeWordSet = func() map[string]bool {
	set := map[string]bool{}
	for k := range programmeWords {
		for _, w := range strings.Fields(k) {
			set[w] = true
		}
	}
	return set
}()

// supportText is what a support question names beyond places and dates: a
// structure, a theme, a project's words.
func (b *Brain) supportText(r request, v vocabulary) string {
	var words []string
	for _, w := range r.extra {
		if !supportWords[w] && !metWords[w] && w != "accompagnement" && w != "structures" && w != "ete" && w != "ont" {
			words = append(words, w)
		}
	}
	return strings.Join(words, " ")
}

func (b *Brain) contacts(ctx context.Context, r request, v vocabulary) (Answer, error) {
	var query []string
	for _, w := range strings.Fields(r.folded) {
		if role, ok := roleWords[w]; ok {
			query = append(query, role)
		}
	}
	for _, w := range r.extra {
		if !contactWords[w] {
			query = append(query, w)
		}
	}
	var ids []int64
	var structureWords []string
	for _, w := range r.rest {
		if _, role := roleWords[w]; !contactWords[w] && !role && w != "chez" {
			structureWords = append(structureWords, w)
		}
	}
	named := strings.Join(structureWords, " ")
	holder, ok, err := b.nameHolder(ctx, named, search.KindStructure)
	if err != nil {
		return Answer{}, err
	}
	// "le mail de la direction de Lianes": one word of the question that
	// names one structure alone, the others being the question's.
	for i := 0; !ok && i < len(structureWords) && len(structureWords) > 1; i++ {
		if holder, ok, err = b.nameHolder(ctx, structureWords[i], search.KindStructure); err != nil {
			return Answer{}, err
		}
		ok = ok && !knownWords[structureWords[i]]
	}
	if ok {
		// "les contacts chez Lianes coopération": the structure's.
		pages, err := b.Services.Network.ContactsOf(ctx, []int64{holder.ID}, listing.Args{First: ptr(b.MaxItems)})
		if err != nil {
			return Answer{}, err
		}
		ids = pages[holder.ID].IDs
	} else if len(structureWords) > 0 && roleAsked(r) {
		// "qui est le directeur de la DAECT ?": an organisation the data
		// does not hold, whose officers it cannot know.
		return b.outOfScope(ctx, topic{dont: "qui occupe ce poste : cette organisation n'est pas dans l'annuaire du réseau",
			can: "Je connais les contacts des structures du réseau qui ont accepté d'être présentés."}, v)
	} else if len(query) > 0 {
		// Contacts the asker may see, by name or role: no answer tells a
		// member more about the others.
		p, err := b.Services.Network.ListContacts(ctx, strings.Join(query, " "), listing.Args{First: ptr(b.MaxItems)})
		if err != nil {
			return Answer{}, err
		}
		ids = p.IDs
		if len(ids) == 0 {
			// "j'ai besoin d'écrire à F. Derisbourg": the contacts named by
			// some of the words, the others being the question's.
			hits, err := search.Top(ctx, b.Services.DB, strings.Join(query, " "), b.MaxItems, search.KindContact)
			if err != nil {
				return Answer{}, err
			}
			for _, h := range hits {
				if h.Score >= nameWeight*h.Matched {
					ids = append(ids, h.ID)
				}
			}
		}
	}
	people, err := b.Services.Network.Contacts(ctx, ids)
	if err != nil {
		return Answer{}, err
	}
	hits := make([]search.Hit, len(ids))
	for i, id := range ids {
		hits[i] = search.Hit{Kind: search.KindContact, ID: id}
	}
	staff := access.AtLeast(ctx, access.Staff)
	a := Answer{Intent: IntentContacts, Title: "Contacts"}
	var structureIDs []int64
	for _, c := range people {
		structureIDs = append(structureIDs, c.StructureID)
	}
	structures, err := b.Services.Network.Structures(ctx, structureIDs)
	if err != nil {
		return Answer{}, err
	}
	for _, h := range hits {
		c := people[h.ID]
		if c == nil {
			continue
		}
		detail := c.Role
		if s := structures[c.StructureID]; s != nil {
			detail = strings.TrimPrefix(detail+", "+s.Name, ", ")
		}
		gid := fmt.Sprintf("Contact:%d", c.ID)
		a.Items = append(a.Items, Item{Kind: "contact", ID: gid, Title: c.Name, Detail: detail, Link: b.link(gid)})
		if staff {
			var ways []string
			for _, w := range []string{c.Email, c.Phone} {
				if w != "" {
					ways = append(ways, w)
				}
			}
			if len(ways) > 0 {
				a.Lines = append(a.Lines, c.Name+" : "+strings.Join(ways, ", "))
			}
		}
		if len(a.Items) == b.MaxItems {
			break
		}
	}
	if len(a.Items) == 0 {
		a.Title = "Je ne peux pas vous donner ces coordonnées."
		a.Lines = append(a.Lines, "Les coordonnées des personnes ne sont partagées qu'avec leur accord.", v.contactLine)
	} else if !staff {
		a.Lines = append(a.Lines, "Leurs coordonnées ne sont pas partagées : "+v.contactLine)
	}
	return a, nil
}

// roleAsked says whether the question names a position ("le directeur").
func roleAsked(r request) bool {
	for _, w := range strings.Fields(r.folded) {
		if _, ok := roleWords[w]; ok {
			return true
		}
	}
	return false
}

// nonContactWords are the words of a question that are not about contacting.
func nonContactWords(words []string) []string {
	var out []string
	for _, w := range words {
		if _, role := roleWords[w]; !contactWords[w] && !role && w != "chez" && w != "lianes" && w != "cooperation" && w != "equipe" {
			out = append(out, w)
		}
	}
	return out
}

// understood says, in words, the criteria read in a request.
func understood(r request, v vocabulary) []string {
	var out []string
	names := func(label string, list []string) {
		if len(list) > 0 {
			out = append(out, label+" : "+strings.Join(list, ", "))
		}
	}
	if v.ref == nil {
		return nil
	}
	var n []string
	for _, a := range v.ref.AudiencesOf(r.audiences) {
		n = append(n, a.Name)
	}
	names("public", n)
	n = nil
	for _, t := range v.ref.ActorTypesOf(r.actorTypes) {
		n = append(n, t.Name)
	}
	names("type d'acteur", n)
	n = nil
	for _, t := range v.ref.ThemesOf(r.themes) {
		n = append(n, t.Name)
	}
	names("thème", n)
	n = nil
	for _, c := range v.ref.CountriesOf(r.countries) {
		n = append(n, c.Name)
	}
	names("pays", n)
	n = nil
	for _, code := range r.departments {
		if d := v.ref.Department(code); d != nil {
			n = append(n, d.Name)
		}
	}
	names("département", n)
	names("commune", append(append([]string{}, r.communes...), r.places...))
	names("financeur ou programme", r.programmes)
	names("type d'événement", r.kinds)
	names("format", r.formats)
	names("territoire", r.territories)
	if r.when != nil {
		out = append(out, "quand : "+r.when.Label)
	}
	if r.titleWords != "" {
		out = append(out, "titre : "+r.titleWords)
	}
	if r.page > 1 {
		out = append(out, fmt.Sprintf("page : %d", r.page))
	}
	return out
}
