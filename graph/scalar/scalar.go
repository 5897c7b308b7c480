// Package scalar holds the GraphQL scalars of the schema that are not
// gqlgen's own.
package scalar

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/lianes-cooperation/lianes/internal/period"
)

// MarshalDate writes a day as a JSON string.
func MarshalDate(d period.Date) graphql.Marshaler {
	return graphql.WriterFunc(func(w io.Writer) { _, _ = io.WriteString(w, strconv.Quote(string(d))) })
}

// UnmarshalDate reads a day, refusing anything but YYYY-MM-DD.
func UnmarshalDate(v any) (period.Date, error) {
	s, ok := v.(string)
	if !ok {
		return "", badInput(fmt.Sprintf("date attendue sous la forme AAAA-MM-JJ, reçu %v", v))
	}
	d, err := period.ParseDate(s)
	if err != nil {
		return "", badInput(err.Error())
	}
	return d, nil
}

// MarshalDateTime writes an instant in UTC (RFC 3339, as many decimals as it
// has), whatever zone the process runs in: pgx gives instants in the
// process's zone and SQLite in UTC, and the same record must read the same
// from every replica, on both databases, and through the compiled reads,
// which write it in SQL (db.InstantText).
func MarshalDateTime(t time.Time) graphql.Marshaler { return graphql.MarshalTime(t.UTC()) }

// UnmarshalDateTime reads an instant in RFC 3339.
func UnmarshalDateTime(v any) (time.Time, error) { return graphql.UnmarshalTime(v) }

// badInput is an argument the caller got wrong.
func badInput(msg string) error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": "BAD_USER_INPUT"}}
}
