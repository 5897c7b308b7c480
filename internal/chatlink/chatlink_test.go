package chatlink_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/chatlink"
	"github.com/lianes-cooperation/lianes/internal/dataset"
	"github.com/lianes-cooperation/lianes/internal/dbtest"
	"github.com/lianes-cooperation/lianes/internal/domain"
	"github.com/lianes-cooperation/lianes/internal/network"
)

// movable is a clock a test moves on.
type movable struct{ now time.Time }

func (m *movable) Now() time.Time { return m.now }

func seeded(t *testing.T, bdb *bun.DB) (*domain.Services, *movable) {
	t.Helper()
	_, err := dataset.SeedDemo(context.Background(), bdb, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	c := &movable{now: time.Date(2021, 1, 4, 9, 0, 0, 0, time.UTC)}
	return domain.New(bdb, c), c
}

func addContact(t *testing.T, bdb *bun.DB, structure int64, email string) {
	t.Helper()
	c := network.Contact{StructureID: structure, Name: "Personne " + email, SortName: "personne", Email: email, Version: 1,
		CreatedAt: time.Now(), UpdatedAt: time.Now()}
	_, err := bdb.NewInsert().Model(&c).Exec(context.Background())
	require.NoError(t, err)
}

// TestLookupsAreRememberedAndRoles: a miss is remembered for a day, an
// e-mail two structures share links nobody, a member acts on their own
// link only, and a structure merged into another takes its links along.
func TestLookupsAreRememberedAndRoles(t *testing.T) {
	dbtest.Each(t, func(t *testing.T, bdb *bun.DB) {
		s, c := seeded(t, bdb)
		links := s.ChatLinks
		member := access.WithRole(context.Background(), access.Member)

		need, err := links.NeedsLookup(member, chatlink.Slack, "U1")
		require.NoError(t, err)
		require.True(t, need)
		_, ok, err := links.LinkByEmail(member, chatlink.Slack, "U1", "", "")
		require.NoError(t, err)
		require.False(t, ok)
		need, err = links.NeedsLookup(member, chatlink.Slack, "U1")
		require.NoError(t, err)
		require.False(t, need, "a miss is remembered")
		c.now = c.now.Add(chatlink.LookupTTL)
		need, err = links.NeedsLookup(member, chatlink.Slack, "U1")
		require.NoError(t, err)
		require.True(t, need, "and asked again a day later")

		addContact(t, bdb, 12, "double@exemple.org")
		addContact(t, bdb, 8, "DOUBLE@exemple.org")
		_, ok, err = links.LinkByEmail(member, chatlink.Slack, "U2", "", "double@exemple.org")
		require.NoError(t, err)
		require.False(t, ok, "two structures: the member says which")

		_, err = links.Claim(access.WithRole(context.Background(), access.Anonymous), chatlink.Discord, "D1", "", 12)
		require.ErrorIs(t, err, access.ErrForbidden)
		_, err = links.Claim(member, "teams", "T1", "", 12)
		require.ErrorIs(t, err, chatlink.ErrPlatform)
		l, err := links.Claim(member, chatlink.Discord, "D1", "zoe", 8)
		require.NoError(t, err)
		_, err = links.Validate(member, l.ID)
		require.ErrorIs(t, err, access.ErrForbidden)
		_, _, err = links.Pending(member, 10)
		require.ErrorIs(t, err, access.ErrForbidden)
		_, err = links.EraseChatUser(access.WithRole(context.Background(), access.Staff), chatlink.Discord, "D1")
		require.ErrorIs(t, err, access.ErrForbidden)

		staff := access.WithRole(context.Background(), access.Staff)
		_, err = links.Validate(staff, l.ID)
		require.NoError(t, err)
		_, err = links.Claim(member, chatlink.Discord, "D1", "zoe", 12)
		var linked *chatlink.LinkedError
		require.True(t, errors.As(err, &linked), "validated already: undo first")

		// Ville de Loos en Gohelle (8) merged into Ville de Lille (12).
		keep, err := s.Network.Structure(staff, 12)
		require.NoError(t, err)
		gone, err := s.Network.Structure(staff, 8)
		require.NoError(t, err)
		_, err = s.Changes.MergeStructures(staff, 12, keep.Version, 8, gone.Version)
		require.NoError(t, err)
		got, err := links.Of(member, chatlink.Discord, "D1")
		require.NoError(t, err)
		require.Equal(t, int64(12), got.StructureID)
		require.Equal(t, chatlink.StatusValidated, got.Status)
	})
}
