package dataset

import (
	"context"
	"fmt"
	"slices"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/event"
	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/observatory"
	"github.com/lianes-cooperation/lianes/internal/programme"
	"github.com/lianes-cooperation/lianes/internal/project"
	"github.com/lianes-cooperation/lianes/internal/reference"
)

// Export reads the whole dataset in one read transaction, so the document is
// a consistent picture even while others write.
func Export(ctx context.Context, bdb *bun.DB) (*Document, error) {
	var d Document
	err := bdb.RunInTx(ctx, db.Snapshot(bdb), func(ctx context.Context, tx bun.Tx) error {
		return exportTx(ctx, tx, &d)
	})
	if err != nil {
		return nil, fmt.Errorf("dataset: export: %w", err)
	}
	d.normalise()
	return &d, nil
}

func selectAll(ctx context.Context, tx bun.Tx, dest any, order string) error {
	return tx.NewSelect().Model(dest).OrderExpr(order).Scan(ctx)
}

func exportTx(ctx context.Context, tx bun.Tx, d *Document) error {
	for _, q := range []struct {
		dest  any
		order string
	}{
		{&d.ActorTypes, "position, code"}, {&d.Departments, "code"}, {&d.Audiences, "position, code"},
		{&d.Themes, "position, code"}, {&d.Countries, "code"},
		{&d.Structures, "id"}, {&d.Offices, "id"}, {&d.Contacts, "id"}, {&d.Partnerships, "id"},
		{&d.Projects, "id"}, {&d.FundingCalls, "id"}, {&d.Events, "id"}, {&d.SupportSessions, "id"},
		{&d.Trainings, "position, id"}, {&d.Publications, "id"}, {&d.CensusCampaigns, "id"},
		{&d.ProgrammeActions, "id"}, {&d.ObservatorySnapshots, "id"},
	} {
		if err := selectAll(ctx, tx, q.dest, q.order); err != nil {
			return err
		}
	}

	audienceTypes, err := loadCodeLinks(ctx, tx, reference.AudienceActorTypes, "audiences")
	if err != nil {
		return err
	}
	for i := range d.Audiences {
		d.Audiences[i].ActorTypes = audienceTypes[d.Audiences[i].Code]
	}

	names, err := db.LoadLinks[string](ctx, tx, network.StructureNames)
	if err != nil {
		return err
	}
	structureThemes, err := db.LoadLinks[string](ctx, tx, network.StructureThemes)
	if err != nil {
		return err
	}
	for i := range d.Structures {
		s := &d.Structures[i]
		s.OtherNames, s.Themes = names[s.ID], structureThemes[s.ID]
	}

	partners, err := db.LoadLinks[int64](ctx, tx, project.Partners)
	if err != nil {
		return err
	}
	projectCountries, err := db.LoadLinks[string](ctx, tx, project.Countries)
	if err != nil {
		return err
	}
	projectThemes, err := db.LoadLinks[string](ctx, tx, project.Themes)
	if err != nil {
		return err
	}
	for i := range d.Projects {
		p := &d.Projects[i]
		p.PartnerIDs, p.Countries, p.Themes = partners[p.ID], projectCountries[p.ID], projectThemes[p.ID]
	}

	callAudiences, err := db.LoadLinks[string](ctx, tx, fundingcall.Audiences)
	if err != nil {
		return err
	}
	callThemes, err := db.LoadLinks[string](ctx, tx, fundingcall.Themes)
	if err != nil {
		return err
	}
	callCountries, err := db.LoadLinks[string](ctx, tx, fundingcall.Countries)
	if err != nil {
		return err
	}
	for i := range d.FundingCalls {
		f := &d.FundingCalls[i]
		f.Audiences, f.Themes, f.Countries = callAudiences[f.ID], callThemes[f.ID], callCountries[f.ID]
	}

	eventAudiences, err := db.LoadLinks[string](ctx, tx, event.Audiences)
	if err != nil {
		return err
	}
	eventThemes, err := db.LoadLinks[string](ctx, tx, event.Themes)
	if err != nil {
		return err
	}
	eventCountries, err := db.LoadLinks[string](ctx, tx, event.Countries)
	if err != nil {
		return err
	}
	organisers, err := db.LoadLinks[int64](ctx, tx, event.Organisers)
	if err != nil {
		return err
	}
	eventCalls, err := db.LoadLinks[int64](ctx, tx, event.FundingCalls)
	if err != nil {
		return err
	}
	for i := range d.Events {
		e := &d.Events[i]
		e.Audiences, e.Themes, e.Countries = eventAudiences[e.ID], eventThemes[e.ID], eventCountries[e.ID]
		e.OrganiserIDs, e.FundingCallIDs = organisers[e.ID], eventCalls[e.ID]
	}

	var modules []programme.TrainingModule
	if err := selectAll(ctx, tx, &modules, "cycle_id, position"); err != nil {
		return err
	}
	for i := range d.Trainings {
		for _, m := range modules {
			if m.CycleID == d.Trainings[i].ID {
				d.Trainings[i].Modules = append(d.Trainings[i].Modules, m)
			}
		}
	}

	var items []programme.ActionItem
	if err := selectAll(ctx, tx, &items, "action_id, position"); err != nil {
		return err
	}
	actionStructures, err := db.LoadLinks[int64](ctx, tx, programme.ActionStructures)
	if err != nil {
		return err
	}
	for i := range d.ProgrammeActions {
		a := &d.ProgrammeActions[i]
		a.StructureIDs = actionStructures[a.ID]
		for _, it := range items {
			if it.ActionID == a.ID {
				a.Items = append(a.Items, it)
			}
		}
	}

	var typeCounts []observatory.TypeCount
	if err := tx.NewSelect().Model(&typeCounts).
		Join("JOIN actor_types AS at ON at.code = otc.actor_type_code").
		OrderExpr("otc.snapshot_id, at.position").Scan(ctx); err != nil {
		return err
	}
	var deptCounts []observatory.DepartmentCount
	if err := selectAll(ctx, tx, &deptCounts, "snapshot_id, department_code"); err != nil {
		return err
	}
	for i := range d.ObservatorySnapshots {
		s := &d.ObservatorySnapshots[i]
		for _, c := range typeCounts {
			if c.SnapshotID == s.ID {
				s.TypeCounts = append(s.TypeCounts, c)
			}
		}
		for _, c := range deptCounts {
			if c.SnapshotID == s.ID {
				s.DepartmentCounts = append(s.DepartmentCounts, c)
			}
		}
	}
	return nil
}

// loadCodeLinks reads a join table whose owners are codes, not ids.
func loadCodeLinks(ctx context.Context, tx bun.Tx, l db.Link, what string) (map[string][]string, error) {
	rows, err := tx.NewSelect().TableExpr(l.Table).
		ColumnExpr("? AS owner, ? AS value", bun.Ident(l.Owner), bun.Ident(l.Value)).
		OrderExpr("? ASC, ? ASC", bun.Ident(l.Owner), bun.Ident(l.Value)).Rows(ctx)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	defer rows.Close()
	out := map[string][]string{}
	for rows.Next() {
		var owner, value string
		if err := rows.Scan(&owner, &value); err != nil {
			return nil, err
		}
		out[owner] = append(out[owner], value)
	}
	for _, values := range out {
		slices.Sort(values)
	}
	return out, rows.Err()
}
