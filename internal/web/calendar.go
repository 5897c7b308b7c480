package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	ics "github.com/arran4/golang-ical"

	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/period"
)

// calendarDomain makes the events' UIDs globally unique and stable.
const calendarDomain = "lianescooperation.org"

// calendar serves /calendar.ics: the network's events as an iCalendar feed
// (RFC 5545) for Outlook, Google Calendar or Thunderbird, filterable by
// ?kind=, ?theme=, ?audience= and ?country= (each repeatable), the agenda
// page's filters. Events without a day are all-day entries over their month,
// span or season; those not fixed at all are left out; cancelled ones stay,
// marked cancelled, so that subscribers' calendars drop them.
func (d Deps) calendar(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f := event.Filter{Kinds: q["kind"], Themes: q["theme"], Audiences: q["audience"], Countries: q["country"]}
	for _, k := range f.Kinds {
		if _, ok := event.Kinds[k]; !ok {
			http.Error(w, fmt.Sprintf("type d'événement « %s » inconnu : attendu webinaire, groupe_de_travail ou evenement", k), http.StatusBadRequest)
			return
		}
	}
	events, err := d.Services.Events.Matching(r.Context(), f)
	if err != nil {
		d.Log.ErrorContext(r.Context(), "calendar", "error", err)
		http.Error(w, "erreur interne", http.StatusInternalServerError)
		return
	}
	writeCalendar(w, events, "lianes.ics")
}

// writeCalendar writes events as an iCalendar file: the feed, or one event's
// "add to calendar" file.
func writeCalendar(w http.ResponseWriter, events []event.Event, filename string) {
	cal := ics.NewCalendarFor("Lianes coopération")
	cal.SetMethod(ics.MethodPublish)
	cal.SetName("Lianes coopération : agenda du réseau")
	cal.SetDescription("Webinaires, groupes de travail et événements du réseau Lianes coopération (calendrier prévisionnel).")
	cal.SetTimezoneId("Europe/Paris")
	cal.SetRefreshInterval("PT12H")
	for _, e := range events {
		if !e.Date.IsFixed() {
			continue
		}
		addEvent(cal, e)
	}
	w.Header().Set("Content-Type", "text/calendar; charset=utf-8")
	w.Header().Set("Content-Disposition", `inline; filename="`+filename+`"`)
	_ = cal.SerializeTo(w, ics.WithNewLineWindows) // RFC 5545 lines end with CRLF
}

func addEvent(cal *ics.Calendar, e event.Event) {
	ve := cal.AddEvent(fmt.Sprintf("event-%d@%s", e.ID, calendarDomain))
	ve.SetDtStampTime(e.UpdatedAt)
	ve.SetModifiedAt(e.UpdatedAt)
	ve.SetCreatedTime(e.CreatedAt)
	ve.SetSequence(e.Version)
	ve.SetSummary(e.Title)
	desc := e.Content
	if e.Date.Precision != period.Day {
		desc = strings.TrimSpace(fmt.Sprintf("Date prévue : %s.\n%s", e.Date, desc))
	}
	if e.AudienceText != "" {
		desc += "\nPublic : " + e.AudienceText
	}
	ve.SetDescription(desc)
	if e.Place != "" {
		ve.SetLocation(e.Place)
	} else if e.Online != nil && *e.Online {
		ve.SetLocation("En ligne")
	}
	if e.RegistrationURL != "" {
		ve.SetURL(e.RegistrationURL)
	}
	ve.AddCategory(event.Kinds[e.Kind])
	switch e.Status {
	case event.StatusCancelled:
		ve.SetStatus(ics.ObjectStatusCancelled)
	case event.StatusConfirmed:
		ve.SetStatus(ics.ObjectStatusConfirmed)
	default:
		ve.SetStatus(ics.ObjectStatusTentative)
	}
	if e.Date.Precision == period.Day && e.Date.Time != "" {
		start := e.Date.Start(clock.Paris)
		ve.SetStartAt(start)
		ve.SetEndAt(start.Add(2 * time.Hour)) // the programme gives no duration
		return
	}
	// All day over the period: DTEND is the day after the last one.
	ve.SetAllDayStartAt(e.Date.From.Time(time.UTC))
	ve.SetAllDayEndAt(e.Date.To.Time(time.UTC).AddDate(0, 0, 1))
}
