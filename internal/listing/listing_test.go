package listing

import (
	"context"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/dbtest"
)

// TestWindowSQL asks each database for the window of pages asked every
// way, from the start and from the end, and requires window's.
func TestWindowSQL(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 5))
	maybe := func(n int) *int {
		if r.IntN(3) == 0 {
			return nil
		}
		v := r.IntN(n)
		return &v
	}
	cursor := func() *string {
		if i := maybe(12); i != nil {
			c := Cursor(*i)
			return &c
		}
		return nil
	}
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		for range 500 {
			a := Args{First: maybe(6), Last: maybe(6), After: cursor(), Before: cursor()}
			total := r.IntN(12)
			b, err := a.check()
			require.NoError(t, err)
			wantFrom, wantTo := b.window(total)
			from, to, err := a.WindowSQL(bdb, strconv.Itoa(total))
			require.NoError(t, err)
			var got struct{ From, To int }
			require.NoError(t, bdb.NewRaw("SELECT "+from+" AS from_, "+to+" AS to_").Scan(context.Background(), &got.From, &got.To))
			require.Equal(t, [2]int{wantFrom, wantTo}, [2]int{got.From, got.To}, "%d items, %+v", total, b)
		}
		_, _, err := Args{Before: new("nope")}.WindowSQL(bdb, "1")
		require.Error(t, err)
	})
}
