// Package privacy answers the rights of the people the network knows
// (RGPD): access to everything held about a person, and erasure.
package privacy

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/audit"
	"github.com/lianes-cooperation/lianes/internal/chatlink"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/network"
	"github.com/lianes-cooperation/lianes/internal/search"
	"github.com/lianes-cooperation/lianes/internal/support"
)

// ErrNotFound is returned for a contact that does not exist.
var ErrNotFound = errors.New("contact introuvable")

// Service handles access and erasure requests; admins only.
type Service struct {
	DB *bun.DB
}

// Report is everything held about a person.
type Report struct {
	Contact  network.Contact
	Sessions []support.Session // support sessions that mention the person
	Audit    []audit.Entry     // audit entries about the person
	// ChatLinks are the chat accounts linked to the person's structure by
	// their e-mail.
	ChatLinks []chatlink.Link
}

func (s *Service) contact(ctx context.Context, idb bun.IDB, id int64) (network.Contact, error) {
	var c network.Contact
	err := idb.NewSelect().Model(&c).Where("c.id = ?", id).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return c, ErrNotFound
	}
	return c, err
}

// personalValues are the values to look for: what identifies the person.
func personalValues(c network.Contact) []string {
	var out []string
	for _, v := range []string{c.Name, c.Email, c.Phone} {
		if len(strings.TrimSpace(v)) >= 3 {
			out = append(out, v)
		}
	}
	return out
}

// mentions finds the support sessions whose subject or staff names the person.
func mentions(ctx context.Context, idb bun.IDB, values []string) ([]support.Session, error) {
	if len(values) == 0 {
		return nil, nil
	}
	var rows []support.Session
	q := idb.NewSelect().Model(&rows).WhereGroup(" AND ", func(q *bun.SelectQuery) *bun.SelectQuery {
		for _, v := range values {
			q = q.WhereOr("ss.subject LIKE ? OR ss.staff LIKE ?", "%"+v+"%", "%"+v+"%")
		}
		return q
	})
	if err := q.OrderExpr("ss.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("privacy: mentions: %w", err)
	}
	return rows, nil
}

// Access gathers what is held about a contact, for an access request.
func (s *Service) Access(ctx context.Context, id int64) (Report, error) {
	if err := access.Require(ctx, access.Admin); err != nil {
		return Report{}, err
	}
	c, err := s.contact(ctx, s.DB, id)
	if err != nil {
		return Report{}, err
	}
	values := personalValues(c)
	sessions, err := mentions(ctx, s.DB, values)
	if err != nil {
		return Report{}, err
	}
	entries, err := (&audit.Service{DB: s.DB}).Mentioning(ctx, "contact", id, values)
	if err != nil {
		return Report{}, err
	}
	links, err := chatlink.OfContact(ctx, s.DB, id)
	if err != nil {
		return Report{}, err
	}
	return Report{Contact: c, Sessions: sessions, Audit: entries, ChatLinks: links}, nil
}

// erased replaces a person's values.
const erased = "[effacé]"

// untouched are the tables an erasure does not scrub: the search index is
// rebuilt from the scrubbed records instead; the other contacts are other
// people, whose names may be the same; the others hold no text of people.
var untouched = map[string]bool{"search_terms": true, "contacts": true, "bun_migrations": true,
	"bun_migration_locks": true, "rate_windows": true, "seen_requests": true}

// indexed are the tables whose texts the search index holds, with the kind
// and the id of the record each row belongs to (internal/search's sources):
// a scrubbed row's record is indexed again, and only it.
var indexed = map[string]struct{ kind, id string }{
	"structures": {search.KindStructure, "id"}, "structure_names": {search.KindStructure, "structure_id"},
	"projects": {search.KindProject, "id"}, "events": {search.KindEvent, "id"},
	"funding_calls": {search.KindFundingCall, "id"}, "support_sessions": {search.KindSupport, "id"},
	"training_cycles": {search.KindTraining, "id"}, "training_modules": {search.KindTraining, "cycle_id"},
	"publications": {search.KindPublication, "id"}, "census_campaigns": {search.KindCensus, "id"},
	"programme_actions": {search.KindAction, "id"}, "programme_action_items": {search.KindAction, "action_id"},
}

// pastValues returns the names, e-mails and phones a contact had before,
// as the audit trail recorded them: an erasure must not leave an old e-mail
// in an earlier entry.
func pastValues(ctx context.Context, idb bun.IDB, id int64) ([]string, error) {
	var entries []audit.Entry
	if err := idb.NewSelect().Model(&entries).Where("au.kind = ? AND au.record_id = ?", "contact", id).Scan(ctx); err != nil {
		return nil, fmt.Errorf("privacy: past values: %w", err)
	}
	var out []string
	for _, e := range entries {
		for _, raw := range []string{e.Before, e.After} {
			var c network.Contact
			if raw != "" && json.Unmarshal([]byte(raw), &c) == nil {
				out = append(out, personalValues(c)...)
			}
		}
	}
	return out, nil
}

// matcher finds every value in any letter case, as written or as JSON
// writes it inside the audit trail, longest first.
func matcher(values []string) *regexp.Regexp {
	seen := map[string]bool{}
	var forms []string
	for _, v := range values {
		encoded, _ := json.Marshal(v)
		for _, f := range []string{v, strings.Trim(string(encoded), `"`), search.Fold(v)} {
			if key := strings.ToLower(f); len(strings.TrimSpace(f)) >= 3 && !seen[key] {
				seen[key] = true
				forms = append(forms, f)
			}
		}
	}
	if len(forms) == 0 {
		return nil
	}
	sort.Slice(forms, func(i, j int) bool { return len(forms[i]) > len(forms[j]) })
	quoted := make([]string, len(forms))
	for i, f := range forms {
		quoted[i] = regexp.QuoteMeta(f)
	}
	return regexp.MustCompile("(?i)" + strings.Join(quoted, "|"))
}

// scrub replaces the person's values in every text column of every table
// (support sessions, announcements, the audit trail and its actors, other
// records' texts) and returns the records of the search index it changed,
// by kind.
func scrub(ctx context.Context, tx bun.IDB, m *regexp.Regexp) (map[string][]int64, error) {
	columns, err := db.TextColumns(ctx, tx)
	if err != nil {
		return nil, err
	}
	changed := map[string][]int64{}
	for table, cols := range columns {
		if untouched[table] {
			continue
		}
		for _, col := range cols {
			var values []string
			if err := tx.NewSelect().TableExpr("?", bun.Ident(table)).ColumnExpr("DISTINCT ?", bun.Ident(col)).
				Where("? IS NOT NULL", bun.Ident(col)).Scan(ctx, &values); err != nil {
				return nil, fmt.Errorf("privacy: scrub %s.%s: %w", table, col, err)
			}
			for _, v := range values {
				if !m.MatchString(v) {
					continue
				}
				if ix, ok := indexed[table]; ok {
					var ids []int64
					if err := tx.NewSelect().TableExpr("?", bun.Ident(table)).ColumnExpr("DISTINCT ?", bun.Ident(ix.id)).
						Where("? = ?", bun.Ident(col), v).Scan(ctx, &ids); err != nil {
						return nil, fmt.Errorf("privacy: scrub %s.%s: %w", table, col, err)
					}
					changed[ix.kind] = append(changed[ix.kind], ids...)
				}
				// Every row holding the same text gets the same new text:
				// no primary key is needed, link tables included.
				if _, err := tx.NewUpdate().TableExpr("?", bun.Ident(table)).Set("? = ?", bun.Ident(col), m.ReplaceAllString(v, erased)).
					Where("? = ?", bun.Ident(col), v).Exec(ctx); err != nil {
					return nil, fmt.Errorf("privacy: scrub %s.%s: %w", table, col, err)
				}
			}
		}
	}
	// A support session is found by its structure's name too.
	if ids := changed[search.KindStructure]; len(ids) > 0 {
		var sessions []int64
		if err := tx.NewSelect().TableExpr("support_sessions").Column("id").Where("structure_id IN (?)", bun.List(ids)).
			Scan(ctx, &sessions); err != nil {
			return nil, fmt.Errorf("privacy: scrub: %w", err)
		}
		changed[search.KindSupport] = append(changed[search.KindSupport], sessions...)
	}
	return changed, nil
}

// Erase removes a person's data: the contact record, and their name, e-mail
// and phone, present or past, in any letter case, wherever any table holds
// them (support sessions, announcements, the audit trail, other records'
// texts; not the other contacts, who are other people); then the records
// scrubbed are indexed again and, on SQLite, the freed pages and the
// write-ahead log are cleared, so that the file itself keeps no
// copy. Structures, sessions and other records stay. The erasure is logged,
// without the erased values. One transaction.
func (s *Service) Erase(ctx context.Context, id int64, now time.Time) error {
	if err := access.Require(ctx, access.Admin); err != nil {
		return err
	}
	var touched int
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := s.contact(ctx, tx, id)
		if err != nil {
			return err
		}
		past, err := pastValues(ctx, tx, id)
		if err != nil {
			return err
		}
		values := append(personalValues(c), past...)
		sessions, err := mentions(ctx, tx, values)
		if err != nil {
			return err
		}
		touched = len(sessions)
		// A chat account linked by the person's e-mail is theirs: it goes
		// with them (a claim, which names no contact, is the chat user's).
		if _, err := chatlink.EraseContact(ctx, tx, id); err != nil {
			return err
		}
		if _, err := tx.NewDelete().Model((*network.Contact)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("privacy: erase: %w", err)
		}
		if m := matcher(values); m != nil {
			changed, err := scrub(ctx, tx, m)
			if err != nil {
				return err
			}
			for kind, ids := range changed {
				if err := search.ReindexRecords(ctx, tx, kind, ids...); err != nil {
					return err
				}
			}
		}
		if err := search.ReindexRecords(ctx, tx, search.KindContact, id); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.ActionErase, "contact", id, nil, nil,
			fmt.Sprintf("données personnelles effacées à la demande de la personne (%d accompagnement(s) expurgé(s))", touched))
	})
	if err != nil {
		return err
	}
	return db.ForgetFreed(ctx, s.DB)
}
