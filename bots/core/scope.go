package core

import (
	"slices"
	"strconv"
	"strings"
)

// IntentOutOfScope is the honest answer to a question the data cannot
// answer: the bot says it does not know, what it can say on the subject, and
// how to reach the team. It never answers with unrelated records.
const IntentOutOfScope = "hors_champ"

// topic is a subject members ask about that the data does not hold.
type topic struct {
	// words are folded words, phrases are folded word sequences: one is enough.
	words, phrases []string
	// dont says what the bot does not know; can what it can answer instead.
	dont, can string
	// soft topics give way to a question that names what the bot answers
	// ("une commune de 3000 habitants : quels appels ?").
	soft bool
	// firm topics hold whatever else the question asks: a count of a past
	// year is not in the data, be it of support sessions.
	firm bool
	// imperative topics are requests made to the bot: their verbs count at
	// the start of a sentence or after "tu peux", not in "on envoie du
	// matériel au Togo".
	imperative bool
	// except are phrases where the topic's words mean something the bot
	// answers: "apprendre à faire un budget" asks for a training.
	except []string
}

var outOfScope = []topic{
	{words: strings.Fields("meteo pluie pleuvoir pleut neige temperature temperatures canicule"), phrases: []string{"quel temps", "temps fait", "fera beau", "fait beau"},
		dont: "quel temps il fait ni quel temps il fera", can: "Je peux vous donner l'agenda du réseau : écrivez « agenda »."},
	{words: strings.Fields("prix tarif tarifs coute coutent cout couts payant payante payantes payants gratuit gratuite gratuites gratuits euros eur cher chere frais"),
		dont: "ce que coûtent les formations et les événements", can: "Je peux vous dire quelles formations et quels événements existent : écrivez « formations » ou « agenda »."},
	{words: strings.Fields("adherer adhesion adhesions adherent adherente adherents cotisation cotisations cotiser"),
		phrases: []string{"devenir membre", "etre membre", "rejoindre le reseau", "rejoindre lianes", "faire partie du reseau", "faire partie de lianes", "membre du reseau", "membre de lianes"},
		except:  []string{"vient de rejoindre", "venons de rejoindre", "viens de rejoindre", "avons rejoint", "a rejoint", "nouveaux membres", "nouvel adherent", "nouvelle adherente"},
		dont:    "comment adhérer au réseau : ses conditions d'adhésion ne sont pas dans mes données", can: "Je peux vous présenter le réseau et son équipe : écrivez « contact »."},
	{words: strings.Fields("montant montants budget budgets enveloppe enveloppes argent bilan bilans verse versee verses versees"),
		except: []string{"faire un budget", "monter un budget", "construire un budget", "elaborer un budget", "gerer un budget", "faire le budget", "monter le budget"},
		dont:   "quels montants ont été accordés : les bilans des financements ne sont pas dans mes données", can: "Je peux lister les appels à projets ouverts aujourd'hui : écrivez « appels »."},
	{words: strings.Fields("salaire salaires salarie salaries salariee salariees recrute recrutement recrutements recrutez embauche embauchez emploi emplois job jobs stage stages stagiaire stagiaires alternance alternant cv poste postes benevole benevoles benevolat indemnite indemnites remuneration remunere remuneree gratification"),
		except:  []string{"suis benevole", "sommes benevoles", "est benevole", "en tant que benevole", "suis salarie", "suis salariee", "suis stagiaire"},
		phrases: []string{"paye combien", "payee combien", "payes combien", "payees combien", "combien paye", "touche combien"},
		dont:    "quelles offres d'emploi, de stage ou de bénévolat existent, ni qui compose l'équipe salariée", can: "Je peux vous dire quelles structures travaillent sur un thème ou dans un pays : « qui travaille au Sénégal ? »."},
	{words: strings.Fields("president presidente presidents preside presidee presider tresorier tresoriere secretaire maire maires ministre ministres depute deputes senateur prefet "),
		phrases: []string{"conseil d administration", "bureau de lianes", "bureau du reseau"},
		dont:    "qui dirige ou préside les structures", can: "Je peux vous donner la fiche d'une structure : « structure MEL »."},
	{words: strings.Fields("visa visas passeport billet billets avion vol vols hotel hotels logement hebergement vaccin vaccins assurance assurances douane train trains tgv ter sncf covoiturage"),
		dont: "comment organiser un voyage (visa, billets, logement, vaccins)", can: "L'équipe accompagne les projets de mobilité internationale : écrivez « contact »."},
	{words: strings.Fields("capitale capitales habitants population populations superficie langue langues monnaie histoire taux change cfa devise devises pib inflation economie"),
		soft: true, dont: "répondre aux questions de culture générale", can: "Je réponds sur les appels à projets, l'agenda, les structures, les projets, les formations et les chiffres du réseau."},
	{words: strings.Fields("blague blagues raconte poeme chanson foot football match sport recette cuisine film films musique horoscope resto restos restaurant restaurants manger gagne gagner gagnant vainqueur fois multiplie divise calcule calcul racine"),
		dont: "faire ça", can: "Je réponds sur les appels à projets, l'agenda, les structures, les projets, les formations et les chiffres du réseau."},
	{phrases: []string{"quelle heure est il", "quel jour sommes nous", "quel jour on est", "on est quel jour", "quelle date sommes nous"},
		dont: "l'heure qu'il est", can: "Je peux vous dire ce qui est prévu : « agenda cette semaine »."},
	{imperative: true, words: strings.Fields("inscris inscrivez inscrire reserve reservez reserver paye payez envoie envoyez annule annulez annuler supprime supprimez supprimer modifie modifiez modifier telecharge imprime rappelle rappelez traduis deplacer decaler"),
		dont: "faire cette démarche à votre place", can: "Chaque fiche donne le lien d'inscription ou de dépôt quand il existe ; l'équipe vous aide pour le reste."},
	{words: strings.Fields("siret siren rna iban rib statuts tva"), phrases: []string{"numero de declaration", "kbis"},
		dont: "quelles sont les informations administratives des structures (SIRET, statuts, coordonnées bancaires)", can: "Je peux vous donner la fiche d'une structure : « structure MEL »."},
	{words: strings.Fields("vacances ferie feries greve greves"), phrases: []string{"jour ferie", "jours feries", "calendrier scolaire"},
		dont: "quand tombent les vacances scolaires et les jours fériés", can: "Je peux vous dire ce que le réseau organise : écrivez « agenda »."},
	{words: strings.Fields("dangereux dangereuse danger dangers securite securitaire attentat attentats voyager"), phrases: []string{"conseils aux voyageurs", "zone rouge"},
		dont: "si un pays est sûr pour voyager : les conseils aux voyageurs ne sont pas dans mes données", can: "Les conseils aux voyageurs sont ceux du ministère des Affaires étrangères ; je peux vous dire qui travaille dans un pays : « qui travaille au Burkina ? »."},
	{words: strings.Fields("parking parkings stationnement stationner garer navette navettes traiteur buffet dejeuner wifi"),
		phrases: []string{"se garer", "acces pmr", "accessible en fauteuil", "mobilite reduite"},
		dont:    "les détails pratiques des événements (parking, repas, accessibilité)", can: "Chaque fiche donne le lieu et le lien d'inscription ; l'équipe répond pour le reste : écrivez « contact »."},
	{words: strings.Fields("qualiopi certifie certifiee certifiees certifies certification certifications certifiante certifiantes diplome diplomes diplomante diplomantes cpf"),
		dont: "si les formations sont certifiées ou éligibles à un financement de la formation professionnelle", can: "Je peux vous dire quelles formations existent et leurs modules : écrivez « formations »."},
	{words: strings.Fields("enregistre enregistree enregistres enregistrees enregistrement enregistrements replay replays rediffusion rediffuse revoir"),
		dont: "si les rendez-vous sont enregistrés ou rediffusés", can: "Je peux vous donner la fiche du rendez-vous : sa date, son lieu et son lien d'inscription."},
	{words: strings.Fields("intervient interviennent intervenant intervenants intervenante intervenantes speaker speakers orateur orateurs conferencier conferenciers"),
		dont: "qui intervient aux rendez-vous", can: "Je peux vous donner la fiche du rendez-vous : sa date, son lieu et son lien d'inscription."},
	{words: strings.Fields("anglais espagnol allemand portugais arabe english traduction traduite traduit soustitre soustitres"),
		phrases: []string{"en quelle langue", "dans quelle langue"},
		dont:    "dans quelle langue se tiennent les formations et les rendez-vous", can: "Je peux vous dire quelles formations et quels rendez-vous existent : écrivez « formations » ou « agenda »."},
	{words: strings.Fields("complet complets complete completes"), phrases: []string{"reste des places", "reste de la place", "places disponibles", "places restantes", "encore des places", "plus de places", "nombre de places"},
		dont: "s'il reste des places", can: "La fiche du rendez-vous donne son lien d'inscription ; l'équipe vous répond pour le reste : écrivez « contact »."},
	{words: strings.Fields("horaires horaire"), phrases: []string{"heures d ouverture", "heure d ouverture", "ouvert le samedi", "ouvert le dimanche",
		"ouvert a quelle heure", "ouverts a quelle heure", "ouverte a quelle heure", "ouvre a quelle heure", "ouvrez a quelle heure",
		"ferme a quelle heure", "fermez a quelle heure", "a quelle heure ouvre", "a quelle heure ferme"},
		dont: "à quelles heures les antennes sont ouvertes", can: "Je peux vous donner l'adresse des antennes : écrivez « contact »."},
	{words: strings.Fields("fonde fondee fondateur fondatrice fondateurs"), phrases: []string{"date de creation", "cree en", "depuis quand existe"},
		dont: "raconter l'histoire du réseau", can: "Je peux vous présenter ses actions de l'année : écrivez « agenda » ou « publications »."},
	{words: strings.Fields("remplir remplis remplissez rediger redige redigez ecris ecrivez corriger corrige relire relis"), phrases: []string{"a ma place", "a notre place", "compte rendu", "comptes rendus", "proces verbal"},
		dont: "faire cela pour vous", can: "L'équipe accompagne le montage des dossiers en rendez-vous : écrivez « contact »."},
	{words: strings.Fields("password identifiant identifiants"), phrases: []string{"mot de passe", "me connecter", "creer un compte", "mon compte"},
		dont: "gérer les comptes", can: "L'équipe vous répond pour l'accès aux outils du réseau."},
}

// pastYearFunding is a question about what was funded in a past year:
// "combien de projets la DAECT a financé en 2020 ?".
func pastYearFunding(words []string, year int) bool {
	funded := false
	for _, w := range words {
		switch w {
		case "finance", "finances", "financee", "financees", "subventionne", "subventionnes", "subventionnee", "obtenu", "obtenus", "recu", "recus", "accorde", "accordes", "laureat", "laureats", "retenu", "retenus", "selectionne", "selectionnes", "remporte", "remportes", "gagne", "gagnes":
			funded = true
		}
	}
	if !funded {
		return false
	}
	for i, w := range words {
		if y, err := strconv.Atoi(w); err == nil && y > 1990 && y < year {
			return true
		}
		if (w == "derniere" || w == "dernier" || w == "passee" || w == "passe") && i > 0 && (words[i-1] == "annee" || words[i-1] == "an") {
			return true
		}
	}
	return false
}

// outOfScopeTopic finds the subject the data does not hold that a message
// asks about, if any.
func outOfScopeTopic(words []string, folded string, year int) (topic, bool) {
	asks := false
	for _, w := range words {
		asks = asks || w != "qui" && w != "combien" && hasIntentWord([]string{w})
	}
	if pastYearFunding(words, year) {
		return topic{firm: true, dont: "quels financements ont été accordés les années passées", can: "Je peux lister les appels à projets ouverts aujourd'hui : écrivez « appels »."}, true
	}
	if pastYearCount(words, year) {
		return topic{firm: true, dont: "donner les chiffres des années passées", can: "Je donne les chiffres d'aujourd'hui et ceux du dernier recensement publié : écrivez « stats »."}, true
	}
	set := map[string]bool{}
	for _, w := range words {
		set[w] = true
	}
	for _, t := range outOfScope {
		if t.soft && asks || slices.ContainsFunc(t.except, func(p string) bool { return containsPhrase(folded, p) }) {
			continue
		}
		for _, w := range t.words {
			if set[w] && (!t.imperative || requested(words, w)) {
				return t, true
			}
		}
		for _, p := range t.phrases {
			if containsPhrase(folded, p) {
				return t, true
			}
		}
	}
	return topic{}, false
}

// pastYearCount is a count asked of a past year: "combien de structures
// dans l'observatoire en 2019 ?".
func pastYearCount(words []string, year int) bool {
	counting := false
	for _, w := range words {
		counting = counting || w == "combien" || w == "nombre"
	}
	if !counting {
		return false
	}
	for i, w := range words {
		if y, err := strconv.Atoi(w); err == nil && y > 1990 && y < year {
			return true
		}
		if (w == "derniere" || w == "dernier" || w == "passee") && i > 0 && (words[i-1] == "annee" || words[i-1] == "an") {
			return true
		}
	}
	return false
}

// requestWords ask the bot to act: "tu peux annuler…", "pouvez-vous…".
var requestWords = wordSet(`peux pouvez pourrais pourriez tu vous me m moi merci svp stp`)

// requested says whether verb is asked of the bot: first word of the
// message, or right after a word that asks.
func requested(words []string, verb string) bool {
	for i, w := range words {
		if w != verb {
			continue
		}
		if i == 0 || requestWords[words[i-1]] || i > 1 && requestWords[words[i-2]] {
			return true
		}
	}
	return false
}

// questionCues are the words that make a message a question asked of the
// bot, rather than words thrown at it.
var questionCues = wordSet(`quel quels quelle quelles comment combien pourquoi quand ou qui quoi est-ce peux pouvez
	peut pourrais pourriez sais savez connais connaissez faut dois doit existe`)

func isQuestion(text string, words []string) bool {
	if strings.Contains(text, "?") {
		return true
	}
	for _, w := range words {
		if questionCues[w] {
			return true
		}
	}
	return false
}
