// Package chatlink links chat users (Slack, Discord) to the structure they
// speak for, so that the bot answers "pour nous" for the right structure.
// A link is made at once when the platform vouches for an e-mail that is a
// contact's of one structure, or claimed by the member and then validated
// or refused by the staff: nobody speaks for a structure they do not belong
// to. A chat user has one link at most. The chat user's id and name are
// personal data: the audit trail records the links' changes without them,
// and they go with the person's erasure.
package chatlink

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
	"github.com/lianes-cooperation/lianes/internal/clock"
	"github.com/lianes-cooperation/lianes/internal/db"
	"github.com/lianes-cooperation/lianes/internal/listing"
)

// Statuses of a link.
const (
	StatusPending   = "pending"
	StatusValidated = "validated"
	StatusRefused   = "refused"
)

// Methods: how a link was made.
const (
	MethodEmail = "email"
	MethodClaim = "claim"
)

// Platforms whose users can be linked.
const (
	Slack   = "slack"
	Discord = "discord"
)

// auditKind names the links in the audit trail.
const auditKind = "chat_link"

// LookupTTL is how long a profile lookup is remembered, hit or miss: a
// contact added to the CRM today links its member by tomorrow, and a person
// writing twenty messages costs one call to the platform.
const LookupTTL = 24 * time.Hour

// Errors.
var (
	ErrNotFound = errors.New("lien introuvable")
	// ErrDecided is a validation or refusal of a link no longer pending.
	ErrDecided = errors.New("ce lien a déjà été traité")
	// ErrPlatform is a platform whose users are not linked.
	ErrPlatform = errors.New("plateforme inconnue : slack ou discord")
)

// LinkedError is a claim by someone whose link is validated already.
type LinkedError struct{ Link *Link }

func (e *LinkedError) Error() string { return "déjà lié·e à une structure" }

// Link is a chat user's link to a structure.
type Link struct {
	bun.BaseModel `bun:"table:chat_links,alias:cl"`

	ID          int64  `bun:"id,pk,autoincrement"`
	Platform    string `bun:"platform,notnull"`
	UserID      string `bun:"chat_user_id,notnull"`
	UserName    string `bun:"chat_user_name,notnull"`
	StructureID int64  `bun:"structure_id,notnull"`
	Status      string `bun:"status,notnull"`
	Method      string `bun:"method,notnull"`
	// ContactID is the contact whose e-mail matched; 0 for a claim.
	ContactID int64 `bun:"contact_id,nullzero"`
	// DecidedBy and DecidedAt say who validated or refused, and when; for
	// an e-mail match, the robot when it matched.
	DecidedBy string    `bun:"decided_by,notnull"`
	DecidedAt time.Time `bun:"decided_at,nullzero"`
	// ToldAt is when the member was told of the decision; zero: not yet.
	ToldAt    time.Time `bun:"told_at,nullzero"`
	CreatedAt time.Time `bun:"created_at,notnull"`
}

// trail is what the audit trail keeps of a link: not who the chat user is.
type trail struct {
	Platform  string `json:"platform"`
	Structure int64  `json:"structure"`
	Status    string `json:"status"`
	Method    string `json:"method"`
	Contact   int64  `json:"contact,omitempty"`
}

func (l *Link) trail() trail {
	return trail{Platform: l.Platform, Structure: l.StructureID, Status: l.Status, Method: l.Method, Contact: l.ContactID}
}

// Hasher gives a chat user's salted hash (internal/unanswered's): lookups
// are remembered without the person's id.
type Hasher interface {
	Hash(ctx context.Context, platform, askerID string) (string, error)
}

// Service keeps the links. A member acts on their own link only: the
// transport vouches for the platform and id it passes. The staff list,
// validate and refuse; administrators read and erase a person's links.
type Service struct {
	DB     *bun.DB
	Clock  clock.Clock
	Hasher Hasher
}

func (s *Service) now() time.Time { return s.Clock.Now().UTC().Truncate(time.Microsecond) }

func checkPlatform(platform string) error {
	if platform != Slack && platform != Discord {
		return ErrPlatform
	}
	return nil
}

// Of returns a chat user's link, whatever its status; ErrNotFound when
// they have none.
func (s *Service) Of(ctx context.Context, platform, userID string) (*Link, error) {
	if err := access.Require(ctx, access.Member); err != nil {
		return nil, err
	}
	return of(ctx, s.DB, platform, userID)
}

func of(ctx context.Context, idb bun.IDB, platform, userID string) (*Link, error) {
	var l Link
	err := idb.NewSelect().Model(&l).Where("cl.platform = ? AND cl.chat_user_id = ?", platform, userID).Scan(ctx)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("chatlink: of: %w", err)
	}
	return &l, nil
}

// Told records that the member was told of their link's decision; a
// refused claim, once told, goes: there is nothing left to show.
func (s *Service) Told(ctx context.Context, l *Link) error {
	if err := access.Require(ctx, access.Member); err != nil {
		return err
	}
	if l.Status == StatusRefused {
		return s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
			if _, err := tx.NewDelete().Model((*Link)(nil)).Where("id = ? AND status = ?", l.ID, StatusRefused).Exec(ctx); err != nil {
				return fmt.Errorf("chatlink: told: %w", err)
			}
			return audit.Record(ctx, tx, s.now(), audit.ActionDelete, auditKind, l.ID, l.trail(), nil, "refus annoncé au membre")
		})
	}
	if _, err := s.DB.NewUpdate().Model((*Link)(nil)).Set("told_at = ?", s.now()).Where("id = ? AND told_at IS NULL", l.ID).Exec(ctx); err != nil {
		return fmt.Errorf("chatlink: told: %w", err)
	}
	return nil
}

// lookup is a profile lookup remembered.
type lookup struct {
	bun.BaseModel `bun:"table:chat_link_lookups,alias:lk"`

	AskerHash string    `bun:"asker_hash,pk"`
	LookedAt  time.Time `bun:"looked_at,notnull"`
	OptedOut  bool      `bun:"opted_out,notnull"`
}

// NeedsLookup reports whether the platform should be asked for a chat
// user's e-mail: they have no link (none pending either), were not looked up
// within LookupTTL, and did not ask to be forgotten.
func (s *Service) NeedsLookup(ctx context.Context, platform, userID string) (bool, error) {
	if err := access.Require(ctx, access.Member); err != nil {
		return false, err
	}
	if err := checkPlatform(platform); err != nil {
		return false, err
	}
	if _, err := of(ctx, s.DB, platform, userID); err == nil {
		return false, nil
	} else if !errors.Is(err, ErrNotFound) {
		return false, err
	}
	hash, err := s.Hasher.Hash(ctx, platform, userID)
	if err != nil {
		return false, err
	}
	var lk lookup
	err = s.DB.NewSelect().Model(&lk).Where("lk.asker_hash = ?", hash).Scan(ctx)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return true, nil
	case err != nil:
		return false, fmt.Errorf("chatlink: lookup: %w", err)
	}
	return !lk.OptedOut && s.Clock.Now().Sub(lk.LookedAt) >= LookupTTL, nil
}

// remember records a lookup, or an opt-out, of a chat user by their hash
// (read before the transaction: the salt may be written on the first use).
func (s *Service) remember(ctx context.Context, idb bun.IDB, hash string, optOut bool) error {
	lk := lookup{AskerHash: hash, LookedAt: s.now(), OptedOut: optOut}
	q := idb.NewInsert().Model(&lk).On("CONFLICT (asker_hash) DO UPDATE").Set("looked_at = EXCLUDED.looked_at")
	if optOut {
		q = q.Set("opted_out = EXCLUDED.opted_out")
	}
	if _, err := q.Exec(ctx); err != nil {
		return fmt.Errorf("chatlink: lookup: %w", err)
	}
	return nil
}

// LinkByEmail links a chat user whose profile e-mail, as their platform
// gives it, is a contact's: validated at once when the contacts holding
// that e-mail (in any letter case) belong to one structure. The lookup is
// remembered whatever its outcome, an empty e-mail (the platform failed or
// has none) included. False when no link was made.
func (s *Service) LinkByEmail(ctx context.Context, platform, userID, userName, email string) (*Link, bool, error) {
	if err := access.Require(ctx, access.Member); err != nil {
		return nil, false, err
	}
	if err := checkPlatform(platform); err != nil {
		return nil, false, err
	}
	hash, err := s.Hasher.Hash(ctx, platform, userID)
	if err != nil {
		return nil, false, err
	}
	var made *Link
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.remember(ctx, tx, hash, false); err != nil {
			return err
		}
		email = strings.TrimSpace(email)
		if email == "" || !strings.Contains(email, "@") {
			return nil
		}
		var matches []struct {
			ID          int64 `bun:"id"`
			StructureID int64 `bun:"structure_id"`
		}
		if err := tx.NewSelect().TableExpr("contacts").Column("id", "structure_id").
			Where("LOWER(email) = LOWER(?)", email).Where("structure_id IS NOT NULL").OrderExpr("id").
			Scan(ctx, &matches); err != nil {
			return fmt.Errorf("chatlink: by e-mail: %w", err)
		}
		if len(matches) == 0 {
			return nil
		}
		for _, m := range matches[1:] {
			if m.StructureID != matches[0].StructureID {
				return nil // two structures: the member says which with « je suis de »
			}
		}
		now := s.now()
		l := &Link{Platform: platform, UserID: userID, UserName: userName, StructureID: matches[0].StructureID,
			Status: StatusValidated, Method: MethodEmail, ContactID: matches[0].ID, DecidedBy: "robot (courriel " + platform + ")",
			DecidedAt: now, CreatedAt: now}
		res, err := tx.NewInsert().Model(l).On("CONFLICT (platform, chat_user_id) DO NOTHING").Returning("id").Exec(ctx)
		if err != nil {
			return fmt.Errorf("chatlink: by e-mail: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return nil // a link made meanwhile (two messages at once) stands
		}
		made = l
		return audit.Record(access.WithActor(ctx, l.DecidedBy), tx, now, audit.ActionCreate, auditKind, l.ID, nil, l.trail(),
			"lien fait par le courriel du profil")
	})
	if err != nil {
		return nil, false, err
	}
	return made, made != nil, nil
}

// Claim records a member's claim to speak for a structure, pending the
// staff's decision; it replaces a pending or refused claim of theirs. A
// member already validated for another structure gets a LinkedError: they
// undo it first (Forget).
func (s *Service) Claim(ctx context.Context, platform, userID, userName string, structureID int64) (*Link, error) {
	if err := access.Require(ctx, access.Member); err != nil {
		return nil, err
	}
	if err := checkPlatform(platform); err != nil {
		return nil, err
	}
	var out *Link
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		now := s.now()
		old, err := of(ctx, tx, platform, userID)
		switch {
		case errors.Is(err, ErrNotFound):
			l := &Link{Platform: platform, UserID: userID, UserName: userName, StructureID: structureID,
				Status: StatusPending, Method: MethodClaim, CreatedAt: now}
			if _, err := tx.NewInsert().Model(l).Returning("id").Exec(ctx); err != nil {
				return fmt.Errorf("chatlink: claim: %w", err)
			}
			out = l
			return audit.Record(ctx, tx, now, audit.ActionCreate, auditKind, l.ID, nil, l.trail(), "demande de lien, en attente de l'équipe")
		case err != nil:
			return err
		case old.Status == StatusValidated:
			return &LinkedError{Link: old}
		case old.Status == StatusPending && old.StructureID == structureID:
			out = old
			return nil
		}
		l := *old
		l.UserName, l.StructureID, l.Status, l.Method, l.ContactID = userName, structureID, StatusPending, MethodClaim, 0
		l.DecidedBy, l.DecidedAt, l.ToldAt, l.CreatedAt = "", time.Time{}, time.Time{}, now
		if _, err := tx.NewUpdate().Model(&l).WherePK().Exec(ctx); err != nil {
			return fmt.Errorf("chatlink: claim: %w", err)
		}
		out = &l
		return audit.Record(ctx, tx, now, audit.ActionUpdate, auditKind, l.ID, old.trail(), l.trail(), "nouvelle demande de lien, en attente de l'équipe")
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Validate validates a pending claim; staff only.
func (s *Service) Validate(ctx context.Context, id int64) (*Link, error) {
	return s.decide(ctx, id, StatusValidated)
}

// Refuse refuses a pending claim; staff only. The member is told when they
// next write, and the refused claim then goes.
func (s *Service) Refuse(ctx context.Context, id int64) (*Link, error) {
	return s.decide(ctx, id, StatusRefused)
}

func (s *Service) decide(ctx context.Context, id int64, status string) (*Link, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return nil, err
	}
	var out *Link
	err := s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var old Link
		err := tx.NewSelect().Model(&old).Where("cl.id = ?", id).Scan(ctx)
		if errors.Is(err, sql.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("chatlink: decide: %w", err)
		}
		if old.Status != StatusPending {
			return ErrDecided
		}
		l := old
		l.Status, l.DecidedBy, l.DecidedAt, l.ToldAt = status, access.ActorFrom(ctx), s.now(), time.Time{}
		res, err := tx.NewUpdate().Model(&l).Column("status", "decided_by", "decided_at", "told_at").
			Where("id = ? AND status = ?", id, StatusPending).Exec(ctx)
		if err != nil {
			return fmt.Errorf("chatlink: decide: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrDecided
		}
		out = &l
		note := "lien validé par l'équipe"
		if status == StatusRefused {
			note = "lien refusé par l'équipe"
		}
		return audit.Record(ctx, tx, l.DecidedAt, audit.ActionUpdate, auditKind, id, old.trail(), l.trail(), note)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// Forget removes a chat user's link at their request (« oublie-moi »), and
// remembers that they are not to be linked by e-mail again; false when they
// had none.
func (s *Service) Forget(ctx context.Context, platform, userID string) (bool, error) {
	if err := access.Require(ctx, access.Member); err != nil {
		return false, err
	}
	if err := checkPlatform(platform); err != nil {
		return false, err
	}
	hash, err := s.Hasher.Hash(ctx, platform, userID)
	if err != nil {
		return false, err
	}
	var had bool
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		if err := s.remember(ctx, tx, hash, true); err != nil {
			return err
		}
		old, err := of(ctx, tx, platform, userID)
		if errors.Is(err, ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		had = true
		if _, err := tx.NewDelete().Model((*Link)(nil)).Where("id = ?", old.ID).Exec(ctx); err != nil {
			return fmt.Errorf("chatlink: forget: %w", err)
		}
		return audit.Record(ctx, tx, s.now(), audit.ActionDelete, auditKind, old.ID, old.trail(), nil, "lien défait à la demande du membre")
	})
	return had, err
}

// EraseChatUser erases everything kept of a chat user here: their link and
// their lookups; administrators only. It returns how many links went.
func (s *Service) EraseChatUser(ctx context.Context, platform, userID string) (int, error) {
	if err := access.Require(ctx, access.Admin); err != nil {
		return 0, err
	}
	hash, err := s.Hasher.Hash(ctx, platform, userID)
	if err != nil {
		return 0, err
	}
	var n int
	err = s.DB.RunInTx(ctx, nil, func(ctx context.Context, tx bun.Tx) error {
		var ids []int64
		if err := tx.NewSelect().TableExpr("chat_links").Column("id").Where("platform = ? AND chat_user_id = ?", platform, userID).
			Scan(ctx, &ids); err != nil {
			return fmt.Errorf("chatlink: erase: %w", err)
		}
		n = len(ids)
		if _, err := tx.NewDelete().TableExpr("chat_links").Where("platform = ? AND chat_user_id = ?", platform, userID).Exec(ctx); err != nil {
			return fmt.Errorf("chatlink: erase: %w", err)
		}
		if _, err := tx.NewDelete().TableExpr("chat_link_lookups").Where("asker_hash = ?", hash).Exec(ctx); err != nil {
			return fmt.Errorf("chatlink: erase: %w", err)
		}
		for _, id := range ids {
			if err := audit.Record(ctx, tx, s.now(), audit.ActionErase, auditKind, id, nil, nil, "lien effacé avec les données de la personne"); err != nil {
				return err
			}
		}
		return nil
	})
	return n, err
}

// OfContact returns the links made by a contact's e-mail; administrators
// only (a personal data access request).
func (s *Service) OfContact(ctx context.Context, contactID int64) ([]Link, error) {
	if err := access.Require(ctx, access.Admin); err != nil {
		return nil, err
	}
	return OfContact(ctx, s.DB, contactID)
}

// OfContact reads the links made by a contact's e-mail, in the caller's
// transaction; the caller checks the role.
func OfContact(ctx context.Context, idb bun.IDB, contactID int64) ([]Link, error) {
	var rows []Link
	if err := idb.NewSelect().Model(&rows).Where("cl.contact_id = ?", contactID).OrderExpr("cl.id").Scan(ctx); err != nil {
		return nil, fmt.Errorf("chatlink: of contact: %w", err)
	}
	return rows, nil
}

// EraseContact removes the links made by a contact's e-mail, in the
// caller's transaction (an erasure of the contact); the caller checks the
// role and records the erasure.
func EraseContact(ctx context.Context, idb bun.IDB, contactID int64) (int, error) {
	res, err := idb.NewDelete().TableExpr("chat_links").Where("contact_id = ?", contactID).Exec(ctx)
	if err != nil {
		return 0, fmt.Errorf("chatlink: erase contact: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// List pages the links, the pending ones first (oldest first: the first
// to wait is the first to answer), then the others, latest first; staff
// only.
func (s *Service) List(ctx context.Context, status string, a listing.Args) (listing.Page, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return listing.Page{}, err
	}
	q := s.DB.NewSelect().TableExpr("chat_links AS cl").
		OrderExpr("CASE WHEN cl.status = 'pending' THEN 0 ELSE 1 END").
		OrderExpr("CASE WHEN cl.status = 'pending' THEN cl.id ELSE -cl.id END")
	if status != "" {
		q = q.Where("cl.status = ?", status)
	}
	return listing.Query(ctx, q, "cl.id", a)
}

// Links reads links by id; staff only.
func (s *Service) Links(ctx context.Context, ids []int64) (map[int64]*Link, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return nil, err
	}
	out, err := db.ByIDs(ctx, s.DB, "cl.id", ids, func(x *Link) int64 { return x.ID })
	if err != nil {
		return nil, fmt.Errorf("chatlink: links: %w", err)
	}
	return out, nil
}

// Pending returns the pending claims, the oldest first, at most limit;
// staff only.
func (s *Service) Pending(ctx context.Context, limit int) ([]Link, int, error) {
	if err := access.Require(ctx, access.Staff); err != nil {
		return nil, 0, err
	}
	var rows []Link
	n, err := s.DB.NewSelect().Model(&rows).Where("cl.status = ?", StatusPending).OrderExpr("cl.id").Limit(int64(limit)).ScanAndCount(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("chatlink: pending: %w", err)
	}
	return rows, int(n), nil
}
