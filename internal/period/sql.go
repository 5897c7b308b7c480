package period

import (
	"fmt"
	"strings"
)

// TextSQL is the SQL expression of String for a period stored in columns
// (the SQL expressions given), the same on PostgreSQL and SQLite: a compiled
// read writes a period's text without Go. TestTextSQL holds the two to the
// same words for every precision.
func TextSQL(from, to, precision, hhmm string) string {
	year := func(d string) string { return "CAST(CAST(SUBSTR(" + d + ", 1, 4) AS INTEGER) AS TEXT)" }
	month := func(d string) string {
		var b strings.Builder
		b.WriteString("CASE SUBSTR(" + d + ", 6, 2)")
		for i, name := range MonthNames[:11] {
			fmt.Fprintf(&b, " WHEN '%02d' THEN '%s'", i+1, name)
		}
		b.WriteString(" ELSE '" + MonthNames[11] + "' END")
		return b.String()
	}
	day := func(d string) string { // OnDay(d, "").String()
		return "CASE WHEN SUBSTR(" + d + ", 9, 2) = '01' THEN '1er' ELSE CAST(CAST(SUBSTR(" + d + ", 9, 2) AS INTEGER) AS TEXT) END" +
			" || ' ' || " + month(d) + " || ' ' || " + year(d)
	}
	var seasons strings.Builder // the season whose first day is the period's
	seasons.WriteString("CASE SUBSTR(" + from + ", 6, 5)")
	for _, key := range []string{"printemps", "ete", "automne", "hiver"} {
		first, _, _ := SeasonBounds(key, 2000)
		fmt.Fprintf(&seasons, " WHEN '%s' THEN '%s'", first[5:], SeasonNames[key])
	}
	seasons.WriteString(" END")
	return "CASE" +
		" WHEN " + precision + " = '" + string(Unknown) + "' OR COALESCE(" + from + ", '') = '' THEN 'date à définir'" +
		" WHEN " + precision + " = '" + string(Day) + "' THEN " + day(from) +
		" || CASE WHEN COALESCE(" + hhmm + ", '') <> '' THEN ' à ' || REPLACE(" + hhmm + ", ':', 'h') ELSE '' END" +
		" WHEN " + precision + " = '" + string(Month) + "' THEN " + month(from) + " || ' ' || " + year(from) +
		" WHEN " + precision + " = '" + string(Months) + "' AND " + year(from) + " <> " + year(to) + " THEN " +
		month(from) + " || ' ' || " + year(from) + " || '-' || " + month(to) + " || ' ' || " + year(to) +
		" WHEN " + precision + " = '" + string(Months) + "' THEN " + month(from) + " || '-' || " + month(to) + " || ' ' || " + year(from) +
		" WHEN " + precision + " = '" + string(Season) + "' AND " + seasons.String() + " IS NOT NULL THEN " + seasons.String() + " || ' ' || " + year(from) +
		" WHEN " + precision + " = '" + string(Half) + "' THEN CASE WHEN SUBSTR(" + from + ", 6, 2) = '01' THEN 'premier' ELSE 'second' END" +
		" || ' semestre ' || " + year(from) +
		" WHEN " + precision + " = '" + string(Year) + "' THEN " + year(from) +
		" WHEN " + precision + " = '" + string(Span) + "' AND " + year(from) + " <> " + year(to) +
		" AND SUBSTR(" + from + ", 6, 2) = '10' AND SUBSTR(" + to + ", 6, 2) = '03' THEN 'fin ' || " + year(from) + " || '/début ' || " + year(to) +
		" ELSE 'du ' || " + day(from) + " || ' au ' || " + day(to) +
		" END"
}
