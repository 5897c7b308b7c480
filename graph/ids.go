package graph

import (
	"fmt"
	"strconv"
	"strings"
)

// Type names of global ids: the GraphQL type of the record.
const (
	typeStructure    = "Structure"
	typeContact      = "Contact"
	typePartnership  = "Partnership"
	typeProject      = "Project"
	typeEvent        = "Event"
	typeFundingCall  = "FundingCall"
	typeSupport      = "SupportSession"
	typeTraining     = "TrainingCycle"
	typePublication  = "Publication"
	typeCensus       = "CensusCampaign"
	typeAction       = "ProgrammeAction"
	typeSnapshot     = "ObservatorySnapshot"
	typeAudit        = "AuditEntry"
	typeAnnouncement = "Announcement"
	typeChannelSub   = "ChannelSubscription"
	typeChatLink     = "ChatLink"
)

// globalID is the Relay id of a record: its type and number, "Event:12".
func globalID(typ string, id int64) string { return typ + ":" + strconv.FormatInt(id, 10) }

// parseID splits a global id; it names what is wrong in French.
func parseID(id string) (string, int64, error) {
	typ, num, ok := strings.Cut(id, ":")
	n, err := strconv.ParseInt(num, 10, 64)
	if !ok || err != nil || n <= 0 || typ == "" {
		return "", 0, fmt.Errorf("identifiant « %s » invalide : attendu « Type:numéro », par exemple « Structure:12 »", id)
	}
	return typ, n, nil
}

// parseIDOf reads a global id that must be of type typ.
func parseIDOf(typ, id string) (int64, error) {
	got, n, err := parseID(id)
	if err != nil {
		return 0, err
	}
	if got != typ {
		return 0, fmt.Errorf("identifiant « %s » : attendu un identifiant de %s", id, typ)
	}
	return n, nil
}
