package core

import "strings"

// The brain's French vocabulary, folded (no accents, lower case). Words are
// matched whole, and long ones with a small typo allowed.

// intentWords point a free question to an intent; the first intent of
// intentOrder that has a word in the question wins.
var intentWords = map[string][]string{
	IntentStats: {"combien", "nombre", "statistique", "statistiques", "stats", "chiffres", "chiffre", "recensement", "observatoire",
		"part", "proportion", "pourcentage", "representation", "representes", "representees",
		"representativite", "repartition", "indice", "surrepresentes", "sousrepresentes"},
	IntentContact:      {"contacter", "joindre", "contact", "telephone", "mail", "email", "courriel", "adresse", "antenne", "antennes", "accompagner", "accompagne", "accompagnement", "rendez", "rdv", "secretariat", "appeler"},
	IntentTrainings:    {"formation", "formations", "former", "module", "modules", "cycle", "cycles"},
	IntentPublications: {"publication", "publications", "revue", "revues", "barometre", "barometres", "rapport", "rapports", "brochure", "capitalisation", "lire", "publie"},
	IntentCalls:        {"appel", "appels", "aap", "ami", "financement", "financements", "financer", "subvention", "subventions", "fonds", "bailleur", "bailleurs", "candidater", "candidature", "deposer", "dossier", "eligible", "eligibles", "financeur", "financeurs", "aides", "soutiens", "subventionner", "cofinancement", "cofinancements"},
	IntentAgenda:       {"agenda", "webinaire", "webinaires", "presentation", "presentations", "evenement", "evenements", "rencontre", "rencontres", "atelier", "ateliers", "forum", "forums", "commission", "commissions", "reunion", "reunions", "seminaire", "debat", "prochain", "prochaine", "prochains", "prochaines", "quand", "calendrier", "programme", "date", "dates", "groupe", "groupes", "passe", "lieu", "prevu", "prevus", "prevue", "prevues", "organise", "organisez"},
	IntentProjects:     {"projet", "projets"},
	IntentWho:          {"qui", "structures", "acteurs", "travaille", "travaillent", "agit", "agissent", "organisations", "gens", "personnes", "assos", "associations", "collectivites"},
}

var intentOrder = []string{IntentStats, IntentTrainings, IntentPublications, IntentCalls, IntentContact, IntentAgenda, IntentProjects, IntentWho}

// commands are the first words that name an intent outright.
var commands = map[string]string{
	"aide": IntentHelp, "help": IntentHelp, "?": IntentHelp, "bonjour": IntentHelp, "salut": IntentHelp,
	"appels": IntentCalls, "appel": IntentCalls, "agenda": IntentAgenda, "cherche": IntentSearch, "chercher": IntentSearch,
	"recherche": IntentSearch, "structure": IntentStructure, "projets": IntentProjects, "projet": IntentProjects,
	"qui": IntentWho, "formations": IntentTrainings, "formation": IntentTrainings, "publications": IntentPublications,
	"stats": IntentStats, "statistiques": IntentStats, "contact": IntentContact, "contacts": IntentContact,
}

// audienceWords name the audiences of events and calls.
var audienceWords = map[string]string{
	"asso": "associations", "assos": "associations", "association": "associations", "associations": "associations",
	"associatif": "associations", "associatifs": "associations", "ong": "associations",
	"collectivite": "collectivites", "collectivites": "collectivites", "mairie": "collectivites", "mairies": "collectivites",
	"commune": "collectivites", "communes": "collectivites", "ville": "collectivites", "villes": "collectivites",
	"elus": "collectivites", "elu": "collectivites", "departement": "collectivites", "region": "collectivites",
	"ecole": "etablissements-scolaires", "ecoles": "etablissements-scolaires", "lycee": "etablissements-scolaires",
	"lycees": "etablissements-scolaires", "college": "etablissements-scolaires", "colleges": "etablissements-scolaires",
	"etablissement": "etablissements-scolaires", "etablissements": "etablissements-scolaires", "enseignants": "etablissements-scolaires",
	"universite": "enseignement-superieur", "universites": "enseignement-superieur", "fac": "enseignement-superieur",
	"etudiant": "enseignement-superieur", "etudiants": "enseignement-superieur", "universitaires": "enseignement-superieur",
	"entreprise": "entreprises", "entreprises": "entreprises", "start up": "entreprises", "startup": "entreprises",
	"startups": "entreprises", "pme": "entreprises", "societe": "entreprises",
	"labo": "laboratoires", "labos": "laboratoires", "laboratoire": "laboratoires", "laboratoires": "laboratoires",
	"chercheurs": "laboratoires", "recherche": "laboratoires",
	"fondation": "fondations", "fondations": "fondations",
	"jeune": "jeunes", "jeunes": "jeunes", "ados": "jeunes", "adolescents": "jeunes", "adolescent": "jeunes",
	"culturel": "acteurs-culturels", "culturels": "acteurs-culturels", "artistes": "acteurs-culturels",
	"citoyen": "citoyens", "citoyens": "citoyens",
}

// actorTypeWords name actor types outright.
var actorTypeWords = map[string]string{
	"osim": "osim", "diaspora": "osim", "jumelage": "jumelage", "jumelages": "jumelage", "ong": "ong",
	"collectivite": "collectivite-territoriale", "collectivites": "collectivite-territoriale",
	"mairie": "collectivite-territoriale", "mairies": "collectivite-territoriale",
	"lycee": "etablissement-scolaire", "lycees": "etablissement-scolaire", "ecole": "etablissement-scolaire",
	"ecoles": "etablissement-scolaire", "entreprise": "entreprise", "entreprises": "entreprise",
	"fondation": "fondation", "fondations": "fondation", "syndicat": "syndicat", "syndicats": "syndicat",
	"universite": "enseignement-superieur", "universites": "enseignement-superieur",
	"hopital": "hopital", "hopitaux": "hopital", "consultant": "consultant", "consultants": "consultant",
	"structure jeunesse": "structure-jeunesse", "structures jeunesse": "structure-jeunesse", "mission locale": "structure-jeunesse",
	"missions locales": "structure-jeunesse", "centre social": "structure-jeunesse", "centres sociaux": "structure-jeunesse",
	"etablissement scolaire": "etablissement-scolaire", "etablissements scolaires": "etablissement-scolaire",
	"assos locales": "association-locale", "associations locales": "association-locale", "asso locale": "association-locale", "association locale": "association-locale",
	"bureau etudes": "consultant", "bureau d etudes": "consultant", "bureaux etudes": "consultant",
	"association etudiante": "association-etudiante", "associations etudiantes": "association-etudiante", "asso etudiante": "association-etudiante", "assos etudiantes": "association-etudiante",
}

// themeWords name themes; several words can point to one.
var themeWords = map[string]string{
	"eau": "eau-assainissement", "eaux": "eau-assainissement", "assainissement": "eau-assainissement",
	"forage": "eau-assainissement", "forages": "eau-assainissement", "puits": "eau-assainissement",
	"energie": "energie", "energies": "energie", "electrification": "energie", "electricite": "energie",
	"solaire": "energie", "energetique": "energie",
	"dechet": "dechets", "dechets": "dechets", "recyclage": "dechets",
	"ecsi": "ecsi", "citoyennete": "ecsi",
	"jeunesse": "jeunesse-mobilite", "mobilite": "jeunesse-mobilite", "mobilites": "jeunesse-mobilite",
	"chantier": "jeunesse-mobilite", "chantiers": "jeunesse-mobilite",
	"volontariat": "volontariat", "volontaire": "volontariat", "volontaires": "volontariat", "service civique": "volontariat",
	"culture": "culture", "culturel": "culture", "culturelle": "culture",
	"agriculture": "agriculture-alimentation", "alimentation": "agriculture-alimentation", "agricole": "agriculture-alimentation",
	"agroecologie": "agriculture-alimentation", "alimentaire": "agriculture-alimentation", "nutrition": "agriculture-alimentation",
	"agroecologique": "agriculture-alimentation", "education a la citoyennete": "ecsi", "permaculture": "agriculture-alimentation", "maraichage": "agriculture-alimentation",
	"francophonie": "francophonie", "villes durables": "villes-durables", "ville durable": "villes-durables",
	"climat": "climat", "carbone": "climat", "climatique": "climat",
	"gouvernance": "gouvernance-locale", "sante": "sante", "education": "education", "educatif": "education",
	"numerique": "numerique", "virtuel": "numerique", "virtuels": "numerique",
	"cooperation decentralisee": "cooperation-decentralisee",
}

// programmeWords are funders and programmes, searched as text in calls and
// events.
var programmeWords = map[string]string{
	"daect": "DAECT", "erasmus": "Erasmus", "amp": "AMP", "microprojet": "microprojets",
	"microprojets": "microprojets", "fasep": "FASEP", "recital": "Récital",
	"ces": "Corps Européen de Solidarité", "isi": "ISI", "jsi": "JSI", "vvvsi": "VVVSI", "meae": "MEAE",
	"instituts francais": "instituts français", "institut francais": "instituts français",
	"jeunesse vii": "Jeunesse VII", "corps europeen": "Corps Européen de Solidarité",
	"energie pour afrique": "Energie pour l'Afrique",
}

// eventKindWords name the programme's tables of events.
var eventKindWords = map[string]string{
	"webinaire": "webinaire", "webinaires": "webinaire", "webinar": "webinaire", "webinars": "webinaire",
	"en ligne": "webinaire", "groupe de travail": "groupe_de_travail", "groupes de travail": "groupe_de_travail",
	"evenements publics": "evenement", "evenement public": "evenement",
}

// formatWords name event formats, matched against the events' format.
var formatWords = map[string]string{
	"atelier": "atelier", "ateliers": "atelier", "commission": "commission", "commissions": "commission",
	"forum": "forum", "forums": "forum", "seminaire": "séminaire", "debat": "débat", "groupe pays": "groupe pays",
	"reunion d information": "réunion d'information", "reunions d information": "réunion d'information",
	"reunion d info": "réunion d'information", "reunions d info": "réunion d'information", "reunion info": "réunion d'information",
	"reunions info": "réunion d'information",
}

// stopWords are dropped before a question is used as a search.
var questionWords = map[string]bool{
	"quels": true, "quelles": true, "quel": true, "quelle": true, "qui": true, "ou": true, "quand": true, "comment": true,
	"est": true, "y": true, "a": true, "t-il": true, "il": true, "ya": true, "existe": true,
	"je": true, "j": true, "me": true, "moi": true, "mon": true, "ma": true, "mes": true, "on": true, "nous": true,
	"peux": true, "peut": true, "veux": true, "voudrais": true, "cherche": true, "chercher": true, "trouver": true,
	"dis": true, "donne": true, "liste": true, "lister": true, "montre": true, "svp": true, "stp": true, "merci": true,
	"bonjour": true, "salut": true, "sont": true, "les": true, "des": true, "pour": true, "sur": true, "avec": true,
	"dans": true, "en": true, "au": true, "aux": true, "le": true, "la": true, "du": true, "de": true, "un": true, "une": true,
	"et": true, "c": true, "ce": true, "cette": true, "ces": true, "qu": true, "que": true, "faire": true,
	"prochain": true, "prochains": true, "prochaine": true, "prochaines": true, "travaille": true,
	"travaillent": true, "agit": true, "agissent": true, "structures": true, "structure": true, "acteurs": true,
	"quoi": true, "lequel": true, "laquelle": true, "lesquels": true, "quelque": true, "chose": true, "choses": true,
	"rien": true, "tout": true, "tous": true, "toutes": true, "savoir": true, "info": true, "infos": true,
	"information": true, "informations": true, "connaitre": true, "voir": true, "avoir": true, "etre": true,
	"besoin": true, "aimerais": true, "souhaite": true, "interesse": true, "interessee": true, "possible": true,
	// Words that ask about a named thing: "tu connais l'asso X ?", "X, ils font quoi ?".
	"connais": true, "connaissez": true, "connait": true, "font": true, "fait": true, "faites": true, "parle": true,
	"parlez": true, "presente": true, "presentez": true, "fiche": true, "renseignements": true, "ils": true, "elles": true,
	"tu": true, "vous": true, "sais": true, "savez": true, "avez": true, "as": true, "ont": true, "ete": true, "sommes": true,
	"suis": true, "serait": true, "sera": true, "sont-ils": true, "pourrais": true, "pourriez": true, "pouvez": true,
	"pourraient": true, "pourrait": true, "concerner": true, "concerne": true, "interesser": true, "nous concerner": true,
}

// territoryWords name where a call applies.
var territoryWords = map[string]string{
	"europeen": "europeen", "europeens": "europeen", "europeenne": "europeen", "europeennes": "europeen", "europe": "europeen",
	"regional": "regional", "regionaux": "regional", "regionale": "regional", "regionales": "regional",
	"national": "national", "nationaux": "national", "nationale": "national", "nationales": "national",
	"international": "international", "internationaux": "international", "internationale": "international",
}

// publicationWords name kinds of publications, searched in their titles.
var publicationWords = map[string]string{
	"barometre": "baromètre", "barometres": "baromètre", "revue": "revue", "revues": "revue",
	"rapport": "rapport", "brochure": "brochure", "capitalisation": "capitalisation",
}

// dateWords are the words of dates, read by parseWhen, never searched.
var dateWords = strings.Fields(`janvier fevrier mars avril mai juin juillet aout septembre octobre novembre decembre
	printemps ete automne hiver demain apres-demain aujourd'hui hui semaine semaines mois annee annees an ans
	prochaine prochain avant ici fin debut semestre premier second deuxieme cette cet ce ci jour jours lieu passe`)
