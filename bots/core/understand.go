package core

import (
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/agnivade/levenshtein"

	"github.com/lianes-cooperation/lianes/internal/observatory"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/reference"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// request is what the brain understood of a message.
type request struct {
	original string // the message as written, cleaned, without "page N"
	page     int
	intent   string
	command  bool   // the message starts with a command word
	args     string // for a command, what follows it, cleaned
	folded   string // the whole message, folded, cleaned of noise

	// The criteria understood.
	audiences, actorTypes, departments, countries, themes []string
	kinds, formats, communes, territories, programmes     []string
	places                                                []string // communes of the region named, read as their departments
	when                                                  *when

	rest       []string // the words that are not question words
	extra      []string // the words of rest that no vocabulary knows
	titleWords string   // the extra words, when they name records by their titles
	readings   []string // two lists the message asks for side by side
	scope      *topic   // a subject the data does not hold

	greeted  bool // the message said hello
	question bool // it asks something (a question mark or a question word)
	followed bool // it was read with the question before it
	// forUs is what a "pour nous" question asks for (forus.go), "" for
	// another question.
	forUs string
}

// maxMessage is the longest message the brain reads: chat questions are
// short, and a wall of text is not a question.
const maxMessage = 1000

var (
	// Mentions and markup of Slack, Discord and Markdown: never read as
	// words, never echoed.
	reMentions = regexp.MustCompile(`<[@#!&][^>]*>|@(?:everyone|here|channel)\b|@[\w.-]+`)
	reMarkup   = regexp.MustCompile("[*_~`|<>\\[\\]{}]")
	reSpaces   = regexp.MustCompile(`\s+`)
)

// clean removes what must never be read or echoed: mentions, markup and
// control characters.
func clean(text string) string {
	text = reMentions.ReplaceAllString(text, " ")
	text = reMarkup.ReplaceAllString(text, " ")
	text = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, text)
	return strings.TrimSpace(reSpaces.ReplaceAllString(text, " "))
}

// vocabulary is what the brain knows of the data: reference lists and the
// communes of its structures.
type vocabulary struct {
	ref      *reference.Lists
	communes map[string]string // folded -> as written
	// entities are the words of places, read as filters, never as text.
	entities map[string]bool
	// contactLine tells how to reach the team, in every honest answer.
	contactLine string
	// titles are the programme's records by the terms of their titles.
	titles titleIndex
	// totals are the network's counts as of the vocabulary's renewal: "stats"
	// gives figures a minute old at most, where counting 100 000 structures,
	// their projects and contacts took 60 ms a question on PostgreSQL.
	totals observatory.Totals
}

// entityWords are the words of countries, departments and communes: read as
// filters, not as text to search.
func (v vocabulary) entityWords() map[string]bool {
	set := map[string]bool{}
	if v.ref != nil {
		for _, c := range v.ref.Countries {
			for _, w := range search.Words(c.Name) {
				set[w] = true
			}
		}
	}
	for c := range v.communes {
		for _, w := range strings.Fields(c) {
			set[w] = true
		}
	}
	for region := range formerRegions {
		for _, w := range strings.Fields(region) {
			set[w] = true
		}
	}
	for region := range regionCountries {
		for _, w := range strings.Fields(region) {
			set[w] = true
		}
	}
	for _, m := range []map[string]string{departmentNames, countryAdjectives, countryAliases} {
		for k := range m {
			for _, w := range strings.Fields(k) {
				set[w] = true
			}
		}
	}
	return set
}

// match finds a vocabulary key in the words: multi-word keys in the folded
// text, single words exactly or, when long enough, with one typo (two for
// long words).
func match[V any](words []string, text string, vocab map[string]V) []V {
	var out []V
	seen := map[string]bool{}
	keys := make([]string, 0, len(vocab))
	for k := range vocab {
		keys = append(keys, k)
	}
	sort.Strings(keys) // a stable order whatever the map's
	for _, k := range keys {
		if strings.Contains(k, " ") && (containsPhrase(text, k) || fuzzyPhrase(words, k)) && !seen[k] {
			seen[k] = true
			out = append(out, vocab[k])
		}
	}
	for _, w := range words {
		if v, ok := vocab[w]; ok {
			if !seen[w] {
				seen[w] = true
				out = append(out, v)
			}
			continue
		}
		if knownWords[w] {
			continue // a word of the vocabulary is not a typo of another one
		}
		if _, place := regionCommunes[w]; place {
			continue // "Lille" is not a typo of "ville"
		}
		if k := closest(w, keys); k != "" && !seen[k] {
			seen[k] = true
			out = append(out, vocab[k])
		}
	}
	return out
}

// fuzzyPhrase says whether the words hold a multi-word key, each word as
// written or, when long enough, with a typo: "strucutres jeunesses" is the
// phrase "structures jeunesse".
func fuzzyPhrase(words []string, key string) bool {
	parts := strings.Fields(key)
	for i := 0; i+len(parts) <= len(words); i++ {
		all := true
		for j, p := range parts {
			w := words[i+j]
			if w != p && closest(w, []string{p}) == "" {
				all = false
				break
			}
		}
		if all {
			return true
		}
	}
	return false
}

// closest returns the key within a small edit distance of a word, or "".
func closest(word string, keys []string) string {
	if len(word) < 5 {
		return ""
	}
	allowed := 1
	if len(word) >= 10 {
		allowed = 2
	}
	best, bestDist := "", allowed+1
	for _, k := range keys {
		if strings.Contains(k, " ") || abs(len(k)-len(word)) > allowed || len(k) < 5 {
			continue
		}
		if d := levenshtein.ComputeDistance(word, k); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// knownWords are all the words of the vocabulary.
var knownWords = func() map[string]bool {
	set := map[string]bool{}
	for _, m := range []map[string]string{audienceWords, actorTypeWords, themeWords, programmeWords, eventKindWords,
		formatWords, countryAdjectives, commands, departmentNames, territoryWords} {
		for k := range m {
			for _, w := range strings.Fields(k) {
				set[w] = true
			}
		}
	}
	for _, words := range intentWords {
		for _, w := range words {
			set[w] = true
		}
	}
	for w := range questionWords {
		set[w] = true
	}
	for _, w := range dateWords {
		set[w] = true
	}
	for w := range themeLeads {
		set[w] = true
	}
	return set
}()

// themeLeads introduce a theme rather than name a record: "l'accès à
// l'énergie", "le secteur de la santé", "la thématique de l'eau", "liés au
// projet de forage". Unknown,
// they narrowed the answer to the records whose titles hold them.
var themeLeads = wordSet(`acces domaine domaines secteur secteurs thematique thematiques enjeu enjeux filiere filieres
	lie lies liee liees concernant relatif relatifs relative relatives`)

// knownList is knownWords as a slice, for typo matching.
var knownList = func() []string {
	out := make([]string, 0, len(knownWords))
	for w := range knownWords {
		out = append(out, w)
	}
	sort.Strings(out)
	return out
}()

func isNumber(w string) bool {
	return strings.IndexFunc(w, func(r rune) bool { return r < '0' || r > '9' }) < 0
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

func containsPhrase(text, phrase string) bool {
	i := strings.Index(" "+text+" ", " "+phrase+" ")
	return i >= 0
}

func uniq(s []string) []string {
	seen := map[string]bool{}
	out := s[:0:0]
	for _, v := range s {
		if v != "" && !seen[v] {
			seen[v] = true
			out = append(out, v)
		}
	}
	return out
}

// understand reads a message: a command, or a free question with its
// entities. Noise (greetings, thanks, SMS spellings) is read as such first;
// the words left that no vocabulary knows are kept aside, never used as a
// filter, so that an unknown word cannot empty an answer.
func understand(text string, today period.Date, v vocabulary) request {
	original, page := pageOf(clean(text))
	folded := search.Fold(original)
	words, greeted := normalise(search.Words(original))
	r := request{original: original, page: page, folded: strings.Join(words, " "), greeted: greeted,
		question: isQuestion(original, words)}
	if greeted && allIn(words, addressWords) {
		words = nil // "salut la team", "bonjour à tous": a greeting alone
	}
	if len(words) == 0 {
		r.intent = IntentEmpty
		if greeted {
			r.intent = IntentHelp
		}
		return r
	}
	if intent, ok := commands[words[0]]; ok {
		r.intent, r.command = intent, true
		r.args = strings.Join(words[1:], " ")
		// "qui" and "structure" are also the first word of free questions;
		// "qui travaille au Mali ?" reads the same either way.
	}

	text2 := r.folded
	r.audiences = uniq(match(words, text2, audienceWords))
	if regionAsPlace(original, words) {
		r.audiences = slices.DeleteFunc(r.audiences, func(a string) bool { return a == "collectivites" })
	}
	r.actorTypes = uniq(match(words, text2, actorTypeWords))
	r.themes = uniq(match(words, text2, themeWords))
	r.programmes = uniq(match(words, text2, programmeWords))
	if len(r.programmes) > 0 {
		// "Jeunesse VII" names a programme, not the theme of youth: the
		// themes are read from the words outside the programmes' names.
		outside := " " + text2 + " "
		for k := range programmeWords {
			if strings.Contains(k, " ") {
				outside = strings.ReplaceAll(outside, " "+k+" ", " ")
			}
		}
		rest := strings.Fields(outside)
		r.themes = uniq(match(rest, strings.Join(rest, " "), themeWords))
	}
	r.kinds = uniq(match(words, text2, eventKindWords))
	r.formats = uniq(match(words, text2, formatWords))
	r.countries = uniq(append(append(matchCountries(words, text2, v.ref), match(words, text2, countryAdjectives)...),
		matchPhrases(text2, countryAliases)...))
	for region, codes := range regionCountries {
		if containsPhrase(text2, region) {
			r.countries = uniq(append(r.countries, codes...))
		}
	}
	if reIvoryCoast.MatchString(original) {
		r.countries = uniq(append(r.countries, "CI"))
	}
	r.departments = uniq(matchDepartments(words, v.ref))
	// "Calais" in "Pas-de-Calais" names the department, not the commune.
	inDepartment := departmentNameWords(text2)
	// Where the asker is ("je suis étudiant à Lille") is no criterion when
	// the question names a department of its own ("des OSIM dans le Nord").
	self := map[int]bool{}
	if len(r.departments) > 0 {
		self = selfClause(words)
	}
	for i, w := range words {
		// "Calais" in "Pas-de-Calais" names the department, not the commune.
		if c, ok := v.communes[w]; ok && len(w) > 3 && !inDepartment[w] && !self[i] {
			r.communes = append(r.communes, c)
		}
	}
	r.communes = uniq(r.communes)
	if len(r.communes) == 0 {
		// A commune of the region with no structure in the data stands for
		// its department: "une mairie de Beauvais" is in the Oise.
		names, deps := communeDepartments(words)
		r.places = names
		r.departments = uniq(append(r.departments, deps...))
	}
	r.territories = uniq(match(words, text2, territoryWords))
	if w, ok := parseWhen(folded, today); ok {
		r.when = &w
	}
	entityWords := v.entities
	placeWords := map[string]bool{}
	for _, p := range r.places {
		for _, w := range search.Words(p) {
			placeWords[w] = true
		}
	}
	for region := range regionCountries {
		if containsPhrase(text2, region) {
			for _, w := range strings.Fields(region) {
				placeWords[w] = true
			}
		}
	}
	for _, w := range words {
		if questionWords[w] || len(w) < 2 {
			continue
		}
		r.rest = append(r.rest, w)
		if len(w) >= 3 && len(search.Terms(w)) > 0 && !isNumber(w) && !knownWords[w] && !entityWords[w] && !placeWords[w] && closest(w, knownList) == "" {
			r.extra = append(r.extra, w)
		}
	}
	if t, ok := outOfScopeTopic(words, text2, today.Time(time.UTC).Year()); ok {
		r.scope = &t
	}

	if r.readings = readings(words); len(r.readings) == 2 {
		r.command = false // "formations ou webinaires ?" asks, it does not command
	}
	if r.command {
		if r.intent == IntentWho { // "qui on a accompagné… ?", "qui contacter chez Oxfam ?"
			if intent := peopleIntent(words, r.when != nil); intent != "" {
				r.intent, r.command = intent, false
			}
		}
		return r
	}
	r.intent = detectIntent(words)
	switch {
	case r.when != nil && (r.intent == IntentWho || r.intent == IntentSearch):
		r.intent = IntentAgenda // "qu'est-ce qui se passe en mai ?"
	case len(r.kinds) > 0 && r.intent == IntentSearch:
		r.intent = IntentAgenda
	case r.intent == IntentSearch && len(r.programmes) > 0:
		r.intent = IntentCalls // "microprojets", "erasmus ?"
	case r.intent == IntentSearch && len(r.actorTypes)+len(r.audiences)+len(r.departments) > 0:
		r.intent = IntentWho // "quelles osim ?", "les jumelages"
	}
	if intent := peopleIntent(words, r.when != nil); intent != "" {
		r.intent = intent
	}
	if r.intent == IntentCalls && hasAny(words, eventNouns) {
		r.intent = IntentAgenda // "y a-t-il des rencontres entre financeurs ?"
	}
	if hasAny(words, selfWords) && r.intent == IntentWho && len(r.countries)+len(r.themes) > 0 {
		// "je suis dans une asso de Boulogne, on travaille au Sénégal : qui
		// d'autre travaille là-bas ?": who the asker is does not filter who
		// else works there.
		r.audiences, r.actorTypes, r.departments, r.communes, r.places = nil, nil, nil, nil, nil
	}
	if own := ownAudiences(words); len(own) > 0 && len(r.audiences) > 1 {
		// "je suis à la mairie de Compiègne, on voudrait envoyer des jeunes…":
		// who may apply is the asker, not the young people they send.
		r.audiences = own
	}
	if containsPhrase(text2, "sur represente") || containsPhrase(text2, "sous represente") || containsPhrase(text2, "sur representes") {
		r.intent = IntentStats
	}
	if slices.Contains(r.actorTypes, "structure-jeunesse") && (fuzzyPhrase(words, "structure jeunesse") || fuzzyPhrase(words, "structures jeunesse")) {
		r.themes = slices.DeleteFunc(r.themes, func(t string) bool { return t == "jeunesse-mobilite" })
		r.audiences = slices.DeleteFunc(r.audiences, func(a string) bool { return a == "jeunes" })
	}
	// "une entreprise de l'Oise qui a un projet au Sénégal ?" asks for
	// structures, by what their projects are.
	if r.intent == IntentProjects && len(r.actorTypes)+len(r.audiences) > 0 && !r.command &&
		slices.ContainsFunc([]string{"qui a un projet", "qui ont un projet", "qui a des projets", "qui ont des projets", "qui porte", "qui portent", "qui mene", "qui menent"},
			func(p string) bool { return containsPhrase(r.folded, p) }) {
		r.intent = IntentWho
	}
	r.forUs = readForUs(r)
	if tail := correctionTail(folded); tail != "" {
		// "des événements sur le Sénégal ? non pardon, je voulais dire le
		// Mali": what the correction names replaces what it corrects.
		c := understand(tail, today, v)
		for _, f := range []struct{ dst, src *[]string }{{&r.countries, &c.countries}, {&r.departments, &c.departments},
			{&r.communes, &c.communes}, {&r.themes, &c.themes}, {&r.audiences, &c.audiences}, {&r.actorTypes, &c.actorTypes},
			{&r.kinds, &c.kinds}, {&r.formats, &c.formats}, {&r.programmes, &c.programmes}} {
			if len(*f.src) > 0 {
				*f.dst = *f.src
			}
		}
		if c.when != nil {
			r.when = c.when
		}
	}
	return r
}

// correctionMarkers say that what follows corrects what came before.
var correctionMarkers = []string{"je voulais dire", "je veux dire", "je voulais parler", "non pardon", "pardon je", "enfin non", "ou plutot", "non plutot"}

// correctionTail is what a message says after its last correction, or "".
func correctionTail(folded string) string {
	at, length := -1, 0
	for _, m := range correctionMarkers {
		if i := strings.LastIndex(folded, m); i > at {
			at, length = i, len(m)
		}
	}
	if at < 0 {
		return ""
	}
	return strings.TrimSpace(folded[at+length:])
}

// ownAudiences are the audiences the asker says they belong to.
func ownAudiences(words []string) []string {
	self := selfClause(words)
	var own []string
	for i, w := range words {
		if self[i] {
			own = append(own, w)
		}
	}
	if len(own) == 0 {
		return nil
	}
	return uniq(match(own, strings.Join(own, " "), audienceWords))
}

// eventNouns name events: a question about a meeting of funders is about
// the meeting.
var eventNouns = wordSet(`rencontre rencontres reunion reunions webinaire webinaires atelier ateliers forum forums
	seminaire seminaires evenement evenements commission commissions`)

// selfWords introduce what the asker says of themselves.
var selfWords = wordSet(`suis sommes notre nos je j`)

func hasAny(words []string, set map[string]bool) bool {
	for _, w := range words {
		if set[w] {
			return true
		}
	}
	return false
}

var reIvoryCoast = regexp.MustCompile(`\bCI\b`)

// matchPhrases finds the keys of vocab, of one word or several, in a folded
// text.
func matchPhrases(text string, vocab map[string]string) []string {
	var out []string
	for k, code := range vocab {
		if containsPhrase(text, k) {
			out = append(out, code)
		}
	}
	sort.Strings(out)
	return out
}

func detectIntent(words []string) string {
	set := map[string]bool{}
	for _, w := range words {
		set[w] = true
	}
	for _, intent := range intentOrder {
		for _, w := range intentWords[intent] {
			if set[w] {
				return intent
			}
		}
	}
	// Typos in the words that carry the intent ("webinnaire", "formaton").
	for _, intent := range intentOrder {
		for _, w := range words {
			if !knownWords[w] && closest(w, intentWords[intent]) != "" {
				return intent
			}
		}
	}
	return IntentSearch
}

func matchCountries(words []string, text string, ref *reference.Lists) []string {
	if ref == nil {
		return nil
	}
	names := map[string]string{}
	for _, c := range ref.Countries {
		names[strings.Join(search.Words(c.Name), " ")] = c.Code
	}
	var out []string
	for _, code := range match(words, text, names) {
		if code != "FR" { // "France" is where the network is, not a filter
			out = append(out, code)
		}
	}
	return out
}

// departmentNames are the departments' names as words.
var departmentNames = map[string]string{
	"nord": "59", "pas de calais": "62", "somme": "80", "oise": "60", "aisne": "02", "loise": "60", "laisne": "02",
}

// departmentNameWords are the words of the departments' names written in a
// text: they name the department, not a commune of the same name.
func departmentNameWords(text string) map[string]bool {
	out := map[string]bool{}
	for name := range departmentNames {
		if containsPhrase(text, name) {
			for _, w := range strings.Fields(name) {
				out[w] = true
			}
		}
	}
	return out
}

// formerRegions are the regions Hauts-de-France was made of in 2016.
var formerRegions = map[string][]string{"picardie": {"02", "60", "80"}, "nord pas de calais": {"59", "62"}}

// departmentNumberContext are the words after which a number is a department.
var departmentNumberContext = map[string]bool{"le": true, "du": true, "dans": true, "departement": true, "en": true, "au": true}

func matchDepartments(words []string, ref *reference.Lists) []string {
	var out []string
	text := strings.Join(words, " ")
	for name, code := range departmentNames {
		if containsPhrase(text, name) {
			out = append(out, code)
		}
	}
	// The former regions: "en Picardie" is in three departments.
	for name, codes := range formerRegions {
		if containsPhrase(text, name) {
			out = append(out, codes...)
		}
	}
	for i, w := range words {
		if ref == nil || ref.Department(w) == nil {
			continue
		}
		if i == 0 || departmentNumberContext[words[i-1]] {
			out = append(out, w)
		}
	}
	sort.Strings(out)
	return out
}
