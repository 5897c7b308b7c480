package period

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestParse(t *testing.T) {
	cases := []struct {
		label     string
		precision Precision
		from, to  Date
		time      string
		text      string
	}{
		{"12 janvier", Day, "2021-01-12", "2021-01-12", "", "12 janvier 2021"},
		{"02/03/2021 11:00", Day, "2021-03-02", "2021-03-02", "11:00", "2 mars 2021 à 11h00"},
		{"2021-01-27 18:30", Day, "2021-01-27", "2021-01-27", "18:30", "27 janvier 2021 à 18h30"},
		{"Mai", Month, "2021-05-01", "2021-05-31", "", "mai 2021"},
		{"Février", Month, "2021-02-01", "2021-02-28", "", "février 2021"},
		{"Juin-Juillet", Months, "2021-06-01", "2021-07-31", "", "juin-juillet 2021"},
		{"Juin-juillet", Months, "2021-06-01", "2021-07-31", "", "juin-juillet 2021"},
		{"Automne", Season, "2021-09-01", "2021-11-30", "", "automne 2021"},
		{"Eté 2021", Season, "2021-06-01", "2021-08-31", "", "été 2021"},
		{"à l'été 2021", Season, "2021-06-01", "2021-08-31", "", "été 2021"},
		{"Hiver", Season, "2021-12-01", "2022-02-28", "", "hiver 2021"},
		{"Mars 2021", Month, "2021-03-01", "2021-03-31", "", "mars 2021"},
		{"second semestre", Half, "2021-07-01", "2021-12-31", "", "second semestre 2021"},
		{"2021", Year, "2021-01-01", "2021-12-31", "", "2021"},
		{"fin 2021/début 2022", Span, "2021-10-01", "2022-03-31", "", "fin 2021/début 2022"},
		{"A définir", Unknown, "", "", "", "date à définir"},
		{"", Unknown, "", "", "", "date à définir"},
	}
	for _, c := range cases {
		t.Run(c.label, func(t *testing.T) {
			p, err := Parse(c.label, 2021)
			require.NoError(t, err)
			require.Equal(t, c.precision, p.Precision)
			require.Equal(t, c.from, p.From)
			require.Equal(t, c.to, p.To)
			require.Equal(t, c.time, p.Time)
			require.Equal(t, c.text, p.String())
			require.Equal(t, c.label, p.Label)
		})
	}
}

func TestParseRejects(t *testing.T) {
	for _, label := range []string{"bientôt", "31 février", "32/01/2021", "2021-13-01", "Mai-Truc", "25:00"} {
		_, err := Parse(label, 2021)
		require.Error(t, err, label)
		require.Contains(t, err.Error(), "non reconnue", label)
	}
}

func TestRelationFollowsPrecision(t *testing.T) {
	may, err := Parse("Mai", 2021)
	require.NoError(t, err)
	require.Equal(t, Upcoming, may.RelationTo("2021-04-30"))
	require.Equal(t, Current, may.RelationTo("2021-05-01"))
	require.Equal(t, Current, may.RelationTo("2021-05-31"))
	require.Equal(t, Past, may.RelationTo("2021-06-01"))

	open := NotFixed("A définir")
	require.Equal(t, NotSet, open.RelationTo("2030-01-01"), "a date not fixed is never past")
}
