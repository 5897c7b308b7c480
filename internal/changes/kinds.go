package changes

import (
	"context"
	"fmt"
	"strings"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/audit"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/search"
	"github.com/lianes-cooperation/lianes/internal/support"
)

func (c *checker) period(field string, p period.Period) {
	if err := p.Validate(); err != nil {
		c.add(field, "%s", err)
	}
}

func (c *checker) themes(field string, codes []string) {
	c.code(field, "thème", func(v string) bool { return c.ref.Theme(v) != nil }, codes...)
}

func (c *checker) countries(field string, codes []string) {
	c.code(field, "pays", func(v string) bool { return c.ref.Country(v) != nil }, codes...)
}

func (c *checker) audiences(field string, codes []string) {
	c.code(field, "public", func(v string) bool { return c.ref.Audience(v) != nil }, codes...)
}

func (c *checker) email(field, value string) {
	if value != "" && (!strings.Contains(value, "@") || strings.ContainsAny(value, " <>")) {
		c.add(field, "adresse électronique « %s » invalide", value)
	}
}

func oneOf(c *checker, field, value string, allowed map[string]string) {
	if _, ok := allowed[value]; !ok {
		c.add(field, "valeur « %s » inconnue", value)
	}
}

var structures = spec[network.Structure]{
	kind: search.KindStructure, table: "structures", alias: "s",
	validate: func(c *checker, s *network.Structure) {
		c.required("name", s.Name)
		c.code("actorType", "type d'acteur", func(v string) bool { return c.ref.ActorType(v) != nil }, s.ActorType)
		c.code("department", "département", func(v string) bool { return c.ref.Department(v) != nil }, s.Department)
		c.countries("country", []string{s.Country})
		c.themes("themes", s.Themes)
		c.email("email", s.Email)
		for _, n := range s.OtherNames {
			c.required("otherNames", n)
		}
	},
	links: func(s *network.Structure) []link {
		return []link{{network.StructureNames, anys(s.OtherNames)}, {network.StructureThemes, anys(s.Themes)}}
	},
	load: func(ctx context.Context, idb bun.IDB, id int64) (*network.Structure, error) {
		s, err := one[network.Structure](ctx, idb, "s", id)
		if err != nil {
			return nil, err
		}
		if s.OtherNames, err = linked[string](ctx, idb, network.StructureNames, id); err != nil {
			return nil, err
		}
		s.Themes, err = linked[string](ctx, idb, network.StructureThemes, id)
		return s, err
	},
}

var contacts = spec[network.Contact]{
	kind: search.KindContact, table: "contacts", alias: "c",
	validate: func(c *checker, x *network.Contact) {
		c.required("name", x.Name)
		c.exists("structure", "structure", "structures", x.StructureID)
		c.email("email", x.Email)
	},
	links: func(*network.Contact) []link { return nil },
	load: func(ctx context.Context, idb bun.IDB, id int64) (*network.Contact, error) {
		return one[network.Contact](ctx, idb, "c", id)
	},
}

var partnerships = spec[network.Partnership]{
	kind: "partnership", table: "partnerships", alias: "pa",
	validate: func(c *checker, p *network.Partnership) {
		c.required("kind", p.Kind)
		if p.StructureID == 0 {
			c.add("structure", "obligatoire")
		}
		if p.PartnerID == 0 {
			c.add("partner", "obligatoire")
		}
		if p.StructureID != 0 && p.StructureID == p.PartnerID {
			c.add("partner", "une structure ne peut pas être sa propre partenaire")
		}
		c.exists("structure", "structure", "structures", p.StructureID)
		c.exists("partner", "structure", "structures", p.PartnerID)
		c.period("since", p.Since)
	},
	links: func(*network.Partnership) []link { return nil },
	load: func(ctx context.Context, idb bun.IDB, id int64) (*network.Partnership, error) {
		return one[network.Partnership](ctx, idb, "pa", id)
	},
}

var projectStatuses = map[string]string{project.StatusPlanned: "", project.StatusActive: "", project.StatusFinished: ""}

var projects = spec[project.Project]{
	kind: search.KindProject, table: "projects", alias: "p",
	validate: func(c *checker, p *project.Project) {
		c.required("title", p.Title)
		c.exists("lead", "structure", "structures", p.LeadID)
		c.exists("partners", "structure", "structures", p.PartnerIDs...)
		c.countries("countries", p.Countries)
		c.themes("themes", p.Themes)
		oneOf(c, "status", p.Status, projectStatuses)
		c.period("starts", p.Starts)
		c.period("ends", p.Ends)
		if p.Starts.IsFixed() && p.Ends.IsFixed() && p.Ends.To < p.Starts.From {
			c.add("ends", "la fin (%s) précède le début (%s)", p.Ends, p.Starts)
		}
	},
	links: func(p *project.Project) []link {
		return []link{{project.Partners, anys(p.PartnerIDs)}, {project.Countries, anys(p.Countries)}, {project.Themes, anys(p.Themes)}}
	},
	load: func(ctx context.Context, idb bun.IDB, id int64) (*project.Project, error) {
		p, err := one[project.Project](ctx, idb, "p", id)
		if err != nil {
			return nil, err
		}
		if p.PartnerIDs, err = linked[int64](ctx, idb, project.Partners, id); err != nil {
			return nil, err
		}
		if p.Countries, err = linked[string](ctx, idb, project.Countries, id); err != nil {
			return nil, err
		}
		p.Themes, err = linked[string](ctx, idb, project.Themes, id)
		return p, err
	},
}

var events = spec[event.Event]{
	kind: search.KindEvent, table: "events", alias: "e",
	validate: func(c *checker, e *event.Event) {
		c.required("title", e.Title)
		oneOf(c, "kind", e.Kind, event.Kinds)
		oneOf(c, "status", e.Status, event.Statuses)
		c.audiences("audiences", e.Audiences)
		c.themes("themes", e.Themes)
		c.countries("countries", e.Countries)
		c.exists("organisers", "structure", "structures", e.OrganiserIDs...)
		c.exists("fundingCalls", "appel à projets", "funding_calls", e.FundingCallIDs...)
		c.period("date", e.Date)
	},
	links: func(e *event.Event) []link {
		return []link{{event.Audiences, anys(e.Audiences)}, {event.Themes, anys(e.Themes)}, {event.Countries, anys(e.Countries)},
			{event.Organisers, anys(e.OrganiserIDs)}, {event.FundingCalls, anys(e.FundingCallIDs)}}
	},
	load: func(ctx context.Context, idb bun.IDB, id int64) (*event.Event, error) {
		e, err := one[event.Event](ctx, idb, "e", id)
		if err != nil {
			return nil, err
		}
		for _, l := range []struct {
			link db.Link
			dest *[]string
		}{{event.Audiences, &e.Audiences}, {event.Themes, &e.Themes}, {event.Countries, &e.Countries}} {
			if *l.dest, err = linked[string](ctx, idb, l.link, id); err != nil {
				return nil, err
			}
		}
		if e.OrganiserIDs, err = linked[int64](ctx, idb, event.Organisers, id); err != nil {
			return nil, err
		}
		e.FundingCallIDs, err = linked[int64](ctx, idb, event.FundingCalls, id)
		return e, err
	},
}

var callStatuses = map[string]string{fundingcall.StatusActive: "", fundingcall.StatusClosed: "", fundingcall.StatusCancelled: ""}

var calls = spec[fundingcall.FundingCall]{
	kind: search.KindFundingCall, table: "funding_calls", alias: "fc",
	validate: func(c *checker, f *fundingcall.FundingCall) {
		c.required("title", f.Title)
		oneOf(c, "territory", f.Territory, fundingcall.Territories)
		oneOf(c, "status", f.Status, callStatuses)
		c.audiences("audiences", f.Audiences)
		c.themes("themes", f.Themes)
		c.countries("countries", f.Countries)
		c.period("opens", f.Opens)
		c.period("deadline", f.Deadline)
		if f.Opens.IsFixed() && f.Deadline.IsFixed() && f.Deadline.To < f.Opens.From {
			c.add("deadline", "la date limite (%s) précède l'ouverture (%s)", f.Deadline, f.Opens)
		}
	},
	links: func(f *fundingcall.FundingCall) []link {
		return []link{{fundingcall.Audiences, anys(f.Audiences)}, {fundingcall.Themes, anys(f.Themes)}, {fundingcall.Countries, anys(f.Countries)}}
	},
	load: func(ctx context.Context, idb bun.IDB, id int64) (*fundingcall.FundingCall, error) {
		f, err := one[fundingcall.FundingCall](ctx, idb, "fc", id)
		if err != nil {
			return nil, err
		}
		for _, l := range []struct {
			link db.Link
			dest *[]string
		}{{fundingcall.Audiences, &f.Audiences}, {fundingcall.Themes, &f.Themes}, {fundingcall.Countries, &f.Countries}} {
			if *l.dest, err = linked[string](ctx, idb, l.link, id); err != nil {
				return nil, err
			}
		}
		return f, nil
	},
}

var sessions = spec[support.Session]{
	kind: search.KindSupport, table: "support_sessions", alias: "ss",
	validate: func(c *checker, s *support.Session) {
		c.required("subject", s.Subject)
		if s.StructureID == 0 {
			c.add("structure", "obligatoire")
		}
		c.exists("structure", "structure", "structures", s.StructureID)
		c.code("department", "département", func(v string) bool { return c.ref.Department(v) != nil }, s.Department)
		c.exists("fundingCall", "appel à projets", "funding_calls", s.FundingCallID)
		c.exists("project", "projet", "projects", s.ProjectID)
		c.period("date", s.Date)
		if s.DurationMinutes != nil && *s.DurationMinutes <= 0 {
			c.add("durationMinutes", "doit être positive")
		}
	},
	links: func(*support.Session) []link { return nil },
	load: func(ctx context.Context, idb bun.IDB, id int64) (*support.Session, error) {
		return one[support.Session](ctx, idb, "ss", id)
	},
}

var publications = spec[programme.Publication]{
	kind: search.KindPublication, table: "publications", alias: "pu",
	validate: func(c *checker, p *programme.Publication) {
		c.required("title", p.Title)
		oneOf(c, "kind", p.Kind, programme.PublicationKinds)
		c.period("date", p.Date)
	},
	links: func(*programme.Publication) []link { return nil },
	load: func(ctx context.Context, idb bun.IDB, id int64) (*programme.Publication, error) {
		return one[programme.Publication](ctx, idb, "pu", id)
	},
}

// CreateStructure, UpdateStructure and DeleteStructure change structures.
func (s *Service) CreateStructure(ctx context.Context, x *network.Structure) (*network.Structure, error) {
	return create(ctx, s, structures, x)
}

// UpdateStructure replaces a structure read at version.
func (s *Service) UpdateStructure(ctx context.Context, id int64, version int, x *network.Structure) (*network.Structure, error) {
	return update(ctx, s, structures, id, version, x)
}

// DeleteStructure deletes a structure read at version.
func (s *Service) DeleteStructure(ctx context.Context, id int64, version int) error {
	return remove(ctx, s, structures, id, version)
}

// CreateContact adds a contact.
func (s *Service) CreateContact(ctx context.Context, x *network.Contact) (*network.Contact, error) {
	return create(ctx, s, contacts, x)
}

// UpdateContact replaces a contact read at version.
func (s *Service) UpdateContact(ctx context.Context, id int64, version int, x *network.Contact) (*network.Contact, error) {
	return update(ctx, s, contacts, id, version, x)
}

// DeleteContact deletes a contact read at version.
func (s *Service) DeleteContact(ctx context.Context, id int64, version int) error {
	return remove(ctx, s, contacts, id, version)
}

// CreatePartnership adds a partnership.
func (s *Service) CreatePartnership(ctx context.Context, x *network.Partnership) (*network.Partnership, error) {
	return create(ctx, s, partnerships, x)
}

// UpdatePartnership replaces a partnership read at version.
func (s *Service) UpdatePartnership(ctx context.Context, id int64, version int, x *network.Partnership) (*network.Partnership, error) {
	return update(ctx, s, partnerships, id, version, x)
}

// DeletePartnership deletes a partnership read at version.
func (s *Service) DeletePartnership(ctx context.Context, id int64, version int) error {
	return remove(ctx, s, partnerships, id, version)
}

// CreateProject adds a project.
func (s *Service) CreateProject(ctx context.Context, x *project.Project) (*project.Project, error) {
	return create(ctx, s, projects, x)
}

// UpdateProject replaces a project read at version.
func (s *Service) UpdateProject(ctx context.Context, id int64, version int, x *project.Project) (*project.Project, error) {
	return update(ctx, s, projects, id, version, x)
}

// DeleteProject deletes a project read at version.
func (s *Service) DeleteProject(ctx context.Context, id int64, version int) error {
	return remove(ctx, s, projects, id, version)
}

// CreateEvent adds an event.
func (s *Service) CreateEvent(ctx context.Context, x *event.Event) (*event.Event, error) {
	return create(ctx, s, events, x)
}

// UpdateEvent replaces an event read at version.
func (s *Service) UpdateEvent(ctx context.Context, id int64, version int, x *event.Event) (*event.Event, error) {
	return update(ctx, s, events, id, version, x)
}

// DeleteEvent deletes an event read at version.
func (s *Service) DeleteEvent(ctx context.Context, id int64, version int) error {
	return remove(ctx, s, events, id, version)
}

// CreateFundingCall adds a call.
func (s *Service) CreateFundingCall(ctx context.Context, x *fundingcall.FundingCall) (*fundingcall.FundingCall, error) {
	return create(ctx, s, calls, x)
}

// UpdateFundingCall replaces a call read at version.
func (s *Service) UpdateFundingCall(ctx context.Context, id int64, version int, x *fundingcall.FundingCall) (*fundingcall.FundingCall, error) {
	return update(ctx, s, calls, id, version, x)
}

// DeleteFundingCall deletes a call read at version.
func (s *Service) DeleteFundingCall(ctx context.Context, id int64, version int) error {
	return remove(ctx, s, calls, id, version)
}

// CreateSupportSession adds a support session.
func (s *Service) CreateSupportSession(ctx context.Context, x *support.Session) (*support.Session, error) {
	return create(ctx, s, sessions, x)
}

// UpdateSupportSession replaces a session read at version.
func (s *Service) UpdateSupportSession(ctx context.Context, id int64, version int, x *support.Session) (*support.Session, error) {
	return update(ctx, s, sessions, id, version, x)
}

// DeleteSupportSession deletes a session read at version.
func (s *Service) DeleteSupportSession(ctx context.Context, id int64, version int) error {
	return remove(ctx, s, sessions, id, version)
}

// CreatePublication adds a publication.
func (s *Service) CreatePublication(ctx context.Context, x *programme.Publication) (*programme.Publication, error) {
	return create(ctx, s, publications, x)
}

// UpdatePublication replaces a publication read at version.
func (s *Service) UpdatePublication(ctx context.Context, id int64, version int, x *programme.Publication) (*programme.Publication, error) {
	return update(ctx, s, publications, id, version, x)
}

// DeletePublication deletes a publication read at version.
func (s *Service) DeletePublication(ctx context.Context, id int64, version int) error {
	return remove(ctx, s, publications, id, version)
}

// MergeStructures folds merged into kept, two records of one structure: its
// links move to kept, its names become kept's other names, and merged goes.
// Both must still be at the versions the caller read.
func (s *Service) MergeStructures(ctx context.Context, keep int64, keepVersion int, merge int64, mergeVersion int) (*network.Structure, error) {
	now, err := s.begin(ctx)
	if err != nil {
		return nil, err
	}
	if keep == merge {
		return nil, &InvalidError{Errors: []FieldError{{Field: "merge", Message: "une structure ne peut pas être fusionnée avec elle-même"}}}
	}
	var out *network.Structure
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		kept, err := structures.load(ctx, tx, keep)
		if err != nil {
			return err
		}
		gone, err := structures.load(ctx, tx, merge)
		if err != nil {
			return err
		}
		if kept.Version != keepVersion || gone.Version != mergeVersion {
			return ErrConflict
		}
		before := []any{*kept, *gone}
		kept.OtherNames = append([]string(nil), kept.OtherNames...)
		// Links that would duplicate one of kept's are dropped; the others move.
		moves := []struct{ table, column, pair string }{
			{"structure_themes", "structure_id", "theme_code"}, {"project_partners", "structure_id", "project_id"},
			{"event_organisers", "structure_id", "event_id"}, {"programme_action_structures", "structure_id", "action_id"},
		}
		for _, m := range moves {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf(
				"DELETE FROM %[1]s WHERE %[2]s = ? AND %[3]s IN (SELECT %[3]s FROM %[1]s WHERE %[2]s = ?)", m.table, m.column, m.pair),
				merge, keep); err != nil {
				return fmt.Errorf("changes: merge: %w", err)
			}
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET %s = ? WHERE %s = ?", m.table, m.column, m.column), keep, merge); err != nil {
				return fmt.Errorf("changes: merge: %w", err)
			}
		}
		// A partnership between the two records would link kept to itself, and
		// one that kept already has (same partner, same kind) would be doubled:
		// both go before the others move.
		for _, q := range []string{
			"DELETE FROM partnerships WHERE (structure_id = ?0 AND partner_id = ?1) OR (structure_id = ?1 AND partner_id = ?0)",
			`DELETE FROM partnerships WHERE structure_id = ?1 AND EXISTS (SELECT 1 FROM partnerships p
				WHERE p.structure_id = ?0 AND p.partner_id = partnerships.partner_id AND p.kind = partnerships.kind)`,
			`DELETE FROM partnerships WHERE partner_id = ?1 AND EXISTS (SELECT 1 FROM partnerships p
				WHERE p.partner_id = ?0 AND p.structure_id = partnerships.structure_id AND p.kind = partnerships.kind)`,
		} {
			if _, err := tx.ExecContext(ctx, q, keep, merge); err != nil {
				return fmt.Errorf("changes: merge: %w", err)
			}
		}
		for _, m := range []struct{ table, column string }{
			{"contacts", "structure_id"}, {"structure_offices", "structure_id"}, {"support_sessions", "structure_id"},
			{"projects", "lead_structure_id"}, {"partnerships", "structure_id"}, {"partnerships", "partner_id"},
			{"chat_links", "structure_id"},
		} {
			if _, err := tx.ExecContext(ctx, fmt.Sprintf("UPDATE %s SET %s = ? WHERE %s = ?", m.table, m.column, m.column), keep, merge); err != nil {
				return fmt.Errorf("changes: merge: %w", err)
			}
		}
		names := append([]string{gone.Name}, gone.OtherNames...)
		have := map[string]bool{kept.Name: true}
		for _, n := range kept.OtherNames {
			have[n] = true
		}
		for _, n := range names {
			if !have[n] {
				have[n] = true
				kept.OtherNames = append(kept.OtherNames, n)
			}
		}
		if err := writeLinks(ctx, tx, keep, []link{{network.StructureNames, anys(kept.OtherNames)}}); err != nil {
			return err
		}
		// As in an update, the versions in the WHERE clauses refuse a merge
		// over a colleague's edit made since the records were read.
		res, err := tx.NewDelete().TableExpr("structures").Where("id = ? AND version = ?", merge, mergeVersion).Exec(ctx)
		if err != nil {
			return fmt.Errorf("changes: merge: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		res, err = tx.NewUpdate().TableExpr("structures").Set("version = version + 1, updated_at = ?", now).
			Where("id = ? AND version = ?", keep, keepVersion).Exec(ctx)
		if err != nil {
			return fmt.Errorf("changes: merge: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrConflict
		}
		if out, err = structures.load(ctx, tx, keep); err != nil {
			return err
		}
		if err := search.ReindexRecords(ctx, tx, search.KindStructure, keep, merge); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.ActionMerge, search.KindStructure, keep, before, out,
			fmt.Sprintf("fusion de la structure %d dans la structure %d", merge, keep))
	})
	return out, err
}
