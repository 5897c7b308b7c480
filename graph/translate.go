package graph

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/vektah/gqlparser/v2/gqlerror"
)

// The GraphQL parser and validator speak English; the network's developers
// read French. The usual messages are translated, the others are prefixed.
var translations = []struct {
	re *regexp.Regexp
	fr string
}{
	{regexp.MustCompile(`^Cannot query field "([^"]+)" on type "([^"]+)"\.`), `Le champ « $1 » n'existe pas sur le type « $2 ».`},
	{regexp.MustCompile(`^Unknown argument "([^"]+)" on field "([^"]+)"\.`), `L'argument « $1 » n'existe pas pour le champ « $2 ».`},
	{regexp.MustCompile(`^Field "([^"]+)" argument "([^"]+)" of type "([^"]+)" is required, but it was not provided\.`), `L'argument obligatoire « $2 » (type $3) du champ « $1 » manque.`},
	{regexp.MustCompile(`^Variable "([^"]+)" of required type "([^"]+)" was not provided\.`), `La variable obligatoire « $1 » (type $2) manque.`},
	{regexp.MustCompile(`^Unknown type "([^"]+)"\.`), `Le type « $1 » n'existe pas.`},
	{regexp.MustCompile(`^Field "([^"]+)" of type "([^"]+)" must have a selection of subfields\.`), `Le champ « $1 » (type $2) demande une sélection de sous-champs.`},
	{regexp.MustCompile(`^Field "([^"]+)" must not have a selection since type "([^"]+)" has no subfields\.`), `Le champ « $1 » (type $2) n'a pas de sous-champs.`},
	{regexp.MustCompile(`^Value "([^"]+)" does not exist in "([^"]+)" enum\.`), `La valeur « $1 » n'existe pas dans l'énumération « $2 ».`},
	{regexp.MustCompile(`^Enum "([^"]+)" cannot represent non-enum value: (.*)\.$`), `L'énumération « $1 » n'accepte pas la valeur $2.`},
	{regexp.MustCompile(`^(Int|String|Boolean|Float|ID) cannot represent [^:]*: (.*)$`), `Valeur incorrecte pour le type $1 : $2.`},
	{regexp.MustCompile(`^Expected value of type "([^"]+)", found (.*)\.$`), `Valeur de type « $1 » attendue, trouvé $2.`},
	{regexp.MustCompile(`^Field "([^"]+)" of required type "([^"]+)" was not provided\.`), `Le champ obligatoire « $1 » (type $2) manque.`},
	{regexp.MustCompile(`^Field "([^"]+)" is not defined by type "([^"]+)"\.`), `Le champ « $1 » n'existe pas dans le type « $2 ».`},
	{regexp.MustCompile(`^Unknown fragment "([^"]+)"\.`), `Le fragment « $1 » n'existe pas.`},
	{regexp.MustCompile(`^Fragment "([^"]+)" is never used\.`), `Le fragment « $1 » n'est jamais utilisé.`},
	{regexp.MustCompile(`^Variable "([^"]+)" is not defined\.`), `La variable « $1 » n'est pas déclarée.`},
	{regexp.MustCompile(`^Variable "([^"]+)" is never used\.`), `La variable « $1 » n'est jamais utilisée.`},
	{regexp.MustCompile(`^Unknown directive "([^"]+)"\.`), `La directive « $1 » n'existe pas.`},
	{regexp.MustCompile(`^operation has complexity (\d+), which exceeds the limit of (\d+)`), `requête trop complexe : complexité $1, limite $2 (demandez moins d'éléments par liste)`},
	{regexp.MustCompile(`^(?:input: )?Syntax Error: (.*)$`), `Erreur de syntaxe : $1`},
	{regexp.MustCompile(`^no operation provided`), `aucune opération dans la requête`},
	{regexp.MustCompile(`^Expected (.*), found (.*)$`), `Erreur de syntaxe : attendu $1, trouvé $2`},
	{regexp.MustCompile(`^Unexpected (.*)$`), `Erreur de syntaxe : inattendu : $1`},
}

var variableTranslations = []struct {
	re *regexp.Regexp
	fr string
}{
	{regexp.MustCompile(`^cannot be null$`), `ne peut pas être nulle`},
	{regexp.MustCompile(`^(.*) is not a valid (.*)$`), `« $1 » n'est pas une valeur de $2`},
	{regexp.MustCompile(`^cannot use (.*) as (.*)$`), `valeur de type $1 où $2 est attendu`},
	{regexp.MustCompile(`^must be a (.*), not a (.*)$`), `attendu $1, reçu $2`},
	{regexp.MustCompile(`^unknown field$`), `champ inconnu`},
}

var suggestion = regexp.MustCompile(` Did you mean (.*)\?$`)

func translate(e *gqlerror.Error) *gqlerror.Error {
	msg := e.Message
	if msg == "must be defined" && len(e.Path) > 0 {
		e.Message = fmt.Sprintf("la variable obligatoire « $%v » manque", e.Path[len(e.Path)-1])
		return e
	}
	// The values of variables are checked apart, with a path and no
	// sentence: the path names the variable.
	if len(e.Path) > 0 {
		for _, t := range variableTranslations {
			if t.re.MatchString(msg) {
				name := strings.TrimPrefix(e.Path.String(), "variable.")
				e.Message = fmt.Sprintf("variable « $%s » : %s", name, t.re.ReplaceAllString(msg, t.fr))
				return e
			}
		}
	}
	hint := ""
	if m := suggestion.FindStringSubmatch(msg); m != nil {
		msg = strings.TrimSuffix(msg, m[0])
		hint = " Vouliez-vous dire " + fixQuotes(m[1]) + " ?"
	}
	for _, t := range translations {
		if t.re.MatchString(msg) {
			e.Message = t.re.ReplaceAllString(msg, t.fr) + hint
			return e
		}
	}
	e.Message = "requête invalide : " + e.Message
	return e
}

// fixQuotes turns the parser's "a" or "b" into « a » ou « b ».
func fixQuotes(s string) string {
	var b strings.Builder
	open := true
	for _, r := range strings.ReplaceAll(s, " or ", " ou ") {
		if r == '"' {
			if open {
				b.WriteString("« ")
			} else {
				b.WriteString(" »")
			}
			open = !open
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}
