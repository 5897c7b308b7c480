package dataset

import (
	"sort"

	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/observatory"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/reference"
	"github.com/lianes-cooperation/lianes/internal/support"
)

// Short names for the record types, to keep the validation table readable.
type (
	refActorType   = reference.ActorType
	refDepartment  = reference.Department
	refAudience    = reference.Audience
	refTheme       = reference.Theme
	refCountry     = reference.Country
	refStructure   = network.Structure
	refOffice      = network.Office
	refContact     = network.Contact
	refPartnership = network.Partnership
	refProject     = project.Project
	refCall        = fundingcall.FundingCall
	refEvent       = event.Event
	refSession     = support.Session
	refSnapshot    = observatory.Snapshot
)

func sortedStrings(s []string) []string {
	sort.Strings(s)
	return s
}
