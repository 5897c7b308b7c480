package announce

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/matching"
	"github.com/lianes-cooperation/lianes/internal/period"
)

// Schedule writes the reminders and the digest that are due by now. Every
// replica may run it: each announcement's key lets it be written once.
func (s *Service) Schedule(ctx context.Context) (int, error) {
	now := s.Clock.Now().In(clock.Paris)
	n, err := s.scheduleReminders(ctx, now)
	if err != nil {
		return n, err
	}
	m, err := s.scheduleDigest(ctx, now)
	return n + m, err
}

// at returns the instant of a day at a time of day (HH:MM) in Paris: the
// same wall clock on both sides of a daylight-saving change.
func at(d period.Date, hhmm string) time.Time {
	var h, m int
	_, _ = fmt.Sscanf(hhmm, "%d:%d", &h, &m)
	day := d.Time(clock.Paris)
	return time.Date(day.Year(), day.Month(), day.Day(), h, m, 0, 0, clock.Paris)
}

func addDays(d period.Date, n int) period.Date {
	t := d.Time(time.UTC)
	return period.DateOf(t.AddDate(0, 0, n))
}

// calls reads the active calls with their codes.
func calls(ctx context.Context, bdb *bun.DB, where string, args ...any) ([]*fundingcall.FundingCall, error) {
	var ids []int64
	if err := bdb.NewSelect().TableExpr("funding_calls AS fc").Column("fc.id").Where("fc.status = ?", fundingcall.StatusActive).
		Where(where, args...).OrderExpr("fc.id").Scan(ctx, &ids); err != nil {
		return nil, fmt.Errorf("announce: calls: %w", err)
	}
	svc := &fundingcall.Service{DB: bdb}
	byID, err := svc.FundingCalls(ctx, ids)
	if err != nil {
		return nil, err
	}
	themes, err := svc.ThemesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	audiences, err := svc.AudiencesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	countries, err := svc.CountriesOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]*fundingcall.FundingCall, 0, len(ids))
	for _, id := range ids {
		if c := byID[id]; c != nil {
			c.Themes, c.Audiences, c.Countries = themes[id], audiences[id], countries[id]
			out = append(out, c)
		}
	}
	return out, nil
}

// scheduleReminders writes the reminders of the calls whose deadline is a
// known day: each one from its day on (at ReminderTime), so that a
// server down that morning still sends it later, but never for a call added
// after that day, which its own announcement covered.
func (s *Service) scheduleReminders(ctx context.Context, now time.Time) (int, error) {
	today := period.DateOf(now)
	days := slices.Clone(s.ReminderDays)
	slices.Sort(days)
	slices.Reverse(days)
	if len(days) == 0 {
		return 0, nil
	}
	due, err := calls(ctx, s.DB, "fc.deadline_precision = ? AND fc.deadline_from >= ? AND fc.deadline_from <= ?",
		period.Day, today, addDays(today, days[0]))
	if err != nil {
		return 0, err
	}
	if len(due) == 0 {
		return 0, nil
	}
	subs, err := readSubscribers(ctx, s.DB)
	if err != nil {
		return 0, err
	}
	n := 0
	for _, c := range due {
		var facts *matching.Facts
		if subs.profiled() {
			f := matching.CallFacts(c)
			facts = &f
		}
		for i, d := range days {
			day := addDays(c.Deadline.From, -d)
			end := addDays(c.Deadline.From, 1)
			if i+1 < len(days) {
				end = addDays(c.Deadline.From, -days[i+1])
			}
			if today < day || today >= end || !c.CreatedAt.Before(at(day, s.ReminderTime)) {
				continue
			}
			a := Announcement{Key: fmt.Sprintf("reminder:%s:%d:%s:J-%d", RecordFundingCall, c.ID, c.Deadline.From, d),
				Kind: KindReminder, RecordKind: RecordFundingCall, RecordID: c.ID, Text: s.reminderText(c, d),
				Author: "rappel automatique", SendAt: later(at(day, s.ReminderTime), now)}
			ok, err := enqueue(ctx, s.DB, s.now(), &a, subs.targets(callSubject(c), facts))
			if err != nil {
				return n, err
			}
			if ok {
				n++
			}
		}
	}
	return n, nil
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a.UTC()
	}
	return b.UTC()
}

// digestWindow is how far ahead the digest looks.
const digestWindow = 14

// scheduleDigest writes the week's digest, once its time has come and for
// the day after (a server down on Monday morning still sends it): one per
// subscription, with what matches it, none when nothing does.
func (s *Service) scheduleDigest(ctx context.Context, now time.Time) (int, error) {
	if s.DigestTime == "" {
		return 0, nil
	}
	today := period.DateOf(now)
	back := (int(now.Weekday()) - int(s.DigestDay) + 7) % 7
	day := addDays(today, -back)
	start := at(day, s.DigestTime)
	if now.Before(start) || now.After(start.Add(24*time.Hour)) {
		return 0, nil
	}
	horizon := addDays(day, digestWindow)
	evs, err := (&event.Service{DB: s.DB}).Matching(ctx, event.Filter{From: day, To: horizon, Upcoming: true, On: day})
	if err != nil {
		return 0, err
	}
	cs, err := calls(ctx, s.DB, "(fc.opens_from >= ? AND fc.opens_from <= ?) OR (fc.deadline_from >= ? AND fc.deadline_from <= ?)",
		day, horizon, day, horizon)
	if err != nil {
		return 0, err
	}
	subs, err := readSubscribers(ctx, s.DB)
	if err != nil {
		return 0, err
	}
	d := digest{subscribers: subs, day: day, events: evs, calls: cs}
	if subs.profiled() {
		ids := make([]int64, len(evs))
		for i := range evs {
			ids[i] = evs[i].ID
		}
		if d.eventFacts, err = (&matching.Service{DB: s.DB}).FactsOf(ctx, true, ids); err != nil {
			return 0, err
		}
	}
	n := 0
	for i := range subs.subs {
		sub := &subs.subs[i]
		text := s.digestText(d, sub)
		if text == "" {
			continue
		}
		a := Announcement{Key: fmt.Sprintf("digest:%s:%s:%s", day, sub.Platform, sub.Channel), Kind: KindDigest,
			Text: text, Author: "lettre de la semaine", SendAt: later(start, now)}
		ok, err := enqueue(ctx, s.DB, s.now(), &a, []Target{{sub.Platform, sub.Channel}})
		if err != nil {
			return n, err
		}
		if ok {
			n++
		}
	}
	return n, nil
}

// digest is what the week's digest is made of, read once for every
// subscription.
type digest struct {
	*subscribers
	day        period.Date
	events     []event.Event
	calls      []*fundingcall.FundingCall
	eventFacts map[int64]*matching.Facts // for the profiles
}

func (s *Service) digestText(d digest, sub *Subscription) string {
	var events, opening, closing []string
	day, evs, cs := d.day, d.events, d.calls
	for i := range evs {
		e := &evs[i]
		var facts *matching.Facts
		if sub.StructureID != 0 {
			facts = d.eventFacts[e.ID]
			if facts == nil {
				facts = &matching.Facts{Event: true}
			}
		}
		if d.wants(sub, eventSubject(e), facts) {
			events = append(events, fmt.Sprintf("• %s, %s", e.Title, when(e.Date)))
		}
	}
	horizon := addDays(day, digestWindow)
	for _, c := range cs {
		var facts *matching.Facts
		if sub.StructureID != 0 {
			f := matching.CallFacts(c)
			facts = &f
		}
		if !d.wants(sub, callSubject(c), facts) {
			continue
		}
		if c.Opens.IsFixed() && c.Opens.From >= day && c.Opens.From <= horizon {
			opening = append(opening, fmt.Sprintf("• %s, ouverture %s", c.Title, when(c.Opens)))
		}
		if c.Deadline.IsFixed() && c.Deadline.From >= day && c.Deadline.From <= horizon {
			closing = append(closing, fmt.Sprintf("• %s, %s", c.Title, deadline(c.Deadline)))
		}
	}
	if len(events)+len(opening)+len(closing) == 0 {
		return ""
	}
	var b strings.Builder
	title := "La semaine du réseau"
	if name := d.nameOf(sub); name != "" {
		title += " pour " + name
	}
	fmt.Fprintf(&b, "%s (à partir du %s)", title, strings.TrimPrefix(when(period.OnDay(day, "")), "le "))
	for _, part := range []struct {
		title string
		lines []string
	}{{"Événements à venir", events}, {"Appels qui ouvrent", opening}, {"Appels qui se clôturent", closing}} {
		if len(part.lines) > 0 {
			fmt.Fprintf(&b, "\n\n%s :\n%s", part.title, strings.Join(part.lines, "\n"))
		}
	}
	return b.String()
}
