package listing_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/listing"
)

func TestReverse(t *testing.T) {
	for order, want := range map[string]string{
		`s.sort_name COLLATE "C" ASC, s.id ASC`:                                   `s.sort_name COLLATE "C" DESC, s.id DESC`,
		`CASE WHEN e.date_from IS NULL THEN 1 ELSE 0 END, e.date_from DESC, e.id`: `CASE WHEN e.date_from IS NULL THEN 1 ELSE 0 END DESC, e.date_from ASC, e.id DESC`,
		`COALESCE(p.a, ',') desc, lower(p.b, 'x)')`:                               `COALESCE(p.a, ',') ASC, lower(p.b, 'x)') DESC`,
	} {
		got, ok := listing.Reverse(order)
		require.True(t, ok, order)
		require.Equal(t, want, got)
	}
	for _, bad := range []string{`a ASC NULLS FIRST`, `f(a`, `'a`, `a, , b`} {
		_, ok := listing.Reverse(bad)
		require.False(t, ok, bad)
	}
}
