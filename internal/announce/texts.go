package announce

import (
	"fmt"
	"strings"

	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/period"
)

// when says a date as honestly as it is known: "le 12 mars 2021 à 14h00",
// "en mai 2021", "date à définir".
func when(p period.Period) string {
	switch {
	case !p.IsFixed():
		return "date à définir"
	case p.Precision == period.Day:
		return "le " + p.String()
	default:
		return "en " + p.String()
	}
}

// deadline says a call's deadline, or that it is not known.
func deadline(p period.Period) string {
	if !p.IsFixed() {
		return "date limite non communiquée"
	}
	return "date limite " + when(p)
}

func (s *Service) link(typ string, id int64) string {
	if s.BaseURL == "" {
		return ""
	}
	return fmt.Sprintf("\n%s/fiche/%s:%d", s.BaseURL, typ, id)
}

func callSubject(c *fundingcall.FundingCall) Subject {
	return Subject{Kind: RecordFundingCall, Themes: c.Themes, Audiences: c.Audiences, Countries: c.Countries}
}

func eventSubject(e *event.Event) Subject {
	return Subject{Kind: RecordEvent, Themes: e.Themes, Audiences: e.Audiences, Countries: e.Countries}
}

func (s *Service) newCallText(c *fundingcall.FundingCall) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Nouvel appel à projets : %s", c.Title)
	if c.Funder != "" {
		fmt.Fprintf(&b, " (%s)", c.Funder)
	}
	fmt.Fprintf(&b, ", %s.", deadline(c.Deadline))
	if c.AudienceText != "" {
		fmt.Fprintf(&b, "\nPour qui : %s", c.AudienceText)
	}
	b.WriteString(s.link("FundingCall", c.ID))
	return b.String()
}

func (s *Service) newEventText(e *event.Event) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Nouveau %s : %s, %s", event.Kinds[e.Kind], e.Title, when(e.Date))
	switch {
	case e.Online != nil && *e.Online:
		b.WriteString(", en ligne")
	case e.Place != "":
		fmt.Fprintf(&b, ", %s", e.Place)
	}
	b.WriteString(".")
	if e.RegistrationURL != "" {
		fmt.Fprintf(&b, "\nInscription : %s", e.RegistrationURL)
	}
	b.WriteString(s.link("Event", e.ID))
	return b.String()
}

// eventChangeText says what changed in an event already announced, or ""
// when nothing its audience needs to know changed.
func (s *Service) eventChangeText(before, after *event.Event) string {
	switch {
	case after.Status == event.StatusCancelled && before.Status != event.StatusCancelled:
		return fmt.Sprintf("Annulé : %s (%s) n'aura pas lieu.%s", after.Title, when(before.Date), s.link("Event", after.ID))
	case after.Status == event.StatusPostponed && before.Status != event.StatusPostponed:
		return fmt.Sprintf("Reporté : %s, prévu %s, est reporté (nouvelle date : %s).%s", after.Title, when(before.Date),
			when(after.Date), s.link("Event", after.ID))
	case after.Date != before.Date:
		return fmt.Sprintf("Changement de date : %s aura lieu %s (et non plus %s).%s", after.Title, when(after.Date),
			when(before.Date), s.link("Event", after.ID))
	}
	return ""
}

// callChangeText is eventChangeText for funding calls.
func (s *Service) callChangeText(before, after *fundingcall.FundingCall) string {
	switch {
	case after.Status == fundingcall.StatusCancelled && before.Status != fundingcall.StatusCancelled:
		return fmt.Sprintf("Annulé : l'appel à projets %s est annulé.%s", after.Title, s.link("FundingCall", after.ID))
	case after.Deadline != before.Deadline:
		return fmt.Sprintf("Nouvelle date limite pour l'appel à projets %s : %s (et non plus %s).%s", after.Title,
			strings.TrimPrefix(deadline(after.Deadline), "date limite "), strings.TrimPrefix(deadline(before.Deadline), "date limite "),
			s.link("FundingCall", after.ID))
	}
	return ""
}

func (s *Service) reminderText(c *fundingcall.FundingCall, days int) string {
	return fmt.Sprintf("Rappel : plus que %d jours pour répondre à l'appel à projets %s (%s).%s", days, c.Title,
		deadline(c.Deadline), s.link("FundingCall", c.ID))
}
