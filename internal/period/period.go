// Package period holds dates as the programme gives them: a day, a month, a
// span of months, a season, a half-year, a year, a span across years, or not
// fixed at all. The precision is part of the data: an event dated "Mai" is
// upcoming in April, current during May and past in June.
package period

import (
	"fmt"
	"time"
)

// Precision says how precisely a period is known.
type Precision string

// The precisions, from the finest to "not fixed".
const (
	Day     Precision = "day"
	Month   Precision = "month"
	Months  Precision = "months"
	Season  Precision = "season"
	Half    Precision = "half"
	Year    Precision = "year"
	Span    Precision = "span"
	Unknown Precision = "unknown"
)

// Valid reports whether p is one of the known precisions.
func (p Precision) Valid() bool {
	switch p {
	case Day, Month, Months, Season, Half, Year, Span, Unknown:
		return true
	}
	return false
}

// Date is a calendar day written YYYY-MM-DD. It is stored as text on both
// databases so that comparisons are the same on SQLite and PostgreSQL.
type Date string

const dateLayout = "2006-01-02"

// DateOf returns the calendar day of t in t's location.
func DateOf(t time.Time) Date { return Date(t.Format(dateLayout)) }

// NewDate returns the given calendar day.
func NewDate(year int, month time.Month, day int) Date {
	return DateOf(time.Date(year, month, day, 0, 0, 0, 0, time.UTC))
}

// ParseDate reads a YYYY-MM-DD day.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return "", fmt.Errorf("date « %s » invalide : attendu AAAA-MM-JJ", s)
	}
	return DateOf(t), nil
}

// Time returns midnight of the day in loc.
func (d Date) Time(loc *time.Location) time.Time {
	t, err := time.ParseInLocation(dateLayout, string(d), loc)
	if err != nil {
		return time.Time{}
	}
	return t
}

// IsZero reports whether the day is absent.
func (d Date) IsZero() bool { return d == "" }

// Period is a date with its precision. From and To are the first and last
// days it may cover (equal for a day); both are empty when it is not fixed.
// Label keeps the source's own wording ("Juin-Juillet", "A définir").
type Period struct {
	Label     string    `bun:"label,notnull" json:"label"`
	Precision Precision `bun:"precision,notnull" json:"precision"`
	From      Date      `bun:"from,nullzero" json:"from,omitempty"`
	To        Date      `bun:"to,nullzero" json:"to,omitempty"`
	Time      string    `bun:"time,notnull" json:"time,omitempty"`
}

// NotFixed is the period of something whose date is not known.
func NotFixed(label string) Period { return Period{Label: label, Precision: Unknown} }

// OnDay returns the period of one day, with an optional HH:MM time.
func OnDay(d Date, hhmm string) Period {
	return Period{Precision: Day, From: d, To: d, Time: hhmm}
}

// IsFixed reports whether the period has known bounds.
func (p Period) IsFixed() bool { return p.Precision != Unknown && p.From != "" }

// Validate checks that the period is coherent.
func (p Period) Validate() error {
	if !p.Precision.Valid() {
		return fmt.Errorf("précision « %s » inconnue", p.Precision)
	}
	if p.Precision == Unknown {
		if p.From != "" || p.To != "" {
			return fmt.Errorf("une date non fixée ne peut pas avoir de bornes")
		}
		return nil
	}
	for _, d := range []Date{p.From, p.To} {
		if _, err := ParseDate(string(d)); err != nil {
			return err
		}
	}
	if p.To < p.From {
		return fmt.Errorf("la fin (%s) précède le début (%s)", p.To, p.From)
	}
	if p.Time != "" {
		if p.Precision != Day {
			return fmt.Errorf("une heure n'a de sens que pour un jour précis")
		}
		if _, err := time.Parse("15:04", p.Time); err != nil {
			return fmt.Errorf("heure « %s » invalide : attendu HH:MM", p.Time)
		}
	}
	return nil
}

// Relation places a period relative to a day.
type Relation string

// The relations of a period to a day.
const (
	Upcoming Relation = "upcoming"
	Current  Relation = "current"
	Past     Relation = "past"
	NotSet   Relation = "not_fixed"
)

// RelationTo says whether the period is upcoming, current or past on day; a
// period that is not fixed is never past.
func (p Period) RelationTo(day Date) Relation {
	switch {
	case !p.IsFixed():
		return NotSet
	case day < p.From:
		return Upcoming
	case day > p.To:
		return Past
	default:
		return Current
	}
}

// Start returns the first instant of the period in loc, with its time when it
// has one.
func (p Period) Start(loc *time.Location) time.Time {
	t := p.From.Time(loc)
	if p.Time != "" {
		if hm, err := time.Parse("15:04", p.Time); err == nil {
			t = t.Add(time.Duration(hm.Hour())*time.Hour + time.Duration(hm.Minute())*time.Minute)
		}
	}
	return t
}
