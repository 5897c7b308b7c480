package dataset

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/audit"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/observatory"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/reference"
	"github.com/lianes-cooperation/lianes/internal/search"
)

// recordTables are the tables an import expects empty; reference lists are
// merged instead.
var recordTables = []string{
	"structures", "structure_offices", "contacts", "partnerships", "projects", "funding_calls", "events",
	"support_sessions", "training_cycles", "publications", "census_campaigns", "programme_actions",
	"observatory_snapshots",
}

// ErrNotEmpty is returned by Import when the database already holds records.
var ErrNotEmpty = errors.New("la base contient déjà des données : l'import attend une base vide")

// batch bounds the rows of one INSERT statement.
const batch = 500

// Import writes a whole document into a database that holds no records yet,
// in one transaction: on any problem nothing is written. Records keep their
// ids, so that an export of the result is the document again.
func Import(ctx context.Context, bdb *bun.DB, d *Document, source string, now time.Time) error {
	if err := Validate(d, source); err != nil {
		return err
	}
	d.fillDefaults(now)
	err := bdb.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		empty, err := isEmpty(ctx, tx)
		if err != nil {
			return err
		}
		if !empty {
			return ErrNotEmpty
		}
		if err := importTx(ctx, tx, d); err != nil {
			return fmt.Errorf("%s : import : %w", source, err)
		}
		// One entry for the import, not one per record.
		return audit.Record(ctx, tx, now, audit.ActionImport, "dataset", 0, nil, nil,
			fmt.Sprintf("import de %s : %s", source, d.CountsLine()))
	})
	if err != nil {
		return err
	}
	return db.Analyze(ctx, bdb)
}

func isEmpty(ctx context.Context, tx bun.IDB) (bool, error) {
	for _, table := range recordTables {
		n, err := tx.NewSelect().TableExpr(table).Count(ctx)
		if err != nil {
			return false, fmt.Errorf("dataset: count %s: %w", table, err)
		}
		if n > 0 {
			return false, nil
		}
	}
	return true, nil
}

// fillDefaults gives records without timestamps or version the ones a new
// record gets.
func (d *Document) fillDefaults(now time.Time) {
	now = instant(now)
	stamp := func(version *int, created, updated *time.Time) {
		if *version == 0 {
			*version = 1
		}
		if created.IsZero() {
			*created = now
		}
		if updated.IsZero() {
			*updated = *created
		}
	}
	for i := range d.Structures {
		s := &d.Structures[i]
		stamp(&s.Version, &s.CreatedAt, &s.UpdatedAt)
	}
	for i := range d.Contacts {
		c := &d.Contacts[i]
		stamp(&c.Version, &c.CreatedAt, &c.UpdatedAt)
	}
	for i := range d.Partnerships {
		p := &d.Partnerships[i]
		stamp(&p.Version, &p.CreatedAt, &p.UpdatedAt)
	}
	for i := range d.Projects {
		p := &d.Projects[i]
		stamp(&p.Version, &p.CreatedAt, &p.UpdatedAt)
	}
	for i := range d.FundingCalls {
		f := &d.FundingCalls[i]
		stamp(&f.Version, &f.CreatedAt, &f.UpdatedAt)
	}
	for i := range d.Events {
		e := &d.Events[i]
		stamp(&e.Version, &e.CreatedAt, &e.UpdatedAt)
	}
	for i := range d.SupportSessions {
		s := &d.SupportSessions[i]
		stamp(&s.Version, &s.CreatedAt, &s.UpdatedAt)
	}
	for i := range d.Publications {
		p := &d.Publications[i]
		stamp(&p.Version, &p.CreatedAt, &p.UpdatedAt)
	}
}

// insertAll inserts rows in batches.
func insertAll[T any](ctx context.Context, tx bun.IDB, rows []T) error {
	for start := 0; start < len(rows); start += batch {
		chunk := rows[start:min(start+batch, len(rows))]
		if _, err := tx.NewInsert().Model(&chunk).Exec(ctx); err != nil {
			return err
		}
	}
	return nil
}

// linkRows gathers the rows of one join table before a batched insert.
type linkRows struct {
	link  db.Link
	pairs [][2]any
}

func (l *linkRows) add(owner any, values ...any) {
	for _, v := range values {
		l.pairs = append(l.pairs, [2]any{owner, v})
	}
}

func (l *linkRows) insert(ctx context.Context, tx bun.IDB) error {
	return l.link.Insert(ctx, tx, l.pairs)
}

func anys[T any](s []T) []any {
	out := make([]any, len(s))
	for i, v := range s {
		out[i] = v
	}
	return out
}

// UpsertReference merges reference lists into the database: codes already
// there get the document's names, new codes are added, none is removed.
func UpsertReference(ctx context.Context, tx bun.IDB, d *Document) error {
	for i := range d.ActorTypes {
		d.ActorTypes[i].Position = i + 1
	}
	for i := range d.Audiences {
		d.Audiences[i].Position = i + 1
	}
	for i := range d.Themes {
		d.Themes[i].Position = i + 1
	}
	upserts := []struct {
		rows any
		set  string
		n    int
	}{
		{&d.ActorTypes, "name = EXCLUDED.name, position = EXCLUDED.position", len(d.ActorTypes)},
		{&d.Departments, "name = EXCLUDED.name, population_share = EXCLUDED.population_share", len(d.Departments)},
		{&d.Audiences, "name = EXCLUDED.name, position = EXCLUDED.position", len(d.Audiences)},
		{&d.Themes, "name = EXCLUDED.name, position = EXCLUDED.position", len(d.Themes)},
		{&d.Countries, "name = EXCLUDED.name", len(d.Countries)},
	}
	for _, u := range upserts {
		if u.n == 0 {
			continue
		}
		if _, err := tx.NewInsert().Model(u.rows).On("CONFLICT (code) DO UPDATE").Set(u.set).Exec(ctx); err != nil {
			return fmt.Errorf("reference lists: %w", err)
		}
	}
	links := linkRows{link: reference.AudienceActorTypes}
	for _, a := range d.Audiences {
		if _, err := tx.NewDelete().TableExpr(links.link.Table).Where("audience_code = ?", a.Code).Exec(ctx); err != nil {
			return fmt.Errorf("reference lists: %w", err)
		}
		links.add(a.Code, anys(a.ActorTypes)...)
	}
	return links.insert(ctx, tx)
}

func importTx(ctx context.Context, tx bun.Tx, d *Document) error {
	if err := UpsertReference(ctx, tx, d); err != nil {
		return err
	}

	names := linkRows{link: network.StructureNames}
	structureThemes := linkRows{link: network.StructureThemes}
	for _, s := range d.Structures {
		names.add(s.ID, anys(s.OtherNames)...)
		structureThemes.add(s.ID, anys(s.Themes)...)
	}
	partners := linkRows{link: project.Partners}
	projectCountries := linkRows{link: project.Countries}
	projectThemes := linkRows{link: project.Themes}
	for _, p := range d.Projects {
		partners.add(p.ID, anys(p.PartnerIDs)...)
		projectCountries.add(p.ID, anys(p.Countries)...)
		projectThemes.add(p.ID, anys(p.Themes)...)
	}
	callAudiences := linkRows{link: fundingcall.Audiences}
	callThemes := linkRows{link: fundingcall.Themes}
	callCountries := linkRows{link: fundingcall.Countries}
	for _, f := range d.FundingCalls {
		callAudiences.add(f.ID, anys(f.Audiences)...)
		callThemes.add(f.ID, anys(f.Themes)...)
		callCountries.add(f.ID, anys(f.Countries)...)
	}
	eventAudiences := linkRows{link: event.Audiences}
	eventThemes := linkRows{link: event.Themes}
	eventCountries := linkRows{link: event.Countries}
	organisers := linkRows{link: event.Organisers}
	eventCalls := linkRows{link: event.FundingCalls}
	for _, e := range d.Events {
		eventAudiences.add(e.ID, anys(e.Audiences)...)
		eventThemes.add(e.ID, anys(e.Themes)...)
		eventCountries.add(e.ID, anys(e.Countries)...)
		organisers.add(e.ID, anys(e.OrganiserIDs)...)
		eventCalls.add(e.ID, anys(e.FundingCallIDs)...)
	}
	var modules []programme.TrainingModule
	for _, t := range d.Trainings {
		for _, m := range t.Modules {
			m.CycleID = t.ID
			modules = append(modules, m)
		}
	}
	var items []programme.ActionItem
	actionStructures := linkRows{link: programme.ActionStructures}
	for _, a := range d.ProgrammeActions {
		actionStructures.add(a.ID, anys(a.StructureIDs)...)
		for _, it := range a.Items {
			it.ActionID = a.ID
			items = append(items, it)
		}
	}
	var typeCounts []observatory.TypeCount
	var deptCounts []observatory.DepartmentCount
	for _, s := range d.ObservatorySnapshots {
		for _, c := range s.TypeCounts {
			c.SnapshotID = s.ID
			typeCounts = append(typeCounts, c)
		}
		for _, c := range s.DepartmentCounts {
			c.SnapshotID = s.ID
			deptCounts = append(deptCounts, c)
		}
	}

	// Parents before children, so that foreign keys hold at every statement.
	steps := []struct {
		name string
		run  func() error
	}{
		{"structures", func() error { return insertAll(ctx, tx, d.Structures) }},
		{"structure names", func() error { return names.insert(ctx, tx) }},
		{"structure themes", func() error { return structureThemes.insert(ctx, tx) }},
		{"offices", func() error { return insertAll(ctx, tx, d.Offices) }},
		{"contacts", func() error { return insertAll(ctx, tx, d.Contacts) }},
		{"partnerships", func() error { return insertAll(ctx, tx, d.Partnerships) }},
		{"projects", func() error { return insertAll(ctx, tx, d.Projects) }},
		{"project partners", func() error { return partners.insert(ctx, tx) }},
		{"project countries", func() error { return projectCountries.insert(ctx, tx) }},
		{"project themes", func() error { return projectThemes.insert(ctx, tx) }},
		{"funding calls", func() error { return insertAll(ctx, tx, d.FundingCalls) }},
		{"call audiences", func() error { return callAudiences.insert(ctx, tx) }},
		{"call themes", func() error { return callThemes.insert(ctx, tx) }},
		{"call countries", func() error { return callCountries.insert(ctx, tx) }},
		{"events", func() error { return insertAll(ctx, tx, d.Events) }},
		{"event audiences", func() error { return eventAudiences.insert(ctx, tx) }},
		{"event themes", func() error { return eventThemes.insert(ctx, tx) }},
		{"event countries", func() error { return eventCountries.insert(ctx, tx) }},
		{"event organisers", func() error { return organisers.insert(ctx, tx) }},
		{"event calls", func() error { return eventCalls.insert(ctx, tx) }},
		{"support sessions", func() error { return insertAll(ctx, tx, d.SupportSessions) }},
		{"trainings", func() error { return insertAll(ctx, tx, d.Trainings) }},
		{"training modules", func() error { return insertAll(ctx, tx, modules) }},
		{"publications", func() error { return insertAll(ctx, tx, d.Publications) }},
		{"census campaigns", func() error { return insertAll(ctx, tx, d.CensusCampaigns) }},
		{"programme actions", func() error { return insertAll(ctx, tx, d.ProgrammeActions) }},
		{"action items", func() error { return insertAll(ctx, tx, items) }},
		{"action structures", func() error { return actionStructures.insert(ctx, tx) }},
		{"snapshots", func() error { return insertAll(ctx, tx, d.ObservatorySnapshots) }},
		{"snapshot type counts", func() error { return insertAll(ctx, tx, typeCounts) }},
		{"snapshot department counts", func() error { return insertAll(ctx, tx, deptCounts) }},
	}
	for _, step := range steps {
		if err := step.run(); err != nil {
			return fmt.Errorf("%s: %w", step.name, err)
		}
	}
	if err := search.Reindex(ctx, tx); err != nil {
		return err
	}
	return db.ResetSequences(ctx, tx, "structures", "structure_offices", "contacts", "partnerships", "projects",
		"funding_calls", "events", "support_sessions", "training_cycles", "training_modules", "publications",
		"census_campaigns", "programme_actions", "programme_action_items", "observatory_snapshots")
}
