package announce

import (
	"context"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/matching"
	"github.com/lianes-cooperation/lianes/internal/reference"
)

// Profile subscriptions (issue 16): a member's direct messages that follow
// their structure's profile (Subscription.StructureID) get the new calls and
// events that fit it as internal/matching says (open to the structure's type,
// and a theme, a country or the organiser in common, or about nothing in
// particular), the reminders of those calls, and a digest "pour <structure>".

// subscribers are the subscriptions with the profiles of those that follow
// one, read once for an announcement, a reminder run or a digest.
type subscribers struct {
	subs     []Subscription
	profiles map[int64]*matching.Profile
	ref      *reference.Lists
}

// readSubscribers reads every subscription, and the profiles they follow.
func readSubscribers(ctx context.Context, idb bun.IDB) (*subscribers, error) {
	subs, err := allSubscriptions(ctx, idb)
	if err != nil {
		return nil, err
	}
	out := &subscribers{subs: subs, profiles: map[int64]*matching.Profile{}}
	var ids []int64
	for _, s := range subs {
		if s.StructureID != 0 {
			ids = append(ids, s.StructureID)
		}
	}
	if len(ids) == 0 {
		return out, nil
	}
	if out.profiles, err = (&matching.Service{DB: idb}).Profiles(ctx, ids); err != nil {
		return nil, err
	}
	if out.ref, err = reference.Load(ctx, idb); err != nil {
		return nil, err
	}
	return out, nil
}

// profiled tells whether some subscription follows a profile: only then
// are a record's facts read.
func (s *subscribers) profiled() bool { return len(s.profiles) > 0 }

// wants says whether a subscription wants a record: by its filters, or for
// a profile by the matching of the record's facts. Without facts (a staff
// announcement's filter), a profile is compared with the filter as a
// record would be: each code the filter names must be one of the profile's.
func (s *subscribers) wants(sub *Subscription, x Subject, facts *matching.Facts) bool {
	if sub.StructureID == 0 {
		return sub.Matches(x)
	}
	p := s.profiles[sub.StructureID]
	if p == nil {
		return false // a structure gone: its subscription goes with it
	}
	if facts == nil {
		filter := Subscription{Themes: x.Themes, Audiences: x.Audiences, Departments: x.Departments, Countries: x.Countries}
		own := Subject{Themes: p.Themes, Audiences: p.Audiences, Countries: p.Countries}
		if p.Department != "" {
			own.Departments = []string{p.Department}
		}
		return filter.Matches(own)
	}
	m, ok := p.Score(*facts, s.ref)
	return ok && m.Fits
}

// targets lists the channels that want a record.
func (s *subscribers) targets(x Subject, facts *matching.Facts) []Target {
	var out []Target
	for i := range s.subs {
		if s.wants(&s.subs[i], x, facts) {
			out = append(out, Target{s.subs[i].Platform, s.subs[i].Channel})
		}
	}
	return out
}

// factsOf reads the facts of a call or an event for the profiles, or nil
// when no subscription follows one.
func (s *subscribers) factsOf(ctx context.Context, idb bun.IDB, event bool, id int64) (*matching.Facts, error) {
	if !s.profiled() {
		return nil, nil
	}
	m, err := (&matching.Service{DB: idb}).FactsOf(ctx, event, []int64{id})
	if err != nil {
		return nil, err
	}
	if f := m[id]; f != nil {
		return f, nil
	}
	return &matching.Facts{Event: event}, nil
}

// nameOf is the name of the structure a subscription follows, or "".
func (s *subscribers) nameOf(sub *Subscription) string {
	if p := s.profiles[sub.StructureID]; p != nil && sub.StructureID != 0 {
		return p.Name
	}
	return ""
}
