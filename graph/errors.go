package graph

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"regexp"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/lianes-cooperation/lianes/internal/access"
	"github.com/lianes-cooperation/lianes/internal/announce"
	"github.com/lianes-cooperation/lianes/internal/changes"
	"github.com/lianes-cooperation/lianes/internal/listing"
)

// Stable error codes, in extensions.code.
const (
	CodeBadInput  = "BAD_USER_INPUT"
	CodeForbidden = "FORBIDDEN"
	CodeNotFound  = "NOT_FOUND"
	CodeInternal  = "INTERNAL_SERVER_ERROR"
	CodeConflict  = "CONFLICT"
)

// forbiddenError is a field the caller's role may not see, on its path.
func forbiddenError(path ast.Path) *gqlerror.Error {
	return &gqlerror.Error{
		Message:    "accès refusé : votre rôle ne permet pas de voir ce champ",
		Path:       path,
		Extensions: map[string]any{"code": CodeForbidden},
	}
}

// inputError is a mistake in the caller's arguments, named by field.
func inputError(ctx context.Context, field string, err error) error {
	return &gqlerror.Error{
		Message:    err.Error(),
		Path:       graphql.GetPath(ctx),
		Extensions: map[string]any{"code": CodeBadInput, "field": field},
	}
}

// notFoundError is a record the caller named that does not exist.
func notFoundError(ctx context.Context, field, message string) error {
	return &gqlerror.Error{
		Message:    message,
		Path:       graphql.GetPath(ctx),
		Extensions: map[string]any{"code": CodeNotFound, "field": field},
	}
}

// notAnEnumValue is gqlgen's error for an enum value that is not one, read
// from an argument or a variable after validation (inside an input object).
var notAnEnumValue = regexp.MustCompile(`^(.*) is not a valid (\w+)$`)

// callerMistake recognises the errors gqlgen raises for what the caller sent
// after the query was validated: an enum value inside an input object, a
// body that is not JSON. They are the caller's mistakes, answered in French
// and never echoing the body.
func callerMistake(err error) (*gqlerror.Error, bool) {
	var gqlErr *gqlerror.Error
	if !errors.As(err, &gqlErr) || gqlErr.Extensions["code"] != nil {
		return nil, false
	}
	if strings.HasPrefix(gqlErr.Message, "json request body could not be decoded") {
		return &gqlerror.Error{
			Message:    `corps de requête illisible : attendu un objet JSON {"query": "...", "variables": {...}}`,
			Extensions: map[string]any{"code": "BAD_REQUEST"},
		}, true
	}
	m := notAnEnumValue.FindStringSubmatch(gqlErr.Message)
	if m == nil {
		return nil, false
	}
	var field []string
	for i, p := range gqlErr.Path {
		switch p := p.(type) {
		case ast.PathName:
			if i > 0 {
				field = append(field, string(p))
			}
		case ast.PathIndex:
			if len(field) > 0 {
				field[len(field)-1] += fmt.Sprintf("[%d]", int(p))
			}
		}
	}
	name := strings.Join(field, ".")
	msg := fmt.Sprintf("« %s » n'est pas une valeur de %s", m[1], m[2])
	if m[1] != strings.ToUpper(m[1]) {
		msg += " (les valeurs s'écrivent en majuscules)"
	}
	if name != "" {
		msg = name + " : " + msg
	}
	return &gqlerror.Error{Message: msg, Path: gqlErr.Path[:min(1, len(gqlErr.Path))],
		Extensions: map[string]any{"code": CodeBadInput, "field": name}}, true
}

// presentError turns any error into what the caller may see: a clear French
// message and a stable code. Errors the caller did not cause are logged and
// masked, so that no SQL or stack ever leaves the server.
func presentError(log *slog.Logger) graphql.ErrorPresenterFunc {
	return func(ctx context.Context, err error) *gqlerror.Error {
		var gqlErr *gqlerror.Error
		if e, ok := callerMistake(err); ok {
			return e
		}
		if errors.As(err, &gqlErr) && gqlErr.Extensions["code"] != nil {
			switch gqlErr.Extensions["code"] {
			case "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED": // gqlparser's English; the cost limit writes French
				return translate(gqlErr)
			}
			return gqlErr
		}
		var argsErr *listing.InvalidArgsError
		var invalid *changes.InvalidError
		switch {
		case errors.As(err, &invalid):
			fields := make([]map[string]any, len(invalid.Errors))
			for i, f := range invalid.Errors {
				fields[i] = map[string]any{"field": "input." + f.Field, "message": f.Message}
			}
			e := gqlerror.WrapPath(graphql.GetPath(ctx), err)
			e.Message = "modification refusée, rien n'a été enregistré : " + invalid.Error()
			e.Extensions = map[string]any{"code": CodeBadInput, "field": "input." + invalid.Errors[0].Field, "fields": fields}
			return e
		case errors.Is(err, changes.ErrConflict):
			e := gqlerror.WrapPath(graphql.GetPath(ctx), err)
			e.Message = changes.ErrConflict.Error()
			e.Extensions = map[string]any{"code": CodeConflict}
			return e
		case errors.Is(err, announce.ErrEmpty), errors.Is(err, announce.ErrPast), errors.Is(err, announce.ErrNoTarget):
			field, cause := "input.channels", announce.ErrNoTarget
			switch {
			case errors.Is(err, announce.ErrEmpty):
				field, cause = "input.text", announce.ErrEmpty
			case errors.Is(err, announce.ErrPast):
				field, cause = "input.at", announce.ErrPast
			}
			e := gqlerror.WrapPath(graphql.GetPath(ctx), err)
			e.Message = cause.Error()
			e.Extensions = map[string]any{"code": CodeBadInput, "field": field}
			return e
		case errors.Is(err, announce.ErrTooLate), errors.Is(err, announce.ErrCancelled), errors.Is(err, announce.ErrConfirmed):
			cause := announce.ErrTooLate
			for _, c := range []error{announce.ErrCancelled, announce.ErrConfirmed} {
				if errors.Is(err, c) {
					cause = c
				}
			}
			e := gqlerror.WrapPath(graphql.GetPath(ctx), err)
			e.Message = cause.Error()
			e.Extensions = map[string]any{"code": CodeConflict}
			return e
		case errors.Is(err, changes.ErrNotFound), errors.Is(err, announce.ErrNotFound):
			e := gqlerror.WrapPath(graphql.GetPath(ctx), err)
			e.Message = "introuvable : aucun enregistrement ne porte cet identifiant"
			e.Extensions = map[string]any{"code": CodeNotFound}
			return e
		case errors.As(err, &argsErr):
			e := gqlerror.WrapPath(graphql.GetPath(ctx), err)
			e.Message = argsErr.Error()
			e.Extensions = map[string]any{"code": CodeBadInput, "field": argsErr.Field}
			return e
		case errors.Is(err, access.ErrForbidden):
			e := forbiddenError(graphql.GetPath(ctx))
			e.Err = err
			return e
		}
		if gqlErr != nil && gqlErr.Err == nil {
			// An error about the query itself (a bad variable, a parse error).
			return translate(gqlErr)
		}
		log.ErrorContext(ctx, "graphql: erreur interne", "path", graphql.GetPath(ctx).String(), "error", err)
		e := gqlerror.WrapPath(graphql.GetPath(ctx), errors.New("erreur interne"))
		e.Message = "erreur interne : l'équipe technique en a été avertie"
		e.Extensions = map[string]any{"code": CodeInternal}
		return e
	}
}
