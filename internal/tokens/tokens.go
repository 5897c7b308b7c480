// Package tokens holds the API tokens: who may call the API with which role.
// Only a hash of a token is stored; the token itself is shown once.
package tokens

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/uptrace/bun"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/db"
)

// Token is an API token as stored: its hash, never the token.
type Token struct {
	bun.BaseModel `bun:"table:api_tokens,alias:tok"`

	ID         int64      `bun:"id,pk,autoincrement"`
	Name       string     `bun:"name,notnull"`
	Role       string     `bun:"role,notnull"`
	Hash       string     `bun:"token_hash,notnull"`
	Prefix     string     `bun:"prefix,notnull"` // the first characters, to recognise a token in a list
	CreatedAt  time.Time  `bun:"created_at,notnull"`
	ExpiresAt  *time.Time `bun:"expires_at"`
	RevokedAt  *time.Time `bun:"revoked_at"`
	LastUsedAt *time.Time `bun:"last_used_at"`
}

// Errors of authentication; their messages are shown to the caller.
var (
	ErrUnknown = errors.New("jeton inconnu")
	ErrExpired = errors.New("jeton expiré")
	ErrRevoked = errors.New("jeton révoqué")
)

// prefix marks the project's tokens, so that secret scanners find them.
const prefix = "lianes_"

func hash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// Service creates, lists, revokes and checks tokens.
type Service struct {
	DB *bun.DB

	mu       sync.Mutex
	lastSeen map[int64]time.Time
	known    map[string]known // by hash: tokens checked in the last recheckAfter
}

// recheckAfter is how long a token found valid is taken as valid without
// reading it again: a revocation made by this process applies at once, one
// made elsewhere (the command line, another replica) within this time.
// Expiry is checked on every request.
const recheckAfter = 5 * time.Second

// known is a token as read at some time.
type known struct {
	token Token
	read  time.Time
}

// Create makes a token for name with role, valid until expires (never when
// nil), and returns it: this is the only time it can be read.
func (s *Service) Create(ctx context.Context, name string, role access.Role, expires *time.Time, now time.Time) (string, Token, error) {
	if strings.TrimSpace(name) == "" {
		return "", Token{}, errors.New("--name : un jeton doit avoir un nom (qui l'utilise, pour quoi)")
	}
	if expires != nil && !expires.After(now) {
		return "", Token{}, fmt.Errorf("--expires : la date d'expiration %s est déjà passée", expires.Format("2006-01-02"))
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", Token{}, fmt.Errorf("tokens: create: %w", err)
	}
	plain := prefix + base64.RawURLEncoding.EncodeToString(raw)
	t := Token{Name: strings.TrimSpace(name), Role: role.String(), Hash: hash(plain), Prefix: plain[:len(prefix)+6],
		CreatedAt: now.UTC(), ExpiresAt: expires}
	if _, err := s.DB.NewInsert().Model(&t).Exec(ctx); err != nil {
		return "", Token{}, fmt.Errorf("tokens: create: %w", err)
	}
	return plain, t, nil
}

// List returns every token, newest first.
func (s *Service) List(ctx context.Context) ([]Token, error) {
	var out []Token
	if err := s.DB.NewSelect().Model(&out).OrderExpr("tok.id DESC").Scan(ctx); err != nil {
		return nil, fmt.Errorf("tokens: list: %w", err)
	}
	return out, nil
}

// Revoke ends a token, named by id or by name.
func (s *Service) Revoke(ctx context.Context, idOrName string, now time.Time) (Token, error) {
	var t Token
	q := s.DB.NewSelect().Model(&t)
	if id, err := strconv.ParseInt(idOrName, 10, 64); err == nil {
		q = q.Where("tok.id = ?", id)
	} else {
		q = q.Where("tok.name = ?", idOrName)
	}
	if err := q.Limit(1).Scan(ctx); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return Token{}, fmt.Errorf("jeton « %s » introuvable", idOrName)
		}
		return Token{}, fmt.Errorf("tokens: revoke: %w", err)
	}
	if t.RevokedAt != nil {
		return t, nil
	}
	at := now.UTC()
	t.RevokedAt = &at
	if _, err := s.DB.NewUpdate().Model(&t).Column("revoked_at").WherePK().Exec(ctx); err != nil {
		return Token{}, fmt.Errorf("tokens: revoke: %w", err)
	}
	s.mu.Lock()
	delete(s.known, t.Hash)
	s.mu.Unlock()
	return t, nil
}

// Authenticate checks a token and returns it. Its last use is recorded at
// most once a minute, not on every request.
func (s *Service) Authenticate(ctx context.Context, plain string, now time.Time) (Token, access.Role, error) {
	t, err := s.read(ctx, hash(strings.TrimSpace(plain)), now)
	if errors.Is(err, sql.ErrNoRows) {
		return Token{}, access.Anonymous, ErrUnknown
	}
	if err != nil {
		return Token{}, access.Anonymous, fmt.Errorf("tokens: authenticate: %w", err)
	}
	switch {
	case t.RevokedAt != nil:
		return Token{}, access.Anonymous, ErrRevoked
	case t.ExpiresAt != nil && !t.ExpiresAt.After(now):
		return Token{}, access.Anonymous, ErrExpired
	}
	role, err := access.ParseRole(t.Role)
	if err != nil {
		return Token{}, access.Anonymous, err
	}
	s.mu.Lock()
	if s.lastSeen == nil {
		s.lastSeen = map[int64]time.Time{}
	}
	due := now.Sub(s.lastSeen[t.ID]) > time.Minute
	if due {
		s.lastSeen[t.ID] = now
	}
	s.mu.Unlock()
	if due {
		at := now.UTC()
		t.LastUsedAt = &at
		if _, err := s.DB.NewUpdate().Model(&t).Column("last_used_at").WherePK().Exec(ctx); err != nil {
			return Token{}, access.Anonymous, fmt.Errorf("tokens: authenticate: %w", err)
		}
	}
	return t, role, nil
}

// read returns the token of a hash, as read within recheckAfter. Only
// tokens that exist are kept, so that unknown ones sent by the thousand
// cannot fill the memory.
func (s *Service) read(ctx context.Context, h string, now time.Time) (Token, error) {
	s.mu.Lock()
	k, ok := s.known[h]
	s.mu.Unlock()
	if ok && now.Sub(k.read) < recheckAfter && !now.Before(k.read) {
		return k.token, nil
	}
	var t Token
	// Asked of the same few tokens over and over: prepared once per
	// connection rather than planned each time.
	if err := s.DB.NewSelect().Model(&t).Where("tok.token_hash = ?", h).Limit(1).Scan(db.WithPrepared(ctx)); err != nil {
		return Token{}, err
	}
	s.mu.Lock()
	if s.known == nil {
		s.known = map[string]known{}
	}
	s.known[h] = known{token: t, read: now}
	s.mu.Unlock()
	return t, nil
}
