package graph_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// TestTextsAreBoundedAndAddressesAreWeb reproduces issue 14, item 11: a
// structure name of any length, a huge channel id and announcement, and a
// javascript: address were stored; each is refused now, naming the field,
// and nothing is written.
func TestTextsAreBoundedAndAddressesAreWeb(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		a := newAPI(t, bdb)
		a.role = access.Admin
		count := func(table string) int {
			n, err := bdb.NewSelect().TableExpr(table).Count(context.Background())
			require.NoError(t, err)
			return int(n)
		}
		before := map[string]int{}
		for _, table := range []string{"structures", "events", "subscriptions", "announcements", "funding_calls"} {
			before[table] = count(table)
		}
		long := strings.Repeat("é", 100_000)
		for _, c := range []struct {
			query  string
			vars   map[string]any
			fields []string
		}{
			{`mutation($n: String!) { createStructure(input: {name: $n}) { id } }`, map[string]any{"n": strings.Repeat("a", 301)}, []string{"input.name"}},
			{`mutation($n: String!) { createStructure(input: {name: $n}) { id } }`, map[string]any{"n": long}, []string{"input.name"}},
			{`mutation($d: String!) { createStructure(input: {name: "Aube", description: $d, otherNames: ["x", $d]}) { id } }`,
				map[string]any{"d": strings.Repeat("b", 10_001)}, []string{"input.description", "input.otherNames"}},
			{`mutation { createStructure(input: {name: "Aube", website: "javascript:alert(document.cookie)"}) { id } }`, nil, []string{"input.website"}},
			{`mutation { createFundingCall(input: {title: "Fonds", territory: REGIONAL, url: "data:text/html,<script>alert(1)</script>"}) { id } }`, nil, []string{"input.url"}},
			{`mutation { createEvent(input: {kind: WEBINAIRE, title: "Webinaire", date: "12 mai 2021", registrationUrl: "JavaScript:alert(1)"}) { id } }`, nil, []string{"input.registrationUrl"}},
			{`mutation($c: String!) { subscribe(input: {platform: SLACK, channel: $c}) { channel } }`, map[string]any{"c": strings.Repeat("C", 101)}, []string{"input.channel"}},
			{`mutation($t: String!) { announce(input: {text: $t, channels: [{platform: SLACK, channel: "C1"}]}) { id } }`, map[string]any{"t": strings.Repeat("t", 2_001)}, []string{"input.text"}},
		} {
			r := a.do(c.query, c.vars)
			require.NotEmpty(t, r.Errors, c.query)
			require.Equal(t, "BAD_USER_INPUT", r.Errors[0].Extensions["code"], "%s: %s", c.query, r.Errors[0].Message)
			if f := fieldsOf(r); f != nil {
				require.ElementsMatch(t, c.fields, f, c.query)
			} else {
				require.Equal(t, c.fields[0], r.Errors[0].Extensions["field"], c.query)
			}
			require.NotContains(t, r.Errors[0].Message, long, "the message does not echo the text")
		}
		for table, n := range before {
			require.Equal(t, n, count(table), "nothing written in %s", table)
		}
		require.Empty(t, a.do(`mutation { createStructure(input: {name: "Aube", website: "https://aube.example.org", description: "`+
			strings.Repeat("c", 10_000)+`"}) { id } }`, nil).Errors)
		require.NotContains(t, a.log.String(), "level=ERROR")
	})
}
