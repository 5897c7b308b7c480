// Package matching ranks the funding calls and events that fit a structure
// ("pour nous", issue 16): those open to its actor type, by the themes and
// countries they share with it and by territory, each with its reasons in
// French. GraphQL (Structure.matchingFundingCalls, matchingEvents), the bot
// ("quels appels pour nous ?") and the profile alerts (internal/announce)
// read the same ranking.
//
// A structure's profile is what the directory says of it, public to every
// role: its actor type (and the audiences that cover it, from the reference
// lists), its department, its themes (its own and its projects', led or as
// partner) and the countries where it acts (its projects', and its own when
// it is abroad; France is where the network is, not a reason).
//
// Points, in half points so that both databases add whole numbers:
//   - open to an audience that covers the structure's type: 2; open to all
//     (no audience, or the general public for an event): 1; a call or event
//     restricted to audiences that do not cover the type is left out;
//   - each theme in common: 4; each country in common: 6;
//   - a call of regional territory for a structure of the region: 2;
//   - an event organised by the structure: 4, by another structure of its
//     department: 2.
//
// Best first; ties by deadline (a call) or date (an event), known ones
// first, then by id.
package matching

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/uptrace/bun"
	"github.com/uptrace/bun/schema"

	"github.com/lianes-cooperation/lianes/internal/fundingcall"
	"github.com/lianes-cooperation/lianes/internal/listing"
	"github.com/lianes-cooperation/lianes/internal/period"
	"github.com/lianes-cooperation/lianes/internal/reference"
)

// ErrNotFound is returned for a structure that does not exist.
var ErrNotFound = errors.New("structure introuvable")

// Public is the audience of events for everyone ("Citoyens"): it restricts
// nothing.
const Public = "citoyens"

// Points, in half points.
const (
	pointsAudience = 2
	pointsOpen     = 1
	pointsTheme    = 4
	pointsCountry  = 6
	pointsRegional = 2
	pointsOwnEvent = 4
	pointsNearby   = 2
)

// Profile is what a structure offers to the matching.
type Profile struct {
	ID         int64
	Name       string
	ActorType  string // "" when unknown: no call is then left out for its audiences
	Department string // "" for a structure outside the region
	// Audiences are the audiences that cover the actor type.
	Audiences []string
	// Themes and Countries are sorted codes.
	Themes, Countries []string
}

// Facts are what a call or an event offers to the matching.
type Facts struct {
	Event                        bool
	Audiences, Themes, Countries []string
	// Territory of a call.
	Territory string
	// Organisers of an event, and their departments.
	Organisers           []int64
	OrganiserDepartments []string
}

// Match is a call or an event as it fits a structure.
type Match struct {
	ID int64
	// Score is the sum of the points, in points (half points halved).
	Score float64
	// Reasons say each point in French: "ouvert aux associations", "thème
	// eau et assainissement", "pays Burkina Faso".
	Reasons []string
	// Fits tells the alerts' fit: a theme, a country or the organiser in
	// common, or a call or event about no theme nor country in particular.
	// The type and the territory alone do not make one fit.
	Fits bool
}

// Score says how a call or an event fits the profile; false when it is not
// open to the structure's type. ref names the codes in the reasons.
func (p *Profile) Score(f Facts, ref *reference.Lists) (Match, bool) {
	var m Match
	half := 0
	open := len(f.Audiences) == 0 || f.Event && slices.Contains(f.Audiences, Public)
	covering := ""
	for _, a := range f.Audiences {
		if slices.Contains(p.Audiences, a) && (covering == "" || covering == "reseau") {
			covering = a
		}
	}
	switch {
	case covering != "":
		half += pointsAudience
		m.Reasons = append(m.Reasons, openTo(covering, ref))
	case open:
		half += pointsOpen
		if len(f.Audiences) == 0 {
			m.Reasons = append(m.Reasons, "ouvert à tous les publics")
		} else {
			m.Reasons = append(m.Reasons, "ouvert au grand public")
		}
	case p.ActorType != "":
		return Match{}, false
	}
	common := 0
	for _, t := range sortedCodes(f.Themes) {
		if slices.Contains(p.Themes, t) {
			half += pointsTheme
			common++
			m.Reasons = append(m.Reasons, "thème "+themeName(t, ref))
		}
	}
	for _, c := range sortedCodes(f.Countries) {
		if slices.Contains(p.Countries, c) {
			half += pointsCountry
			common++
			m.Reasons = append(m.Reasons, "pays "+countryName(c, ref))
		}
	}
	if !f.Event && f.Territory == "regional" && p.Department != "" {
		half += pointsRegional
		m.Reasons = append(m.Reasons, "appel régional, pour les structures des Hauts-de-France")
	}
	if f.Event {
		switch {
		case slices.Contains(f.Organisers, p.ID):
			half += pointsOwnEvent
			common++
			m.Reasons = append(m.Reasons, "organisé par "+p.Name)
		case p.Department != "" && slices.Contains(f.OrganiserDepartments, p.Department):
			half += pointsNearby
			m.Reasons = append(m.Reasons, "organisé par une structure "+departmentOf(p.Department, ref))
		}
	}
	m.Score = float64(half) / 2
	m.Fits = common > 0 || len(f.Themes)+len(f.Countries) == 0
	return m, true
}

func sortedCodes(codes []string) []string {
	out := slices.Clone(codes)
	sort.Strings(out)
	return slices.Compact(out)
}

// openTo says an audience as the reason a call is open to the structure.
func openTo(code string, ref *reference.Lists) string {
	switch code {
	case "reseau":
		return "ouvert à tout le réseau"
	case "enseignement-superieur":
		return "ouvert à l'enseignement supérieur"
	}
	name := code
	if ref != nil {
		if a := ref.Audience(code); a != nil {
			name = a.Name
		}
	}
	return "ouvert aux " + strings.ToLower(name)
}

// themeName is a theme's name inside a sentence: "eau et assainissement",
// but "ECSI".
func themeName(code string, ref *reference.Lists) string {
	name := code
	if ref != nil {
		if t := ref.Theme(code); t != nil {
			name = t.Name
		}
	}
	first, size := utf8.DecodeRuneInString(name)
	if second, _ := utf8.DecodeRuneInString(name[size:]); unicode.IsUpper(second) {
		return name // an acronym
	}
	return string(unicode.ToLower(first)) + name[size:]
}

func countryName(code string, ref *reference.Lists) string {
	if ref != nil {
		if c := ref.Country(code); c != nil {
			return c.Name
		}
	}
	return code
}

// departmentOf says "du Nord", "de la Somme", "de l'Oise".
func departmentOf(code string, ref *reference.Lists) string {
	switch code {
	case "59":
		return "du Nord"
	case "62":
		return "du Pas-de-Calais"
	case "80":
		return "de la Somme"
	case "60":
		return "de l'Oise"
	case "02":
		return "de l'Aisne"
	}
	if ref != nil {
		if d := ref.Department(code); d != nil {
			return "du département " + d.Name
		}
	}
	return "du département " + code
}

// Service reads profiles and ranks what fits them.
type Service struct {
	DB bun.IDB
}

// Profile reads a structure's profile in one statement.
func (s *Service) Profile(ctx context.Context, id int64) (*Profile, error) {
	m, err := s.Profiles(ctx, []int64{id})
	if err != nil {
		return nil, err
	}
	if m[id] == nil {
		return nil, ErrNotFound
	}
	return m[id], nil
}

// Profiles reads the profiles of structures in one statement; a structure
// that does not exist is absent from the map.
func (s *Service) Profiles(ctx context.Context, ids []int64) (map[int64]*Profile, error) {
	out := map[int64]*Profile{}
	if len(ids) == 0 {
		return out, nil
	}
	in := bun.List(ids)
	rows, err := s.DB.QueryContext(ctx, schema.NewQueryGen(s.DB.Dialect()).FormatQuery(`
		SELECT s.id, 'n' AS k, s.name AS v FROM structures AS s WHERE s.id IN (?0)
		UNION ALL SELECT s.id, 'y', s.actor_type_code FROM structures AS s WHERE s.id IN (?0) AND s.actor_type_code IS NOT NULL
		UNION ALL SELECT s.id, 'd', s.department_code FROM structures AS s WHERE s.id IN (?0) AND s.department_code IS NOT NULL
		UNION ALL SELECT s.id, 'c', s.country_code FROM structures AS s WHERE s.id IN (?0) AND s.country_code IS NOT NULL
		UNION ALL SELECT s.id, 'a', aat.audience_code FROM structures AS s
			JOIN audience_actor_types AS aat ON aat.actor_type_code = s.actor_type_code WHERE s.id IN (?0)
		UNION ALL SELECT st.structure_id, 't', st.theme_code FROM structure_themes AS st WHERE st.structure_id IN (?0)
		UNION ALL SELECT p.lead_structure_id, 't', pt.theme_code FROM projects AS p
			JOIN project_themes AS pt ON pt.project_id = p.id WHERE p.lead_structure_id IN (?0)
		UNION ALL SELECT pp.structure_id, 't', pt.theme_code FROM project_partners AS pp
			JOIN project_themes AS pt ON pt.project_id = pp.project_id WHERE pp.structure_id IN (?0)
		UNION ALL SELECT spc.structure_id, 'c', spc.country_code FROM structure_project_countries AS spc
			WHERE spc.structure_id IN (?0)`, in))
	if err != nil {
		return nil, fmt.Errorf("matching: profile: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var k, v string
		if err := rows.Scan(&id, &k, &v); err != nil {
			return nil, fmt.Errorf("matching: profile: %w", err)
		}
		p := out[id]
		if p == nil {
			p = &Profile{ID: id}
			out[id] = p
		}
		v = strings.TrimSpace(v)
		switch k {
		case "n":
			p.Name = v
		case "y":
			p.ActorType = v
		case "d":
			p.Department = v
		case "a":
			p.Audiences = append(p.Audiences, v)
		case "t":
			p.Themes = append(p.Themes, v)
		case "c":
			if v != "FR" { // France is where the network is, not a reason
				p.Countries = append(p.Countries, v)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("matching: profile: %w", err)
	}
	for id, p := range out {
		if p.Name == "" { // links of a structure that does not exist
			delete(out, id)
			continue
		}
		p.Audiences, p.Themes, p.Countries = sortedCodes(p.Audiences), sortedCodes(p.Themes), sortedCodes(p.Countries)
	}
	return out, nil
}

// Page is one page of matches, best first, with the profile they fit.
type Page struct {
	Profile *Profile
	Matches []Match
	Info    listing.Info
}

// IDs are the ids of the page's matches, in order.
func (p Page) IDs() []int64 {
	out := make([]int64, len(p.Matches))
	for i, m := range p.Matches {
		out[i] = m.ID
	}
	return out
}

// kind describes the SQL of calls or events.
type kind struct {
	table, alias, audiences, themes, countries, owner string
	// candidates is the condition of the candidates on the day ?0.
	candidates string
	// order breaks ties of score.
	order string
	event bool
}

var calls = kind{table: "funding_calls", alias: "fc", audiences: "funding_call_audiences", themes: "funding_call_themes",
	countries: "funding_call_countries", owner: "funding_call_id", candidates: fundingcall.OpenCondition,
	order: "CASE WHEN fc.deadline_to IS NULL THEN 1 ELSE 0 END, fc.deadline_to, fc.id"}

// Events: what is not over on the day and not cancelled, those whose date
// is not fixed included (last among equals), as upcomingEvents lists them.
var events = kind{table: "events", alias: "e", audiences: "event_audiences", themes: "event_themes",
	countries: "event_countries", owner: "event_id", candidates: "e.status <> 'annule' AND (e.date_to >= ?0 OR e.date_from IS NULL)",
	order: "CASE WHEN e.date_from IS NULL THEN 1 ELSE 0 END, e.date_from, e.date_to, e.date_time, e.id", event: true}

// FundingCalls pages the calls open on the day that are open to the
// structure, best first.
func (s *Service) FundingCalls(ctx context.Context, structure int64, day period.Date, a listing.Args) (Page, error) {
	return s.page(ctx, calls, structure, day, a)
}

// Events pages the upcoming events open to the structure, best first.
func (s *Service) Events(ctx context.Context, structure int64, day period.Date, a listing.Args) (Page, error) {
	return s.page(ctx, events, structure, day, a)
}

func (s *Service) page(ctx context.Context, k kind, structure int64, day period.Date, a listing.Args) (Page, error) {
	p, err := s.Profile(ctx, structure)
	if err != nil {
		return Page{}, err
	}
	ids, err := s.ranked(ctx, k, p, day)
	if err != nil {
		return Page{}, err
	}
	w, err := listing.Window(ids, a)
	if err != nil {
		return Page{}, err
	}
	matches, err := s.score(ctx, k, p, w.IDs)
	if err != nil {
		return Page{}, err
	}
	return Page{Profile: p, Matches: matches, Info: w.Info}, nil
}

// ranked returns the ids of the candidates open to the profile, best
// first: one statement, scored by the database. Each link table is read
// once and grouped by record (hash joins), rather than asked once per
// candidate: at 20 000 events to come, per-candidate subqueries took over a
// second on PostgreSQL.
func (s *Service) ranked(ctx context.Context, k kind, p *Profile, day period.Date) ([]int64, error) {
	gen := schema.NewQueryGen(s.DB.Dialect())
	x := k.alias
	in := func(codes []string) string { return gen.FormatQuery("(?)", bun.List(codes)) }
	covered, public := "0", "0"
	if len(p.Audiences) > 0 {
		covered = "SUM(CASE WHEN l.audience_code IN " + in(p.Audiences) + " THEN 1 ELSE 0 END)"
	}
	if k.event {
		public = gen.FormatQuery("SUM(CASE WHEN l.audience_code = ? THEN 1 ELSE 0 END)", Public)
	}
	from := x + ` LEFT JOIN (SELECT l.` + k.owner + ` AS id, COUNT(*) AS n, ` + covered + ` AS cov, ` + public + ` AS pub
		FROM ` + k.audiences + ` AS l GROUP BY l.` + k.owner + `) AS au ON au.id = ` + x + `.id`
	open := "(au.n IS NULL OR au.pub > 0)"
	var eligible string
	switch {
	case len(p.Audiences) > 0:
		eligible = "(au.cov > 0 OR " + open + ")"
	case p.ActorType != "": // a type no audience covers: only what is open to all
		eligible = open
	default: // type unknown: nothing left out
		eligible = "1 = 1"
	}
	score := []string{fmt.Sprintf("CASE WHEN au.cov > 0 THEN %d WHEN %s THEN %d ELSE 0 END", pointsAudience, open, pointsOpen)}
	if len(p.Themes) > 0 {
		from += ` LEFT JOIN (SELECT l.` + k.owner + ` AS id, COUNT(*) AS n FROM ` + k.themes + ` AS l
			WHERE l.theme_code IN ` + in(p.Themes) + ` GROUP BY l.` + k.owner + `) AS th ON th.id = ` + x + `.id`
		score = append(score, fmt.Sprintf("%d * COALESCE(th.n, 0)", pointsTheme))
	}
	if len(p.Countries) > 0 {
		from += ` LEFT JOIN (SELECT l.` + k.owner + ` AS id, COUNT(*) AS n FROM ` + k.countries + ` AS l
			WHERE l.country_code IN ` + in(p.Countries) + ` GROUP BY l.` + k.owner + `) AS co ON co.id = ` + x + `.id`
		score = append(score, fmt.Sprintf("%d * COALESCE(co.n, 0)", pointsCountry))
	}
	if !k.event && p.Department != "" {
		score = append(score, fmt.Sprintf("CASE WHEN fc.territory = 'regional' THEN %d ELSE 0 END", pointsRegional))
	}
	if k.event {
		// The organisers that count: the structure, and those of its department.
		if p.Department != "" {
			from += gen.FormatQuery(` LEFT JOIN (SELECT eo.event_id AS id, MAX(CASE WHEN eo.structure_id = ?0 THEN ?2 ELSE ?3 END) AS p
				FROM event_organisers AS eo WHERE eo.structure_id = ?0
					OR eo.structure_id IN (SELECT so.id FROM structures AS so WHERE so.department_code = ?1)
				GROUP BY eo.event_id) AS og ON og.id = e.id`, p.ID, p.Department, pointsOwnEvent, pointsNearby)
		} else {
			from += gen.FormatQuery(` LEFT JOIN (SELECT DISTINCT eo.event_id AS id, ?1 AS p FROM event_organisers AS eo
				WHERE eo.structure_id = ?0) AS og ON og.id = e.id`, p.ID, pointsOwnEvent)
		}
		score = append(score, "COALESCE(og.p, 0)")
	}
	query := gen.FormatQuery("SELECT "+x+".id FROM "+k.table+" AS "+from+" WHERE "+k.candidates+" AND "+eligible+
		" ORDER BY ("+strings.Join(score, " + ")+") DESC, "+k.order, day)
	var ids []int64
	rows, err := s.DB.QueryContext(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("matching: ranking: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("matching: ranking: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// score reads the facts of a page of candidates in one statement and says
// how each fits.
func (s *Service) score(ctx context.Context, k kind, p *Profile, ids []int64) ([]Match, error) {
	if len(ids) == 0 {
		return []Match{}, nil
	}
	ref, err := reference.Load(ctx, s.DB)
	if err != nil {
		return nil, err
	}
	facts, err := s.facts(ctx, k, ids)
	if err != nil {
		return nil, err
	}
	out := make([]Match, 0, len(ids))
	for _, id := range ids {
		f := facts[id]
		if f == nil {
			f = &Facts{Event: k.event}
		}
		m, ok := p.Score(*f, ref)
		if !ok {
			continue // changed between the two statements
		}
		m.ID = id
		out = append(out, m)
	}
	return out, nil
}

// facts reads the codes of calls or events.
func (s *Service) facts(ctx context.Context, k kind, ids []int64) (map[int64]*Facts, error) {
	in := bun.List(ids)
	q := `SELECT l.` + k.owner + `, 'a' AS k, l.audience_code AS v FROM ` + k.audiences + ` AS l WHERE l.` + k.owner + ` IN (?0)
		UNION ALL SELECT l.` + k.owner + `, 't', l.theme_code FROM ` + k.themes + ` AS l WHERE l.` + k.owner + ` IN (?0)
		UNION ALL SELECT l.` + k.owner + `, 'c', l.country_code FROM ` + k.countries + ` AS l WHERE l.` + k.owner + ` IN (?0)`
	if k.event {
		q += ` UNION ALL SELECT eo.event_id, 'o', ` + "CAST(eo.structure_id AS TEXT)" + ` FROM event_organisers AS eo WHERE eo.event_id IN (?0)
		UNION ALL SELECT eo.event_id, 'd', so.department_code FROM event_organisers AS eo
			JOIN structures AS so ON so.id = eo.structure_id WHERE eo.event_id IN (?0) AND so.department_code IS NOT NULL`
	} else {
		q += ` UNION ALL SELECT fc.id, 'r', fc.territory FROM funding_calls AS fc WHERE fc.id IN (?0)`
	}
	rows, err := s.DB.QueryContext(ctx, schema.NewQueryGen(s.DB.Dialect()).FormatQuery(q, in))
	if err != nil {
		return nil, fmt.Errorf("matching: facts: %w", err)
	}
	defer rows.Close()
	out := map[int64]*Facts{}
	for rows.Next() {
		var id int64
		var c, v string
		if err := rows.Scan(&id, &c, &v); err != nil {
			return nil, fmt.Errorf("matching: facts: %w", err)
		}
		f := out[id]
		if f == nil {
			f = &Facts{Event: k.event}
			out[id] = f
		}
		v = strings.TrimSpace(v)
		switch c {
		case "a":
			f.Audiences = append(f.Audiences, v)
		case "t":
			f.Themes = append(f.Themes, v)
		case "c":
			f.Countries = append(f.Countries, v)
		case "r":
			f.Territory = v
		case "o":
			var o int64
			_, _ = fmt.Sscan(v, &o)
			f.Organisers = append(f.Organisers, o)
		case "d":
			f.OrganiserDepartments = append(f.OrganiserDepartments, v)
		}
	}
	return out, rows.Err()
}

// FactsOf reads the facts of calls (event false) or events by id, in one
// statement: the alerts score a new record with them.
func (s *Service) FactsOf(ctx context.Context, event bool, ids []int64) (map[int64]*Facts, error) {
	if len(ids) == 0 {
		return map[int64]*Facts{}, nil
	}
	if event {
		return s.facts(ctx, events, ids)
	}
	return s.facts(ctx, calls, ids)
}

// CallFacts are a call's facts, from its codes as the services load them.
func CallFacts(c *fundingcall.FundingCall) Facts {
	return Facts{Audiences: c.Audiences, Themes: c.Themes, Countries: c.Countries, Territory: c.Territory}
}
