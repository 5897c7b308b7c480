package announce

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/changes"
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/reference"
)

// Service manages subscriptions and announcements.
type Service struct {
	DB    *bun.DB
	Clock clock.Clock
	// BaseURL prefixes the links to records' pages; none when empty.
	BaseURL string
	// ReminderDays are the days before a deadline when a call is recalled.
	ReminderDays []int
	// ReminderTime is the time of day, in Paris, when reminders go (HH:MM).
	ReminderTime string
	// Digest is when the weekly digest goes: a weekday and a time in Paris;
	// none when DigestTime is empty.
	DigestDay  time.Weekday
	DigestTime string // HH:MM
}

// New returns the service with the network's defaults: reminders 14 and 3
// days before a deadline at 9:00, the digest on Monday at 9:00.
func New(bdb *bun.DB, c clock.Clock) *Service {
	return &Service{DB: bdb, Clock: c, ReminderDays: []int{14, 3}, ReminderTime: "09:00", DigestDay: time.Monday, DigestTime: "09:00"}
}

func (s *Service) now() time.Time { return s.Clock.Now().UTC().Truncate(time.Microsecond) }

// Subscribe makes a channel follow the filters, replacing what it followed;
// staff only.
func (s *Service) Subscribe(ctx context.Context, sub Subscription) (*Subscription, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return nil, err
	}
	return s.subscribe(ctx, sub)
}

// SubscribeOwn gives a member alerts in their direct messages with the bot.
// Only a chat transport calls it: it vouches that the channel is the
// asker's own conversation with the bot, which an API token cannot.
func (s *Service) SubscribeOwn(ctx context.Context, sub Subscription) (*Subscription, error) {
	if err := access.Require(ctx, access.Member); err != nil {
		return nil, err
	}
	sub.Personal = true
	return s.subscribe(ctx, sub)
}

func (s *Service) subscribe(ctx context.Context, sub Subscription) (*Subscription, error) {
	sub.Channel = strings.TrimSpace(sub.Channel)
	if err := check(ctx, s.DB, sub.Platform, sub.Kinds, sub.Themes, sub.Audiences, sub.Departments, sub.Countries); err != nil {
		return nil, err
	}
	if sub.Channel == "" {
		return nil, &changes.InvalidError{Errors: []changes.FieldError{{Field: "channel", Message: "salon manquant"}}}
	}
	sub.CreatedBy, sub.CreatedAt = access.ActorFrom(ctx), s.now()
	_, err := s.DB.NewInsert().Model(&sub).
		On("CONFLICT (platform, channel) DO UPDATE").
		Set("personal = EXCLUDED.personal, kinds = EXCLUDED.kinds, themes = EXCLUDED.themes").
		Set("audiences = EXCLUDED.audiences, departments = EXCLUDED.departments, countries = EXCLUDED.countries").
		Set("created_by = EXCLUDED.created_by, created_at = EXCLUDED.created_at, structure_id = EXCLUDED.structure_id").
		Returning("id").Exec(ctx)
	if err != nil {
		return nil, fmt.Errorf("announce: subscribe: %w", err)
	}
	return &sub, nil
}

// Unsubscribe stops a channel's subscription; staff only. False when there
// was none.
func (s *Service) Unsubscribe(ctx context.Context, t Target) (bool, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return false, err
	}
	return s.unsubscribe(ctx, t, false)
}

// UnsubscribeOwn stops a member's own alerts; see SubscribeOwn.
func (s *Service) UnsubscribeOwn(ctx context.Context, t Target) (bool, error) {
	if err := access.Require(ctx, access.Member); err != nil {
		return false, err
	}
	return s.unsubscribe(ctx, t, true)
}

// StopProfileAlerts stops a member's own alerts when they follow a
// structure's profile (a member who undoes their link to the structure no
// longer speaks for it); alerts on filters stay. False when there were none.
func (s *Service) StopProfileAlerts(ctx context.Context, t Target) (bool, error) {
	if err := access.Require(ctx, access.Member); err != nil {
		return false, err
	}
	res, err := s.DB.NewDelete().TableExpr("subscriptions").
		Where("platform = ? AND channel = ? AND personal = ? AND structure_id IS NOT NULL", t.Platform, t.Channel, true).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("announce: stop profile alerts: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

func (s *Service) unsubscribe(ctx context.Context, t Target, personal bool) (bool, error) {
	res, err := s.DB.NewDelete().TableExpr("subscriptions").
		Where("platform = ? AND channel = ? AND personal = ?", t.Platform, t.Channel, personal).Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("announce: unsubscribe: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}

// Subscriptions lists the subscriptions, of one platform when given; staff.
func (s *Service) Subscriptions(ctx context.Context, platform string) ([]Subscription, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return nil, err
	}
	var subs []Subscription
	q := s.DB.NewSelect().Model(&subs).Order("platform", "channel")
	if platform != "" {
		q = q.Where("platform = ?", platform)
	}
	if err := q.Scan(ctx); err != nil {
		return nil, fmt.Errorf("announce: subscriptions: %w", err)
	}
	return subs, nil
}

// enqueue writes an announcement and its deliveries in the caller's
// transaction. The key makes it happen once: a second enqueue with the same
// key, from another replica or a second run, writes nothing.
func enqueue(ctx context.Context, idb bun.IDB, now time.Time, a *Announcement, targets []Target) (bool, error) {
	if len(targets) == 0 {
		return false, nil
	}
	a.CreatedAt = now
	if a.SendAt.IsZero() {
		a.SendAt = now
	}
	res, err := idb.NewInsert().Model(a).On("CONFLICT (key) DO NOTHING").Returning("id").Exec(ctx)
	if err != nil {
		return false, fmt.Errorf("announce: enqueue: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 || a.ID == 0 {
		return false, nil
	}
	ds := make([]Delivery, 0, len(targets))
	seen := map[Target]bool{}
	for _, t := range targets {
		if seen[t] {
			continue
		}
		seen[t] = true
		ds = append(ds, Delivery{AnnouncementID: a.ID, Platform: t.Platform, Channel: t.Channel, Status: StatusScheduled,
			RunAt: a.SendAt, UpdatedAt: now})
	}
	if _, err := idb.NewInsert().Model(&ds).Exec(ctx); err != nil {
		return false, fmt.Errorf("announce: enqueue deliveries: %w", err)
	}
	a.Deliveries = ds
	return true, nil
}

// allSubscriptions reads every subscription: they are few, and matched in Go.
func allSubscriptions(ctx context.Context, idb bun.IDB) ([]Subscription, error) {
	var subs []Subscription
	if err := idb.NewSelect().Model(&subs).Order("id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("announce: subscriptions: %w", err)
	}
	return subs, nil
}

// Created announces a new funding call or event to the subscriptions it
// matches, in the transaction that creates it. Other records announce nothing.
func (s *Service) Created(ctx context.Context, tx bun.IDB, rec any) error {
	var a Announcement
	var x Subject
	switch r := rec.(type) {
	case *fundingcall.FundingCall:
		a = Announcement{Key: fmt.Sprintf("new:%s:%d", RecordFundingCall, r.ID), RecordKind: RecordFundingCall, RecordID: r.ID,
			Text: s.newCallText(r)}
		x = callSubject(r)
	case *event.Event:
		a = Announcement{Key: fmt.Sprintf("new:%s:%d", RecordEvent, r.ID), RecordKind: RecordEvent, RecordID: r.ID,
			Text: s.newEventText(r)}
		x = eventSubject(r)
	default:
		return nil
	}
	subs, err := readSubscribers(ctx, tx)
	if err != nil {
		return err
	}
	facts, err := subs.factsOf(ctx, tx, x.Kind == RecordEvent, a.RecordID)
	if err != nil {
		return err
	}
	targets := subs.targets(x, facts)
	a.Kind, a.Author = KindNew, access.ActorFrom(ctx)
	_, err = enqueue(ctx, tx, s.now(), &a, targets)
	return err
}

// Changed tells those who got a record's announcement that its date moved,
// or that it was postponed or cancelled.
func (s *Service) Changed(ctx context.Context, tx bun.IDB, before, after any) error {
	var text, kind string
	var id int64
	var version int
	switch a := after.(type) {
	case *fundingcall.FundingCall:
		text, kind, id, version = s.callChangeText(before.(*fundingcall.FundingCall), a), RecordFundingCall, a.ID, a.Version
	case *event.Event:
		text, kind, id, version = s.eventChangeText(before.(*event.Event), a), RecordEvent, a.ID, a.Version
	default:
		return nil
	}
	if text == "" {
		return nil
	}
	// Those who got (or are about to get) the record's announcements.
	var targets []Target
	if err := tx.NewSelect().TableExpr("deliveries AS de").ColumnExpr("DISTINCT de.platform, de.channel").
		Join("JOIN announcements AS an ON an.id = de.announcement_id").
		Where("an.record_kind = ? AND an.record_id = ? AND an.kind IN (?)", kind, id, bun.In([]string{KindNew, KindChange, KindReminder})).
		Where("de.status <> ?", StatusCancelled).
		OrderExpr("de.platform, de.channel").Scan(ctx, &targets); err != nil {
		return fmt.Errorf("announce: changed: %w", err)
	}
	a := Announcement{Key: fmt.Sprintf("change:%s:%d:v%d", kind, id, version), Kind: KindChange, RecordKind: kind, RecordID: id,
		Text: text, Author: access.ActorFrom(ctx)}
	_, err := enqueue(ctx, tx, s.now(), &a, targets)
	return err
}

// Deleted withdraws what was still to be sent about a deleted record, and
// tells those who got its announcement that it is withdrawn: a deleted
// record is a mistake or a duplicate as often as a cancellation, so the
// notice says no more than that.
func (s *Service) Deleted(ctx context.Context, tx bun.IDB, rec any) error {
	var text, kind string
	var id int64
	var version int
	switch r := rec.(type) {
	case *fundingcall.FundingCall:
		text = fmt.Sprintf("Retiré : l'appel à projets %s ne figure plus parmi les appels suivis par le réseau.", r.Title)
		kind, id, version = RecordFundingCall, r.ID, r.Version
	case *event.Event:
		text = fmt.Sprintf("Retiré : %s (%s) ne figure plus au calendrier du réseau.", r.Title, when(r.Date))
		kind, id, version = RecordEvent, r.ID, r.Version
	default:
		return nil
	}
	ofRecord := tx.NewSelect().TableExpr("announcements").Column("id").Where("record_kind = ? AND record_id = ?", kind, id)
	if _, err := tx.NewUpdate().TableExpr("deliveries").Set("status = ?, updated_at = ?", StatusCancelled, s.now()).
		Where("status IN (?)", bun.In([]string{StatusDraft, StatusScheduled})).
		Where("announcement_id IN (?)", ofRecord).Exec(ctx); err != nil {
		return fmt.Errorf("announce: deleted: %w", err)
	}
	var targets []Target
	if err := tx.NewSelect().TableExpr("deliveries AS de").ColumnExpr("DISTINCT de.platform, de.channel").
		Where("de.status IN (?)", bun.In([]string{StatusSent, StatusSending})).
		Where("de.announcement_id IN (?)", ofRecord).
		OrderExpr("de.platform, de.channel").Scan(ctx, &targets); err != nil {
		return fmt.Errorf("announce: deleted: %w", err)
	}
	a := Announcement{Key: fmt.Sprintf("deleted:%s:%d:v%d", kind, id, version), Kind: KindChange, RecordKind: kind, RecordID: id,
		Text: text, Author: access.ActorFrom(ctx)}
	_, err := enqueue(ctx, tx, s.now(), &a, targets)
	return err
}

// Staff is an announcement written by the staff.
type Staff struct {
	Text string
	// Targets are explicit channels; Filter adds the matching subscriptions.
	Targets []Target
	Filter  *Subject
	// At is when to send; now when zero.
	At time.Time
	// Draft holds the announcement until Confirm: the author sees a preview.
	Draft bool
}

// Announce schedules a staff announcement; staff only.
func (s *Service) Announce(ctx context.Context, x Staff) (*Announcement, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return nil, err
	}
	x.Text = strings.TrimSpace(x.Text)
	if x.Text == "" {
		return nil, ErrEmpty
	}
	now := s.now()
	if !x.At.IsZero() && x.At.Before(now.Add(-time.Minute)) {
		return nil, ErrPast
	}
	for _, t := range x.Targets {
		if t.Platform != Slack && t.Platform != Discord {
			return nil, &changes.InvalidError{Errors: []changes.FieldError{{Field: "channels",
				Message: fmt.Sprintf("plateforme « %s » inconnue : slack ou discord", t.Platform)}}}
		}
	}
	if f := x.Filter; f != nil {
		var kinds []string
		if f.Kind != "" {
			kinds = []string{f.Kind}
		}
		if err := check(ctx, s.DB, "", kinds, f.Themes, f.Audiences, f.Departments, f.Countries); err != nil {
			return nil, err
		}
	}
	var a *Announcement
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		targets := append([]Target(nil), x.Targets...)
		if x.Filter != nil {
			subs, err := readSubscribers(ctx, tx)
			if err != nil {
				return err
			}
			targets = append(targets, subs.targets(*x.Filter, nil)...)
		}
		if len(targets) == 0 {
			return ErrNoTarget
		}
		a = &Announcement{Key: "staff:" + rand.Text(), Kind: KindStaff, Text: x.Text,
			Author: access.ActorFrom(ctx), SendAt: x.At}
		if _, err := enqueue(ctx, tx, now, a, targets); err != nil {
			return err
		}
		if x.Draft {
			if _, err := tx.NewUpdate().TableExpr("deliveries").Set("status = ?", StatusDraft).Where("announcement_id = ?", a.ID).Exec(ctx); err != nil {
				return fmt.Errorf("announce: draft: %w", err)
			}
			for i := range a.Deliveries {
				a.Deliveries[i].Status = StatusDraft
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return a, nil
}

// Confirm sends a draft: at its time, or now if its time has passed.
func (s *Service) Confirm(ctx context.Context, id int64) (*Announcement, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return nil, err
	}
	now := s.now()
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.pending(ctx, tx, id); err != nil {
			return err
		}
		res, err := tx.NewUpdate().TableExpr("deliveries").Set("status = ?, updated_at = ?", StatusScheduled, now).
			Set("run_at = CASE WHEN run_at < ? THEN ? ELSE run_at END", now, now).
			Where("announcement_id = ? AND status = ?", id, StatusDraft).Exec(ctx)
		if err != nil {
			return fmt.Errorf("announce: confirm: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConfirmed
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// Edit changes the text or the time of a staff announcement not yet sent.
func (s *Service) Edit(ctx context.Context, id int64, text string, at time.Time) (*Announcement, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return nil, err
	}
	now := s.now()
	if !at.IsZero() && at.Before(now) {
		return nil, ErrPast
	}
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.pending(ctx, tx, id); err != nil {
			return err
		}
		if t := strings.TrimSpace(text); t != "" {
			if _, err := tx.NewUpdate().TableExpr("announcements").Set("text = ?", t).Where("id = ?", id).Exec(ctx); err != nil {
				return fmt.Errorf("announce: edit: %w", err)
			}
		}
		if !at.IsZero() {
			if _, err := tx.NewUpdate().TableExpr("announcements").Set("send_at = ?", at).Where("id = ?", id).Exec(ctx); err != nil {
				return fmt.Errorf("announce: edit: %w", err)
			}
			if _, err := tx.NewUpdate().TableExpr("deliveries").Set("run_at = ?, updated_at = ?", at, now).
				Where("announcement_id = ? AND status IN (?)", id, bun.In([]string{StatusDraft, StatusScheduled})).Exec(ctx); err != nil {
				return fmt.Errorf("announce: edit: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return s.Get(ctx, id)
}

// Cancel cancels a staff announcement not yet sent.
func (s *Service) Cancel(ctx context.Context, id int64) error {
	if err := access.Require(ctx, access.Staff); err != nil {
		return err
	}
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.pending(ctx, tx, id); err != nil {
			return err
		}
		_, err := tx.NewUpdate().TableExpr("deliveries").Set("status = ?, updated_at = ?", StatusCancelled, s.now()).
			Where("announcement_id = ? AND status IN (?)", id, bun.In([]string{StatusDraft, StatusScheduled})).Exec(ctx)
		return err
	})
}

// pending checks that an announcement exists and none of its deliveries has
// started: one that has gone, even in part, can no longer be changed.
func (s *Service) pending(ctx context.Context, tx bun.IDB, id int64) error {
	var statuses []string
	if err := tx.NewSelect().TableExpr("deliveries").Column("status").Where("announcement_id = ?", id).
		Scan(ctx, &statuses); err != nil {
		return fmt.Errorf("announce: %w", err)
	}
	if len(statuses) == 0 {
		return ErrNotFound
	}
	for _, st := range statuses {
		if st == StatusCancelled {
			return ErrCancelled
		}
		if st != StatusScheduled && st != StatusDraft {
			return ErrTooLate
		}
	}
	return nil
}

// Get returns one announcement with its deliveries; staff.
func (s *Service) Get(ctx context.Context, id int64) (*Announcement, error) {
	byID, err := s.Announcements(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if byID[id] == nil {
		return nil, ErrNotFound
	}
	return byID[id], nil
}

// Log lists the latest announcements with each delivery's status, newest
// first; staff.
func (s *Service) Log(ctx context.Context, limit int) ([]Announcement, error) {
	p, err := s.List(ctx, listing.Args{First: &limit, SkipTotal: true})
	if err != nil {
		return nil, err
	}
	byID, err := s.Announcements(ctx, p.IDs)
	if err != nil {
		return nil, err
	}
	out := make([]Announcement, 0, len(p.IDs))
	for _, id := range p.IDs {
		if a := byID[id]; a != nil {
			out = append(out, *a)
		}
	}
	return out, nil
}

// List pages the announcements, the latest to go first; staff.
func (s *Service) List(ctx context.Context, a listing.Args) (listing.Page, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return listing.Page{}, err
	}
	return listing.Query(ctx, s.DB.NewSelect().TableExpr("announcements AS an").OrderExpr("an.send_at DESC, an.id DESC"), "an.id", a)
}

// Announcements reads announcements by id, with their deliveries; staff.
func (s *Service) Announcements(ctx context.Context, ids []int64) (map[int64]*Announcement, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return nil, err
	}
	out := map[int64]*Announcement{}
	if len(ids) == 0 {
		return out, nil
	}
	var rows []Announcement
	if err := s.DB.NewSelect().Model(&rows).Relation("Deliveries", func(q *bun.SelectQuery) *bun.SelectQuery {
		return q.Order("de.platform", "de.channel")
	}).Where("an.id IN (?)", bun.List(ids)).Scan(ctx); err != nil {
		return nil, fmt.Errorf("announce: announcements: %w", err)
	}
	for i := range rows {
		out[rows[i].ID] = &rows[i]
	}
	return out, nil
}

// check refuses a subscription or a filter whose codes the reference lists
// do not know, naming each wrong field.
func check(ctx context.Context, idb bun.IDB, platform string, kinds, themes, audiences, departments, countries []string) error {
	ref, err := reference.Load(ctx, idb)
	if err != nil {
		return err
	}
	var errs []changes.FieldError
	if platform != "" && platform != Slack && platform != Discord {
		errs = append(errs, changes.FieldError{Field: "platform", Message: fmt.Sprintf("plateforme « %s » inconnue : slack ou discord", platform)})
	}
	for _, f := range []struct {
		field, name string
		codes       []string
		known       func(string) bool
	}{
		{"kinds", "sorte d'enregistrement", kinds, func(c string) bool { return c == RecordFundingCall || c == RecordEvent }},
		{"themes", "thème", themes, func(c string) bool { return ref.Theme(c) != nil }},
		{"audiences", "public", audiences, func(c string) bool { return ref.Audience(c) != nil }},
		{"departments", "département", departments, func(c string) bool { return ref.Department(c) != nil }},
		{"countries", "pays", countries, func(c string) bool { return ref.Country(c) != nil }},
	} {
		for _, c := range f.codes {
			if !f.known(c) {
				errs = append(errs, changes.FieldError{Field: f.field, Message: fmt.Sprintf("%s « %s » inconnu", f.name, c)})
			}
		}
	}
	if len(errs) > 0 {
		return &changes.InvalidError{Errors: errs}
	}
	return nil
}
