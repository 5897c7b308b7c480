// Package privacy answers the rights of the people the network knows
// (RGPD): access to everything held about a person, and erasure.
package privacy

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/audit"
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
	return Report{Contact: c, Sessions: sessions, Audit: entries}, nil
}

// Erase removes a person's data: the contact record, their name, e-mail and
// phone wherever a support session or the audit trail holds them, and their
// words from the search index. Structures, sessions and other records stay.
// The erasure is logged, without the erased values. One transaction.
func (s *Service) Erase(ctx context.Context, id int64, now time.Time) error {
	if err := access.Require(ctx, access.Admin); err != nil {
		return err
	}
	return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		c, err := s.contact(ctx, tx, id)
		if err != nil {
			return err
		}
		values := personalValues(c)
		sessions, err := mentions(ctx, tx, values)
		if err != nil {
			return err
		}
		var touched []int64
		for _, ss := range sessions {
			for _, v := range values {
				ss.Subject = strings.ReplaceAll(ss.Subject, v, "[effacé]")
				ss.Staff = strings.ReplaceAll(ss.Staff, v, "[effacé]")
			}
			if _, err := tx.NewUpdate().Model(&ss).Column("subject", "staff").WherePK().Exec(ctx); err != nil {
				return fmt.Errorf("privacy: erase: %w", err)
			}
			touched = append(touched, ss.ID)
		}
		if _, err := tx.NewDelete().Model((*network.Contact)(nil)).Where("id = ?", id).Exec(ctx); err != nil {
			return fmt.Errorf("privacy: erase: %w", err)
		}
		if err := audit.Scrub(ctx, tx, values); err != nil {
			return err
		}
		if err := search.ReindexRecords(ctx, tx, search.KindContact, id); err != nil {
			return err
		}
		if err := search.ReindexRecords(ctx, tx, search.KindSupport, touched...); err != nil {
			return err
		}
		return audit.Record(ctx, tx, now, audit.ActionErase, "contact", id, nil, nil,
			fmt.Sprintf("données personnelles effacées à la demande de la personne (%d accompagnement(s) expurgé(s))", len(touched)))
	})
}
