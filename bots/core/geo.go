package core

import (
	_ "embed"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/search"
)

// Places as members name them: countries by their short or common names and
// by their people, communes of the region by name, whether or not a
// structure of the data is there.

// countryAliases name countries the way people write them, folded.
var countryAliases = map[string]string{
	"burkina": "BF", "rdc": "CD", "congo kinshasa": "CD", "congo rdc": "CD", "rd congo": "CD", "zaire": "CD",
	"congo brazzaville": "CG", "rca": "CF", "republique centrafricaine": "CF", "centrafricaine": "CF",
	"cote ivoire": "CI", "cote divoire": "CI", "madagascar": "MG", "mada": "MG", "cap vert": "CV",
	"guinee conakry": "GN", "guinee bissau": "GW", "afrique sud": "ZA", "royaume uni": "GB", "angleterre": "GB",
	"viet nam": "VN", "egypte": "EG", "ethiopie": "ET", "equateur": "EC",
}

// peoples are the adjectives of countries; their feminine and plural forms
// are derived.
var peoples = map[string]string{
	"malien": "ML", "senegalais": "SN", "marocain": "MA", "beninois": "BJ", "burkinabe": "BF", "polonais": "PL",
	"haitien": "HT", "togolais": "TG", "malgache": "MG", "namibien": "NA", "roumain": "RO", "allemand": "DE",
	"ivoirien": "CI", "congolais": "CG", "guineen": "GN", "camerounais": "CM", "tunisien": "TN", "algerien": "DZ",
	"nigerien": "NE", "tchadien": "TD", "libanais": "LB", "palestinien": "PS", "vietnamien": "VN",
	"cambodgien": "KH", "indien": "IN", "bresilien": "BR", "peruvien": "PE", "bolivien": "BO", "colombien": "CO",
	"ukrainien": "UA", "mauritanien": "MR", "comorien": "KM", "djiboutien": "DJ", "rwandais": "RW",
	"burundais": "BI", "ougandais": "UG", "kenyan": "KE", "ethiopien": "ET", "egyptien": "EG", "gabonais": "GA",
	"ghaneen": "GH", "gambien": "GM", "capverdien": "CV", "mozambicain": "MZ", "tanzanien": "TZ",
	"espagnol": "ES", "italien": "IT", "belge": "BE", "britannique": "GB", "chinois": "CN", "indonesien": "ID",
	"laotien": "LA", "armenien": "AM", "chilien": "CL", "equatorien": "EC", "canadien": "CA", "afghan": "AF",
	"centrafricain": "CF", "nigerian": "NG", "sud africain": "ZA",
}

// countryAdjectives are the peoples in every form: malien, malienne,
// maliens, maliennes.
var countryAdjectives = func() map[string]string {
	out := map[string]string{}
	for base, code := range peoples {
		forms := []string{base, base + "s"}
		switch {
		case strings.HasSuffix(base, "en"):
			forms = append(forms, base+"ne", base+"nes")
		case strings.HasSuffix(base, "e"):
		case strings.HasSuffix(base, "s"):
			forms = append(forms, base+"e", base+"es")
		default:
			forms = append(forms, base+"e", base+"es")
		}
		for _, f := range forms {
			out[f] = code
		}
	}
	return out
}()

// regionCountries are the regions of the world members name, read as the
// countries of the data in them.
var regionCountries = map[string][]string{
	"afrique de ouest":  {"SN", "ML", "BF", "BJ", "TG", "CI", "GN", "NE", "GH", "GM", "GW", "MR", "CV", "NG"},
	"afrique ouest":     {"SN", "ML", "BF", "BJ", "TG", "CI", "GN", "NE", "GH", "GM", "GW", "MR", "CV", "NG"},
	"afrique centrale":  {"CM", "CF", "CG", "CD", "GA", "TD", "BI", "RW"},
	"afrique de est":    {"KE", "UG", "TZ", "ET", "DJ", "RW", "BI"},
	"afrique est":       {"KE", "UG", "TZ", "ET", "DJ", "RW", "BI"},
	"maghreb":           {"MA", "DZ", "TN", "MR"},
	"afrique du nord":   {"MA", "DZ", "TN", "EG"},
	"sahel":             {"ML", "BF", "NE", "TD", "MR", "SN"},
	"amerique latine":   {"BO", "BR", "CL", "CO", "EC", "PE"},
	"amerique du sud":   {"BO", "BR", "CL", "CO", "EC", "PE"},
	"asie du sud est":   {"KH", "LA", "VN", "ID"},
	"ocean indien":      {"MG", "KM"},
	"afrique sub":       {"SN", "ML", "BF", "BJ", "TG", "CI", "GN", "NE", "GH", "CM", "CF", "CG", "CD", "GA", "TD"},
	"afrique subsahari": {"SN", "ML", "BF", "BJ", "TG", "CI", "GN", "NE", "GH", "CM", "CF", "CG", "CD", "GA", "TD"},
}

// europe and africa are the countries of the data on each continent, for
// projects and structures ("projets en Afrique"); calls say "européen" of
// their territory instead.
var (
	europe = []string{"DE", "BE", "ES", "IT", "PL", "RO", "GB", "UA", "AM"}
	africa = []string{"ZA", "DZ", "BJ", "BF", "BI", "CM", "CV", "CF", "KM", "CG", "CI", "DJ", "EG", "ET", "GA", "GM", "GH",
		"GN", "GW", "KE", "MG", "ML", "MA", "MR", "MZ", "NA", "NE", "NG", "UG", "RW", "SN", "TZ", "TD", "TG", "TN", "CD"}
)

// worldRegion reads "en Europe" and "en Afrique" as their countries, when no
// country is named.
func worldRegion(r request) []string {
	if len(r.countries) > 0 {
		return r.countries
	}
	words := strings.Fields(r.folded)
	switch {
	case slices.Contains(r.territories, "europeen"):
		return europe
	case slices.Contains(words, "afrique") || slices.Contains(words, "africain") || slices.Contains(words, "africaine") || slices.Contains(words, "africains"):
		return africa
	}
	return nil
}

//go:embed data/communes-hdf.tsv
var communesTSV string

// commune is a commune of the region.
type commune struct {
	name, department string
	population       int
}

// regionCommunes are the communes of Hauts-de-France by folded name; the
// words of a longer name are joined by spaces ("boulogne sur mer").
var regionCommunes = func() map[string]commune {
	out := map[string]commune{}
	for _, line := range strings.Split(communesTSV, "\n") {
		f := strings.Split(line, "\t")
		if len(f) != 3 || strings.HasPrefix(line, "#") {
			continue
		}
		pop, _ := strconv.Atoi(f[2])
		key := strings.Join(search.Words(f[0]), " ")
		if old, ok := out[key]; ok && old.population >= pop {
			continue // homonyms: the larger is the one people mean
		}
		out[key] = commune{name: f[0], department: f[1], population: pop}
	}
	return out
}()

// placePrepositions are the words after which a commune's name is a place:
// "une asso de Beauvais", "à Laon", "sur Compiègne".
var placePrepositions = wordSet(`a au de du sur pres vers dans basee basees base bases situee situes situe situees
	commune ville mairie region cote`)

// communeDepartments finds the communes of the region named in the words,
// and returns them with the departments they are in. A short name that is
// also a French word ("Rue", "Long", "Ham") counts only after a preposition
// of place; a name of several words counts anywhere.
func communeDepartments(words []string) (names, departments []string) {
	inDepartment := departmentNameWords(strings.Join(words, " "))
	for i := 0; i < len(words); i++ {
		for n := min(6, len(words)-i); n >= 1; n-- {
			key := strings.Join(words[i:i+n], " ")
			c, ok := regionCommunes[key]
			if !ok {
				continue
			}
			// "Calais" is a word of "Pas-de-Calais" too: a commune when the
			// department is not named.
			known := knownWords[key] && !(departmentWords[key] && !inDepartment[key])
			if n == 1 && (len(key) < 4 || known || questionWords[key] || commonWords[key] ||
				c.population < 2000 && (i == 0 || !placePrepositions[words[i-1]])) {
				continue
			}
			names = append(names, c.name)
			departments = append(departments, c.department)
			i += n - 1
			break
		}
	}
	return names, departments
}

// departmentWords are the words of the departments' names that no other
// vocabulary holds ("calais"): known as a department's, yet a commune's too.
var departmentWords = func() map[string]bool {
	out := map[string]bool{}
	for name := range departmentNames {
		for _, w := range strings.Fields(name) {
			if len(w) > 3 && !questionWords[w] && !slices.ContainsFunc(intentOrder, func(i string) bool { return slices.Contains(intentWords[i], w) }) {
				out[w] = true
			}
		}
	}
	return out
}()

// commonWords are French words that are also names of communes of the
// region: never read as places alone.
var commonWords = wordSet(`rue long ham bus marche mont plus vers pont bois sains bourg nord somme oise aisne fort
	port tours guise rang pas eclair`)

// reRegionAsPlace finds "région" written in lower case after a word that
// makes it a place: "un laboratoire de la région", "dans notre région";
// "la Région" with a capital is the local authority.
var reRegionAsPlace = regexp.MustCompile(`(?:^|[^\pL])(?:de la|dans la|en|notre|toute la|sur la|pour la|dans notre|de notre) r[ée]gion(?:[^\pL]|$)`)

// regionAsPlace says whether the message names the region as a place only,
// with no other word of the local authorities: then "région" asks for no
// audience.
func regionAsPlace(original string, words []string) bool {
	if !reRegionAsPlace.MatchString(original) {
		return false
	}
	for _, w := range words {
		if w != "region" && audienceWords[w] == "collectivites" {
			return false
		}
	}
	return true
}
