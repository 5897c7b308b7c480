package announce_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/lianes-cooperation/lianes/internal/announce"
)

func TestSettings(t *testing.T) {
	days, err := announce.ParseReminderDays("14, 3")
	require.NoError(t, err)
	require.Equal(t, []int{14, 3}, days)
	days, err = announce.ParseReminderDays("aucun")
	require.NoError(t, err)
	require.Empty(t, days)
	_, err = announce.ParseReminderDays("14,trois")
	require.ErrorContains(t, err, "« 14,trois »")

	day, at, err := announce.ParseDigest("Vendredi 17h30")
	require.NoError(t, err)
	require.Equal(t, time.Friday, day)
	require.Equal(t, "17:30", at)
	_, at, err = announce.ParseDigest("aucun")
	require.NoError(t, err)
	require.Empty(t, at)
	_, _, err = announce.ParseDigest("lundi midi")
	require.ErrorContains(t, err, "lundi 09:00")
}
