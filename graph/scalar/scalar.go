// Package scalar holds the GraphQL scalars of the schema that are not
// gqlgen's own.
package scalar

import (
	"fmt"
	"io"
	"strconv"

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

// badInput is an argument the caller got wrong.
func badInput(msg string) error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": "BAD_USER_INPUT"}}
}
