package period

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lianes-cooperation/lianes/internal/search"
)

// MonthNames are the French month names, January first.
var MonthNames = [12]string{"janvier", "février", "mars", "avril", "mai", "juin",
	"juillet", "août", "septembre", "octobre", "novembre", "décembre"}

// SeasonNames are the seasons as the network counts them.
var SeasonNames = map[string]string{"printemps": "printemps", "ete": "été", "automne": "automne", "hiver": "hiver"}

var (
	reISO      = regexp.MustCompile(`^(\d{4})-(\d{2})-(\d{2})(?:[ t](\d{1,2}):(\d{2}))?$`)
	reSlash    = regexp.MustCompile(`^(\d{1,2})/(\d{1,2})/(\d{4})(?: (\d{1,2})[:h](\d{2}))?$`)
	reDayMonth = regexp.MustCompile(`^(?:le )?(\d{1,2})(?:er)? ([a-z]+)(?: (\d{4}))?(?: (?:a )?(\d{1,2})[:h](\d{2})?)?$`)
	reMonths   = regexp.MustCompile(`^([a-z]+) ?- ?([a-z]+)(?: (\d{4}))?$`)
	reWord     = regexp.MustCompile(`^(?:a l'|l'|(?:a|en|au|le|la) )?([a-z]+)(?: (\d{4}))?$`)
	reHalf     = regexp.MustCompile(`^(?:au |le )?(premier|1er|second|deuxieme|2nd|2e|2eme) semestre(?: (\d{4}))?$`)
	reYear     = regexp.MustCompile(`^(?:en )?(\d{4})$`)
	reEdge     = regexp.MustCompile(`^(fin|debut|mi) (\d{4})$`)
)

var notFixedWords = map[string]bool{
	"a definir": true, "a determiner": true, "non fixe": true, "non fixee": true,
	"non communique": true, "non communiquee": true, "inconnu": true, "inconnue": true,
}

func monthIndex(folded string) (time.Month, bool) {
	for i, name := range MonthNames {
		if search.Fold(name) == folded {
			return time.Month(i + 1), true
		}
	}
	return 0, false
}

func lastDay(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

func monthSpan(year int, from, to time.Month) (Date, Date) {
	endYear := year
	if to < from { // "décembre-janvier" runs into the next year
		endYear++
	}
	return NewDate(year, from, 1), NewDate(endYear, to, lastDay(endYear, to))
}

// SeasonBounds returns the first and last day of a season of a year: hiver
// 2021 runs from December 2021 to February 2022.
func SeasonBounds(season string, year int) (Date, Date, bool) {
	switch season {
	case "printemps":
		return NewDate(year, time.March, 1), NewDate(year, time.May, 31), true
	case "ete":
		return NewDate(year, time.June, 1), NewDate(year, time.August, 31), true
	case "automne":
		return NewDate(year, time.September, 1), NewDate(year, time.November, 30), true
	case "hiver":
		return NewDate(year, time.December, 1), NewDate(year+1, time.February, lastDay(year+1, time.February)), true
	}
	return "", "", false
}

// Parse reads a period as the programme writes it ("12 janvier", "Mai",
// "Juin-Juillet", "Automne", "second semestre", "fin 2021/début 2022",
// "A définir", "02/03/2021 11:00", "2021-01-12"). year is the year to assume
// when the text gives none. The label keeps the text as written.
func Parse(label string, year int) (Period, error) {
	p, err := parse(search.Fold(label), year)
	if err != nil {
		return Period{}, fmt.Errorf("période « %s » non reconnue", strings.TrimSpace(label))
	}
	p.Label = strings.TrimSpace(label)
	return p, p.Validate()
}

func atoi(s string) int { n, _ := strconv.Atoi(s); return n }

func clock(h, m string) string {
	if h == "" {
		return ""
	}
	if m == "" {
		m = "00"
	}
	return fmt.Sprintf("%02d:%s", atoi(h), m)
}

func parse(s string, year int) (Period, error) {
	if s == "" || notFixedWords[s] {
		return Period{Precision: Unknown}, nil
	}
	if m := reISO.FindStringSubmatch(s); m != nil {
		d, err := ParseDate(m[1] + "-" + m[2] + "-" + m[3])
		if err != nil {
			return Period{}, err
		}
		return OnDay(d, clock(m[4], m[5])), nil
	}
	if m := reSlash.FindStringSubmatch(s); m != nil {
		d, err := ParseDate(fmt.Sprintf("%s-%02d-%02d", m[3], atoi(m[2]), atoi(m[1])))
		if err != nil {
			return Period{}, err
		}
		return OnDay(d, clock(m[4], m[5])), nil
	}
	if m := reDayMonth.FindStringSubmatch(s); m != nil {
		if month, ok := monthIndex(m[2]); ok {
			y := year
			if m[3] != "" {
				y = atoi(m[3])
			}
			day := atoi(m[1])
			if day < 1 || day > lastDay(y, month) {
				return Period{}, fmt.Errorf("no such day")
			}
			return OnDay(NewDate(y, month, day), clock(m[4], m[5])), nil
		}
	}
	if m := reHalf.FindStringSubmatch(s); m != nil {
		y := year
		if m[2] != "" {
			y = atoi(m[2])
		}
		if m[1] == "premier" || m[1] == "1er" {
			return Period{Precision: Half, From: NewDate(y, time.January, 1), To: NewDate(y, time.June, 30)}, nil
		}
		return Period{Precision: Half, From: NewDate(y, time.July, 1), To: NewDate(y, time.December, 31)}, nil
	}
	if m := reYear.FindStringSubmatch(s); m != nil {
		y := atoi(m[1])
		return Period{Precision: Year, From: NewDate(y, time.January, 1), To: NewDate(y, time.December, 31)}, nil
	}
	if before, after, ok := strings.Cut(s, "/"); ok {
		first, err := parse(strings.TrimSpace(before), year)
		if err != nil || !first.IsFixed() {
			return Period{}, fmt.Errorf("bad span")
		}
		second, err := parse(strings.TrimSpace(after), year)
		if err != nil || !second.IsFixed() {
			return Period{}, fmt.Errorf("bad span")
		}
		return Period{Precision: Span, From: first.From, To: second.To}, nil
	}
	if m := reEdge.FindStringSubmatch(s); m != nil {
		y := atoi(m[2])
		switch m[1] {
		case "debut":
			return Period{Precision: Span, From: NewDate(y, time.January, 1), To: NewDate(y, time.March, 31)}, nil
		case "mi":
			return Period{Precision: Span, From: NewDate(y, time.May, 1), To: NewDate(y, time.August, 31)}, nil
		default:
			return Period{Precision: Span, From: NewDate(y, time.October, 1), To: NewDate(y, time.December, 31)}, nil
		}
	}
	if m := reMonths.FindStringSubmatch(s); m != nil {
		from, ok1 := monthIndex(m[1])
		to, ok2 := monthIndex(m[2])
		if ok1 && ok2 {
			y := year
			if m[3] != "" {
				y = atoi(m[3])
			}
			f, t := monthSpan(y, from, to)
			return Period{Precision: Months, From: f, To: t}, nil
		}
	}
	if m := reWord.FindStringSubmatch(s); m != nil {
		y := year
		if m[2] != "" {
			y = atoi(m[2])
		}
		if month, ok := monthIndex(m[1]); ok {
			f, t := monthSpan(y, month, month)
			return Period{Precision: Month, From: f, To: t}, nil
		}
		if f, t, ok := SeasonBounds(m[1], y); ok {
			return Period{Precision: Season, From: f, To: t}, nil
		}
	}
	return Period{}, fmt.Errorf("unknown period")
}

// String renders the period in French for people: "12 janvier 2021 à 11h00",
// "mai 2021", "juin-juillet 2021", "automne 2021", "second semestre 2021",
// "fin 2021/début 2022", "date à définir".
func (p Period) String() string {
	if !p.IsFixed() {
		return "date à définir"
	}
	from, to := p.From.Time(time.UTC), p.To.Time(time.UTC)
	month := func(t time.Time) string { return MonthNames[t.Month()-1] }
	switch p.Precision {
	case Day:
		s := fmt.Sprintf("%d %s %d", from.Day(), month(from), from.Year())
		if from.Day() == 1 {
			s = fmt.Sprintf("1er %s %d", month(from), from.Year())
		}
		if p.Time != "" {
			s += " à " + strings.Replace(p.Time, ":", "h", 1)
		}
		return s
	case Month:
		return fmt.Sprintf("%s %d", month(from), from.Year())
	case Months:
		if from.Year() != to.Year() {
			return fmt.Sprintf("%s %d-%s %d", month(from), from.Year(), month(to), to.Year())
		}
		return fmt.Sprintf("%s-%s %d", month(from), month(to), from.Year())
	case Season:
		for key, name := range SeasonNames {
			if f, _, ok := SeasonBounds(key, from.Year()); ok && f == p.From {
				return fmt.Sprintf("%s %d", name, from.Year())
			}
		}
	case Half:
		if from.Month() == time.January {
			return fmt.Sprintf("premier semestre %d", from.Year())
		}
		return fmt.Sprintf("second semestre %d", from.Year())
	case Year:
		return strconv.Itoa(from.Year())
	case Span:
		if from.Year() != to.Year() && from.Month() == time.October && to.Month() == time.March {
			return fmt.Sprintf("fin %d/début %d", from.Year(), to.Year())
		}
	}
	return fmt.Sprintf("du %s au %s", OnDay(p.From, "").String(), OnDay(p.To, "").String())
}
