// Package clock provides the one source of time of the service, so that the
// 2021 programme can be replayed as of a day of 2021 while schedulers keep
// running.
package clock

import (
	"fmt"
	"strings"
	"time"

	// The network lives in Europe/Paris: a scratch container may have no zoneinfo.
	_ "time/tzdata"
)

// Clock tells the current time.
type Clock interface {
	Now() time.Time
}

// Paris is the network's time zone, daylight saving included.
var Paris = mustLoad("Europe/Paris")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is embedded: this cannot fail.
	}
	return loc
}

// System is the machine's clock.
type System struct{}

// Now returns the machine's time.
func (System) Now() time.Time { return time.Now() }

// Shifted starts at a chosen instant and runs on at the machine's pace from
// there: a replay of a past day that still ticks for schedulers.
type Shifted struct {
	offset time.Duration
	now    func() time.Time
}

// NewShifted returns a clock that reads start now and advances in real time.
func NewShifted(start time.Time) *Shifted {
	return &Shifted{offset: time.Until(start), now: time.Now}
}

// Now returns the shifted time.
func (s *Shifted) Now() time.Time { return s.now().Add(s.offset) }

// Fixed always reads the same instant; tests use it.
type Fixed time.Time

// Now returns the fixed instant.
func (f Fixed) Now() time.Time { return time.Time(f) }

// Parse reads the value of --now / LIANES_NOW: a day (2021-01-04, taken at
// midnight in Paris), a local time (2021-01-04T09:30) or an RFC 3339 instant.
func Parse(value string) (time.Time, error) {
	value = strings.TrimSpace(value)
	for _, layout := range []string{"2006-01-02", "2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, value, Paris); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339, value); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("date « %s » non reconnue : attendu AAAA-MM-JJ, AAAA-MM-JJTHH:MM ou RFC 3339", value)
}

// FromSetting returns the machine clock when value is empty, and a clock
// started at value otherwise.
func FromSetting(value string) (Clock, error) {
	if strings.TrimSpace(value) == "" {
		return System{}, nil
	}
	start, err := Parse(value)
	if err != nil {
		return nil, err
	}
	return NewShifted(start), nil
}
