package network

import (
	"context"
	"fmt"
	"sort"
	"strings"
)

// Link is one tie between two structures: a partnership or a project they
// share.
type Link struct {
	From, To      int64
	PartnershipID int64 // set for a partnership
	ProjectID     int64 // set for a shared project
	Kind          string
	ProjectTitle  string
}

// Via says the link in words.
func (l Link) Via() string {
	if l.PartnershipID != 0 {
		return fmt.Sprintf("partenariat (%s)", l.Kind)
	}
	return fmt.Sprintf("projet commun « %s »", l.ProjectTitle)
}

// links loads every tie of the network: two statements, whatever its size.
func (s *Service) links(ctx context.Context) (map[int64][]Link, error) {
	adj := map[int64][]Link{}
	rows, err := s.DB.QueryContext(ctx, "SELECT id, structure_id, partner_id, kind FROM partnerships ORDER BY id")
	if err != nil {
		return nil, fmt.Errorf("links: %w", err)
	}
	for rows.Next() {
		var l Link
		if err := rows.Scan(&l.PartnershipID, &l.From, &l.To, &l.Kind); err != nil {
			rows.Close()
			return nil, fmt.Errorf("links: %w", err)
		}
		adj[l.From] = append(adj[l.From], l)
		adj[l.To] = append(adj[l.To], Link{From: l.To, To: l.From, PartnershipID: l.PartnershipID, Kind: l.Kind})
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}

	rows, err = s.DB.QueryContext(ctx, `SELECT p.id, p.title, sp.structure_id FROM (
		SELECT id AS project_id, lead_structure_id AS structure_id FROM projects WHERE lead_structure_id IS NOT NULL
		UNION SELECT project_id, structure_id FROM project_partners) AS sp
		JOIN projects AS p ON p.id = sp.project_id ORDER BY p.id, sp.structure_id`)
	if err != nil {
		return nil, fmt.Errorf("links: %w", err)
	}
	defer rows.Close()
	type member struct {
		title     string
		structure int64
	}
	byProject := map[int64][]member{}
	var order []int64
	for rows.Next() {
		var id, structure int64
		var title string
		if err := rows.Scan(&id, &title, &structure); err != nil {
			return nil, fmt.Errorf("links: %w", err)
		}
		if _, seen := byProject[id]; !seen {
			order = append(order, id)
		}
		byProject[id] = append(byProject[id], member{title, structure})
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, id := range order {
		members := byProject[id]
		for _, a := range members {
			for _, b := range members {
				if a.structure != b.structure {
					adj[a.structure] = append(adj[a.structure], Link{From: a.structure, To: b.structure, ProjectID: id, ProjectTitle: a.title})
				}
			}
		}
	}
	return adj, nil
}

// IntroductionPath returns the shortest chain of ties from one structure to
// another, or nil when there is none. Among chains of equal length, the one
// found first in id order wins, so the answer is stable.
func (s *Service) IntroductionPath(ctx context.Context, from, to int64) ([]Link, error) {
	if from == to {
		return []Link{}, nil
	}
	adj, err := s.links(ctx)
	if err != nil {
		return nil, err
	}
	prev := map[int64]Link{from: {}}
	queue := []int64{from}
	for len(queue) > 0 {
		cur := queue[0]
		queue = queue[1:]
		for _, l := range adj[cur] {
			if _, seen := prev[l.To]; seen {
				continue
			}
			prev[l.To] = l
			if l.To == to {
				var path []Link
				for at := to; at != from; at = prev[at].From {
					path = append(path, prev[at])
				}
				for i, j := 0, len(path)-1; i < j; i, j = i+1, j-1 {
					path[i], path[j] = path[j], path[i]
				}
				return path, nil
			}
			queue = append(queue, l.To)
		}
	}
	return nil, nil
}

// Suggestion is a structure that could become a partner, and why.
type Suggestion struct {
	StructureID int64
	Countries   []string // codes shared
	Themes      []string // codes shared
	Score       int
}

// SuggestPartners returns structures that share countries of action (other
// than France) or themes with the structure and have no tie with it yet, the
// strongest first. A shared country weighs twice a shared theme.
func (s *Service) SuggestPartners(ctx context.Context, id int64, first int) ([]Suggestion, error) {
	adj, err := s.links(ctx)
	if err != nil {
		return nil, err
	}
	linked := map[int64]bool{id: true}
	for _, l := range adj[id] {
		linked[l.To] = true
	}
	countries, err := s.pairs(ctx, `SELECT structure_id, country_code FROM (
		SELECT id AS structure_id, country_code FROM structures WHERE country_code IS NOT NULL AND country_code <> 'FR'
		UNION SELECT structure_id, country_code FROM structure_project_countries) AS x`)
	if err != nil {
		return nil, err
	}
	themes, err := s.pairs(ctx, `SELECT structure_id, theme_code FROM (
		SELECT structure_id, theme_code FROM structure_themes
		UNION SELECT p.lead_structure_id, pt.theme_code FROM projects AS p JOIN project_themes AS pt ON pt.project_id = p.id WHERE p.lead_structure_id IS NOT NULL
		UNION SELECT pp.structure_id, pt.theme_code FROM project_partners AS pp JOIN project_themes AS pt ON pt.project_id = pp.project_id) AS x`)
	if err != nil {
		return nil, err
	}
	byID := map[int64]*Suggestion{}
	share := func(mine map[int64][]string, add func(*Suggestion, string)) {
		wanted := map[string]bool{}
		for _, c := range mine[id] {
			wanted[c] = true
		}
		for other, codes := range mine {
			if linked[other] {
				continue
			}
			for _, c := range codes {
				if wanted[c] {
					sg := byID[other]
					if sg == nil {
						sg = &Suggestion{StructureID: other}
						byID[other] = sg
					}
					add(sg, c)
				}
			}
		}
	}
	share(countries, func(sg *Suggestion, c string) { sg.Countries = append(sg.Countries, c); sg.Score += 2 })
	share(themes, func(sg *Suggestion, c string) { sg.Themes = append(sg.Themes, c); sg.Score++ })
	out := make([]Suggestion, 0, len(byID))
	for _, sg := range byID {
		sort.Strings(sg.Countries)
		sort.Strings(sg.Themes)
		out = append(out, *sg)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].StructureID < out[j].StructureID
	})
	if len(out) > first {
		out = out[:first]
	}
	return out, nil
}

func (s *Service) pairs(ctx context.Context, query string) (map[int64][]string, error) {
	rows, err := s.DB.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("suggestions: %w", err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	for rows.Next() {
		var id int64
		var code string
		if err := rows.Scan(&id, &code); err != nil {
			return nil, fmt.Errorf("suggestions: %w", err)
		}
		out[id] = append(out[id], strings.TrimSpace(code))
	}
	return out, rows.Err()
}
