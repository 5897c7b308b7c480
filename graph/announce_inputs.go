package graph

import (
	"strings"

	"github.com/lianes-cooperation/lianes/graph/model"
	"github.com/lianes-cooperation/lianes/internal/announce"
)

func announced(a *announce.Announcement, err error) (announce.Announcement, error) {
	if err != nil {
		return announce.Announcement{}, err
	}
	return *a, nil
}

func subscriptionOf(x model.SubscriptionInput) announce.Subscription {
	sub := announce.Subscription{Platform: strings.ToLower(string(x.Platform)), Channel: x.Channel, Personal: deref(x.Personal),
		Themes: x.Themes, Audiences: x.Audiences, Departments: x.Departments, Countries: x.Countries}
	for _, k := range x.Kinds {
		sub.Kinds = append(sub.Kinds, strings.ToLower(string(k)))
	}
	return sub
}

func staffAnnouncement(x model.AnnouncementInput) announce.Staff {
	out := announce.Staff{Text: x.Text, Draft: deref(x.Draft)}
	for _, c := range x.Channels {
		out.Targets = append(out.Targets, announce.Target{Platform: strings.ToLower(string(c.Platform)), Channel: c.Channel})
	}
	if f := x.Subscribers; f != nil {
		out.Filter = &announce.Subject{Themes: f.Themes, Audiences: f.Audiences, Departments: f.Departments, Countries: f.Countries}
	}
	if x.At != nil {
		out.At = x.At.UTC()
	}
	return out
}
