package scalar

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDateTimeIsWrittenInUTC(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	var b bytes.Buffer
	MarshalDateTime(time.Date(2021, 6, 1, 14, 30, 0, 120_000_000, paris)).MarshalGQL(&b)
	require.Equal(t, `"2021-06-01T12:30:00.12Z"`, b.String())
	b.Reset()
	MarshalDateTime(time.Time{}).MarshalGQL(&b)
	require.Equal(t, "null", b.String())
	back, err := UnmarshalDateTime("2021-06-01T14:30:00+02:00")
	require.NoError(t, err)
	require.True(t, back.Equal(time.Date(2021, 6, 1, 12, 30, 0, 0, time.UTC)))
}
