package core

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// when is a span of days a question is about.
type when struct {
	From, To period.Date
	Label    string // "en mars 2021", "la semaine prochaine"
}

var foldedMonths = func() map[string]time.Month {
	m := map[string]time.Month{}
	for i, name := range period.MonthNames {
		m[search.Fold(name)] = time.Month(i + 1)
	}
	return m
}()

var (
	reDayMonth = regexp.MustCompile(`\b(\d{1,2})(?:er)? (janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)(?: (\d{4}))?\b`)
	reMonth    = regexp.MustCompile(`\b(?:en |au mois de |mois de |d'ici |pour |de )?(janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre)(?: (\d{4}))?\b`)
	reSeason   = regexp.MustCompile(`\b(?:cet |ce |en |a l'|au |l'|le |d'ici l'|d'ici le |pour l'|pour le )(ete|automne|hiver|printemps)(?: (\d{4}))?\b`)
	reBefore   = regexp.MustCompile(`\b(?:avant|d'ici) (?:l'|le |la )?(ete|automne|hiver|printemps|fin de l'annee|fin d'annee|fin de l'an)\b`)
	reYear     = regexp.MustCompile(`\b(?:en |pour |d'ici )?(20\d\d)\b`)
	reHalf     = regexp.MustCompile(`\b(premier|1er|second|deuxieme|2e|2nd) semestre\b`)
	// rePast says a question is about the past: a month it names is the
	// last one gone, not the next to come.
	rePast = regexp.MustCompile(`\b(?:c etait|c'etait|etait|etaient|avait|avaient|a eu|ont eu|avons eu|y a eu|passee|passees)\b`)
	// reDayAlone is a day of the month without its month: "le 16".
	reDayAlone   = regexp.MustCompile(`\ble (\d{1,2})(?:er)?(?:[ ?!.,;]|$)`)
	reRelativeDs = []struct {
		re   *regexp.Regexp
		span func(today time.Time) (time.Time, time.Time, string)
	}{
		{regexp.MustCompile(`\bapres-demain\b|\bapres demain\b`), func(t time.Time) (time.Time, time.Time, string) {
			d := t.AddDate(0, 0, 2)
			return d, d, "après-demain"
		}},
		{regexp.MustCompile(`\bdemain\b`), func(t time.Time) (time.Time, time.Time, string) {
			d := t.AddDate(0, 0, 1)
			return d, d, "demain"
		}},
		{regexp.MustCompile(`\baujourd'hui\b|\bce jour\b`), func(t time.Time) (time.Time, time.Time, string) { return t, t, "aujourd'hui" }},
		{regexp.MustCompile(`\bsemaine prochaine\b`), func(t time.Time) (time.Time, time.Time, string) {
			start := mondayOf(t).AddDate(0, 0, 7)
			return start, start.AddDate(0, 0, 6), "la semaine prochaine"
		}},
		{regexp.MustCompile(`\bcette semaine\b`), func(t time.Time) (time.Time, time.Time, string) {
			return t, mondayOf(t).AddDate(0, 0, 6), "cette semaine"
		}},
		{regexp.MustCompile(`\bfin du mois\b|\bfin de ce mois\b`), func(t time.Time) (time.Time, time.Time, string) {
			return t, time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC), "d'ici la fin du mois"
		}},
		{regexp.MustCompile(`\bmois prochain\b`), func(t time.Time) (time.Time, time.Time, string) {
			start := time.Date(t.Year(), t.Month()+1, 1, 0, 0, 0, 0, time.UTC)
			return start, start.AddDate(0, 1, -1), "le mois prochain"
		}},
		{regexp.MustCompile(`\bce mois(?:-ci| ci)?\b`), func(t time.Time) (time.Time, time.Time, string) {
			return t, time.Date(t.Year(), t.Month()+1, 0, 0, 0, 0, 0, time.UTC), "ce mois-ci"
		}},
		{regexp.MustCompile(`\bannee prochaine\b`), func(t time.Time) (time.Time, time.Time, string) {
			y := t.Year() + 1
			return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(y, 12, 31, 0, 0, 0, 0, time.UTC), "l'année prochaine"
		}},
		{regexp.MustCompile(`\bcette annee\b`), func(t time.Time) (time.Time, time.Time, string) {
			return t, time.Date(t.Year(), 12, 31, 0, 0, 0, 0, time.UTC), "cette année"
		}},
	}
)

func mondayOf(t time.Time) time.Time {
	wd := int(t.Weekday())
	if wd == 0 {
		wd = 7
	}
	return t.AddDate(0, 0, 1-wd)
}

func utcDay(d period.Date) time.Time { return d.Time(time.UTC) }

// parseWhen finds the dates a folded question speaks of, relative to today.
// A month or season without a year is the next one to come (or the current
// one): in January, "en mars" is this March; in April, "en mars" is next
// March.
func parseWhen(text string, today period.Date) (when, bool) {
	t := utcDay(today)
	for _, r := range reRelativeDs {
		if r.re.MatchString(text) {
			from, to, label := r.span(t)
			return when{From: period.DateOf(from), To: period.DateOf(to), Label: label}, true
		}
	}
	if m := reBefore.FindStringSubmatch(text); m != nil {
		if m[1] == "fin de l'annee" || m[1] == "fin d'annee" || m[1] == "fin de l'an" {
			return when{From: today, To: period.NewDate(t.Year(), 12, 31), Label: "d'ici la fin de l'année"}, true
		}
		start, _ := nextSeason(m[1], t)
		return when{From: today, To: period.DateOf(utcDay(start).AddDate(0, 0, -1)),
			Label: "avant " + seasonArticle(m[1])}, true
	}
	if m := reDayMonth.FindStringSubmatch(text); m != nil {
		month := foldedMonths[m[2]]
		year := t.Year()
		if m[3] != "" {
			year, _ = strconv.Atoi(m[3])
		}
		day, _ := strconv.Atoi(m[1])
		if day >= 1 && day <= 31 {
			d := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
			if d.Month() == month {
				p := period.OnDay(period.DateOf(d), "")
				// "la semaine du 15 février": that day's week, Monday to Sunday.
				if strings.Contains(text, "semaine du "+m[0]) {
					monday := mondayOf(d)
					return when{From: period.DateOf(monday), To: period.DateOf(monday.AddDate(0, 0, 6)),
						Label: "la semaine du " + period.OnDay(period.DateOf(monday), "").String()}, true
				}
				return when{From: p.From, To: p.To, Label: "le " + p.String()}, true
			}
		}
	}
	if m := reSeason.FindStringSubmatch(text); m != nil {
		var from, to period.Date
		if m[2] != "" {
			y, _ := strconv.Atoi(m[2])
			from, to, _ = period.SeasonBounds(m[1], y)
		} else {
			from, to = nextSeason(m[1], t)
		}
		return when{From: from, To: to, Label: fmt.Sprintf("%s %d", period.SeasonNames[m[1]], utcDay(from).Year())}, true
	}
	if m := reHalf.FindStringSubmatch(text); m != nil {
		y := t.Year()
		if m[1] == "premier" || m[1] == "1er" {
			return when{From: period.NewDate(y, 1, 1), To: period.NewDate(y, 6, 30), Label: fmt.Sprintf("au premier semestre %d", y)}, true
		}
		return when{From: period.NewDate(y, 7, 1), To: period.NewDate(y, 12, 31), Label: fmt.Sprintf("au second semestre %d", y)}, true
	}
	if m := reMonth.FindStringSubmatch(text); m != nil {
		month := foldedMonths[m[1]]
		year := t.Year()
		switch {
		case m[2] != "":
			year, _ = strconv.Atoi(m[2])
		case rePast.MatchString(text):
			// "c'était quoi les réunions en février ?": the last February.
			if month > t.Month() {
				year--
			}
		case month < t.Month():
			year++
		}
		from := time.Date(year, month, 1, 0, 0, 0, 0, time.UTC)
		return when{From: period.DateOf(from), To: period.DateOf(from.AddDate(0, 1, -1)),
			Label: fmt.Sprintf("en %s %d", period.MonthNames[month-1], year)}, true
	}
	// "qu'est-ce qui est prévu le 16 ?": that day of this month, or of the
	// next when it is gone (a department's number, 59 or 62, is no day).
	if m := reDayAlone.FindStringSubmatch(text); m != nil {
		if day, _ := strconv.Atoi(m[1]); day >= 1 && day <= 31 {
			d := time.Date(t.Year(), t.Month(), day, 0, 0, 0, 0, time.UTC)
			if d.Before(t) {
				d = time.Date(t.Year(), t.Month()+1, day, 0, 0, 0, 0, time.UTC)
			}
			if d.Day() == day {
				p := period.OnDay(period.DateOf(d), "")
				return when{From: p.From, To: p.To, Label: "le " + p.String()}, true
			}
		}
	}
	if m := reYear.FindStringSubmatch(text); m != nil {
		y, _ := strconv.Atoi(m[1])
		return when{From: period.NewDate(y, 1, 1), To: period.NewDate(y, 12, 31), Label: fmt.Sprintf("en %d", y)}, true
	}
	return when{}, false
}

// nextSeason returns the season of this year if it is not over, else next
// year's.
func nextSeason(season string, t time.Time) (period.Date, period.Date) {
	today := period.DateOf(t)
	for _, y := range []int{t.Year() - 1, t.Year(), t.Year() + 1} {
		from, to, _ := period.SeasonBounds(season, y)
		if to >= today {
			return from, to
		}
	}
	from, to, _ := period.SeasonBounds(season, t.Year()+1)
	return from, to
}

func seasonArticle(season string) string {
	switch season {
	case "ete":
		return "l'été"
	case "automne":
		return "l'automne"
	case "hiver":
		return "l'hiver"
	}
	return "le printemps"
}
