// Package access holds who may see what. The rules live here, below the
// transports, so that GraphQL, the bots and the command line answer the same
// for the same role.
package access

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

// Role is what a caller may see and do; each role sees what the one before
// sees, and more.
type Role int

// The roles.
const (
	// Anonymous sees the public directory and aggregate statistics.
	Anonymous Role = iota
	// Member also sees the names, roles and structures of contacts who consented.
	Member
	// Staff also sees contacts' e-mails and phones, contacts without consent
	// and support sessions.
	Staff
	// Admin also manages tokens, reads the audit trail and handles personal data requests.
	Admin
)

var roleNames = []string{"anonymous", "member", "staff", "admin"}

func (r Role) String() string {
	if r < Anonymous || r > Admin {
		return fmt.Sprintf("role(%d)", int(r))
	}
	return roleNames[r]
}

// ParseRole reads a role name.
func ParseRole(s string) (Role, error) {
	for i, name := range roleNames {
		if strings.EqualFold(s, name) {
			return Role(i), nil
		}
	}
	return Anonymous, fmt.Errorf("rôle « %s » inconnu : attendu anonymous, member, staff ou admin", s)
}

// ErrForbidden is returned for what the caller's role may not see or do.
var ErrForbidden = errors.New("accès refusé pour ce rôle")

type roleKey struct{}

// WithRole returns a context that carries the caller's role.
func WithRole(ctx context.Context, r Role) context.Context {
	return context.WithValue(ctx, roleKey{}, r)
}

// RoleFrom returns the caller's role; a context without one is anonymous.
func RoleFrom(ctx context.Context) Role {
	r, _ := ctx.Value(roleKey{}).(Role)
	return r
}

// AtLeast reports whether the caller has role r or a higher one.
func AtLeast(ctx context.Context, r Role) bool { return RoleFrom(ctx) >= r }

// Require returns ErrForbidden unless the caller has role r or a higher one.
func Require(ctx context.Context, r Role) error {
	if !AtLeast(ctx, r) {
		return ErrForbidden
	}
	return nil
}

// ContactsVisible returns the SQL condition on a contacts table alias that
// keeps the contacts the caller may see, or "" when it may see all, and false
// when it may see none.
func ContactsVisible(ctx context.Context, alias string) (cond string, any bool) {
	switch {
	case AtLeast(ctx, Staff):
		return "", true
	case AtLeast(ctx, Member):
		return alias + ".consent = TRUE", true
	default:
		return "", false
	}
}

type actorKey struct{}

// WithActor returns a context that names who acts: a token's name, a chat
// user. The audit trail records it.
func WithActor(ctx context.Context, name string) context.Context {
	return context.WithValue(ctx, actorKey{}, name)
}

// ActorFrom returns who acts, or "anonyme".
func ActorFrom(ctx context.Context) string {
	if a, ok := ctx.Value(actorKey{}).(string); ok && a != "" {
		return a
	}
	return "anonyme"
}
