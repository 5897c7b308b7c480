package announce

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

var weekdays = map[string]time.Weekday{
	"dimanche": time.Sunday, "lundi": time.Monday, "mardi": time.Tuesday, "mercredi": time.Wednesday,
	"jeudi": time.Thursday, "vendredi": time.Friday, "samedi": time.Saturday,
}

// ParseReminderDays reads the days before a deadline when calls are
// recalled: "14,3"; "aucun" for none.
func ParseReminderDays(s string) ([]int, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "aucun" || s == "off" {
		return nil, nil
	}
	var days []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil || n < 1 || n > 365 {
			return nil, fmt.Errorf("rappels « %s » : attendu des nombres de jours entre 1 et 365 séparés par des virgules, par exemple « 14,3 »", s)
		}
		days = append(days, n)
	}
	return days, nil
}

// ParseDigest reads when the weekly digest goes: "lundi 09:00"; "aucun"
// for none.
func ParseDigest(s string) (time.Weekday, string, error) {
	s = strings.TrimSpace(strings.ToLower(s))
	if s == "aucun" || s == "off" {
		return 0, "", nil
	}
	fields := strings.Fields(s)
	if len(fields) == 2 {
		day, ok := weekdays[fields[0]]
		t, err := time.Parse("15:04", strings.Replace(fields[1], "h", ":", 1))
		if ok && err == nil {
			return day, t.Format("15:04"), nil
		}
	}
	return 0, "", fmt.Errorf("lettre hebdomadaire « %s » : attendu un jour et une heure, par exemple « lundi 09:00 », ou « aucun »", s)
}
