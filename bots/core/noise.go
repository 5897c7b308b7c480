package core

import "strings"

// Members write in chat as they speak: SMS spellings, greetings, thanks and
// fillers around the question. These are read for what they are before any
// word is taken as a filter, so that "bjr, c koi les aap dispo stp" asks the
// same as "quels appels ?".

// smsWords spell out the chat abbreviations, folded.
var smsWords = map[string]string{
	"koi": "quoi", "leau": "eau", "fé": "fait", "fe": "fait", "evenmt": "evenement", "evenmts": "evenements", "evnmt": "evenement",
	"evnmts": "evenements", "pdc": "pas de calais", "calai": "calais", "publi": "publications", "publis": "publications", "forma": "formations", "formas": "formations", "apel": "appel", "apels": "appels", "appell": "appel", "appells": "appels", "finacement": "financement", "finacements": "financements", "kwa": "quoi", "ki": "qui", "kel": "quel", "kels": "quels", "kelle": "quelle", "kelles": "quelles",
	"qd": "quand", "kan": "quand", "kand": "quand", "pr": "pour", "ds": "dans", "dc": "donc",
	"ya": "y a", "yaura": "y aura", "yora": "y aura", "yen": "y en", "jcherche": "je cherche", "jveux": "je veux",
	"jvoudrais": "je voudrais", "chui": "je suis", "jsuis": "je suis", "jsui": "je suis", "chuis": "je suis",
	"tt": "tout", "tte": "toute", "ts": "tous", "ttes": "toutes", "qq": "quelques", "qqs": "quelques",
	"qqch": "quelque chose", "qqc": "quelque chose", "qqn": "quelqu un", "qlq": "quelque", "pb": "probleme",
	"dispo": "disponible", "dispos": "disponibles", "auj": "aujourd hui", "ajd": "aujourd hui", "mtn": "maintenant",
	"mnt": "maintenant", "bcp": "beaucoup", "pk": "pourquoi", "pq": "pourquoi", "pkoi": "pourquoi", "svp": "",
	"stp": "", "slvp": "", "plz": "", "pls": "", "mrc": "", "mci": "", "thx": "", "ptet": "peut etre", "ptetre": "peut etre",
	"webi": "webinaire", "webis": "webinaires", "webinar": "webinaire", "webinars": "webinaires", "evt": "evenement",
	"evts": "evenements", "event": "evenement", "events": "evenements", "aaps": "aap",
	"cmt": "comment", "cb": "combien", "cbn": "combien", "sa": "ca", "ke": "que", "keske": "qu est ce que",
	"kesk": "qu est ce que", "jpeux": "je peux", "jpourrais": "je pourrais", "vs": "vous", "nn": "non",
	"oki": "ok", "okay": "ok",
	"colloc": "collectivites", "collec": "collectivites", "collecs": "collectivites", "etab": "etablissement",
	"univ": "universite", "unifs": "universites",
	// English, as members mix it in: "any webinar on water?", "call for proposals".
	"call": "appel", "calls": "appels", "proposals": "projets", "proposal": "projet", "grant": "subvention",
	"grants": "subventions", "funding": "financement", "fundings": "financements", "ngo": "ong", "ngos": "ong",
	"youth": "jeunesse", "mobility": "mobilite",
	"water": "eau", "energy": "energie", "health": "sante", "any": "", "upcoming": "prochains",
}

// noiseWords carry no meaning for the data: greetings, politeness, fillers.
var noiseWords = wordSet(`bonjour bonsoir bjr bjour bonjoir slt salut coucou cc hello hey hi yo re bonne bon
	journee soiree matinee merci mercii merciii remerciements remercie cordialement cdlt bises bisous plait
	please svp stp alors euh heu bah ben bref voila dites dis donc hop ok okay oui non ah oh eh hum team
	bot robot assistant madame monsieur mesdames messieurs`)

// wordSet reads a list of words separated by spaces.
func wordSet(words string) map[string]bool {
	set := map[string]bool{}
	for _, w := range strings.Fields(words) {
		set[w] = true
	}
	return set
}

// elided are nouns of the network's records that an apostrophe usually
// precedes, and that no vocabulary holds: "louverture", "lunion".
var elided = wordSet(`ouverture antenne antennes union europe afrique amerique asie egalite echange echanges
	accueil acces annee agriculture alimentation environnement education energie eau ecole ecoles ecsi oise aisne`)

// objectVerbs and objectArticles introduce whom the asker helps: "qui
// soutient une école", "on accompagne des jeunes".
var (
	objectVerbs = wordSet(`soutient soutenons soutiennent soutenir aide aidons aident aider accompagne accompagnons
		accompagnent accompagner accueille accueillons accueillent parraine parrainons finance financons`)
	objectArticles = wordSet(`un une des les la le l nos notre plusieurs`)
)

// youngNouns are what "jeune" describes as new rather than young people.
var youngNouns = wordSet(`asso association structure entreprise startup collectivite organisation ong`)

// listDeterminers introduce a list: "les rendez-vous", "des rendez-vous".
var listDeterminers = wordSet(`les des prochains quels ces vos nos`)

// addressWords name whom a greeting is addressed to: "salut la team",
// "bonjour à tous", "hello tout le monde".
var addressWords = wordSet(`a la le les l tout tous toutes monde vous toi equipe gens amis amies chers cheres`)

// allIn says whether every word is in set.
func allIn(words []string, set map[string]bool) bool {
	for _, w := range words {
		if !set[w] {
			return false
		}
	}
	return true
}

// greetingWords say hello, alone: "bonjour" asks for nothing but a welcome.
var greetingWords = wordSet(`bonjour bonsoir bjr bjour slt salut coucou cc hello hey hi yo re`)

// normalise spells out the SMS words of a message and drops its noise; it
// returns the words left and whether the message greeted.
func normalise(words []string) ([]string, bool) {
	out := make([]string, 0, len(words))
	greeted := false
	for i, w := range words {
		greeted = greeted || greetingWords[w]
		if s, ok := smsWords[w]; ok {
			out = append(out, strings.Fields(s)...)
			continue
		}
		if noiseWords[w] {
			continue
		}
		// "on accompagne des jeunes": what the asker does, not a request
		// to be accompanied.
		if objectVerbs[w] && len(out) > 0 && (out[len(out)-1] == "on" || out[len(out)-1] == "nous" || out[len(out)-1] == "qui") &&
			i+1 < len(words) && objectArticles[words[i+1]] {
			continue
		}
		// "une asso qui soutient une école au Togo": the school is whom the
		// asker helps, not who asks.
		if i > 1 && objectVerbs[words[i-2]] && objectArticles[words[i-1]] && (audienceWords[w] != "" || actorTypeWords[w] != "") {
			continue
		}
		// "une jeune asso" is a new association, not one of young people.
		if (w == "jeune" || w == "petite" || w == "nouvelle") && i+1 < len(words) && youngNouns[words[i+1]] {
			continue
		}
		// "on cherche des sous pour un projet": money is funding.
		if w == "sous" && len(out) > 0 && (out[len(out)-1] == "des" || out[len(out)-1] == "de") {
			out = append(out, "financements")
			continue
		}
		// "les rendez-vous sur l'énergie" are events; "prendre rendez-vous"
		// asks for the team.
		if w == "rendez" && len(out) > 0 && listDeterminers[out[len(out)-1]] {
			out = append(out, "evenements")
			continue
		}
		// "par rapport à la population" weighs a department against its
		// population: the representation index, not a report.
		if w == "rapport" && len(out) > 0 && out[len(out)-1] == "par" {
			out = out[:len(out)-1]
			if i+3 < len(words) && words[i+1] == "a" && words[i+3] == "population" {
				out = append(out, "representation")
			}
			continue
		}
		out = append(out, w)
		// An elision written without its apostrophe: "louverture de
		// lantenne" for l'ouverture de l'antenne.
		if len(w) >= 4 && (w[0] == 'l' || w[0] == 'd') && strings.ContainsRune("aeiouyh", rune(w[1])) && !knownWords[w] {
			if rest := w[1:]; knownWords[rest] || elided[rest] {
				out = append(out, rest)
			}
		}
	}
	return out, greeted
}
