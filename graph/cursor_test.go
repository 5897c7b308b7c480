package graph_test

import (
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// TestForgedCursorsAreRefusedTheSameOnEveryPath sends the cursors of issue
// 14, item 7: positions past the integers' range, negative, fractional or
// written oddly. They made a slice out of range (an internal error) and the
// compiled and resolver paths answer differently; now both refuse each the
// same way, naming the argument, and a far but valid position is an empty
// page on both.
func TestForgedCursorsAreRefusedTheSameOnEveryPath(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		compiled := newAPI(t, bdb)
		resolvers := newAPIWith(t, bdb, true)
		compiled.role, resolvers.role = access.Staff, access.Staff
		lists := []string{
			`{ structures(%s: "%s") { totalCount nodes { name } } }`,
			`{ projects(%s: "%s", first: 5) { nodes { title } pageInfo { hasNextPage } } }`,
			`{ events(%s: "%s") { edges { cursor node { title } } } }`,
			`{ structure(id: "Structure:1") { projects(%s: "%s") { totalCount nodes { title } } } }`,
			`{ contacts(%s: "%s") { totalCount } }`,
		}
		encode := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
		for _, forged := range []string{"i:9223372036854775807", "i:9223372036854775806", "i:-1", "i:-9223372036854775808",
			"i:1.5", "i:+3", "i:007", "i:1e3", "i: 3", "i:1000000001"} {
			for _, arg := range []string{"after", "before"} {
				for _, list := range lists {
					q := fmt.Sprintf(list, arg, encode(forged))
					for name, a := range map[string]*api{"compiled": compiled, "resolvers": resolvers} {
						r := a.do(q, nil)
						require.NotEmpty(t, r.Errors, "%s %s", name, q)
						require.Equal(t, "BAD_USER_INPUT", r.Errors[0].Extensions["code"], "%s %s: %s", name, q, r.Errors[0].Message)
						require.Equal(t, arg, r.Errors[0].Extensions["field"], "%s %s", name, q)
					}
				}
			}
		}
		for _, list := range lists {
			q := fmt.Sprintf(list, "after", encode("i:999999999"))
			c, r := compiled.do(q, nil), resolvers.do(q, nil)
			require.Empty(t, c.Errors, q)
			require.Equal(t, string(r.Data), string(c.Data), q)
		}
	})
}
