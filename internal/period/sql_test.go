package period_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/period"
)

// TestTextSQL asks each database for the text of periods of every
// precision, on the days where String's words change (the first of a
// month, a season's first day, October to March across two years, months
// across a new year), and requires String's words.
func TestTextSQL(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 13))
	day := func() time.Time {
		return time.Date(1990+r.IntN(45), time.Month(1+r.IntN(12)), 1+r.IntN(31), 0, 0, 0, 0, time.UTC)
	}
	var periods []period.Period
	add := func(p period.Precision, from, to time.Time, hhmm string) {
		periods = append(periods, period.Period{Precision: p, From: period.DateOf(from), To: period.DateOf(to), Time: hhmm})
	}
	for _, p := range []period.Precision{period.Day, period.Month, period.Months, period.Season, period.Half, period.Year, period.Span} {
		for range 40 {
			from := day()
			if r.IntN(3) == 0 {
				from = from.AddDate(0, 0, 1-from.Day()) // a first of the month
			}
			to := from.AddDate(0, r.IntN(16), r.IntN(40))
			hhmm := ""
			if p == period.Day && r.IntN(2) == 0 {
				hhmm = fmt.Sprintf("%02d:%02d", r.IntN(24), r.IntN(60))
			}
			add(p, from, to, hhmm)
		}
	}
	for y := 2019; y <= 2023; y++ {
		for _, key := range []string{"printemps", "ete", "automne", "hiver"} {
			from, to, _ := period.SeasonBounds(key, y)
			periods = append(periods, period.Period{Precision: period.Season, From: from, To: to})
		}
		date := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
		add(period.Span, date(y, time.October, 1), date(y+1, time.March, 31), "")
		add(period.Span, date(y, time.October, 1), date(y, time.December, 31), "")
		add(period.Months, date(y, time.December, 1), date(y+1, time.January, 31), "")
		add(period.Half, date(y, time.January, 1), date(y, time.June, 30), "")
		add(period.Half, date(y, time.July, 1), date(y, time.December, 31), "")
		add(period.Day, date(y, time.May, 1), date(y, time.May, 1), "09:05")
	}
	periods = append(periods, period.NotFixed("à définir"), period.Period{Precision: period.Month})

	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		ctx := context.Background()
		for _, p := range periods {
			nullable := func(s string) string {
				if s == "" {
					return "NULL"
				}
				return db.Literal(s)
			}
			expr := period.TextSQL(nullable(string(p.From)), nullable(string(p.To)), db.Literal(string(p.Precision)), db.Literal(p.Time))
			var got string
			require.NoError(t, bdb.NewRaw("SELECT "+expr).Scan(ctx, &got))
			require.Equal(t, p.String(), got, "%+v", p)
		}
	})
}
